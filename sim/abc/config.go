package abc

import (
	"errors"
	"fmt"
	"math"
	"runtime"
)

// Kernel names a perturbation kernel.
type Kernel string

const (
	// KernelMultivariate perturbs with a multivariate normal whose
	// covariance is twice the weighted covariance of the previous
	// population (Beaumont et al. 2009; Filippi et al. 2013): it follows
	// correlated posteriors.
	KernelMultivariate Kernel = "multivariate"
	// KernelComponentwise perturbs each coordinate independently with
	// twice its weighted variance (Beaumont et al. 2009).
	KernelComponentwise Kernel = "componentwise"
)

// Scale names how statistics are scaled in the distance.
type Scale string

const (
	// ScaleMAD divides each statistic by its median absolute deviation
	// over the prior-predictive pilot (generation 0), falling back to the
	// standard deviation when the MAD is zero (a rare event that most
	// pilot histories never see).
	ScaleMAD Scale = "mad"
	// ScaleSD divides each statistic by its pilot standard deviation.
	ScaleSD Scale = "sd"
	// ScaleNone leaves statistics as they are (scale 1): for statistics
	// the caller has already put on a common scale, such as the units of
	// their own sampling noise. The prior predictive's spread, which
	// ScaleMAD and ScaleSD use, makes a heavy-tailed rare-event count
	// (mostly 0, sometimes every month) nearly weightless.
	ScaleNone Scale = "none"
)

// Stopping reasons, as recorded in Result.Stop.
const (
	StopGenerations    = "generations"     // Config.Generations reached
	StopMinTolerance   = "min_tolerance"   // the tolerance reached Config.MinTolerance
	StopMinAcceptance  = "min_acceptance"  // a generation's acceptance rate fell below Config.MinAcceptance
	StopMaxSimulations = "max_simulations" // the simulation budget ran out
	StopStalled        = "tolerance_stalled"
)

// Config controls a calibration. Zero values select the documented
// defaults.
type Config struct {
	// Particles is the population size N; 0 means 1000.
	Particles int
	// PseudoSamples is the number M of data sets simulated per proposal
	// (Del Moral, Doucet & Jasra 2012): a proposal is accepted when at
	// least one of its M distances is within the tolerance, and its
	// importance weight is multiplied by the share K/M that are — an
	// unbiased estimate of the ABC likelihood, so the posterior targeted
	// is the one of M = 1, with less noisy weights at M times the cost
	// per proposal. Averaging the M statistics instead would target
	// another, narrower posterior (docs/CALIBRATION.md). 0 means 1.
	PseudoSamples int
	// Seed selects every random stream.
	Seed uint64
	// Workers is the number of goroutines; 0 means GOMAXPROCS. Results do
	// not depend on it.
	Workers int

	// Quantile α in (0, 1) sets the tolerance schedule: the tolerance of
	// generation t is the weighted α-quantile of the distances of
	// generation t−1's particles. 0 means 0.5.
	Quantile float64
	// Kernel is the perturbation kernel; "" means KernelMultivariate.
	Kernel Kernel
	// Scale is how statistics are scaled in the distance; "" means
	// ScaleMAD.
	Scale Scale
	// Weights, when not nil, weighs each statistic's squared scaled
	// difference in the distance (≥ 0, one per statistic); nil weighs all
	// equally.
	Weights []float64
	// ResampleBelow is the effective sample size, as a fraction of N,
	// under which a population is resampled (systematic resampling)
	// before the next generation draws its parents from it. 0 means 0.5;
	// a negative value never resamples.
	ResampleBelow float64

	// Generations is the largest number of generations after the prior
	// pilot (generation 0); 0 means 10.
	Generations int
	// MinTolerance stops the calibration after the first generation whose
	// tolerance is at most MinTolerance; the schedule never goes below
	// it. 0 means no floor.
	MinTolerance float64
	// MinAcceptance in (0, 1) is the acceptance-rate floor (Lenormand et
	// al. 2013): a generation that has not accepted N particles after
	// ⌈N / MinAcceptance⌉ proposals is abandoned and the calibration
	// returns the previous population. It also bounds the cost of every
	// generation. 0 means 0.01.
	MinAcceptance float64
	// MaxSimulations, when > 0, bounds the total number of simulations;
	// a generation that would exceed it is abandoned as above.
	MaxSimulations int64

	// SimulatorID identifies the simulator and the data it was fed (e.g.
	// the scenario's and the record's SHA-256, the tool version). It
	// enters the settings a state file is checked against, so that a
	// state made with another model is never resumed.
	SimulatorID string
	// StateFile, when not empty, is where the state is saved after each
	// generation (atomically). If it exists when Run starts, Run checks
	// its content hash and settings and continues from it.
	StateFile string
	// Progress, when not nil, is called from one goroutine after each
	// simulation and at the end of each generation.
	Progress func(Progress)
}

