package discover

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/mathext"

	"github.com/geosim/geosim/sim/stats"
)

// Config controls a discovery. Zero values mean the defaults given.
type Config struct {
	Prim PrimConfig
	CART CARTConfig
	// MaxBoxes is the largest number of boxes PRIM's covering finds, each
	// among the points the earlier boxes left (0: 3). Covering stops
	// early at a box that is not significant, restricts nothing, or is
	// no denser than the data as a whole.
	MaxBoxes int
	// Permutations is the number of permutations of the condition across
	// points for each box's significance test (0: 99; negative: none).
	Permutations int
	// Bootstrap is the number of bootstrap resamples of the points for
	// each box's stability (0: 50; negative: none).
	Bootstrap int
	// Seed selects the permutations, resamples and CART's folds.
	Seed uint64
	// Workers is the number of goroutines; 0 means GOMAXPROCS. Results do
	// not depend on it.
	Workers int
}

func (c Config) withDefaults() Config {
	c.Prim = c.Prim.withDefaults()
	c.CART = c.CART.withDefaults()
	if c.MaxBoxes == 0 {
		c.MaxBoxes = 3
	}
	if c.Permutations == 0 {
		c.Permutations = 99
	}
	if c.Bootstrap == 0 {
		c.Bootstrap = 50
	}
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	return c
}

// Rate is how often the condition held among some runs, with a 95%
// interval: Wilson's with one run per point; with replicates, the mean
// of the points' rates ± 1.96 standard errors of that mean, the standard
// error taken from the spread of the point rates, so that it counts both
// the model's randomness and the draw of the points.
type Rate struct {
	Points int64   `json:"points"`
	Runs   int64   `json:"runs"`
	Hits   int64   `json:"hits"`
	Value  float64 `json:"value"`
	Lo     float64 `json:"lo95"`
	Hi     float64 `json:"hi95"`
	SE     float64 `json:"se"`
}

// Significance threshold for the permutation test.
const alphaSignificance = 0.05

// Found is one box of PRIM's covering.
type Found struct {
	Search
	// Box is the chosen box after pasting; its Coverage is relative to
	// every case in the data, its Density to the points it holds among
	// those the earlier boxes left.
	Box Box
	// Start is the condition's rate among the points the search began
	// with (all points for the first box).
	Start Rate
	// Rate is the condition's rate inside the box, with its interval. It
	// is measured on the points that chose the box and is therefore
	// optimistic; the permutation test says how optimistic.
	Rate Rate
	// Lift is the box's density over the unconditional rate.
	Lift float64
	// QuasiP is, per parameter, the one-sided p-value of the box against
	// the same box without that parameter's restriction (Bryant & Lempert
	// 2010; with one run per point the binomial test of EMA Workbench's
	// prim, with replicates a test on the point rates: see quasiP); NaN
	// for a parameter the box does not restrict.
	QuasiP []float64
	// Permutation tests the box against what PRIM finds when the
	// condition is shuffled across points (nil when not run).
	Permutation *Permutation
	// Bootstrap describes how stable the box is under resampling of the
	// points (nil when not run).
	Bootstrap *Bootstrap
}

// Significant reports whether the permutation test rejects, at the 5%
// level, that the box's density is what PRIM finds in noise.
func (f *Found) Significant() bool {
	return f.Permutation != nil && f.Permutation.P <= alphaSignificance
}

// Permutation is a box's permutation test: the whole search — peeling,
// the choice rule, pasting — rerun on the same points with the
// condition's values shuffled among them, which keeps the rate and
// breaks any link with the parameters. P is the share of searches, the
// observed one included, whose box is at least as dense
// ((1 + #{null ≥ observed}) / (1 + permutations)): a p-value that counts
// PRIM's own search for the densest box, unlike the naive interval.
type Permutation struct {
	Permutations int     `json:"permutations"`
	P            float64 `json:"p"`
	NullMean     float64 `json:"null_mean_density"`
	Null95       float64 `json:"null_p95_density"`
}

