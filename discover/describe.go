package discover

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Labels turns parameter paths into short human labels
// ("actor.DPRK.rationality" → "North Korea's rationality"), using actor
// names where it knows them. A path it does not recognise is its own
// label.
type Labels struct {
	Actors map[string]string // actor ID → name
	// Given are labels known for paths (the model's, geosim's field
	// registry), used before any built here.
	Given map[string]string
}

var fieldWords = map[string]string{
	"leverage":            "leverage amplification",
	"reciprocity_memory":  "reciprocity memory",
	"broadcast_spillover": "broadcast spillover",
	"responsiveness":      "responsiveness",
	"memory":              "stance memory",
}

var effectWords = map[string]string{"multiply": "factor on", "add": "increment to", "set": "value set for"}

// Label returns the label of one parameter path.
func (l Labels) Label(path string) string {
	if g, ok := l.Given[path]; ok && g != "" {
		return g
	}
	seg := splitPath(path)
	words := func(s string) string {
		if w, ok := fieldWords[s]; ok {
			return w
		}
		return strings.ReplaceAll(s, "_", " ")
	}
	name := func(id string) string {
		if n, ok := l.Actors[id]; ok && n != "" {
			return n
		}
		return id
	}
	possessive := func(id string) string {
		n := name(id)
		if strings.HasSuffix(n, "s") {
			return n + "'"
		}
		return n + "'s"
	}
	switch {
	case len(seg) == 2 && seg[0] == "model":
		return words(seg[1])
	case len(seg) == 3 && seg[0] == "actor":
		return possessive(seg[1]) + " " + words(seg[2])
	case len(seg) == 3 && seg[0] == "action":
		return words(seg[1]) + " " + words(seg[2])
	case len(seg) == 3 && seg[0] == "incentive":
		return possessive(seg[1]) + " " + words(seg[2]) + " incentive"
	case len(seg) == 4 && seg[0] == "incentive":
		return words(seg[3]) + " incentive " + seg[1] + " → " + seg[2]
	case len(seg) == 3 && seg[0] == "trade":
		return "trade share " + seg[1] + " → " + seg[2]
	case len(seg) == 3 && seg[0] == "stance":
		return "baseline stance " + seg[1] + " → " + seg[2]
	case len(seg) == 3 && seg[0] == "link":
		return words(seg[1]) + " link " + words(seg[2])
	case len(seg) == 3 && seg[0] == "signal":
		return words(seg[1]) + " " + words(seg[2])
	case len(seg) == 3 && seg[0] == "shock" && seg[2] == "hazard":
		return words(seg[1]) + " hazard per month"
	case len(seg) == 3 && seg[0] == "shock":
		return words(seg[1]) + " " + words(seg[2])
	case len(seg) == 4 && seg[0] == "shock":
		if w, ok := effectWords[seg[2]]; ok {
			target := Labels{}.Label(seg[3]) // IDs keep nested labels short
			return words(seg[1]) + ": " + w + " " + target
		}
	case len(seg) == 3:
		return words(seg[0]) + " " + seg[1] + " → " + seg[2]
	}
	return path
}

// splitPath splits a dotted parameter path, honouring quoted segments
// (shock effect targets are themselves paths).
func splitPath(path string) []string {
	var seg []string
	var cur strings.Builder
	quoted := false
	for _, r := range path {
		switch {
		case r == '"':
			quoted = !quoted
		case r == '.' && !quoted:
			seg = append(seg, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	return append(seg, cur.String())
}

// Num formats a limit or value with three significant digits.
func Num(v float64) string {
	if math.Abs(v) < 1e-12 {
		v = 0
	}
	s := strconv.FormatFloat(v, 'g', 3, 64)
	if strings.Contains(s, "e") {
		s = strconv.FormatFloat(v, 'f', -1, 64)
	}
	return s
}

// Pct formats a share in [0, 1] as a percentage with sensible precision.
func Pct(p float64) string {
	switch {
	case math.IsNaN(p):
		return "—"
	case p == 0:
		return "0%"
	case p < 0.001:
		return "<0.1%"
	case p < 0.1:
		return fmt.Sprintf("%.1f%%", 100*p)
	case p > 0.999 && p < 1:
		return ">99.9%"
	}
	return fmt.Sprintf("%.0f%%", 100*p)
}

// Limits describes the box's restrictions in words, one clause per
// restricted parameter in order, joined with "and" ("" for none):
// "North Korea's rationality < 1.2 and summit incentive USA → DPRK > 1.5".
func (l Labels) Limits(b *Box, params []string) string {
	var parts []string
	for j := range params {
		if !b.Restricted(j) {
			continue
		}
		parts = append(parts, l.Clause(params[j], b.Lo[j], b.Hi[j]))
	}
	if len(parts) == 0 {
		return ""
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// Clause describes one parameter's restriction.
func (l Labels) Clause(param string, lo, hi float64) string {
	name := l.Label(param)
	switch {
	case math.IsInf(lo, -1):
		return name + " < " + Num(hi)
	case math.IsInf(hi, 1):
		return name + " > " + Num(lo)
	}
	return name + " between " + Num(lo) + " and " + Num(hi)
}

// Sentence states a box in words: where it is, how often the condition
// holds there against overall, and what share of all the runs meeting
// the condition it holds. phrase is the condition's Phrase.
func (l Labels) Sentence(b *Box, params []string, phrase string, overall float64) string {
	if l.Limits(b, params) == "" {
		return fmt.Sprintf("Without restricting any parameter, %s of runs %s.", Pct(b.Density), phrase)
	}
	return fmt.Sprintf("When %s: %s of such runs %s, against %s overall; these runs hold %s of all the runs that do (the box holds %s of all runs).",
		l.Limits(b, params), Pct(b.Density), phrase, Pct(overall), Pct(b.Coverage), Pct(b.Mass))
}
