package sim

import (
	"strings"
)

// Label is how a parameter is named for a reader of charts and tables:
// a phrase in words (actor names, not codes) and the unit its values are
// shown in. Scale converts a parameter value to the unit shown (100 for
// a share shown in %, 1 otherwise).
type Label struct {
	Text  string
	Unit  string
	Scale float64
}

// String returns the label with its unit in brackets, as an axis title
// reads: "North Korea's trade share with China (%)".
func (l Label) String() string {
	if l.Unit == "" {
		return l.Text
	}
	return l.Text + " (" + l.Unit + ")"
}

// fieldWords names each field in a few words for labels; the Field
// tables' Meaning is the full definition.
var fieldWords = map[string]string{
	FieldRationality: "rationality",
	FieldEconomic:    "weight of trade dependence",
	FieldAffinity:    "weight of affinity",
	FieldReciprocity: "weight of reciprocity",
	FieldStatus:      "weight of status",
	FieldSecurity:    "weight of security",
	FieldPower:       "power",
	FieldResponsive:  "responsiveness to signals",
	FieldMemory:      "stance half-life",
	FieldLossAvers:   "loss aversion",

	FieldScale:       "intensity",
	FieldJointScale:  "extra intensity when joint",
	FieldCost:        "cost",
	FieldStatusValue: "status value",
	FieldSecurityVal: "security value",
	FieldCredibility: "credibility",
	FieldTradeEffect: "trade effect",
	FieldRebuff:      "rebuff cost",

	FieldLeverage:    "leverage of trade asymmetry",
	FieldRecipMemory: "reciprocity half-life",
	FieldSpillover:   "spillover of broadcast actions",
	FieldTradeMemory: "trade-flow half-life",
}

// unitWords shortens the Field tables' units for axis titles.
var unitWords = map[string]string{
	"probability per month": "monthly probability",
	"1/utility":             "1/utility",
	"share":                 "%",
	"fraction":              "0–1",
}

// ParamLabel returns the reader's label of the parameter at path: the
// scenario's own (its [labels] table) when it gives one, otherwise one
// built from the path with the actors' names — "North Korea's trade
// share with China" for trade.DPRK.CHN, "Ukraine ceasefire: monthly
// probability" for shock.ukraine_ceasefire.hazard. Unknown paths get
// the path itself.
func (m *Model) ParamLabel(path string) Label {
	l := Label{Text: path, Scale: 1}
	if i, ok := m.byPath[path]; ok {
		f := m.params[i].Field
		l.Unit = f.Unit
		if u, ok := unitWords[f.Unit]; ok {
			l.Unit = u
		}
		if f.Unit == "share" {
			l.Scale = 100
		}
		if f.Unit == "probability per month" || f.Unit == "index" || f.Unit == "factor" {
			l.Unit = ""
		}
	}
	if text, ok := m.sc.Labels[path]; ok {
		l.Text = text
		return l
	}
	if text := m.describePath(path); text != "" {
		l.Text = text
	}
	return l
}

