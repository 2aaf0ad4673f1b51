package sim

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/geosim/geosim/sim/dist"
)

// The compiled model in the form scripts/numpy_model.py reads: slots,
// decisions, keys and the rest of what the engine works from, so that an
// independent implementation of MODEL.md can run the same model on the
// same random numbers (docs/BENCHMARKS.md, the numpy comparison). 64-bit
// keys are decimal strings.
type comparisonJSON struct {
	N, K, Steps, Replicates, PreSteps, BurnIn int
	Seed                                      string
	Base                                      []float64
	Uncertain                                 []compUncertain
	Model0, Actor0, Action0                   int
	Trade0, Stance0, Stake0                   int
	Incentive                                 []int
	Broadcast                                 []bool
	Choice                                    []compDecision
	Joints                                    []compJoint
	Hazards                                   []compHazard
	Links                                     []compLink
	Signals                                   []compSignal
	Shocks                                    []compShock
	Calendar                                  []compOccasion
	CalAt                                     [][]int
	Outcomes                                  []compOutcome
	Events                                    []compEvent
	Series                                    []compSeries
	MonthKeys                                 []string
}

type compUncertain struct {
	Slot int
	Key  string
	Kind string
	Args []float64
}

type compDecision struct {
	I, J int
	Opts []int
	Key  string
}

type compJoint struct {
	I, J                                 int
	Opts                                 []int
	ProposeI, ProposeJ, AcceptI, AcceptJ string
}

type compCov struct {
	Kind       string
	A, B, Coef int
}

type compHazard struct {
	I, J  int
	Opts  []int
	Rates []int
	Covs  [][]compCov
	Key   string
}

type compLink struct {
	From, To, Holder, Obj, Weight int
	Sign                          float64
}

type compSignal struct{ Step, From, To, Scale, Cred int }

type compEffect struct {
	Op            string
	Target, Value int
	Min, Max      float64
}

type compShock struct {
	Hazard, Month int
	Key           string
	Covs          []compCov
	Effects       []compEffect
	Signals       []compSignal
}

type compOccasion struct {
	Targets []int
	Value   int
	Hazard  bool
}

type compOutcome struct {
	Name                             string
	Kind, Stat                       string
	A, B, AtK, Actor, Action, Target int
	From, By                         int
}

type compEvent struct {
	Name                 string
	Kind                 string
	A, B, Action, Target int
	Directed, Below      bool
	Level                float64
	Shock, From, By      int
}

type compSeries struct {
	Name string
	Kind string
	A, B int
}

func key(k uint64) string { return strconv.FormatUint(k, 10) }

func covsJSON(cs []covariate) []compCov {
	out := []compCov{}
	for _, c := range cs {
		out = append(out, compCov{Kind: string(c.kind), A: c.a, B: c.b, Coef: c.coef})
	}
	return out
}

func signalJSON(s signal) compSignal {
	return compSignal{Step: s.step, From: s.from, To: s.to, Scale: s.scale, Cred: s.cred}
}

