package sim

import (
	"slices"
	"strings"
	"time"

	"github.com/geosim/geosim/internal/suggest"
	"github.com/geosim/geosim/sim/dist"
)

// Model is a compiled, validated scenario, ready to run. It is immutable
// and safe for concurrent use; each run works on its own Workspace.
type Model struct {
	sc                 *Scenario
	n                  int
	actorIDs           []string
	actorNames         []string
	start              Month
	steps              int
	runs               int
	seed               uint64
	replicates         int // runs per parameter draw: declared, or 1 when no parameter is uncertain
	declaredReplicates int

	actionIDs []string
	broadcast []bool
	actionIdx map[string]int

	params    []Param
	byPath    map[string]int
	base      []float64
	uncertain []int

	modelSlot0  int   // model field f at modelSlot0+f
	actorSlot0  int   // actor i field f at actorSlot0 + i*numActorFields + f
	actionSlot0 int   // action a field f at actionSlot0 + a*numActionFields + f
	tradeSlot0  int   // trade i→j at tradeSlot0 + i*n + j
	stanceSlot0 int   // stance i→j at stanceSlot0 + i*n + j
	stakeSlot0  int   // stake i→j at stakeSlot0 + i*n + j
	incentive   []int // slot of incentive (i, j, a) at (i*n+j)*K + a, or -1
	hazard      []int // hazard of (i, j, a) at (i*n+j)*K + a (j = i: broadcast): index into hazardDecls, or -1
	hazardDecls []hazardDecl

	mode      []byte // per action: 'c' choice, 'j' joint, 'h' hazard
	channelOf []int  // per action: its channel
	channels  []channel
	excluded  []uint64 // per actor: the set of actions it never takes
	plan      plan     // the decisions of a month (decide.go)

	links       []link
	bcastActors []int    // actors with a broadcast choice decision
	dyads       []uint32 // [i*n+j]: the dyad's i*n+j and j*n+i with i ≤ j, packed lo | hi<<16 (updateTrade)
	signals     []signal // exogenous, in step order
	preSteps    int      // months of history before the start (>= 0)
	shocks      []shock
	outcomes    []outcome
	events      []event
	series      []series
	trk         trackPlan // what a run records for its outcomes, events and series
	questions   []question
	calendar    []occasion
	calAt       [][]int // per step: the occasions active in it
	calSame     []bool  // per step: the same occasions as the step before (false for step 0)
	monthKey    []uint64
	burnIn      int      // months of burn-in before the start
	burnKey     []uint64 // key of burn-in month t (t = -burnIn … -1) at burnIn+t
	post        *posterior
}

// channel is a decision: a set of alternative actions of one mode.
type channel struct {
	name      string
	mode      byte // 'c' choice, 'j' joint, 'h' hazard
	broadcast bool
	actions   []int // member actions, in catalogue order
}

type link struct {
	from, to    int     // triggering signals: from → to
	holder, obj int     // stance that moves: holder toward obj
	recv, moves int     // to*n + from (what to received from from) and holder*n + obj
	weight      int     // slot
	sign        float64 // +1: cooperative months only, -1: conflictual only, 0: all
}

type signal struct {
	step        int // month index relative to the start; negative: history
	from, to    int
	scale, cred int // slots
}

type shock struct {
	name        string
	description string
	hazard      int         // slot, or -1
	month       int         // slot, or -1
	key         uint64      // names the shock's timing uniforms
	covs        []covariate // non-empty: the hazard depends on the state and is drawn month by month
	effects     []effect
	signals     []signal
	// rebase, when not nil, lists the fixed utilities (i*n+j)*K + a its
	// effects change — every effect targets an incentive —, so that
	// firing recomputes those alone instead of deriving everything.
	rebase []int
}

type effect struct {
	op     byte // '=', '*', '+'
	target int  // slot changed
	value  int  // slot of the value
}

// Compile validates a scenario and prepares it to run. It reports every
// problem it finds at once, as Problems located by parameter path.
func Compile(sc *Scenario) (*Model, error) {
	c := compiler{sc: sc, m: &Model{sc: sc, byPath: map[string]int{}, actionIdx: map[string]int{}}}
	c.run()
	if err := c.probs.err(); err != nil {
		return nil, err
	}
	return c.m, nil
}