// Bootstrap is a box's stability: the search rerun on resamples of its
// points drawn with replacement (each point with all its runs).
type Bootstrap struct {
	Resamples int `json:"resamples"`
	// Restricted is, per parameter, the share of resampled boxes that
	// restrict it.
	Restricted []float64 `json:"restricted"`
	// Lo and Hi are, per parameter, the 2.5% and 97.5% percentiles of
	// the lower and upper limits among the resampled boxes that restrict
	// that side (NaN when none does).
	Lo [][2]float64 `json:"lo"`
	Hi [][2]float64 `json:"hi"`
	// Jaccard is the mean overlap |A∩B|/|A∪B| between the box's points
	// and the resampled box's points, both among the original points:
	// 1 means the resampled boxes hold the same points.
	Jaccard float64 `json:"jaccard"`
}

// Result is a discovery.
type Result struct {
	Config Config
	Params []string
	Points int
	Runs   int  // runs per point
	Rate   Rate // the condition's unconditional rate
	Boxes  []Found
	CART   *Tree
	// Warnings are problems the reader must know about: no box, a box no
	// better than noise, too few cases.
	Warnings []string
	// Notes explain why covering stopped.
	Notes []string
}

// Analyse finds boxes where the condition is frequent with PRIM
// (Friedman & Fisher 1999) in the covering form used for scenario
// discovery (Bryant & Lempert 2010), tests and resamples each box, and
// grows a CART tree for comparison. It is deterministic for a given
// Data and Config, whatever the number of workers.
func Analyse(ctx context.Context, d *Data, cfg Config) (*Result, error) {
	cfg = cfg.withDefaults()
	n := d.Points()
	res := &Result{Config: cfg, Params: d.Params, Points: n, Runs: d.Runs}
	all := make([]int32, n)
	for i := range all {
		all[i] = 1
	}
	res.Rate = rateOf(d, all)
	if res.Rate.Hits == 0 || res.Rate.Hits == res.Rate.Runs {
		word := "never"
		if res.Rate.Hits > 0 {
			word = "always"
		}
		res.Warnings = append(res.Warnings, fmt.Sprintf("the condition %s holds in these %d runs: there is nothing to discover", word, res.Rate.Runs))
		return res, nil
	}
	if res.Rate.Hits < 20 || res.Rate.Runs-res.Rate.Hits < 20 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("only %d of %d runs meet the condition (%d do not): boxes rest on very few cases", res.Rate.Hits, res.Rate.Runs, res.Rate.Runs-res.Rate.Hits))
	}
	y := make([]float64, n)
	var sAll float64
	for i := range y {
		y[i] = d.Y(i)
		sAll += y[i]
	}
	active := append([]int32(nil), all...)
	s := newSearcher(d, cfg.Prim)
	for k := 0; k < cfg.MaxBoxes; k++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		start := rateOf(d, active)
		if start.Hits == 0 {
			break
		}
		s.reset(y, active, float64(n), sAll)
		search := s.search()
		if search.Chosen == 0 {
			if k == 0 {
				res.Warnings = append(res.Warnings, "PRIM found no box denser than the data as a whole with the coverage asked for")
			}
			break
		}
		f := Found{Search: search, Box: search.Pasted, Start: start}
		if k > 0 && f.Box.Density <= res.Rate.Value {
			// A later box is dense only relative to what earlier boxes
			// left; it does not say where the condition is frequent.
			res.Notes = append(res.Notes, fmt.Sprintf("covering stopped after %d box(es): the next box's density (%.1f%%) is not above the overall rate (%.1f%%)", k, 100*f.Box.Density, 100*res.Rate.Value))
			break
		}
		f.QuasiP = s.quasiP(d)
		inBox := make([]int32, n)
		for i := range inBox {
			if active[i] > 0 && f.Box.Contains(d.X, i) {
				inBox[i] = 1
			}
		}
		f.Rate = rateOf(d, inBox)
		f.Lift = f.Box.Density / res.Rate.Value
		perm, boot, err := resample(ctx, d, cfg, k, y, active, float64(n), sAll, f.Box)
		if err != nil {
			return nil, err
		}
		f.Permutation, f.Bootstrap = perm, boot
		res.Boxes = append(res.Boxes, f)
		if perm != nil && !f.Significant() {
			res.Warnings = append(res.Warnings, fmt.Sprintf("box %d is no denser than the boxes PRIM finds when the condition is shuffled across points (permutation p = %.2f; shuffled boxes: mean density %.1f%%, 95th percentile %.1f%%): it may describe noise, not the parameters", k+1, perm.P, 100*perm.NullMean, 100*perm.Null95))
			break
		}
		for i := range active {
			if inBox[i] > 0 {
				active[i] = 0
			}
		}
	}
	tree, err := GrowCART(ctx, d, cfg.CART, cfg.Seed)
	if err != nil {
		return nil, err
	}
	res.CART = tree
	return res, nil
}

