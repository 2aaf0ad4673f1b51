package abc

import (
	"errors"
	"fmt"
	"math"

	"github.com/geosim/geosim/sim/dist"
)

// Param is a parameter to fit.
type Param struct {
	// Name is the parameter's path as a scenario writes it, e.g.
	// "actor.DPRK.rationality"; it heads its posterior.csv column.
	Name string
	// Prior is the parameter's prior distribution. Every draw, and every
	// posterior particle, lies in its support. A fixed prior is an error:
	// there is nothing to fit.
	Prior dist.Dist
}

// Simulator simulates one synthetic history at the parameter values
// theta (one per Param, in order) and returns its summary statistics,
// as many as Problem.Observed has and in the same order. key selects
// the history's random stream: the same (theta, key) must give the same
// statistics, and nothing else may be random. Simulate is called from
// several goroutines at once.
type Simulator interface {
	Simulate(theta []float64, key uint64) ([]float64, error)
}

// SimulatorFunc adapts a function to the Simulator interface.
type SimulatorFunc func(theta []float64, key uint64) ([]float64, error)

// Simulate calls f(theta, key).
func (f SimulatorFunc) Simulate(theta []float64, key uint64) ([]float64, error) {
	return f(theta, key)
}

// Problem is what to calibrate: parameters with priors, a simulator of
// summary statistics and the observed values of those statistics.
type Problem struct {
	Params    []Param
	Simulator Simulator
	// Observed holds the observed summary statistics, all finite.
	Observed []float64
	// Stats names the statistics for reports (e.g. "launch_months_2017");
	// nil names them stat0, stat1, ...
	Stats []string
}

// statNames returns Stats, or generated names when it is nil.
func (p *Problem) statNames() []string {
	if p.Stats != nil {
		return p.Stats
	}
	names := make([]string, len(p.Observed))
	for k := range names {
		names[k] = p.statName(k)
	}
	return names
}

// validate reports every problem with p at once.
func (p *Problem) validate() error {
	var errs []error
	if len(p.Params) == 0 {
		errs = append(errs, errors.New("abc: no parameters to fit"))
	}
	seen := map[string]bool{}
	for i, par := range p.Params {
		name := par.Name
		if name == "" {
			name = fmt.Sprintf("#%d", i)
			errs = append(errs, fmt.Errorf("abc: parameter %d has no name", i))
		}
		if seen[par.Name] && par.Name != "" {
			errs = append(errs, fmt.Errorf("abc: parameter %s is listed twice", name))
		}
		seen[par.Name] = true
		if par.Name == WeightColumn {
			errs = append(errs, fmt.Errorf("abc: parameter name %q is reserved for the weight column", WeightColumn))
		}
		switch {
		case par.Prior == nil:
			errs = append(errs, fmt.Errorf("abc: parameter %s has no prior", name))
		case dist.IsFixed(par.Prior):
			errs = append(errs, fmt.Errorf("abc: parameter %s has a fixed prior (%s): nothing to fit", name, par.Prior))
		default:
			if err := par.Prior.Validate(); err != nil {
				errs = append(errs, fmt.Errorf("abc: parameter %s: prior %s: %w", name, par.Prior.Kind(), err))
			} else if lo, hi := par.Prior.Support(); lo == hi {
				errs = append(errs, fmt.Errorf("abc: parameter %s: prior %s takes a single value: nothing to fit", name, par.Prior))
			}
		}
	}
	if p.Simulator == nil {
		errs = append(errs, errors.New("abc: no simulator"))
	}
	if len(p.Observed) == 0 {
		errs = append(errs, errors.New("abc: no observed statistics"))
	}
	for k, v := range p.Observed {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			errs = append(errs, fmt.Errorf("abc: observed statistic %s is %v: must be finite", p.statName(k), v))
		}
	}
	if p.Stats != nil && len(p.Stats) != len(p.Observed) {
		errs = append(errs, fmt.Errorf("abc: %d statistic names for %d observed statistics", len(p.Stats), len(p.Observed)))
	}
	return errors.Join(errs...)
}

func (p *Problem) statName(k int) string {
	if p.Stats != nil && k < len(p.Stats) {
		return p.Stats[k]
	}
	return fmt.Sprintf("stat%d", k)
}

// paramNames returns the parameters' names in order.
func (p *Problem) paramNames() []string {
	names := make([]string, len(p.Params))
	for i, par := range p.Params {
		names[i] = par.Name
	}
	return names
}

// theta maps a point u of the unit cube to parameter values, one
// quantile per parameter, writing into theta.
func (p *Problem) theta(u, theta []float64) {
	for i, par := range p.Params {
		theta[i] = par.Prior.Quantile(u[i])
	}
}