type compiler struct {
	sc       *Scenario
	m        *Model
	probs    problemList
	tab      paramTable
	actorIdx map[string]int
	accepted []Actor // accepted actors, in slot order
	horizon  bool    // start and steps are valid, so dates can be checked against the horizon
}

func (c *compiler) run() {
	sc, m := c.sc, c.m
	c.tab.byPath = m.byPath
	m.runs, m.seed = sc.Runs, sc.Seed
	if m.runs == 0 {
		m.runs = DefaultRuns
	}
	if sc.Name == "" {
		c.probs.add("scenario.name", "a scenario needs a name")
	} else if !namePattern.MatchString(sc.Name) {
		c.probs.add("scenario.name", "%q: use letters, digits, '-' and '_', starting with a letter", sc.Name)
	}
	if sc.Start.IsZero() {
		c.probs.add("scenario.start", "a scenario needs a start date")
	}
	if sc.Steps < 1 || sc.Steps > MaxSteps {
		c.probs.add("scenario.steps", "must be between 1 and %d months, got %d", MaxSteps, sc.Steps)
	}
	if m.runs < 1 || m.runs > MaxRuns {
		c.probs.add("scenario.runs", "must be between 1 and %d, got %d", MaxRuns, sc.Runs)
	}
	m.declaredReplicates = sc.Replicates
	if m.declaredReplicates == 0 {
		m.declaredReplicates = DefaultReplicates
	}
	if m.declaredReplicates < 1 || m.declaredReplicates > MaxReplicates {
		c.probs.add("scenario.replicates", "must be between 1 and %d, got %d", MaxReplicates, sc.Replicates)
	}
	m.start, m.steps = MonthOf(sc.Start), sc.Steps
	if sc.BurnIn < 0 || sc.BurnIn > MaxBurnIn {
		c.probs.add("scenario.burn_in", "must be between 0 and %d months, got %d", MaxBurnIn, sc.BurnIn)
	} else {
		m.burnIn = sc.BurnIn
	}
	c.horizon = !sc.Start.IsZero() && sc.Steps >= 1 && sc.Steps <= MaxSteps
	if !c.sizesWithinLimits() {
		return // compiling further could take time and memory without bound
	}

	c.actors()
	c.actions()
	c.register()
	c.ties("trade", sc.Trade, m.tradeSlot0, TradeField)
	c.ties("stance", sc.Stance, m.stanceSlot0, StanceField)
	c.ties("stake", sc.Stake, m.stakeSlot0, StakeField)
	c.incentives()
	c.hazards()
	c.links()
	c.exogenousSignals()
	c.shocks()
	c.occasions()
	c.posterior()
	c.outcomes()
	c.events()
	c.seriesList()
	c.questions()
	c.checkColumns()
	c.checkLabels()
	if len(sc.Outcomes)+len(sc.Events)+len(sc.Series) == 0 {
		c.probs.add("scenario", "the scenario measures nothing, so a run would write an empty report: declare at least one [outcome.NAME], [event.NAME] or [series.NAME] (docs/SCENARIOS.md)")
	}
	m.params = c.tab.params
	m.finishParams(&c.probs)
	if len(c.probs.list) == 0 {
		m.plan = m.makePlan()
	}
}

// sizesWithinLimits reports every count of the scenario above its limit
// (MaxActors, MaxOutcomes, ...).
func (c *compiler) sizesWithinLimits() bool {
	sc := c.sc
	ok := true
	check := func(path, what string, n, limit int) {
		if n > limit {
			c.probs.add(path, "%d %s; a scenario may have at most %d (docs/SCENARIOS.md, Limits)", n, what, limit)
			ok = false
		}
	}
	check("actor", "actors", len(sc.Actors), MaxActors)
	check("action", "actions of its own beside the built-in ones", len(sc.Actions), MaxActions-len(Catalogue()))
	check("signal", "dated signals", len(sc.Signals), MaxSignals)
	check("shock", "shocks", len(sc.Shocks), MaxShocks)
	for _, s := range sc.Shocks {
		check(PathKey("shock", s.Name, "signal"), "signals in one shock", len(s.Signals), MaxShockSigs)
	}
	check("link", "links", len(sc.Links), MaxLinks)
	check("outcome", "outcomes", len(sc.Outcomes), MaxOutcomes)
	check("event", "events", len(sc.Events), MaxEvents)
	check("series", "series", len(sc.Series), MaxSeries)
	check("question", "questions", len(sc.Questions), MaxQuestions)
	check("calendar", "calendar occasions", len(sc.Calendar), MaxOccasions)
	check("hazard", "hazard declarations", len(sc.Hazards), MaxActors*MaxActions)
	return ok
}