// rateOf is the condition's rate among the points with w > 0.
func rateOf(d *Data, w []int32) Rate {
	var r Rate
	var sum, sumSq float64
	for i, m := range w {
		if m == 0 {
			continue
		}
		r.Points++
		r.Hits += int64(d.Hits[i])
		y := d.Y(i)
		sum += y
		sumSq += y * y
	}
	r.Runs = r.Points * int64(d.Runs)
	if r.Points == 0 {
		r.Value, r.Lo, r.Hi, r.SE = math.NaN(), math.NaN(), math.NaN(), math.NaN()
		return r
	}
	r.Value = float64(r.Hits) / float64(r.Runs)
	if d.Runs == 1 {
		p := stats.Proportion{Successes: r.Hits, Trials: r.Runs}
		r.Lo, r.Hi = p.Wilson95()
		r.SE = p.SE()
		return r
	}
	m := float64(r.Points)
	if r.Points > 1 {
		v := math.Max(0, (sumSq-sum*sum/m)/(m-1))
		r.SE = math.Sqrt(v / m)
	}
	r.Lo = math.Max(0, r.Value-stats.Z95*r.SE)
	r.Hi = math.Min(1, r.Value+stats.Z95*r.SE)
	return r
}

// quasiP computes the box's quasi-p-values from the searcher's current
// box (its viol counts). For each restricted parameter j it compares the
// box's rate with the rate r_j of the box without j's restriction, taken
// as known. With one run per point it is EMA Workbench's one-sided
// binomial test, P(X ≥ hits | runs in box, r_j). With replicates the
// runs of a point share its parameters and are not independent trials,
// so the test is on points instead: a one-sided z-test of the mean of the
// point rates in the box against r_j, with the standard error from their
// spread.
func (s *searcher) quasiP(d *Data) []float64 {
	p := len(s.lo)
	qp := make([]float64, p)
	var restricted []int
	for j := range qp {
		qp[j] = math.NaN()
		if s.restricted(j) {
			restricted = append(restricted, j)
		}
	}
	relaxedRuns, relaxedHits := make([]int64, p), make([]int64, p)
	var boxRuns, boxHits, boxPoints int64
	var sum, sumSq float64
	for i, m := range s.w {
		if m == 0 || s.viol[i] > 1 {
			continue
		}
		runs, hits := int64(m)*int64(d.Runs), int64(m)*int64(d.Hits[i])
		if s.viol[i] == 0 {
			boxRuns += runs
			boxHits += hits
			boxPoints += int64(m)
			y := d.Y(i)
			sum += float64(m) * y
			sumSq += float64(m) * y * y
			for _, j := range restricted {
				relaxedRuns[j] += runs
				relaxedHits[j] += hits
			}
			continue
		}
		for _, j := range restricted {
			if x := d.X[j][i]; x < s.lo[j] || x > s.hi[j] {
				relaxedRuns[j] += runs
				relaxedHits[j] += hits
				break
			}
		}
	}
	for _, j := range restricted {
		rate := float64(relaxedHits[j]) / float64(relaxedRuns[j])
		if d.Runs == 1 {
			qp[j] = binomialUpper(boxHits, boxRuns, rate)
			continue
		}
		m := float64(boxPoints)
		mean := sum / m
		se := math.Sqrt(math.Max(0, (sumSq-sum*sum/m)/(m-1)) / m)
		switch {
		case boxPoints < 2 || se == 0:
			qp[j] = 0.5
			if mean > rate {
				qp[j] = 0
			} else if mean < rate {
				qp[j] = 1
			}
		default:
			qp[j] = 0.5 * math.Erfc((mean-rate)/se/math.Sqrt2)
		}
	}
	return qp
}

// binomialUpper returns P(X ≥ k) for X ~ Binomial(n, p), through the
// regularized incomplete beta function: P(X ≥ k) = I_p(k, n−k+1).
func binomialUpper(k, n int64, p float64) float64 {
	switch {
	case k <= 0:
		return 1
	case k > n:
		return 0
	case p <= 0:
		return 0
	case p >= 1:
		return 1
	}
	return mathext.RegIncBeta(float64(k), float64(n-k+1), p)
}

