package discover

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/geosim/geosim/internal/suggest"
)

// Condition is what discovery looks for in each run: an event occurring,
// or an outcome (or event indicator) compared with a number.
//
// The language is deliberately small:
//
//	kim_trump_summit          the event occurs (its 0/1 indicator is 1)
//	dprk_rus_end < 4          an outcome below a number
//	missile_tests >= 12       OP is one of < <= > >=
//	kim_trump_summit < 1      an event indicator compared: the event does not occur
type Condition struct {
	Name  string  // the event or outcome column
	Op    string  // "" (the event occurs), "<", "<=", ">" or ">="
	Value float64 // the number compared with; unused when Op is ""
	Event bool    // Name is an event (a 0/1 indicator)
}

// ParseCondition reads a condition over the given event and outcome
// names. Errors name the problem and suggest a close name.
func ParseCondition(text string, events, outcomes []string) (Condition, error) {
	src := strings.TrimSpace(text)
	if src == "" {
		return Condition{}, fmt.Errorf("condition is empty: give an event name (e.g. %s) or an outcome compared with a number (e.g. %s)", example(events, "kim_trump_summit"), exampleCmp(outcomes))
	}
	var c Condition
	name, rest := src, ""
	for _, op := range []string{"<=", ">=", "<", ">", "==", "!=", "="} {
		if k := strings.Index(src, op); k >= 0 {
			if op == "==" || op == "!=" || op == "=" {
				return c, fmt.Errorf("condition %q: operator %s is not supported; use < <= > or >= (an event alone means it occurs)", text, op)
			}
			name, rest, c.Op = strings.TrimSpace(src[:k]), strings.TrimSpace(src[k+len(op):]), op
			break
		}
	}
	if strings.ContainsAny(name, " \t") {
		return c, fmt.Errorf("condition %q: expected NAME or NAME OP NUMBER with OP one of < <= > >=", text)
	}
	c.Name = name
	isEvent, isOutcome := slices.Contains(events, name), slices.Contains(outcomes, name)
	if !isEvent && !isOutcome {
		return c, fmt.Errorf("condition %q: no event or outcome named %q%s (events: %s; outcomes: %s)", text, name,
			suggest.Hint(name, append(append([]string(nil), events...), outcomes...)), list(events), list(outcomes))
	}
	c.Event = isEvent
	if c.Op == "" {
		if !isEvent {
			return c, fmt.Errorf("condition %q: %s is an outcome, not an event: compare it with a number, e.g. \"%s < 0\"", text, name, name)
		}
		return c, nil
	}
	v, err := strconv.ParseFloat(rest, 64)
	if err != nil || rest == "" {
		return c, fmt.Errorf("condition %q: %q after %s is not a number", text, rest, c.Op)
	}
	c.Value = v
	return c, nil
}

// Holds reports whether a run's value of the column meets the condition.
func (c Condition) Holds(v float64) bool {
	switch c.Op {
	case "":
		return v >= 0.5
	case "<":
		return v < c.Value
	case "<=":
		return v <= c.Value
	case ">":
		return v > c.Value
	default:
		return v >= c.Value
	}
}

// String writes the condition back in the language ParseCondition reads.
func (c Condition) String() string {
	if c.Op == "" {
		return c.Name
	}
	return c.Name + " " + c.Op + " " + strconv.FormatFloat(c.Value, 'g', -1, 64)
}

// Slug is the condition as a file-name fragment: kim_trump_summit,
// dprk_rus_end-lt-4.
func (c Condition) Slug() string {
	if c.Op == "" {
		return c.Name
	}
	word := map[string]string{"<": "lt", "<=": "le", ">": "gt", ">=": "ge"}[c.Op]
	v := strings.NewReplacer("-", "m", "+", "").Replace(strconv.FormatFloat(c.Value, 'g', -1, 64))
	return c.Name + "-" + word + "-" + v
}

// Phrase says what a run with the condition has, for sentences:
// `see “Kim–Trump summit by 2026-12-31”`, `have “DPRK–Russia relation,
// August 2027” below 4`. description is the event's or outcome's.
func (c Condition) Phrase(description string) string {
	if description == "" {
		description = c.Name
	}
	q := "“" + description + "”"
	if c.Op == "" {
		return "see " + q
	}
	if c.Event && ((c.Op == "<" && c.Value <= 1 && c.Value > 0) || (c.Op == "<=" && c.Value < 1 && c.Value >= 0)) {
		return "do not see " + q
	}
	word := map[string]string{"<": "below", "<=": "at or below", ">": "above", ">=": "at or above"}[c.Op]
	return "have " + q + " " + word + " " + strconv.FormatFloat(c.Value, 'g', 4, 64)
}

func list(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

func example(names []string, fallback string) string {
	if len(names) > 0 {
		return names[0]
	}
	return fallback
}

func exampleCmp(outcomes []string) string {
	if len(outcomes) > 0 {
		return "\"" + outcomes[0] + " < 0\""
	}
	return "\"dprk_rus_end < 4\""
}