// MaxPseudoSamples bounds Config.PseudoSamples.
const MaxPseudoSamples = 1000

// Progress is a calibration's state for a progress bar.
type Progress struct {
	Generation  int     // current generation (0 is the prior pilot)
	Tolerance   float64 // its tolerance (+Inf for the pilot)
	Accepted    int     // particles accepted so far in this generation
	Particles   int     // N
	Simulations int64   // simulations used so far in this generation (proposals × pseudo-samples)
	Total       int64   // simulations used so far in the calibration
	Done        bool    // the generation is complete
}

// withDefaults returns c with zero values replaced by the defaults.
func (c Config) withDefaults() Config {
	if c.Particles == 0 {
		c.Particles = 1000
	}
	if c.PseudoSamples == 0 {
		c.PseudoSamples = 1
	}
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	if c.Quantile == 0 {
		c.Quantile = 0.5
	}
	if c.Kernel == "" {
		c.Kernel = KernelMultivariate
	}
	if c.Scale == "" {
		c.Scale = ScaleMAD
	}
	if c.ResampleBelow == 0 {
		c.ResampleBelow = 0.5
	}
	if c.Generations == 0 {
		c.Generations = 10
	}
	if c.MinAcceptance == 0 {
		c.MinAcceptance = 0.01
	}
	return c
}

// validate reports every invalid setting at once; stats is the number of
// statistics.
func (c Config) validate(stats int) error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf("abc: "+format, args...)) }
	if c.Particles < 2 {
		bad("particles must be at least 2, got %d", c.Particles)
	}
	if c.PseudoSamples < 1 || c.PseudoSamples > MaxPseudoSamples {
		bad("pseudo-samples must be between 1 and %d, got %d", MaxPseudoSamples, c.PseudoSamples)
	}
	if !(c.Quantile > 0 && c.Quantile < 1) {
		bad("quantile must be in (0, 1), got %g", c.Quantile)
	}
	if c.Kernel != KernelMultivariate && c.Kernel != KernelComponentwise {
		bad("kernel must be %q or %q, got %q", KernelMultivariate, KernelComponentwise, c.Kernel)
	}
	if c.Scale != ScaleMAD && c.Scale != ScaleSD && c.Scale != ScaleNone {
		bad("scale must be %q, %q or %q, got %q", ScaleMAD, ScaleSD, ScaleNone, c.Scale)
	}
	if c.Weights != nil {
		if len(c.Weights) != stats {
			bad("%d statistic weights for %d statistics", len(c.Weights), stats)
		}
		positive := false
		for k, w := range c.Weights {
			if !(w >= 0) || math.IsInf(w, 0) {
				bad("weight of statistic %d must be finite and >= 0, got %g", k, w)
			}
			positive = positive || w > 0
		}
		if !positive {
			bad("statistic weights must not all be zero")
		}
	}
	if math.IsNaN(c.ResampleBelow) {
		bad("resample threshold must be a number")
	}
	if c.Generations < 0 {
		bad("generations must be >= 0, got %d", c.Generations)
	}
	if !(c.MinTolerance >= 0) || math.IsInf(c.MinTolerance, 0) {
		bad("minimum tolerance must be finite and >= 0, got %g", c.MinTolerance)
	}
	if !(c.MinAcceptance > 0 && c.MinAcceptance < 1) {
		bad("minimum acceptance rate must be in (0, 1), got %g", c.MinAcceptance)
	}
	if c.MaxSimulations < 0 {
		bad("maximum simulations must be >= 0, got %d", c.MaxSimulations)
	}
	return errors.Join(errs...)
}
