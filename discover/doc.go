// Package discover finds, in the space of a scenario's uncertain
// parameters, the regions where a condition — an event occurring, or an
// outcome beyond a threshold — is frequent: scenario discovery (Bryant &
// Lempert 2010), EMA Workbench's most used analysis.
//
// # Methods
//
// PRIM, the patient rule induction method (Friedman & Fisher 1999),
// starts from a box holding every point and peels: at each step it
// removes the PeelAlpha share of the box's points from the low or high
// end of one parameter, choosing the peel that most raises the box's
// density (the condition's rate inside) per point removed — EMA
// Workbench's default "lenient1" objective. The boxes visited form the
// peeling trajectory, a trade-off between coverage (the share of all
// cases of interest inside the box) and density. A choice rule (Rules)
// picks one box on it; pasting then widens that box while its density
// does not fall. Covering repeats the search on the points the earlier
// boxes left. A box may restrict at most MaxDims parameters, so it reads
// as a short sentence.
//
// CART (Breiman, Friedman, Olshen & Stone 1984) grows a regression tree
// on the same points — for 0/1 values a classification tree with the
// Gini criterion — to a depth limit, and prunes it by minimal
// cost-complexity at the complexity with the smallest cross-validated
// error. Its leaves are boxes too; the densest leaf is
// the one to compare with PRIM's first box.
//
// # Model randomness
//
// A geosim run is stochastic: the same parameters give different
// outcomes. Discovery on single runs (one run per point, as in a run
// folder's runs.csv) therefore mixes the parameters' effect with noise,
// and PRIM, which searches for the densest box, always finds one that
// looks better than average. The package deals with this in three ways:
//
//   - Replicates. Given R runs per point (Data.Runs), a point's value is
//     the share of its runs meeting the condition, an estimate of the
//     condition's probability at that point. Density is then the mean
//     estimated probability in the box; its interval uses the spread of
//     the point estimates, which counts both the model's randomness and
//     the draw of the points. With one run per point the interval is
//     Wilson's.
//   - A permutation test per box. The whole search — peeling, the choice
//     rule, pasting — is rerun on the same points with the condition's
//     values shuffled among them, which keeps the overall rate and
//     breaks any link with the parameters. The box is significant when
//     at most 5% of the shuffled searches find a box as dense. Unlike the
//     box's own interval, which is computed on the points that chose the
//     box, this test counts PRIM's search for the densest box; a
//     condition that is pure noise gives no significant box (and a
//     warning).
//   - Rates against the unconditional rate. Every density is reported
//     beside the unconditional rate with its interval, and as a lift.
//
// Quasi-p-values (Bryant & Lempert 2010) test each restricted
// parameter: with one run per point, EMA Workbench's one-sided binomial
// test of the box's hits against the rate of the same box without that
// parameter's restriction; with replicates, whose runs share a point's
// parameters and are not independent trials, a one-sided z-test of the
// box's mean point rate against that rate. They are conditional on the
// box found and therefore optimistic; a large one marks a restriction
// that adds little. A bootstrap of the points (each resampled point
// with all its runs) reruns the search and reports how often each
// parameter is restricted, the spread of the limits and how far the
// resampled boxes hold the same points.
//
// # Determinism
//
// Results depend only on the data and the Config: permutations and
// resamples draw from streams of (Seed, task), their results are stored
// by task, and CART's folds come from Seed.
//
// References: Friedman, J. H. & Fisher, N. I. (1999), "Bump hunting in
// high-dimensional data", Statistics and Computing 9:123–143; Bryant, B.
// P. & Lempert, R. J. (2010), "Thinking inside the box: a participatory,
// computer-assisted approach to scenario discovery", Technological
// Forecasting & Social Change 77:34–49; Kwakkel, J. H. (2017), "The
// Exploratory Modeling Workbench", Environmental Modelling & Software
// 96:239–250; Breiman, L., Friedman, J. H., Olshen, R. A. & Stone, C. J.
// (1984), Classification and Regression Trees, Wadsworth.
package discover