func (c *compiler) actors() {
	m := c.m
	c.actorIdx = map[string]int{}
	if len(c.sc.Actors) < 2 || len(c.sc.Actors) > MaxActors {
		c.probs.add("actor", "a scenario needs between 2 and %d actors, got %d", MaxActors, len(c.sc.Actors))
	}
	for _, a := range c.sc.Actors {
		path := PathKey("actor", a.ID)
		if !c.checkIdent(path, "actor id", a.ID) {
			continue
		}
		if _, dup := c.actorIdx[a.ID]; dup {
			c.probs.add(path, "actor %s is declared twice", a.ID)
			continue
		}
		c.actorIdx[a.ID] = len(m.actorIDs)
		c.accepted = append(c.accepted, a)
		m.actorIDs = append(m.actorIDs, a.ID)
		name := a.Name
		if name == "" {
			name = a.ID
		}
		m.actorNames = append(m.actorNames, name)
		for _, k := range sortedKeys(a.Params) {
			if fieldIndex(ActorFields[:], k) < 0 {
				c.probs.add(PathKey("actor", a.ID, k), "unknown actor parameter%s", suggest.Hint(k, fieldNames(ActorFields[:])))
			}
		}
	}
	m.n = len(m.actorIDs)
}

// actor resolves an actor id at path, recording a problem if unknown.
func (c *compiler) actor(path, id string) int {
	if i, ok := c.actorIdx[id]; ok {
		return i
	}
	if id == "" {
		c.probs.add(path, "an actor is required")
	} else {
		c.probs.add(path, "unknown actor %q%s", id, suggest.Hint(id, c.m.actorIDs))
	}
	return -1
}

// pair resolves two distinct actors.
func (c *compiler) pair(path string, ids [2]string) (int, int, bool) {
	a, b := c.actor(path, ids[0]), c.actor(path, ids[1])
	if a < 0 || b < 0 {
		return a, b, false
	}
	if a == b {
		c.probs.add(path, "needs two different actors, got %s twice", ids[0])
		return a, b, false
	}
	return a, b, true
}

// action resolves an action id at path.
// aimedAction resolves a declaration of section about actor's action,
// aimed at target ("" for a broadcast): its path, section.ACTOR.ACTION or
// section.ACTOR.TARGET.ACTION, and the indices of actor, target (actor's
// own for a broadcast) and action, -1 for one that is unknown (reported).
func (c *compiler) aimedAction(section, actor, target, action string) (path string, i, j, a int) {
	path = PathKey(section, actor, action)
	if target != "" {
		path = PathKey(section, actor, target, action)
	}
	i = c.actor(path, actor)
	j = i
	if target != "" {
		j = c.actor(path, target)
	}
	return path, i, j, c.action(path, action)
}

func (c *compiler) action(path, id string) int {
	if i, ok := c.m.actionIdx[id]; ok {
		return i
	}
	if id == "" {
		c.probs.add(path, "an action is required")
	} else {
		c.probs.add(path, "unknown action %q%s", id, suggest.Hint(id, c.m.actionIDs))
	}
	return -1
}

