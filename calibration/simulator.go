package calibration

import (
	"sync"

	"github.com/geosim/geosim/sim"
)

// Simulator simulates histories of a window: given values of the fitted
// parameters and a stream key, one history from the fitting window's
// start to the window's end, and its statistics. Parameters that are not
// fitted — the template's other uncertain parameters, the values of
// uncertain dated overrides — are drawn from their distributions in each
// history (they are marginalised, not fixed). It implements
// abc.Simulator and is safe for concurrent use.
type Simulator struct {
	w    *Window
	pool sync.Pool
}

type worker struct {
	ws   *sim.Workspace
	vals []float64
	src  historySource
}

// NewSimulator returns the simulator of a window of the plan.
func NewSimulator(w *Window) *Simulator {
	s := &Simulator{w: w}
	s.pool.New = func() any {
		ws := sim.NewWorkspace(w.Model)
		return &worker{ws: ws, vals: make([]float64, len(w.Model.Uncertain())), src: historySource{out: &ws.Out, lay: w.lay}}
	}
	return s
}

// Simulate runs the history selected by key at the fitted values theta
// (in the plan's parameter order) and returns its statistics. The same
// theta and key always give the same statistics.
func (s *Simulator) Simulate(theta []float64, key uint64) ([]float64, error) {
	wk := s.pool.Get().(*worker)
	defer s.pool.Put(wk)
	s.Run(wk.ws, wk.vals, theta, key)
	out := make([]float64, len(s.w.ins))
	compute(s.w.ins, &wk.src, out)
	return out, nil
}

// Run simulates the history of (theta, key) in ws, whose output then
// holds it; vals is scratch space of one value per uncertain parameter.
func (s *Simulator) Run(ws *sim.Workspace, vals, theta []float64, key uint64) {
	ws.Sample(key, 0)
	copy(vals, ws.Out.Params)
	for i, k := range s.w.fit {
		vals[k] = theta[i]
	}
	ws.SetParams(vals)
	ws.Simulate(key, 0)
}
