package scenario

import (
	"fmt"
	"sort"
	"strings"

	"github.com/geosim/geosim/sim"
)

// Error is one problem in a scenario file, positioned by file, line and
// key path: "scenarios/x.toml:14: trade.DPRK.CHN: a trade share must be
// in [0, 1]". Line is 0 when the problem concerns the file as a whole.
type Error struct {
	File string
	Line int
	Path string // dotted key path, e.g. "trade.DPRK.CHN"
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is every problem found in a scenario, sorted by file and
// line. It is returned as one error.
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// positioned turns located-by-path problems into positioned errors,
// dropping exact duplicates, sorted by line; at most sim.MaxProblems,
// then one line counting the rest.
func positioned(file string, ix lineIndex, probs sim.Problems) ErrorList {
	var out ErrorList
	seen := map[string]bool{}
	more := 0
	for _, p := range probs {
		if p.More > 0 {
			more += p.More
			continue
		}
		e := &Error{File: file, Line: ix.line(p.Path), Path: p.Path, Msg: p.Msg}
		if k := e.Error(); !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	if len(out) > sim.MaxProblems {
		more += len(out) - sim.MaxProblems
		out = out[:sim.MaxProblems]
	}
	if more > 0 {
		out = append(out, &Error{File: file, Msg: sim.MoreProblems(more).Msg})
	}
	return out
}