// describePath builds a label from a parameter path (see ParamLabel),
// or returns "" for a path of no known shape.
func (m *Model) describePath(path string) string {
	seg := splitPath(path)
	if len(seg) < 2 {
		return ""
	}
	last := seg[len(seg)-1]
	switch seg[0] {
	case "model":
		return capital(fieldWord(last))
	case "actor":
		if len(seg) == 3 {
			return possessive(m.actorName(seg[1])) + " " + fieldWord(last)
		}
	case "action":
		if len(seg) == 3 {
			return capital(actionWords(seg[1])) + ": " + fieldWord(last)
		}
	case "trade":
		if len(seg) == 3 {
			return possessive(m.actorName(seg[1])) + " trade share with " + m.actorName(seg[2])
		}
	case "stance":
		if len(seg) == 3 {
			return possessive(m.actorName(seg[1])) + " baseline stance toward " + m.actorName(seg[2])
		}
	case "stake":
		if len(seg) == 3 {
			return possessive(m.actorName(seg[1])) + " strategic stake in " + m.actorName(seg[2])
		}
	case "incentive":
		switch len(seg) {
		case 3:
			return possessive(m.actorName(seg[1])) + " " + actionWords(seg[2]) + " incentive"
		case 4:
			return possessive(m.actorName(seg[1])) + " " + actionWords(seg[3]) + " incentive toward " + m.actorName(seg[2])
		}
	case "hazard":
		// hazard.ACTOR[.TARGET].ACTION.rate or ….covariates.VARIABLE
		for k := 2; k < len(seg); k++ {
			if seg[k] != "rate" && seg[k] != "covariates" {
				continue
			}
			what := capital(actionWords(seg[k-1])) + " by " + m.actorName(seg[1])
			if k == 4 {
				what += " toward " + m.actorName(seg[2])
			}
			if seg[k] == "rate" {
				return what + ": base monthly probability"
			}
			if k+1 < len(seg) {
				return what + ": effect of " + m.variableWords(seg[k+1])
			}
		}
	case "link":
		return "Link weight: " + m.linkWords(seg[1])
	case "signal":
		if len(seg) == 3 {
			return "Signal " + words(seg[1]) + ": " + words(last)
		}
	case "calendar":
		if len(seg) == 3 {
			return capital(fieldWord(last)) + " during “" + m.occasionWords(seg[1]) + "”"
		}
	case "shock":
		name := m.shockLabel(seg[1])
		switch {
		case len(seg) == 3 && last == "hazard":
			return name + ": monthly probability"
		case len(seg) == 3 && last == "month":
			return name + ": month it fires"
		case len(seg) == 4 && seg[2] == "multiply":
			return name + ": factor on " + lowerFirst(m.ParamLabel(seg[3]).Text)
		case len(seg) == 4 && seg[2] == "add":
			return name + ": increment of " + lowerFirst(m.ParamLabel(seg[3]).Text)
		case len(seg) == 4 && seg[2] == "set":
			return name + ": new " + lowerFirst(m.ParamLabel(seg[3]).Text)
		case len(seg) == 4 && seg[2] == "covariates":
			return name + ": effect of " + m.variableWords(seg[3])
		case len(seg) == 5 && seg[2] == "signal":
			return name + ": " + words(seg[3]) + " " + words(last)
		}
	}
	return ""
}

// splitPath splits a dotted parameter path, keeping quoted segments
// (shock targets, covariate variables) whole and unquoted.
func splitPath(path string) []string {
	var seg []string
	var b strings.Builder
	quoted := false
	for _, r := range path {
		switch {
		case r == '"':
			quoted = !quoted
		case r == '.' && !quoted:
			seg = append(seg, b.String())
			b.Reset()
		default:
			b.WriteRune(r)
		}
	}
	return append(seg, b.String())
}

// actorName returns an actor's display name, or id when it has none.
func (m *Model) actorName(id string) string {
	for i, a := range m.actorIDs {
		if a == id && m.actorNames[i] != "" {
			return m.actorNames[i]
		}
	}
	return id
}

// ActorName returns the display name of the actor with the given code
// (the code itself when the actor has no name or is unknown).
func (m *Model) ActorName(id string) string { return m.actorName(id) }

// ShockLabel returns a shock's short name for chart markers and legends:
// its label key, else its description up to the first colon, else its
// name in words.
func (m *Model) ShockLabel(name string) string { return m.shockLabel(name) }

func (m *Model) shockLabel(name string) string {
	for _, s := range m.sc.Shocks {
		if s.Name != name {
			continue
		}
		if s.Label != "" {
			return s.Label
		}
		if head, _, ok := strings.Cut(s.Description, ":"); ok && len([]rune(head)) <= 40 {
			return strings.TrimSpace(head)
		}
		if s.Description != "" && len([]rune(s.Description)) <= 40 {
			return s.Description
		}
	}
	return capital(words(name))
}

