package calibration

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/geosim/geosim/backtest"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/abc"
	"github.com/geosim/geosim/sim/dist"
)

// Plan is a checked calibration ready to run: the parameters with their
// priors, and for the fitting window (and the held-out window, if any)
// the statistics, their observed values and the history model they are
// computed from.
type Plan struct {
	Spec    *Spec
	Params  []abc.Param // fitted parameters with their priors, in file order
	Sources []string    // per parameter: the prior's source
	Events  []EventRef  // the model events the statistics use
	Joint   []bool      // per event: a joint action, held by both
	Fit     *Window
	Holdout *Window // nil without a held-out window
	// Context lists the dated overrides and how each enters a simulated
	// history.
	Context  []ContextEntry
	Warnings []string
}

// Window is the statistics of one window and the model they are
// computed from.
type Window struct {
	From, To sim.Month
	Stats    []StatInfo
	Observed []float64
	// Model simulates a history from the fitting window's start (after
	// the burn-in) to this window's end, with the fitted parameters
	// uncertain (their priors) so that a simulator can set them.
	Model *sim.Model
	ins   []instance
	lay   *layout
	fit   []int // per fitted parameter: its position in Model.Uncertain()
}

// ContextEntry says how a dated override enters the simulated histories.
type ContextEntry struct {
	Name  string
	Date  time.Time
	Month sim.Month // the first month it is known in: the month after Date's
	// AtStart: it is known before the window starts and applies from the
	// first month; otherwise it is a shock that sets its values in Month.
	AtStart     bool
	Set         []string // parameter paths, sorted
	Description string
	Source      string
}

// Limits.
const (
	MaxBlockMonths = 120
	MaxHistories   = 64
)

type preparer struct {
	spec     *Spec
	probs    sim.Problems
	probe    *sim.Model
	refs     []EventRef
	joint    []bool
	statRefs [][2]int
	overs    []backtest.Override // every override, by date
	fitPaths map[string]bool
}