// resample runs a box's permutation test and bootstrap in parallel. Task
// t draws from its own stream (Seed, box·2³² + t) and results are stored
// by task, so they do not depend on the number of workers.
func resample(ctx context.Context, d *Data, cfg Config, box int, y []float64, active []int32, wAll, sAll float64, found Box) (*Permutation, *Bootstrap, error) {
	perms, boots := max(cfg.Permutations, 0), max(cfg.Bootstrap, 0)
	tasks := perms + boots
	if tasks == 0 {
		return nil, nil, nil
	}
	var act []int32
	for i, m := range active {
		if m > 0 {
			act = append(act, int32(i))
		}
	}
	inFound := make([]bool, len(act))
	for k, i := range act {
		inFound[k] = found.Contains(d.X, int(i))
	}
	nullDensity := make([]float64, perms)
	bootBoxes := make([]Box, boots)
	jaccard := make([]float64, boots)
	var next atomic.Int64
	var wg sync.WaitGroup
	for wk := 0; wk < min(cfg.Workers, tasks); wk++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := newSearcher(d, cfg.Prim)
			yp := make([]float64, len(y))
			w := make([]int32, len(active))
			vals := make([]float64, len(act))
			for ctx.Err() == nil {
				t := int(next.Add(1) - 1)
				if t >= tasks {
					return
				}
				rng := rand.New(rand.NewPCG(cfg.Seed, uint64(box)<<32|uint64(t)))
				if t < perms {
					copy(yp, y)
					for k, i := range act {
						vals[k] = y[i]
					}
					rng.Shuffle(len(vals), func(a, b int) { vals[a], vals[b] = vals[b], vals[a] })
					for k, i := range act {
						yp[i] = vals[k]
					}
					s.reset(yp, active, wAll, sAll)
					nullDensity[t] = s.search().Pasted.Density
					continue
				}
				b := t - perms
				clear(w)
				for range act {
					w[act[rng.IntN(len(act))]]++
				}
				s.reset(y, w, wAll, sAll)
				bx := s.search().Pasted
				bootBoxes[b] = bx
				var both, either int
				for k, i := range act {
					in := bx.Contains(d.X, int(i))
					if in && inFound[k] {
						both++
					}
					if in || inFound[k] {
						either++
					}
				}
				if either > 0 {
					jaccard[b] = float64(both) / float64(either)
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	var perm *Permutation
	if perms > 0 {
		perm = &Permutation{Permutations: perms}
		ge := 0
		for _, v := range nullDensity {
			perm.NullMean += v / float64(perms)
			if v >= found.Density-1e-12 {
				ge++
			}
		}
		perm.P = float64(1+ge) / float64(1+perms)
		perm.Null95 = quantile(nullDensity, 0.95)
	}
	var boot *Bootstrap
	if boots > 0 {
		p := len(d.Params)
		boot = &Bootstrap{Resamples: boots, Restricted: make([]float64, p), Lo: make([][2]float64, p), Hi: make([][2]float64, p)}
		for _, v := range jaccard {
			boot.Jaccard += v / float64(boots)
		}
		for j := 0; j < p; j++ {
			var los, his []float64
			restricted := 0
			for _, b := range bootBoxes {
				if b.Restricted(j) {
					restricted++
				}
				if !math.IsInf(b.Lo[j], -1) {
					los = append(los, b.Lo[j])
				}
				if !math.IsInf(b.Hi[j], 1) {
					his = append(his, b.Hi[j])
				}
			}
			boot.Restricted[j] = float64(restricted) / float64(boots)
			boot.Lo[j] = [2]float64{quantile(los, 0.025), quantile(los, 0.975)}
			boot.Hi[j] = [2]float64{quantile(his, 0.025), quantile(his, 0.975)}
		}
	}
	return perm, boot, nil
}

// quantile returns the q-quantile of xs by linear interpolation (NaN for
// none). xs is not modified.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	pos := q * float64(len(s)-1)
	lo := int(math.Floor(pos))
	hi := min(lo+1, len(s)-1)
	return s[lo] + (pos-float64(lo))*(s[hi]-s[lo])
}