func (c *compiler) actions() {
	m := c.m
	merged := Catalogue()
	for _, a := range merged {
		m.actionIdx[a.ID] = len(m.actionIDs)
		m.actionIDs = append(m.actionIDs, a.ID)
	}
	for _, a := range c.sc.Actions {
		path := PathKey("action", a.ID)
		if !c.checkIdent(path, "action id", a.ID) {
			continue
		}
		if a.ID == HoldID {
			c.probs.add(path, "hold is not an action: every channel already weighs acting against not acting (docs/MODEL.md §5.2)")
			continue
		}
		for _, k := range sortedKeys(a.Params) {
			if fieldIndex(ActionFields[:], k) < 0 {
				c.probs.add(PathKey("action", a.ID, k), "unknown action parameter%s", suggest.Hint(k, fieldNames(ActionFields[:])))
			}
		}
		if i, ok := m.actionIdx[a.ID]; ok {
			base := &merged[i]
			if a.Broadcast != base.Broadcast {
				c.probs.add(PathKey("action", a.ID, "broadcast"), "the built-in action %s has broadcast = %v", a.ID, base.Broadcast)
			}
			params := map[string]dist.Dist{}
			for k, v := range base.Params {
				params[k] = v
			}
			for k, v := range a.Params {
				params[k] = v
			}
			base.Params = params
			if a.Description != "" {
				base.Description = a.Description
			}
			if a.CAMEO != "" {
				base.CAMEO = a.CAMEO
			}
			if a.Channel != "" {
				base.Channel = a.Channel
			}
			if a.Mode != "" {
				base.Mode = a.Mode
			}
			continue
		}
		if a.Params[FieldScale] == nil {
			c.probs.add(path, "a new action needs a scale (its Goldstein value)")
		}
		if a.Channel == "" {
			a.Channel = a.ID
		}
		if a.Mode == "" {
			a.Mode = ModeChoice
		}
		m.actionIdx[a.ID] = len(m.actionIDs)
		m.actionIDs = append(m.actionIDs, a.ID)
		merged = append(merged, a)
	}
	if len(merged) > MaxActions {
		c.probs.add("action", "the catalogue holds %d actions; at most %d are supported", len(merged), MaxActions)
		merged = merged[:MaxActions]
		m.actionIDs = m.actionIDs[:MaxActions]
	}
	m.broadcast = make([]bool, len(merged))
	m.mode = make([]byte, len(merged))
	m.channelOf = make([]int, len(merged))
	chanIdx := map[string]int{}
	for i, a := range merged {
		m.broadcast[i] = a.Broadcast
		path := PathKey("action", a.ID)
		switch a.Mode {
		case ModeChoice, ModeJoint, ModeHazard:
			m.mode[i] = a.Mode[0]
		default:
			c.probs.add(path+".mode", "unknown mode %q (use choice, joint or hazard)", a.Mode)
			m.mode[i] = 'c'
		}
		if m.mode[i] == 'j' && a.Broadcast {
			c.probs.add(path+".mode", "a joint action is held with a partner; %s is a broadcast action", a.ID)
		}
		c.checkIdent(path+".channel", "channel", a.Channel)
		k, seen := chanIdx[a.Channel]
		if !seen {
			k = len(m.channels)
			chanIdx[a.Channel] = k
			m.channels = append(m.channels, channel{name: a.Channel, mode: m.mode[i], broadcast: a.Broadcast})
		} else if ch := m.channels[k]; ch.mode != m.mode[i] || ch.broadcast != a.Broadcast {
			c.probs.add(path+".channel", "the actions of channel %s must share mode and broadcast; %s differs from %s", a.Channel, a.ID, m.actionIDs[ch.actions[0]])
		}
		m.channels[k].actions = append(m.channels[k].actions, i)
		m.channelOf[i] = k
	}
	c.sc = withActions(c.sc, merged)

	m.excluded = make([]uint64, m.n)
	for i, a := range c.accepted {
		for _, id := range a.Exclude {
			path := PathKey("actor", a.ID, "exclude")
			if id == HoldID {
				c.probs.add(path, "hold is not an action and cannot be excluded")
				continue
			}
			if k := c.action(path, id); k >= 0 {
				m.excluded[i] |= 1 << uint(k)
			}
		}
	}
}

// available reports whether actor i may take action a.
func (m *Model) available(i, a int) bool { return m.excluded[i]&(1<<uint(a)) == 0 }

// withActions returns a shallow copy of sc whose Actions are the merged
// catalogue, so that later stages read one list.
func withActions(sc *Scenario, merged []Action) *Scenario {
	c := *sc
	c.Actions = merged
	return &c
}

