package abc

import (
	"math"
)

// Summary is a calibration's summary.json: per parameter the prior and
// the posterior (mean with its Monte Carlo standard error, sd, median,
// 90% interval), per statistic its observed value and scale, per
// generation its tolerance, acceptance rate, simulations and effective
// sample size, and the settings and provenance. It holds only
// deterministic values: the same calibration gives the same bytes.
type Summary struct {
	Method      string         `json:"method"`
	Provenance  any            `json:"provenance,omitempty"`
	Settings    SummaryConfig  `json:"settings"`
	Params      []ParamSummary `json:"parameters"`
	Stats       []StatSummary  `json:"statistics"`
	Generations []Generation   `json:"generations"`
	Abandoned   *Generation    `json:"abandoned_generation,omitempty"`
	Simulations int64          `json:"simulations"`
	Particles   int            `json:"particles"`
	ESS         float64        `json:"ess"`
	Stop        string         `json:"stop"`
	Warnings    []string       `json:"warnings"`
}

// SummaryConfig records the settings of a calibration.
type SummaryConfig struct {
	Particles      int       `json:"particles"`
	PseudoSamples  int       `json:"pseudo_samples"`
	Seed           uint64    `json:"seed"`
	Quantile       float64   `json:"tolerance_quantile"`
	Kernel         Kernel    `json:"kernel"`
	Scale          Scale     `json:"scale"`
	Weights        []float64 `json:"statistic_weights,omitempty"`
	ResampleBelow  float64   `json:"resample_below_ess_fraction"`
	Generations    int       `json:"max_generations"`
	MinTolerance   float64   `json:"min_tolerance"`
	MinAcceptance  float64   `json:"min_acceptance_rate"`
	MaxSimulations int64     `json:"max_simulations"`
	SimulatorID    string    `json:"simulator_id,omitempty"`
}

// ParamSummary compares a parameter's prior and posterior.
type ParamSummary struct {
	Name  string `json:"name"`
	Prior string `json:"prior"`
	// PriorMean and PriorInterval90 (5% and 95% quantiles) are exact.
	PriorMean       float64    `json:"prior_mean"`
	PriorInterval90 [2]float64 `json:"prior_interval90"`
	// PosteriorMean is the weighted particle mean; PosteriorMeanSE its
	// Monte Carlo standard error, sd/√ESS.
	PosteriorMean   float64 `json:"posterior_mean"`
	PosteriorMeanSE float64 `json:"posterior_mean_se"`
	PosteriorSD     float64 `json:"posterior_sd"`
	PosteriorMedian float64 `json:"posterior_median"`
	// PosteriorInterval90 holds the weighted 5% and 95% quantiles of
	// the particles: the central 90% credible interval.
	PosteriorInterval90 [2]float64 `json:"posterior_interval90"`
}

// StatSummary describes a summary statistic.
type StatSummary struct {
	Name     string  `json:"name"`
	Observed float64 `json:"observed"`
	// Scale divides the statistic's difference in the distance; Weight
	// multiplies its square (0: left out).
	Scale  float64 `json:"scale"`
	Weight float64 `json:"weight"`
	// AcceptedMean is the weighted mean of the statistic over the final
	// particles' own simulations — close to Observed when the fit is
	// good. It is not a posterior predictive check (those simulations
	// were selected for being close).
	AcceptedMean float64 `json:"accepted_mean"`
}

// Method describes the algorithm in summaries.
const Method = "ABC-SMC (population Monte Carlo, Beaumont et al. 2009) with tolerance = quantile of the previous distances"

// Summarize summarises a result. provenance, when not nil, is written as
// is under "provenance" (tool version, files and their hashes: the
// caller's to choose; keep it deterministic).
func Summarize(r *Result, provenance any) *Summary {
	c := r.Config
	w := r.Weights()
	ess := ESS(w)
	s := &Summary{
		Method: Method, Provenance: provenance,
		Settings: SummaryConfig{
			Particles: c.Particles, PseudoSamples: c.PseudoSamples, Seed: c.Seed, Quantile: c.Quantile, Kernel: c.Kernel, Scale: c.Scale,
			Weights: c.Weights, ResampleBelow: c.ResampleBelow, Generations: c.Generations,
			MinTolerance: c.MinTolerance, MinAcceptance: c.MinAcceptance, MaxSimulations: c.MaxSimulations,
			SimulatorID: c.SimulatorID,
		},
		Generations: r.Generations, Abandoned: r.Abandoned, Simulations: r.Simulations,
		Particles: len(r.Particles), ESS: ess, Stop: r.Stop, Warnings: r.Warnings,
	}
	if s.Warnings == nil {
		s.Warnings = []string{}
	}
	for i, par := range r.Params {
		x := r.Column(i)
		sd := WeightedSD(x, w)
		s.Params = append(s.Params, ParamSummary{
			Name: par.Name, Prior: par.Prior.String(),
			PriorMean:           par.Prior.Mean(),
			PriorInterval90:     [2]float64{par.Prior.Quantile(0.05), par.Prior.Quantile(0.95)},
			PosteriorMean:       WeightedMean(x, w),
			PosteriorMeanSE:     sd / math.Sqrt(ess),
			PosteriorSD:         sd,
			PosteriorMedian:     WeightedQuantile(x, w, 0.5),
			PosteriorInterval90: [2]float64{WeightedQuantile(x, w, 0.05), WeightedQuantile(x, w, 0.95)},
		})
	}
	for k, name := range r.Stats {
		x := make([]float64, len(r.Particles))
		for i, pt := range r.Particles {
			x[i] = pt.Stats[k]
		}
		s.Stats = append(s.Stats, StatSummary{
			Name: name, Observed: r.Observed[k], Scale: r.Scales[k], Weight: r.StatWeights[k],
			AcceptedMean: WeightedMean(x, w),
		})
	}
	return s
}
