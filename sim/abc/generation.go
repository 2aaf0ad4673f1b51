package abc

import (
	"encoding/json"
	"math"
)

// Generation describes one generation of a calibration.
type Generation struct {
	// Index is 0 for the prior pilot, 1, 2, … after.
	Index int
	// Tolerance ε_t: particles have distance ≤ ε_t (+Inf for the pilot,
	// written as null in JSON).
	Tolerance float64
	// Simulations is the number of data sets simulated for the proposals
	// up to and including the N-th acceptance (or, for an abandoned
	// generation, the cap), M per proposal with Config.PseudoSamples M:
	// the cost of the generation, independent of the number of workers.
	Simulations int64
	// Accepted is the number of particles accepted: N, unless abandoned.
	Accepted int
	// AcceptanceRate is Accepted / proposals (Simulations / M).
	AcceptanceRate float64
	// ESS is the effective sample size of the generation's weights.
	ESS float64
	// Resampled says whether the previous population was resampled
	// (its ESS fell below the threshold) before parents were drawn.
	Resampled bool
}

type generationJSON struct {
	Index          int      `json:"generation"`
	Tolerance      *float64 `json:"tolerance"`
	Simulations    int64    `json:"simulations"`
	Accepted       int      `json:"accepted"`
	AcceptanceRate float64  `json:"acceptance_rate"`
	ESS            float64  `json:"ess"`
	Resampled      bool     `json:"resampled"`
}

// MarshalJSON writes the generation with an infinite tolerance as null.
func (g Generation) MarshalJSON() ([]byte, error) {
	j := generationJSON{Index: g.Index, Simulations: g.Simulations, Accepted: g.Accepted, AcceptanceRate: g.AcceptanceRate, ESS: g.ESS, Resampled: g.Resampled}
	if !math.IsInf(g.Tolerance, 0) && !math.IsNaN(g.Tolerance) {
		tol := g.Tolerance
		j.Tolerance = &tol
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads a null tolerance as +Inf.
func (g *Generation) UnmarshalJSON(b []byte) error {
	var j generationJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*g = Generation{Index: j.Index, Tolerance: math.Inf(1), Simulations: j.Simulations, Accepted: j.Accepted, AcceptanceRate: j.AcceptanceRate, ESS: j.ESS, Resampled: j.Resampled}
	if j.Tolerance != nil {
		g.Tolerance = *j.Tolerance
	}
	return nil
}