// linkWords names a third-party link by its description (clipped), or
// its name in words.
func (m *Model) linkWords(name string) string {
	for _, l := range m.sc.Links {
		if l.Name == name && l.Description != "" {
			if r := []rune(l.Description); len(r) > 70 {
				return string(r[:69]) + "…"
			}
			return l.Description
		}
	}
	return words(name)
}

// occasionWords names a calendar occasion by its description's head
// (before a colon or bracket), if short, or its name in words.
func (m *Model) occasionWords(name string) string {
	for _, o := range m.sc.Calendar {
		if o.Name != name || o.Description == "" {
			continue
		}
		head := o.Description
		if i := strings.IndexAny(head, ":("); i > 0 {
			head = strings.TrimSpace(head[:i])
		}
		if len([]rune(head)) <= 60 {
			return head
		}
	}
	return words(name)
}

// variableWords names a covariate's state variable ("relation.DPRK.CHN"
// → "the North Korea–China relation").
func (m *Model) variableWords(v string) string {
	seg := strings.Split(v, ".")
	switch {
	case len(seg) == 3 && seg[0] == "relation":
		return "the " + m.actorName(seg[1]) + "–" + m.actorName(seg[2]) + " relation"
	case len(seg) == 3 && seg[0] == "stance":
		return possessive(m.actorName(seg[1])) + " stance toward " + m.actorName(seg[2])
	case len(seg) == 3 && seg[0] == "received":
		return "signals " + m.actorName(seg[1]) + " received from " + m.actorName(seg[2])
	case len(seg) == 2 && seg[0] == "threat":
		return "the threat " + m.actorName(seg[1]) + " faces"
	case len(seg) == 2 && seg[0] == "lost_trade":
		return possessive(m.actorName(seg[1])) + " lost trade"
	}
	return words(v)
}

func words(id string) string { return strings.ReplaceAll(id, "_", " ") }

// fieldWord names a field in a few words (fieldWords), or its name in
// words.
func fieldWord(name string) string {
	if w, ok := fieldWords[name]; ok {
		return w
	}
	return words(name)
}

// actionWords names an action ("military_support" → "military support",
// "deal" → "aid or trade deal").
func actionWords(id string) string {
	switch id {
	case "deal":
		return "aid or trade deal"
	case "weapons_test":
		return "weapons test"
	}
	return words(id)
}

func capital(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

func lowerFirst(s string) string {
	r := []rune(s)
	// Keep names and acronyms ("North Korea's", "US") as they are.
	if len(r) > 1 && r[0] >= 'A' && r[0] <= 'Z' && r[1] >= 'a' && r[1] <= 'z' && !strings.Contains(s, "'s ") {
		return strings.ToLower(string(r[0])) + string(r[1:])
	}
	return s
}

func possessive(name string) string {
	if strings.HasSuffix(name, "s") {
		return name + "'"
	}
	return name + "'s"
}

// maxLabelRunes bounds a label's length: it must fit an axis title.
const maxLabelRunes = 80

// checkLabels checks that every label names a parameter and fits a
// chart, and that shock labels fit a marker.
func (c *compiler) checkLabels() {
	for _, path := range sortedKeys(c.sc.Labels) {
		text := c.sc.Labels[path]
		key := PathKey("labels", path)
		if _, ok := c.tab.byPath[path]; !ok {
			c.probs.add(key, "%v", (&Model{params: c.tab.params}).UnknownPathError(path))
			continue
		}
		if strings.TrimSpace(text) == "" || len([]rune(text)) > maxLabelRunes || strings.ContainsAny(text, "\n\r\t") {
			c.probs.add(key, "a label must be one line of 1 to %d characters, got %q", maxLabelRunes, text)
		}
	}
	for _, s := range c.sc.Shocks {
		if n := len([]rune(s.Label)); n > 40 || strings.ContainsAny(s.Label, "\n\r\t") {
			c.probs.add(PathKey("shock", s.Name, "label"), "a shock's label is a few words for chart markers: one line of at most 40 characters, got %d", n)
		}
	}
}
