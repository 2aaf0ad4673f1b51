package sim

import (
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/geosim/geosim/internal/suggest"
	"github.com/geosim/geosim/sim/dist"
)

// Param is one numeric parameter of a compiled model: its dotted path,
// its distribution and the range its values must lie in. Every Param has
// a slot in the parameter vector a run works on.
type Param struct {
	Path  string
	Dist  dist.Dist
	Field Field  // meaning, unit, allowed range
	key   uint64 // FNV-1a hash of Path: names this parameter's random stream
}

// Uncertain reports whether the parameter is sampled per run.
func (p Param) Uncertain() bool { return !dist.IsFixed(p.Dist) }

// PathKey formats path segments as a dotted path, quoting a segment that
// itself contains a dot (shock effect targets).
func PathKey(segments ...string) string {
	quoted := make([]string, len(segments))
	for i, s := range segments {
		if strings.ContainsAny(s, ". \"") || s == "" {
			s = `"` + s + `"`
		}
		quoted[i] = s
	}
	return strings.Join(quoted, ".")
}

func pathHash(path string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(path))
	return h.Sum64()
}

// paramTable assigns slots to parameters as Compile registers them.
type paramTable struct {
	params []Param
	byPath map[string]int
}

func (t *paramTable) add(path string, d dist.Dist, f Field) int {
	if d == nil {
		d = dist.Fixed{Value: f.Default}
	}
	t.byPath[path] = len(t.params)
	t.params = append(t.params, Param{Path: path, Dist: d, Field: f, key: pathHash(path)})
	return len(t.params) - 1
}

// Params returns the model's parameters in slot order. The slice must not
// be modified.
func (m *Model) Params() []Param { return m.params }

// Uncertain returns the slots of the parameters sampled per run, in
// declaration order: the order of their columns in runs.csv.
func (m *Model) Uncertain() []int { return m.uncertain }

// ParamIndex returns the slot of the parameter with the given path.
func (m *Model) ParamIndex(path string) (int, bool) {
	i, ok := m.byPath[path]
	return i, ok
}

// ParamPaths returns every parameter path, in slot order.
func (m *Model) ParamPaths() []string {
	paths := make([]string, len(m.params))
	for i, p := range m.params {
		paths[i] = p.Path
	}
	return paths
}

// UnknownPathError returns the error for a path that names no parameter,
// with a did-you-mean hint.
func (m *Model) UnknownPathError(path string) error {
	return fmt.Errorf("no parameter %q%s", path, suggest.Hint(path, m.ParamPaths()))
}

// With returns a copy of the model whose parameters at the given paths
// follow new distributions (dist.Fixed to pin a value). It checks the new
// values as Compile does, reporting every problem at once. Batch
// experiments and sensitivity analysis build on it; m is unchanged.
func (m *Model) With(overrides map[string]dist.Dist) (*Model, error) {
	var probs problemList
	c := *m
	c.params = append([]Param(nil), m.params...)
	for _, path := range sortedKeys(overrides) {
		i, ok := m.byPath[path]
		if !ok {
			if probs.full() {
				probs.more++
			} else {
				probs.add(path, "%v", m.UnknownPathError(path))
			}
			continue
		}
		c.params[i].Dist = overrides[path]
	}
	c.finishParams(&probs)
	if err := probs.err(); err != nil {
		return nil, err
	}
	return &c, nil
}

// MaxTruncatedMass is the largest probability a normal or lognormal
// parameter may put outside the parameter's range. Within it, geosim
// samples the distribution truncated to the range (the change to what
// the analyst wrote is at most this share of the draws); beyond it the
// analyst must say what is meant — a narrower distribution, or
// truncnormal with explicit bounds.
const MaxTruncatedMass = 0.01

// FitToRange returns d as a parameter with field f is sampled: d itself,
// or — for a normal or lognormal whose support exceeds f's range — its
// truncation to the range, or an error explaining why it cannot be.
func FitToRange(d dist.Dist, f Field) (dist.Dist, error) {
	t, ok := d.(dist.Truncatable)
	if !ok {
		return d, nil
	}
	if lo, hi := t.Support(); lo >= f.Min && hi <= f.Max {
		return d, nil
	}
	if out := t.Outside(f.Min, f.Max); !(out <= MaxTruncatedMass) {
		return nil, fmt.Errorf("%s puts %.3g%% of its draws outside the range [%g, %g] (%s); a %s is truncated to the range only when at most %g%% lies outside: narrow it, or write truncnormal with min and max",
			t, 100*out, f.Min, f.Max, f.Unit, t.Kind(), 100*MaxTruncatedMass)
	}
	tr := t.Truncate(f.Min, f.Max)
	if err := tr.Validate(); err != nil {
		return nil, fmt.Errorf("%s truncated to [%g, %g]: %v", t, f.Min, f.Max, err)
	}
	return tr, nil
}

// finishParams validates every parameter's distribution against its
// field's range and the trade rows' sums, then fills the base vector and
// the list of uncertain slots.
func (m *Model) finishParams(probs *problemList) {
	m.base = make([]float64, len(m.params))
	m.uncertain = m.uncertain[:0:0]
	bad := make([]bool, len(m.params))
	for i := range m.params {
		p := &m.params[i]
		if err := p.Dist.Validate(); err != nil {
			probs.addDist(p.Path, err)
			bad[i] = true
			continue
		}
		d, err := FitToRange(p.Dist, p.Field)
		if err != nil {
			probs.add(p.Path, "%v", err)
			bad[i] = true
			continue
		}
		p.Dist = d
		lo, hi := p.Dist.Support()
		if lo < p.Field.Min || hi > p.Field.Max {
			bad[i] = true
			if dist.IsFixed(p.Dist) {
				probs.add(p.Path, "must be in [%g, %g] (%s), got %g", p.Field.Min, p.Field.Max, p.Field.Unit, lo)
			} else {
				probs.add(p.Path, "must be in [%g, %g] (%s), but %s takes values in [%g, %g]",
					p.Field.Min, p.Field.Max, p.Field.Unit, p.Dist, lo, hi)
			}
			continue
		}
		m.base[i] = p.Dist.Mean()
		if p.Uncertain() || m.post.has(i) {
			m.uncertain = append(m.uncertain, i)
		}
	}
	for i := 0; i < m.n; i++ {
		sum, valid := 0.0, true
		for j := 0; j < m.n; j++ {
			if j != i {
				_, hi := m.params[m.tradeSlot(i, j)].Dist.Support()
				sum += hi
				valid = valid && !bad[m.tradeSlot(i, j)]
			}
		}
		if valid && sum > 1+1e-9 {
			probs.add(PathKey("trade", m.actorIDs[i]), "%s's trade shares can sum to %.4g; the shares of one actor's trade must sum to at most 1", m.actorIDs[i], sum)
		}
	}
	if len(m.uncertain) == 0 {
		m.uncertain = nil
	}
	// Runs share parameter draws only when there is something to draw:
	// without uncertain parameters every run is its own replicate.
	m.replicates = m.declaredReplicates
	if m.uncertain == nil {
		m.replicates = 1
	}
	m.post.index(m.uncertain)
}