// register gives every model, actor, action, trade, stance and incentive
// parameter its slot, with defaults for those the scenario leaves out.
func (c *compiler) register() {
	m, t := c.m, &c.tab
	m.modelSlot0 = len(t.params)
	for _, f := range ModelFields {
		t.add(PathKey("model", f.Name), c.sc.Model[f.Name], f)
	}
	for k := range c.sc.Model {
		if fieldIndex(ModelFields[:], k) < 0 {
			c.probs.add(PathKey("model", k), "unknown model parameter%s", suggest.Hint(k, fieldNames(ModelFields[:])))
		}
	}
	m.actorSlot0 = len(t.params)
	for _, a := range c.accepted {
		for _, f := range ActorFields {
			t.add(PathKey("actor", a.ID, f.Name), a.Params[f.Name], f)
		}
	}
	m.actionSlot0 = len(t.params)
	for _, a := range c.sc.Actions {
		for _, f := range ActionFields {
			t.add(PathKey("action", a.ID, f.Name), a.Params[f.Name], f)
		}
	}
	m.tradeSlot0 = len(t.params)
	c.registerPairs("trade", TradeField)
	m.stanceSlot0 = len(t.params)
	c.registerPairs("stance", StanceField)
	m.stakeSlot0 = len(t.params)
	c.registerPairs("stake", StakeField)
	K := len(m.actionIDs)
	m.incentive = make([]int, m.n*m.n*K)
	for i := range m.incentive {
		m.incentive[i] = -1
	}
	for i := 0; i < m.n; i++ {
		for j := 0; j < m.n; j++ {
			for k, id := range m.actionIDs {
				if m.mode[k] == 'h' || m.broadcast[k] != (i == j) {
					continue
				}
				path := PathKey("incentive", m.actorIDs[i], m.actorIDs[j], id)
				if i == j {
					path = PathKey("incentive", m.actorIDs[i], id)
				}
				m.incentive[(i*m.n+j)*K+k] = t.add(path, nil, IncentiveFld)
			}
		}
	}
}

// registerPairs registers a parameter for every ordered pair of actors,
// diagonal included so that slot arithmetic stays simple; the diagonal is
// fixed at 0 and has no path a scenario can name.
func (c *compiler) registerPairs(kind string, f Field) {
	m := c.m
	for i := 0; i < m.n; i++ {
		for j := 0; j < m.n; j++ {
			path := PathKey(kind, m.actorIDs[i], m.actorIDs[j])
			if i == j {
				path = "-" + path
			}
			c.tab.add(path, nil, f)
		}
	}
}

func (m *Model) tradeSlot(i, j int) int  { return m.tradeSlot0 + i*m.n + j }
func (m *Model) stakeSlot(i, j int) int  { return m.stakeSlot0 + i*m.n + j }
func (m *Model) stanceSlot(i, j int) int { return m.stanceSlot0 + i*m.n + j }

func (c *compiler) ties(kind string, ties []Tie, slot0 int, f Field) {
	seen := map[[2]int]bool{}
	for _, t := range ties {
		path := PathKey(kind, t.From, t.To)
		i, j, ok := c.pair(path, [2]string{t.From, t.To})
		if !ok {
			continue
		}
		if seen[[2]int{i, j}] {
			c.probs.add(path, "set twice")
			continue
		}
		seen[[2]int{i, j}] = true
		if t.Value == nil {
			c.probs.add(path, "a value is required")
			continue
		}
		c.tab.params[slot0+i*c.m.n+j].Dist = t.Value
	}
}

func (c *compiler) incentives() {
	m := c.m
	K := len(m.actionIDs)
	for _, inc := range c.sc.Incentives {
		path, i, j, k := c.aimedAction("incentive", inc.From, inc.To, inc.Action)
		if i < 0 || j < 0 || k < 0 {
			continue
		}
		switch {
		case m.mode[k] == 'h':
			c.probs.add(path, "%s is a hazard-mode action: it has a rate and covariates (hazard.%s...), not incentives", inc.Action, inc.From)
			continue
		case inc.To == "" && !m.broadcast[k]:
			c.probs.add(path, "%s is aimed at a partner: give the incentive as incentive.%s.PARTNER.%s", inc.Action, inc.From, inc.Action)
			continue
		case inc.To != "" && m.broadcast[k]:
			c.probs.add(path, "%s is a broadcast action: give the incentive as incentive.%s.%s", inc.Action, inc.From, inc.Action)
			continue
		case inc.To != "" && i == j:
			c.probs.add(path, "an actor cannot aim an action at itself")
			continue
		}
		if inc.Value == nil {
			c.probs.add(path, "a value is required")
			continue
		}
		c.tab.params[m.incentive[(i*m.n+j)*K+k]].Dist = inc.Value
	}
}