func comparisonOf(m *Model) (*comparisonJSON, error) {
	if m.post != nil || m.burnIn > 0 {
		return nil, fmt.Errorf("the comparison model has no posterior and no burn-in")
	}
	c := &comparisonJSON{N: m.n, K: len(m.actionIDs), Steps: m.steps, Replicates: m.replicates, PreSteps: m.preSteps,
		Seed: key(m.sc.Seed), Base: m.base, Model0: m.modelSlot0, Actor0: m.actorSlot0, Action0: m.actionSlot0,
		Trade0: m.tradeSlot0, Stance0: m.stanceSlot0, Stake0: m.stakeSlot0, Incentive: m.incentive, Broadcast: m.broadcast, CalAt: m.calAt}
	for _, i := range m.uncertain {
		u := compUncertain{Slot: i, Key: key(m.params[i].key)}
		switch d := m.params[i].Dist.(type) {
		case dist.Uniform:
			u.Kind, u.Args = "uniform", []float64{d.Min, d.Max}
		case dist.Triangular:
			u.Kind, u.Args = "triangular", []float64{d.Min, d.Mode, d.Max}
		default:
			return nil, fmt.Errorf("%s: the comparison implements uniform and triangular distributions only", m.params[i].Path)
		}
		c.Uncertain = append(c.Uncertain, u)
	}
	pl := &m.plan
	for _, g := range pl.choice {
		for d := 0; d < g.n; d++ {
			cd := compDecision{I: int(g.actor[d]), J: int(g.ij[d]) % m.n, Key: key(g.key[d])}
			for k := 0; k < g.nopt; k++ {
				cd.Opts = append(cd.Opts, int(g.acts[k*g.np+d]))
			}
			c.Choice = append(c.Choice, cd)
		}
	}
	for _, j := range pl.joints {
		c.Joints = append(c.Joints, compJoint{I: j.i, J: j.j, Opts: j.opts, ProposeI: key(j.proposeI), ProposeJ: key(j.proposeJ), AcceptI: key(j.acceptI), AcceptJ: key(j.acceptJ)})
	}
	for _, h := range pl.hazards {
		ch := compHazard{I: h.i, J: h.j, Opts: h.opts, Key: key(h.key)}
		for _, d := range h.decl {
			ch.Rates = append(ch.Rates, m.hazardDecls[d].rate)
			ch.Covs = append(ch.Covs, covsJSON(m.hazardDecls[d].covs))
		}
		c.Hazards = append(c.Hazards, ch)
	}
	for _, l := range m.links {
		c.Links = append(c.Links, compLink{From: l.from, To: l.to, Holder: l.holder, Obj: l.obj, Weight: l.weight, Sign: l.sign})
	}
	for _, s := range m.signals {
		c.Signals = append(c.Signals, signalJSON(s))
	}
	for _, s := range m.shocks {
		cs := compShock{Hazard: s.hazard, Month: s.month, Key: key(s.key), Covs: covsJSON(s.covs)}
		for _, e := range s.effects {
			f := m.params[e.target].Field
			cs.Effects = append(cs.Effects, compEffect{Op: string(e.op), Target: e.target, Value: e.value, Min: f.Min, Max: f.Max})
		}
		for _, sg := range s.signals {
			cs.Signals = append(cs.Signals, signalJSON(sg))
		}
		c.Shocks = append(c.Shocks, cs)
	}
	for _, o := range m.calendar {
		c.Calendar = append(c.Calendar, compOccasion{Targets: o.targets, Value: o.value, Hazard: o.hazard})
	}
	for _, o := range m.outcomes {
		c.Outcomes = append(c.Outcomes, compOutcome{Name: o.info.Name, Kind: string(o.kind), Stat: string(o.stat), A: o.a, B: o.b, AtK: o.atK,
			Actor: o.actor, Action: o.action, Target: o.target, From: o.from, By: o.by})
	}
	for _, e := range m.events {
		c.Events = append(c.Events, compEvent{Name: e.info.Name, Kind: string(e.kind), A: e.a, B: e.b, Action: e.action, Target: e.target,
			Directed: e.directed, Below: e.below, Level: e.level, Shock: e.shock, From: e.from, By: e.by})
	}
	for _, s := range m.series {
		c.Series = append(c.Series, compSeries{Name: s.info.Name, Kind: string(s.kind), A: s.a, B: s.b})
	}
	for _, k := range m.monthKey {
		c.MonthKeys = append(c.MonthKeys, key(k))
	}
	return c, nil
}

// ComparisonJSON returns the compiled model in the form
// scripts/numpy_model.py reads, after checking that its decisions are the
// plan's and carry the engine's keys. For tests (export to sim_test).
func ComparisonJSON(m *Model) ([]byte, error) {
	c, err := comparisonOf(m)
	if err != nil {
		return nil, err
	}
	decisions := 0
	for _, g := range m.plan.choice {
		decisions += g.n
	}
	if len(c.Choice) != decisions || len(c.Joints) != len(m.plan.joints) || len(c.MonthKeys) != m.steps {
		return nil, fmt.Errorf("%d choice decisions, %d joint, %d month keys", len(c.Choice), len(c.Joints), len(c.MonthKeys))
	}
	for _, d := range c.Choice {
		ch := m.channels[m.channelOf[d.Opts[0]]].name
		want := decisionKey("choose", m.actorIDs[d.I], m.actorIDs[d.J], ch)
		if d.I == d.J {
			want = decisionKey("choose", m.actorIDs[d.I], ch)
		}
		if d.Key != key(want) {
			return nil, fmt.Errorf("decision %d→%d: key %s, want %d", d.I, d.J, d.Key, want)
		}
	}
	return json.Marshal(c)
}
