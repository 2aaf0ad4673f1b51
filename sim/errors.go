package sim

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/geosim/geosim/sim/dist"
)

// Problem is one thing wrong with a scenario, located by the dotted path
// of the key it concerns (e.g. "trade.DPRK.CHN"). Package sim/scenario
// turns paths into file:line positions.
type Problem struct {
	Path string
	Msg  string
	More int // > 0: this entry stands for More further problems not listed
}

// MaxProblems is how many problems are listed at most; beyond it they
// are only counted (a file of 300,000 unknown keys gave 300,000 lines
// and took 22 s to explain them all).
const MaxProblems = 100

// MoreProblems returns the entry that stands for n problems not listed.
func MoreProblems(n int) *Problem {
	return &Problem{More: n, Msg: fmt.Sprintf("… and %d more problems not shown: fix these first", n)}
}

func (p *Problem) Error() string {
	if p.Path == "" {
		return p.Msg
	}
	return p.Path + ": " + p.Msg
}

// Problems is every problem found in a scenario, in the order found. It
// is returned as an error so that all of them can be reported at once.
type Problems []*Problem

func (ps Problems) Error() string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Error()
	}
	return strings.Join(msgs, "\n")
}

// AsProblems returns the problems in err: all of them for a Problems, one
// for a *Problem, nil otherwise.
func AsProblems(err error) Problems {
	var ps Problems
	if errors.As(err, &ps) {
		return ps
	}
	var p *Problem
	if errors.As(err, &p) {
		return Problems{p}
	}
	return nil
}

type problemList struct {
	list Problems
	more int // problems beyond MaxProblems, counted only
}

// full reports whether further problems are only counted: callers skip
// costly explanations (did-you-mean hints) then.
func (l *problemList) full() bool { return len(l.list) >= MaxProblems }

func (l *problemList) add(path, format string, args ...any) {
	if l.full() {
		l.more++
		return
	}
	l.list = append(l.list, &Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
}

// addDist adds the validation problem of a distribution, pointing at the
// offending sub-key ("trade.DPRK.CHN.max") when the dist names one.
func (l *problemList) addDist(path string, err error) {
	var fe *dist.FieldError
	if errors.As(err, &fe) {
		l.add(path+"."+fe.Field, "%s", fe.Msg)
		return
	}
	l.add(path, "%v", err)
}

func (l *problemList) err() error {
	if len(l.list) == 0 {
		return nil
	}
	if l.more > 0 {
		return append(l.list, MoreProblems(l.more))
	}
	return l.list
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