func (c *compiler) links() {
	for _, l := range c.sc.Links {
		path := PathKey("link", l.Name)
		if !c.checkIdent(path, "link name", l.Name) {
			continue
		}
		f, t, ok1 := c.pair(path+".when", l.When)
		h, o, ok2 := c.pair(path+".moves", l.Moves)
		if !ok1 || !ok2 {
			continue
		}
		if l.Weight == nil {
			c.probs.add(path+".weight", "a weight is required")
			continue
		}
		signs := map[string]float64{"": 0, "all": 0, "cooperation": 1, "conflict": -1}
		sign, known := signs[l.Sign]
		if !known {
			c.probs.add(path+".sign", "unknown sign %q (use all, cooperation or conflict)", l.Sign)
			continue
		}
		c.m.links = append(c.m.links, link{from: f, to: t, holder: h, obj: o, sign: sign, recv: t*c.m.n + f, moves: h*c.m.n + o,
			weight: c.tab.add(path+".weight", l.Weight, LinkWeightFld)})
	}
}

// maxHistory is how far before the start a dated signal may lie.
const maxHistory = 120

func (c *compiler) signal(path string, s Signal, dated bool) (signal, bool) {
	out := signal{}
	var ok bool
	out.from, out.to, ok = c.pair(path, [2]string{s.From, s.To})
	if dated {
		if s.Date.IsZero() {
			c.probs.add(path+".date", "a date is required")
			ok = false
		} else {
			out.step = int(MonthOf(s.Date) - c.m.start)
			if !c.horizon {
				// no valid start or steps: already reported, and every date would seem misplaced
			} else if out.step >= c.m.steps {
				c.probs.add(path+".date", "%s is after the horizon ends (%s)", s.Date.Format(time.DateOnly), c.endDate())
				ok = false
			} else if out.step < -maxHistory {
				c.probs.add(path+".date", "%s is more than %d months before the start", s.Date.Format(time.DateOnly), maxHistory)
				ok = false
			}
		}
	}
	if s.Scale == nil {
		c.probs.add(path+".scale", "a scale (Goldstein intensity) is required")
		ok = false
	}
	if !ok {
		return out, false
	}
	cred := s.Credibility
	if cred == nil {
		cred = dist.Fixed{Value: 1}
	}
	out.scale = c.tab.add(path+".scale", s.Scale, Field{"scale", 0, -goldsteinMax, goldsteinMax, "Goldstein scale", "signal intensity"})
	out.cred = c.tab.add(path+".credibility", cred, Field{"credibility", 1, 0, 1, "fraction", "signal credibility"})
	return out, true
}

func (c *compiler) endDate() string { return (c.m.start + Month(c.m.steps)).Date() }

func (c *compiler) exogenousSignals() {
	for _, s := range c.sc.Signals {
		path := PathKey("signal", s.Name)
		if !c.checkIdent(path, "signal name", s.Name) {
			continue
		}
		if s.Window[0].IsZero() && s.Window[1].IsZero() {
			if sig, ok := c.signal(path, s, true); ok {
				c.m.signals = append(c.m.signals, sig)
			}
			continue
		}
		ok := true
		if !s.Date.IsZero() {
			c.probs.add(path, "give either a date (one signal) or a window (a signal every month of it), not both")
			ok = false
		}
		lo, hi := int(MonthOf(s.Window[0])-c.m.start), int(MonthOf(s.Window[1])-c.m.start)
		switch {
		case s.Window[0].IsZero() || s.Window[1].IsZero():
			c.probs.add(path+".window", "a window needs its first and last date")
			ok = false
		case hi < lo:
			c.probs.add(path+".window", "%s is before %s", s.Window[1].Format(time.DateOnly), s.Window[0].Format(time.DateOnly))
			ok = false
		case lo >= c.m.steps:
			c.probs.add(path+".window", "starts %s, after the horizon ends (%s)", s.Window[0].Format(time.DateOnly), c.endDate())
			ok = false
		case hi < -maxHistory:
			c.probs.add(path+".window", "ends %s, more than %d months before the start", s.Window[1].Format(time.DateOnly), maxHistory)
			ok = false
		}
		sig, sok := c.signal(path, s, false)
		if !ok || !sok {
			continue
		}
		for t := max(lo, -maxHistory); t <= min(hi, c.m.steps-1); t++ {
			sig.step = t
			c.m.signals = append(c.m.signals, sig)
		}
	}
	for _, sig := range c.m.signals {
		c.m.preSteps = max(c.m.preSteps, -sig.step)
	}
	slices.SortStableFunc(c.m.signals, func(a, b signal) int { return a.step - b.step })
}

