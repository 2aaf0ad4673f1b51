// Package abc fits parameters of a stochastic simulator to observed
// summary statistics by approximate Bayesian computation (ABC), and
// checks the fit: ABC-SMC with an adaptive tolerance schedule,
// simulation-based calibration, posterior predictive checks, and the
// posterior.csv files scenarios draw joint parameter values from.
//
// It knows nothing about geosim's model: a Simulator maps parameter
// values and a random-stream key to a vector of statistics, and the
// priors are sim/dist distributions. docs/CALIBRATION.md describes the
// method for analysts, its known-answer checks and measured coverage.
//
// # Algorithm
//
// Population Monte Carlo ABC (Toni et al. 2009; Beaumont et al. 2009)
// with N particles:
//
//   - Generation 0, the pilot: N draws from the prior, all kept. Their
//     statistics fix each statistic's scale (median absolute deviation,
//     or the standard deviation where the MAD is 0; Config.Scale), which
//     stays fixed for the calibration so that tolerances of different
//     generations are comparable. The distance is the weighted Euclidean
//     norm of the scaled differences from the observed statistics.
//   - Generation t ≥ 1 has tolerance ε_t = the weighted α-quantile of
//     generation t−1's distances (Config.Quantile, default the median),
//     the quantile-of-previous-distances rule (Beaumont et al. 2009 used
//     it on-line; Drovandi & Pettitt 2011; Lenormand, Jabot & Deffuant
//     2013), rather than Del Moral, Doucet & Jasra's
//     (2012) ESS-driven schedule, which belongs with their MCMC-move
//     sampler. When ties (discrete statistics) keep the quantile at
//     ε_{t−1}, ε_t is the largest particle distance below it.
//   - A proposal picks a parent j with probability W_j, perturbs it with
//     a Gaussian kernel of covariance 2·Σ_{t−1}, Σ the weighted
//     covariance of generation t−1 (Beaumont et al. 2009; its
//     multivariate form Filippi et al. 2013; Config.Kernel can keep only
//     the diagonal), redraws parent and perturbation until the proposal
//     lies in the priors' support, simulates, and is accepted if its
//     distance is ≤ ε_t. Proposals continue until N are accepted.
//   - Importance weight w_i ∝ π(θ_i) / Σ_j W_j K(θ_i | θ_j), normalised.
//   - When the effective sample size (Σw)²/Σw² of generation t−1 is below
//     Config.ResampleBelow·N (default N/2, as in Del Moral et al. 2012),
//     it is resampled (systematic resampling) and generation t draws its
//     parents, with equal weights, from the resampled set.
//   - Stopping: after Config.Generations generations; after the first
//     generation with ε_t ≤ Config.MinTolerance; when a generation does
//     not accept N particles within N/Config.MinAcceptance proposals
//     (the acceptance-rate floor of Lenormand et al. 2013; that
//     generation is abandoned and the previous one returned); when the
//     simulation budget runs out; or when no particle lies strictly
//     inside the current tolerance.
//
// # The unit cube
//
// The sampler works on u ∈ (0, 1)^d with θ_i = Q_i(u_i), Q_i the prior's
// quantile function — the representation sim/dist samples by. Under this
// change of variables the prior is uniform on the cube, so the prior
// density in the weight is 1 inside and 0 outside, and a posterior for u
// maps to the posterior for θ exactly (the importance weight, a ratio of
// densities, does not change). Every particle therefore lies in its
// prior's support, bounded or not, and any distribution with a quantile
// function — truncated normals, betas, discrete choices — can be a prior
// without a density. The kernel's covariance is estimated on u.
//
// # Determinism
//
// Proposal i of generation t draws its parent and perturbation from a
// PCG generator keyed by (seed, t, i) and its simulation from the key
// StreamKey(seed, t, i, ·); workers take proposals in any order, and the
// N accepted with the smallest indices form the generation, so the result
// — and its cost in simulations — is the same for any number of workers.
// Weights and summaries are computed in index order.
//
// # Resuming
//
// With Config.StateFile set, the state (settings, scales, generations,
// particles with exact values) is written after each generation through a
// temporary file renamed into place, headed by its SHA-256. A later Run
// with the same settings verifies the hash and continues from the last
// finished generation, ending with the same bytes as an uninterrupted
// calibration. Stopping rules may change between runs.
//
// # References
//
// Beaumont, M. A., Cornuet, J.-M., Marin, J.-M. & Robert, C. P. (2009),
// "Adaptive approximate Bayesian computation", Biometrika 96(4):983–990.
// Del Moral, P., Doucet, A. & Jasra, A. (2012), "An adaptive sequential
// Monte Carlo method for approximate Bayesian computation", Statistics
// and Computing 22(5):1009–1020. Drovandi, C. C. & Pettitt, A. N. (2011),
// "Estimation of parameters for macroparasite population evolution using
// approximate Bayesian computation", Biometrics 67(1):225–233. Filippi,
// S., Barnes, C. P., Cornebise, J. & Stumpf, M. P. H. (2013), "On
// optimality of kernels for approximate Bayesian computation using
// sequential Monte Carlo", Statistical Applications in Genetics and
// Molecular Biology 12(1):87–107. Lenormand, M., Jabot, F. & Deffuant, G.
// (2013), "Adaptive approximate Bayesian computation for complex models",
// Computational Statistics 28(6):2777–2796. Talts, S., Betancourt, M.,
// Simpson, D., Vehtari, A. & Gelman, A. (2018), "Validating Bayesian
// inference algorithms with simulation-based calibration",
// arXiv:1804.06788. Toni, T., Welch, D., Strelkowa, N., Ipsen, A. &
// Stumpf, M. P. H. (2009), "Approximate Bayesian computation scheme for
// parameter inference and model selection in dynamical systems", Journal
// of the Royal Society Interface 6(31):187–202.
package abc