func (p *preparer) add(path, format string, args ...any) {
	p.probs = append(p.probs, &sim.Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
}

// Prepare checks a spec and builds its plan. Every problem is reported
// at once, as sim.Problems located by the key path of the calibration
// file ("calibration.fit_to", "parameter.PATH.prior", "statistic.NAME").
func Prepare(spec *Spec) (*Plan, error) {
	p := &preparer{spec: spec, fitPaths: map[string]bool{}}
	spec.withDefaults()
	p.check()
	plan := &Plan{Spec: spec, Events: p.refs, Joint: p.joint}
	if p.probe != nil {
		p.params(plan)
		p.context(plan)
	}
	if len(p.probs) > 0 {
		return nil, p.probs
	}
	fitFrom, fitTo := sim.MonthOf(spec.FitFrom), sim.MonthOf(spec.FitTo)
	plan.Fit = p.window(plan, fitFrom, fitTo, spec.BlockMonths, "fitting")
	if !spec.HoldoutFrom.IsZero() {
		plan.Holdout = p.window(plan, sim.MonthOf(spec.HoldoutFrom), sim.MonthOf(spec.HoldoutTo), spec.HoldoutBlockMonths, "held-out")
	}
	if len(p.probs) > 0 {
		return nil, p.probs
	}
	if len(plan.Fit.Stats) == 0 {
		p.add("statistic", "no statistic has months inside the fitting window %s to %s", fitFrom, fitTo)
		return nil, p.probs
	}
	return plan, nil
}

func (s *Spec) withDefaults() {
	if s.BlockMonths == 0 {
		s.BlockMonths = DefaultBlockMonths
	}
	if s.HoldoutBlockMonths == 0 {
		s.HoldoutBlockMonths = s.BlockMonths
	}
	if s.Histories == 0 {
		s.Histories = 1
	}
	if s.Particles == 0 {
		s.Particles = DefaultParticles
	}
	if s.Generations == 0 {
		s.Generations = DefaultGenerations
	}
	if s.PredictiveDraws == 0 {
		s.PredictiveDraws = DefaultPredictiveDraws
	}
	if s.Summaries == "" {
		s.Summaries = SummariesStatistics
	}
	if s.RegressionPilot == 0 {
		s.RegressionPilot = DefaultRegressionPilot
	}
	for i := range s.Statistics {
		if s.Statistics[i].Kind == "" {
			s.Statistics[i].Kind = KindMonths
		}
		if s.Statistics[i].Per == "" {
			s.Statistics[i].Per = PerBlock
		}
	}
}

// recordMonths returns the months the record covers wholly: its start to
// the last month that ends by the cut-off.
func recordMonths(bt *backtest.Spec) (sim.Month, sim.Month) {
	last := sim.MonthOf(bt.Cutoff)
	if bt.Cutoff.AddDate(0, 0, 1).Day() != 1 {
		last--
	}
	return sim.MonthOf(bt.RecordStart), last
}

func (p *preparer) check() {
	s := p.spec
	bt := s.Backtest
	if bt == nil || bt.Template == nil || bt.Record == nil {
		p.add("calibration.backtest", "a calibration needs the backtest whose template, record and mapping it uses")
		return
	}
	first, last := recordMonths(bt)
	p.checkWindow("fit", s.FitFrom, s.FitTo, first, last, true)
	if !s.HoldoutFrom.IsZero() || !s.HoldoutTo.IsZero() {
		if p.checkWindow("holdout", s.HoldoutFrom, s.HoldoutTo, first, last, false) && !s.FitFrom.IsZero() && s.HoldoutFrom.Before(s.FitFrom) {
			p.add("calibration.holdout_from", "the held-out window must start after the fitting window's start (%s): its histories continue those of the fit", s.FitFrom.Format(time.DateOnly))
		}
	}
	if s.BlockMonths < 1 || s.BlockMonths > MaxBlockMonths {
		p.add("calibration.block_months", "must be between 1 and %d, got %d", MaxBlockMonths, s.BlockMonths)
	}
	if s.HoldoutBlockMonths < 1 || s.HoldoutBlockMonths > MaxBlockMonths {
		p.add("calibration.holdout_block_months", "must be between 1 and %d, got %d", MaxBlockMonths, s.HoldoutBlockMonths)
	}
	if s.BurnIn < 0 || s.BurnIn > sim.MaxBurnIn {
		p.add("calibration.burn_in", "must be between 0 and %d months, got %d", sim.MaxBurnIn, s.BurnIn)
	}
	if s.Histories < 1 || s.Histories > MaxHistories {
		p.add("calibration.histories", "must be between 1 and %d, got %d", MaxHistories, s.Histories)
	}
	if s.Particles < 10 {
		p.add("calibration.particles", "must be at least 10, got %d", s.Particles)
	}
	if s.Generations < 1 {
		p.add("calibration.generations", "must be at least 1, got %d", s.Generations)
	}
	if !(s.Quantile >= 0 && s.Quantile < 1) {
		p.add("calibration.quantile", "must be in (0, 1), got %g", s.Quantile)
	}
	if !(s.MinAcceptance >= 0 && s.MinAcceptance < 1) {
		p.add("calibration.min_acceptance", "must be in (0, 1), got %g", s.MinAcceptance)
	}
	if s.MaxSimulations < 0 {
		p.add("calibration.max_simulations", "must be >= 0, got %d", s.MaxSimulations)
	}
	if s.Summaries != SummariesRegression && s.Summaries != SummariesStatistics {
		p.add("calibration.summaries", "unknown %q (use regression or statistics)", s.Summaries)
	}
	if s.RegressionPilot < 100 || s.RegressionPilot > 1_000_000 {
		p.add("calibration.regression_pilot", "must be between 100 and 1,000,000 simulations, got %d", s.RegressionPilot)
	}
	if s.PredictiveDraws < 1 {
		p.add("calibration.predictive_draws", "must be at least 1, got %d", s.PredictiveDraws)
	}
	if len(s.Statistics) == 0 {
		p.add("statistic", "a calibration needs at least one [statistic.NAME]")
	}
	if s.FitFrom.IsZero() {
		return
	}
	sc := *bt.Template
	sc.Start, sc.Steps, sc.BurnIn = sim.MonthOf(s.FitFrom).Time(), 1, 0
	sc.Outcomes, sc.Events, sc.Series, sc.Questions = nil, nil, nil, nil
	if len(sc.Actors) >= 2 { // something to measure, so that the probe compiles
		sc.Series = []sim.Series{{Name: "probe", Actors: [2]string{sc.Actors[0].ID, sc.Actors[1].ID}}}
	}
	m, err := sim.Compile(&sc)
	if err == nil && len(bt.TemplateOverrides) > 0 {
		m, err = m.With(bt.TemplateOverrides)
	}
	if err != nil {
		p.add("calibration.backtest", "the template does not compile: %v", err)
		return
	}
	p.probe = m
	p.checkStatistics()
}

// checkWindow checks one window's dates; it reports whether they are
// usable.
func (p *preparer) checkWindow(key string, from, to time.Time, first, last sim.Month, required bool) bool {
	ok := true
	switch {
	case from.IsZero() && required:
		p.add("calibration", "%s_from is required (the first day of a month)", key)
		ok = false
	case from.IsZero():
		p.add("calibration", "%s_to is given without %s_from", key, key)
		ok = false
	case from.Day() != 1:
		p.add("calibration."+key+"_from", "windows are months: write the first day, like %s-01", from.Format("2006-01"))
		ok = false
	}
	switch {
	case to.IsZero():
		p.add("calibration", "%s_to is required (the last day of a month)", key)
		ok = false
	case to.AddDate(0, 0, 1).Day() != 1:
		p.add("calibration."+key+"_to", "windows are whole months: write the last day of the month, like %s", sim.MonthOf(to).Time().AddDate(0, 1, -1).Format(time.DateOnly))
		ok = false
	}
	if !ok {
		return false
	}
	a, b := sim.MonthOf(from), sim.MonthOf(to)
	switch {
	case b < a:
		p.add("calibration."+key+"_to", "%s is before %s_from %s", to.Format(time.DateOnly), key, from.Format(time.DateOnly))
		return false
	case a < first:
		p.add("calibration."+key+"_from", "%s is before the record's start (%s)", from.Format(time.DateOnly), first)
		return false
	case b > last:
		p.add("calibration."+key+"_to", "%s is after the last whole month of the record (%s, cut-off %s): nothing later may be used",
			to.Format(time.DateOnly), last, p.spec.Backtest.Cutoff.Format(time.DateOnly))
		return false
	}
	return true
}

// action returns the template's action id, whether it is broadcast and
// whether it is decided jointly.
func (p *preparer) action(id string) (broadcast, joint, ok bool) {
	if !slices.Contains(p.probe.Actions(), id) {
		return false, false, false
	}
	mode := ""
	for _, a := range sim.Catalogue() {
		if a.ID == id {
			broadcast, mode = a.Broadcast, a.Mode
		}
	}
	// A scenario's entry changes a built-in action's mode only if it sets
	// one; a new action is the scenario's alone.
	for _, a := range p.spec.Backtest.Template.Actions {
		if a.ID == id {
			if !slices.ContainsFunc(sim.Catalogue(), func(c sim.Action) bool { return c.ID == id }) {
				broadcast = a.Broadcast
			}
			if a.Mode != "" {
				mode = a.Mode
			}
		}
	}
	return broadcast, mode == sim.ModeJoint, true
}

func (p *preparer) excluded(actor, action string) bool {
	for _, a := range p.probe.Scenario().Actors {
		if a.ID == actor {
			return slices.Contains(a.Exclude, action)
		}
	}
	return false
}

// ref checks an event reference and returns its index among the plan's
// events.
func (p *preparer) ref(path string, r EventRef) int {
	actors := p.probe.Actors()
	broadcast, joint, ok := p.action(r.Action)
	bad := false
	switch {
	case r.Action == "":
		p.add(path, "name the model action, like { action = \"weapons_test\", actor = \"DPRK\" }")
		return -1
	case !ok:
		p.add(path, "unknown action %q (the template's actions: %s)", r.Action, strings.Join(p.probe.Actions(), ", "))
		return -1
	}
	if !slices.Contains(actors, r.Actor) {
		p.add(path, "actor %q is not an actor of the template (%s)", r.Actor, strings.Join(actors, ", "))
		bad = true
	}
	switch {
	case broadcast && r.Target != "":
		p.add(path, "%s is a broadcast action: give no target", r.Action)
		bad = true
	case !broadcast && r.Target == "":
		p.add(path, "%s is aimed at a partner: give its target", r.Action)
		bad = true
	case !broadcast && !slices.Contains(actors, r.Target):
		p.add(path, "target %q is not an actor of the template (%s)", r.Target, strings.Join(actors, ", "))
		bad = true
	case r.Target == r.Actor && r.Actor != "":
		p.add(path, "actor and target are both %s", r.Actor)
		bad = true
	}
	if !bad && p.excluded(r.Actor, r.Action) {
		p.add(path, "%s never takes %s (the template excludes it)", r.Actor, r.Action)
		bad = true
	}
	if !bad && joint && p.excluded(r.Target, r.Action) {
		p.add(path, "%s never takes %s (the template excludes it)", r.Target, r.Action)
		bad = true
	}
	mapped := false
	for _, mp := range p.spec.Backtest.Mappings {
		if mp.Action == r.Action && mp.Replay != backtest.ReplayNone && (mp.Replay == backtest.ReplayJoint) == joint {
			mapped = true
		}
	}
	if !mapped {
		p.add(path, "no record type is mapped to %s in the backtest's [mapping]: the record cannot show it", r.Action)
		bad = true
	}
	if bad {
		return -1
	}
	for i, q := range p.refs {
		// A held joint action has no direction: DPRK–CHN is CHN–DPRK.
		if q == r || joint && q == (EventRef{Action: r.Action, Actor: r.Target, Target: r.Actor}) {
			return i
		}
	}
	p.refs = append(p.refs, r)
	p.joint = append(p.joint, joint)
	return len(p.refs) - 1
}

func (p *preparer) checkStatistics() {
	seen := map[string]bool{}
	for _, st := range p.spec.Statistics {
		path := sim.PathKey("statistic", st.Name)
		if seen[st.Name] {
			p.add(path, "statistic %s is declared twice", st.Name)
		}
		seen[st.Name] = true
		switch st.Kind {
		case KindMonths, KindAutocorrelation, KindCooccurrence:
		default:
			p.add(path+".kind", "unknown kind %q (use months, autocorrelation or cooccurrence)", st.Kind)
		}
		if st.Per != PerBlock && st.Per != PerWindow {
			p.add(path+".per", "unknown %q (use block or window)", st.Per)
		}
		if !(st.Weight >= 0) {
			p.add(path+".weight", "must be >= 0, got %g", st.Weight)
		}
		ref := p.ref(path+".event", st.Event)
		with := -1
		switch {
		case st.Kind == KindCooccurrence:
			with = p.ref(path+".with", st.With)
		case st.With != EventRef{}:
			p.add(path+".with", "only a co-occurrence statistic has a second event")
		}
		if !st.From.IsZero() && !st.To.IsZero() && st.To.Before(st.From) {
			p.add(path+".to", "%s is before from (%s)", st.To.Format(time.DateOnly), st.From.Format(time.DateOnly))
		}
		p.statRefs = append(p.statRefs, [2]int{ref, with})
	}
}

// params resolves the fitted parameters and their priors.
func (p *preparer) params(plan *Plan) {
	list := p.spec.Params
	if len(list) == 0 {
		for _, slot := range p.probe.Uncertain() {
			par := p.probe.Params()[slot]
			list = append(list, Param{Path: par.Path, Source: "the template's distribution"})
		}
		if len(list) == 0 {
			p.add("parameter", "the template has no uncertain parameter: list the parameters to fit, each with a prior")
			return
		}
	}
	priors := map[string]dist.Dist{}
	for _, par := range list {
		path := sim.PathKey("parameter", par.Path)
		i, ok := p.probe.ParamIndex(par.Path)
		if !ok {
			p.add(path, "%v", p.probe.UnknownPathError(par.Path))
			continue
		}
		if p.fitPaths[par.Path] {
			p.add(path, "%s is listed twice", par.Path)
			continue
		}
		p.fitPaths[par.Path] = true
		prior := par.Prior
		if prior == nil {
			prior = p.probe.Params()[i].Dist
			if dist.IsFixed(prior) {
				p.add(path+".prior", "%s is fixed in the template (%s): give a prior to fit it", par.Path, prior)
				continue
			}
		} else if dist.IsFixed(prior) {
			p.add(path+".prior", "a fixed prior (%s) leaves nothing to fit", prior)
			continue
		}
		priors[par.Path] = prior
		plan.Params = append(plan.Params, abc.Param{Name: par.Path, Prior: prior})
		plan.Sources = append(plan.Sources, par.Source)
	}
	if _, err := p.probe.With(priors); err != nil {
		for _, pr := range sim.AsProblems(err) {
			p.add(sim.PathKey("parameter", pr.Path)+".prior", "%s", pr.Msg)
		}
	}
}

// context orders the dated overrides and checks that none sets a fitted
// parameter.
func (p *preparer) context(plan *Plan) {
	p.overs = append(append([]backtest.Override(nil), p.spec.Backtest.Overrides...), p.spec.Overrides...)
	sort.SliceStable(p.overs, func(i, j int) bool { return p.overs[i].Date.Before(p.overs[j].Date) })
	start := sim.MonthOf(p.spec.FitFrom)
	names := map[string]bool{}
	for _, sh := range p.spec.Backtest.Template.Shocks {
		names[sh.Name] = true
	}
	for _, ov := range p.overs {
		path := sim.PathKey("override", ov.Name)
		if names[shockName(ov.Name)] {
			p.add(path, "override %s is declared twice (or the template has a shock %s)", ov.Name, shockName(ov.Name))
		}
		names[shockName(ov.Name)] = true
		keys := make([]string, 0, len(ov.Set))
		for k := range ov.Set {
			keys = append(keys, k)
			if p.fitPaths[k] {
				p.add(sim.PathKey("parameter", k), "the dated override %s sets %s from %s: a fitted value would be overwritten; fit another parameter or drop the override", ov.Name, k, ov.Date.Format(time.DateOnly))
			}
		}
		sort.Strings(keys)
		m := sim.MonthOf(ov.Date) + 1
		plan.Context = append(plan.Context, ContextEntry{Name: ov.Name, Date: ov.Date, Month: m, AtStart: m <= start,
			Set: keys, Description: ov.Description, Source: ov.Source})
	}
}

func shockName(override string) string { return "override_" + override }

// window builds the statistics of a window, their observed values and
// the history model that computes them.
func (p *preparer) window(plan *Plan, from, to sim.Month, block int, what string) *Window {
	ins, infos, skipped := p.instances(from, to, block)
	for _, name := range skipped {
		plan.Warnings = append(plan.Warnings, fmt.Sprintf("statistic %s has no months in the %s window %s to %s: left out of it", name, what, from, to))
	}
	w := &Window{From: from, To: to, Stats: infos, ins: ins}
	first, last := recordMonths(p.spec.Backtest)
	rec := newRecordSource(p.spec.Backtest.Record, p.spec.Backtest.Mappings, p.refs, p.joint, first, last)
	w.Observed = make([]float64, len(ins))
	compute(ins, rec, w.Observed)
	w.lay = newLayout(p.refs, p.joint, ins, sim.MonthOf(p.spec.FitFrom), to)
	m, err := p.history(plan, to, w.lay)
	if err != nil {
		for _, pr := range sim.AsProblems(err) {
			p.add("calibration.backtest", "the %s window's history model: %s: %s", what, pr.Path, pr.Msg)
		}
		return w
	}
	w.Model = m
	unc := m.Uncertain()
	for _, par := range plan.Params {
		slot, _ := m.ParamIndex(par.Name)
		w.fit = append(w.fit, slices.Index(unc, slot))
	}
	return w
}

// history compiles the template as one history from the fitting window's
// start to end, with burn-in, the layout's outcomes and events, the
// dated overrides (those known before the start applied at once, the
// others as shocks in the month after their date), and the fitted
// parameters given their priors.
func (p *preparer) history(plan *Plan, end sim.Month, lay *layout) (*sim.Model, error) {
	s := p.spec
	start := sim.MonthOf(s.FitFrom)
	sc := *s.Backtest.Template
	sc.Name = nameOr(s.Name, "calibration") + "-history"
	sc.Start, sc.Steps, sc.BurnIn = start.Time(), int(end-start)+1, s.BurnIn
	sc.Signals, sc.Events, sc.Questions = nil, nil, nil
	sc.Outcomes, sc.Series = lay.outcomes, lay.list
	sc.Shocks = slices.Clone(sc.Shocks)
	all := map[string]dist.Dist{}
	for k, v := range s.Backtest.TemplateOverrides {
		all[k] = v
	}
	for i, ov := range p.overs {
		ce := plan.Context[i]
		switch {
		case ce.AtStart:
			for k, v := range ov.Set {
				all[k] = v
			}
		case ce.Month <= end:
			sh := sim.Shock{Name: shockName(ov.Name), Description: ov.Description, Source: ov.Source,
				Month: dist.Fixed{Value: float64(ce.Month - start)}}
			for _, k := range ce.Set {
				sh.Effects = append(sh.Effects, sim.Effect{Op: "set", Target: k, Value: ov.Set[k]})
			}
			sc.Shocks = append(sc.Shocks, sh)
		}
	}
	for _, par := range plan.Params {
		all[par.Name] = par.Prior
	}
	m, err := sim.Compile(&sc)
	if err != nil {
		return nil, err
	}
	return m.With(all)
}

func nameOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