func (c *compiler) shocks() {
	m := c.m
	effectOps := map[string]byte{"set": '=', "multiply": '*', "add": '+'}
	for _, s := range c.sc.Shocks {
		path := PathKey("shock", s.Name)
		if !c.checkIdent(path, "shock name", s.Name) {
			continue
		}
		sh := shock{name: s.Name, description: s.Description, hazard: -1, month: -1, key: pathHash(path + ".timing")}
		switch {
		case (s.Hazard == nil) == (s.Month == nil):
			c.probs.add(path, "give exactly one of hazard (monthly probability) and month (months after the start)")
		case s.Hazard != nil:
			sh.hazard = c.tab.add(path+".hazard", s.Hazard, HazardField)
		default:
			sh.month = c.tab.add(path+".month", s.Month, ShockMonthFld)
		}
		if len(s.Covariates) > 0 {
			if s.Hazard == nil {
				c.probs.add(path+".covariates", "covariates change a hazard; a shock dated by month has none")
			} else {
				sh.covs = c.covariates(path, s.Covariates)
				sh.key = pathHash("shock/" + s.Name)
			}
		}
		for _, e := range s.Effects {
			op, ok := effectOps[e.Op]
			epath := PathKey("shock", s.Name, e.Op, e.Target)
			if !ok {
				c.probs.add(epath, "unknown effect %q (use set, multiply or add)", e.Op)
				continue
			}
			target, known := m.byPath[e.Target]
			if !known || strings.HasPrefix(e.Target, "-") {
				c.probs.add(epath, "%v", m.unknownTarget(e.Target, c.tab.params))
				continue
			}
			var f Field
			switch op {
			case '=':
				f = c.tab.params[target].Field
			case '*':
				f = MultiplyField
			default:
				f = AddField
			}
			if e.Value == nil {
				c.probs.add(epath, "a value is required")
				continue
			}
			sh.effects = append(sh.effects, effect{op: op, target: target, value: c.tab.add(epath, e.Value, f)})
		}
		// Within a shock: every set, then every multiply, then every add,
		// each in the order given (docs/MODEL.md §5.1). The scenario
		// loader cannot keep the order in which a file interleaves its
		// set, multiply and add tables, so the order is fixed here.
		slices.SortStableFunc(sh.effects, func(a, b effect) int { return effectRank(a.op) - effectRank(b.op) })
		for _, sig := range s.Signals {
			if !c.checkIdent(PathKey("shock", s.Name, "signal", sig.Name), "signal name", sig.Name) {
				continue
			}
			if out, ok := c.signal(PathKey("shock", s.Name, "signal", sig.Name), sig, false); ok {
				sh.signals = append(sh.signals, out)
			}
		}
		m.shocks = append(m.shocks, sh)
	}
}

// effectRank orders a shock's effects: set, multiply, add.
func effectRank(op byte) int { return strings.IndexByte("=*+", op) }

// unknownTarget explains a shock effect target that is not a parameter
// of the kinds a shock may change.
func (m *Model) unknownTarget(path string, params []Param) error {
	paths := make([]string, 0, len(params))
	for _, p := range params {
		if !strings.HasPrefix(p.Path, "-") {
			paths = append(paths, p.Path)
		}
	}
	return &Problem{Msg: "no parameter " + `"` + path + `"` + " (a shock may change model, actor, action, trade, stance, incentive and link parameters)" + suggest.Hint(path, paths)}
}
