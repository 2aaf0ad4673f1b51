// Package qmc generates quasi-random (low-discrepancy) points in the unit
// cube: the Sobol' sequence, plain or randomised by Owen's nested uniform
// scrambling.
//
// Quasi-random points fill the cube more evenly than pseudo-random ones:
// the first 2^m points of the Sobol' sequence put exactly one point in
// each of the 2^m intervals [k/2^m, (k+1)/2^m) of every coordinate, and
// in low-dimensional projections every box of a finer grid gets its
// share (a (t, m, s)-net). Averages of smooth functions over such points
// converge close to 1/n instead of the 1/√n of Monte Carlo.
//
// # The sequence
//
// Points are generated in Gray-code order (Antonov & Saleev 1979): point
// i+1 differs from point i by one XOR of a direction number per
// coordinate, so each point costs O(dimension). Dimension 1 is the van
// der Corput sequence in that order; dimension j > 1 comes from the
// primitive polynomial and initial direction numbers of Joe & Kuo
// (2008), file new-joe-kuo-6.21201, which were chosen so that the
// two-dimensional projections have small t-values. Points have 32 binary
// digits, so a sequence holds at most 2^32 points. [MaxDim] is 1024:
// the embedded table is the first 1,024 lines of the upstream file
// (header and dimensions 2 to 1024), byte for byte; a test pins its
// SHA-256.
//
// # Randomisation
//
// An unscrambled sequence is deterministic: averages over it carry no
// statistical error estimate, and its first point is the origin.
// [NewScrambledSobol] applies Owen's (1995) nested uniform scrambling:
// each digit of each coordinate is flipped or not by a random bit that
// depends on the digits before it (the path down the binary tree of
// intervals), and the digits beyond the 32nd are filled in the same way,
// so that every coordinate has 52 random binary digits and lies strictly
// inside (0, 1). The random bits come from a 64-bit hash (the SplitMix64
// finaliser) of the seed, the dimension, the digit position and the
// preceding digits. Hash-based Owen scrambling is due to Laine & Karras
// (2011) and Burley (2020), who mix a whole 32-bit word at once; here
// each digit gets its own hash, so that the scramble is the nested
// uniform scramble itself rather than an approximation of it. Hence, for
// a seed drawn at random:
//
//   - every point is uniformly distributed in the cube, so an average
//     over the points is an unbiased estimate of the integral;
//   - the scrambled points are still a (t, m, s)-net: the balance
//     properties above hold exactly for every seed;
//   - independent seeds give independent replicates, whose spread is an
//     honest estimate of the error (Owen 1997; L'Ecuyer & Lemieux 2002).
//
// The same seed always gives the same points, on every platform.
//
// # Sources and licence
//
// Direction numbers: S. Joe and F. Y. Kuo (2008), "Constructing Sobol
// sequences with better two-dimensional projections", SIAM Journal on
// Scientific Computing 30(5):2635–2654; file new-joe-kuo-6.21201 from
// https://web.maths.unsw.edu.au/~fkuo/sobol/, copyright (c) 2008,
// Frances Y. Kuo and Stephen Joe, redistributed under their BSD-style
// licence, which is reproduced in the repository's NOTICE file.
//
// Other references: I. M. Sobol' (1967), "On the distribution of points
// in a cube and the approximate evaluation of integrals", USSR
// Computational Mathematics and Mathematical Physics 7(4):86–112;
// I. A. Antonov and V. M. Saleev (1979), USSR Computational Mathematics
// and Mathematical Physics 19(1):252–256; A. B. Owen (1995), "Randomly
// permuted (t,m,s)-nets and (t,s)-sequences", in Monte Carlo and
// Quasi-Monte Carlo Methods in Scientific Computing, Springer, 299–317;
// A. B. Owen (1997), "Scrambled net variance for integrals of smooth
// functions", Annals of Statistics 25(4):1541–1562; P. L'Ecuyer and
// C. Lemieux (2002), "Recent advances in randomized quasi-Monte Carlo
// methods", in Modeling Uncertainty, Kluwer, 419–474; S. Laine and
// T. Karras (2011), "Stratified sampling for stochastic transparency",
// Computer Graphics Forum 30(4):1197–1204; B. Burley (2020), "Practical
// hash-based Owen scrambling", Journal of Computer Graphics Techniques
// 9(4):1–20.
package qmc
