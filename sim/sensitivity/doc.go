// Package sensitivity finds which inputs drive a model's outputs: Sobol
// first-order and total indices, Morris elementary effects, and
// one-at-a-time effects for tornado charts.
//
// Sobol's sample matrices come by default from a scrambled Sobol'
// sequence (package sim/qmc) in independently scrambled replicates, whose
// spread gives the intervals; a pseudo-random design with bootstrap
// intervals is kept as an option (Config.Design).
//
// The methods work on any function of independent inputs, each with a
// distribution (package sim/dist), that fills a vector of outputs:
//
//	f(worker int, x []float64, out []float64)
//
// f is called concurrently from cfg.Workers goroutines; worker (0 ≤
// worker < Workers) lets it keep per-goroutine state. Results depend only
// on the inputs, the seed and the sample size, never on the number of
// workers: every evaluation is stored by its index.
//
// Stochastic models are handled by giving their randomness as one more
// input — a uniform whose value selects the random stream — so that the
// same decomposition measures how much of an output's variance the model's
// own randomness accounts for (package sim's analysis does this).
//
// References: Saltelli, A. et al. (2010), "Variance based sensitivity
// analysis of model output. Design and estimator for the total
// sensitivity index", Computer Physics Communications 181(2):259–270;
// Jansen, M. (1999), "Analysis of variance designs for model output",
// Computer Physics Communications 117:35–43; Owen, A. B. (1997),
// "Scrambled net variance for integrals of smooth functions", Annals of
// Statistics 25(4):1541–1562; Morris, M. (1991),
// "Factorial sampling plans for preliminary computational experiments",
// Technometrics 33(2):161–174; Campolongo, F., Cariboni, J. & Saltelli, A.
// (2007), "An effective screening design for sensitivity analysis of
// large models", Environmental Modelling & Software 22:1509–1518.
package sensitivity
