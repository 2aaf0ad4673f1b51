package discover

import (
	"context"
	"math"
	"math/rand/v2"
	"sort"
)

// CARTConfig controls the classification tree. Zero values mean the
// defaults given.
type CARTConfig struct {
	// MaxDepth is the deepest the tree grows before pruning (0: 3, so
	// that each leaf restricts at most three parameters, like PRIM's
	// boxes).
	MaxDepth int
	// MinLeaf is the fewest points a leaf may hold (0: 1% of the points,
	// at least 10).
	MinLeaf int
	// Folds is the number of cross-validation folds that choose the
	// pruning (0: 5).
	Folds int
}

func (c CARTConfig) withDefaults() CARTConfig {
	if c.MaxDepth == 0 {
		c.MaxDepth = 3
	}
	if c.Folds == 0 {
		c.Folds = 5
	}
	return c
}

// Node is a node of a tree. A split sends points with x_Param ≤
// Threshold to Left and the others to Right.
type Node struct {
	Param     int     `json:"param"` // -1 for a leaf of the grown tree
	Threshold float64 `json:"threshold"`
	Left      int     `json:"left"`
	Right     int     `json:"right"`
	Depth     int     `json:"depth"`
	Points    int     `json:"points"`
	Hits      int64   `json:"hits"`
	Sum       float64 `json:"sum"` // sum of the points' rates
	SSE       float64 `json:"sse"` // sum of squared deviations of the rates from their mean
	// Pruned marks an internal node that cost-complexity pruning turned
	// into a leaf; its descendants are not part of the pruned tree.
	Pruned bool `json:"pruned"`
	// Box is the region the node covers; Density, Coverage and Mass as
	// for PRIM's boxes.
	Box Box `json:"-"`
}

// Leaf reports whether the node is a leaf of the pruned tree.
func (n *Node) Leaf() bool { return n.Param < 0 || n.Pruned }

// PruneStep is one subtree of the cost-complexity sequence with its
// cross-validated error.
type PruneStep struct {
	Alpha   float64 `json:"alpha"`
	Leaves  int     `json:"leaves"`
	CVError float64 `json:"cv_error"` // mean squared error per point on held-out folds
	CVSE    float64 `json:"cv_se"`
}

// Tree is a regression tree on the points' rates — for 0/1 values, a
// classification tree with the Gini criterion (their impurities are
// proportional) — grown to MaxDepth and pruned by minimal
// cost-complexity (Breiman et al. 1984), at the complexity with the
// smallest cross-validated error.
type Tree struct {
	Nodes   []Node      `json:"nodes"` // Nodes[0] is the root
	Alpha   float64     `json:"alpha"` // the complexity parameter chosen
	Pruning []PruneStep `json:"pruning"`
	// Leaves are the pruned tree's leaves, densest first.
	Leaves []int `json:"leaves"`
}

// treeGrower grows trees over one Data.
type treeGrower struct {
	d      *Data
	cfg    CARTConfig
	y      []float64
	nodeOf []int32 // per point: the node it is in, -1 if not used
	nodes  []Node
}

// grow builds the unpruned tree over the points with use[i].
func (g *treeGrower) grow(use []bool) []Node {
	g.nodes = g.nodes[:0:0]
	root := Node{Param: -1}
	for i, u := range use {
		g.nodeOf[i] = -1
		if u {
			g.nodeOf[i] = 0
			root.Points++
			root.Hits += int64(g.d.Hits[i])
			root.Sum += g.y[i]
		}
	}
	g.nodes = append(g.nodes, root)
	g.nodes[0].SSE = g.sse(0)
	for t := 0; t < len(g.nodes); t++ {
		if g.nodes[t].Depth < g.cfg.MaxDepth {
			g.split(t)
		}
	}
	return g.nodes
}

func (g *treeGrower) sse(t int) float64 {
	var sum, sumSq float64
	for i, nd := range g.nodeOf {
		if int(nd) == t {
			sum += g.y[i]
			sumSq += g.y[i] * g.y[i]
		}
	}
	n := float64(g.nodes[t].Points)
	return math.Max(0, sumSq-sum*sum/n)
}

// split finds the best split of node t by reduction of squared error and
// applies it if it reduces the error and leaves MinLeaf points on each
// side.
func (g *treeGrower) split(t int) {
	nd := &g.nodes[t]
	if nd.Points < 2*g.cfg.MinLeaf || nd.SSE <= 1e-12 {
		return
	}
	n := float64(nd.Points)
	bestGain, bestJ, bestThr := 1e-12*math.Max(1, nd.SSE), -1, 0.0
	for j, ord := range g.d.order {
		xj := g.d.X[j]
		var cnt int
		var sum, sumSq float64
		totSum := nd.Sum
		var totSq float64
		for _, i := range ord {
			if int(g.nodeOf[i]) == t {
				totSq += g.y[i] * g.y[i]
			}
		}
		prev := math.NaN()
		for _, i := range ord {
			if int(g.nodeOf[i]) != t {
				continue
			}
			v := xj[i]
			if cnt >= g.cfg.MinLeaf && int(n)-cnt >= g.cfg.MinLeaf && v != prev {
				left := sumSq - sum*sum/float64(cnt)
				rs := totSum - sum
				right := (totSq - sumSq) - rs*rs/(n-float64(cnt))
				if gain := nd.SSE - left - right; gain > bestGain {
					bestGain, bestJ, bestThr = gain, j, (prev+v)/2
				}
			}
			cnt++
			sum += g.y[i]
			sumSq += g.y[i] * g.y[i]
			prev = v
		}
	}
	if bestJ < 0 {
		return
	}
	l, r := len(g.nodes), len(g.nodes)+1
	left, right := Node{Param: -1, Depth: nd.Depth + 1}, Node{Param: -1, Depth: nd.Depth + 1}
	for i, node := range g.nodeOf {
		if int(node) != t {
			continue
		}
		side := &left
		g.nodeOf[i] = int32(l)
		if g.d.X[bestJ][i] > bestThr {
			side = &right
			g.nodeOf[i] = int32(r)
		}
		side.Points++
		side.Hits += int64(g.d.Hits[i])
		side.Sum += g.y[i]
	}
	nd.Param, nd.Threshold, nd.Left, nd.Right = bestJ, bestThr, l, r
	g.nodes = append(g.nodes, left, right)
	g.nodes[l].SSE = g.sse(l)
	g.nodes[r].SSE = g.sse(r)
}

// pruneSequence returns the weakest-link sequence of a grown tree: the
// complexity values α_0 = 0 < α_1 < … at which internal nodes collapse,
// and, per node, the α at which it collapses (+Inf for leaves).
func pruneSequence(nodes []Node) (alphas []float64, collapseAt []float64) {
	collapseAt = make([]float64, len(nodes))
	pruned := make([]bool, len(nodes))
	for t := range collapseAt {
		collapseAt[t] = math.Inf(1)
	}
	alphas = []float64{0}
	// subtree returns the error and leaf count of t's current subtree.
	var subtree func(t int) (float64, int)
	subtree = func(t int) (float64, int) {
		if nodes[t].Param < 0 || pruned[t] {
			return nodes[t].SSE, 1
		}
		el, nl := subtree(nodes[t].Left)
		er, nr := subtree(nodes[t].Right)
		return el + er, nl + nr
	}
	for {
		best, bestG := -1, math.Inf(1)
		var walk func(t int)
		walk = func(t int) {
			if nodes[t].Param < 0 || pruned[t] {
				return
			}
			e, leaves := subtree(t)
			if g := (nodes[t].SSE - e) / float64(leaves-1); g < bestG {
				best, bestG = t, g
			}
			walk(nodes[t].Left)
			walk(nodes[t].Right)
		}
		walk(0)
		if best < 0 {
			return alphas, collapseAt
		}
		bestG = math.Max(bestG, alphas[len(alphas)-1])
		var mark func(t int)
		mark = func(t int) {
			if nodes[t].Param < 0 || pruned[t] {
				return
			}
			pruned[t] = true
			collapseAt[t] = bestG
			mark(nodes[t].Left)
			mark(nodes[t].Right)
		}
		mark(best)
		if bestG > alphas[len(alphas)-1] {
			alphas = append(alphas, bestG)
		}
	}
}

// predict returns the mean rate of the leaf point i falls in, in the
// tree pruned at α.
func predict(nodes []Node, collapseAt []float64, alpha float64, x [][]float64, i int) float64 {
	t := 0
	for nodes[t].Param >= 0 && collapseAt[t] > alpha {
		if x[nodes[t].Param][i] <= nodes[t].Threshold {
			t = nodes[t].Left
		} else {
			t = nodes[t].Right
		}
	}
	return nodes[t].Sum / float64(nodes[t].Points)
}

// GrowCART grows and prunes the tree on all points. seed assigns the
// cross-validation folds.
func GrowCART(ctx context.Context, d *Data, cfg CARTConfig, seed uint64) (*Tree, error) {
	cfg = cfg.withDefaults()
	n := d.Points()
	if cfg.MinLeaf == 0 {
		cfg.MinLeaf = max(10, n/100)
	}
	g := &treeGrower{d: d, cfg: cfg, y: make([]float64, n), nodeOf: make([]int32, n)}
	for i := range g.y {
		g.y[i] = d.Y(i)
	}
	use := make([]bool, n)
	for i := range use {
		use[i] = true
	}
	nodes := append([]Node(nil), g.grow(use)...)
	alphas, collapseAt := pruneSequence(nodes)
	tree := &Tree{Nodes: nodes}

	// Cross-validation: each candidate α_k is represented by the
	// geometric mean of it and the next (Breiman et al. 1984, 3.4.2).
	betas := make([]float64, len(alphas))
	for k := range alphas {
		if k+1 < len(alphas) {
			betas[k] = math.Sqrt(alphas[k] * alphas[k+1])
		} else {
			betas[k] = math.Inf(1)
		}
	}
	fold := make([]int, n)
	perm := rand.New(rand.NewPCG(seed, 0xca27)).Perm(n)
	for r, i := range perm {
		fold[i] = r % cfg.Folds
	}
	errs := make([][]float64, len(betas)) // per β: per point squared error
	for k := range errs {
		errs[k] = make([]float64, n)
	}
	for f := 0; f < cfg.Folds; f++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for i := range use {
			use[i] = fold[i] != f
		}
		fnodes := g.grow(use)
		_, fcollapse := pruneSequence(fnodes)
		for i := 0; i < n; i++ {
			if fold[i] != f {
				continue
			}
			for k, b := range betas {
				e := g.y[i] - predict(fnodes, fcollapse, b, d.X, i)
				errs[k][i] = e * e
			}
		}
	}
	best := 0
	for k := range betas {
		mean, se := meanSE(errs[k])
		leaves := 0
		for t := range nodes {
			if (nodes[t].Param < 0 || collapseAt[t] <= alphas[k]) && ancestorsOpen(nodes, collapseAt, alphas[k], t) {
				leaves++
			}
		}
		tree.Pruning = append(tree.Pruning, PruneStep{Alpha: alphas[k], Leaves: leaves, CVError: mean, CVSE: se})
		if mean < tree.Pruning[best].CVError {
			best = k
		}
	}
	// The complexity with the smallest cross-validated error. Breiman's
	// one-standard-error rule would take the simplest tree within one SE
	// of it; for rare conditions it usually prunes to the root, leaving
	// nothing to compare with PRIM. Pruning lists both.
	choice := best
	tree.Alpha = alphas[choice]
	var sAll float64
	for _, v := range g.y {
		sAll += v
	}
	var mark func(t int, lo, hi []float64, open bool)
	mark = func(t int, lo, hi []float64, open bool) {
		nd := &tree.Nodes[t]
		nd.Box = Box{Lo: lo, Hi: hi, Weight: float64(nd.Points), Sum: nd.Sum, Mass: float64(nd.Points) / float64(n)}
		for j := range lo {
			if nd.Box.Restricted(j) {
				nd.Box.Dims++
			}
		}
		if nd.Points > 0 {
			nd.Box.Density = nd.Sum / float64(nd.Points)
		}
		if sAll > 0 {
			nd.Box.Coverage = nd.Sum / sAll
		}
		if nd.Param < 0 {
			if open {
				tree.Leaves = append(tree.Leaves, t)
			}
			return
		}
		nd.Pruned = collapseAt[t] <= tree.Alpha
		if open && nd.Pruned {
			tree.Leaves = append(tree.Leaves, t)
		}
		llo, lhi := append([]float64(nil), lo...), append([]float64(nil), hi...)
		lhi[nd.Param] = math.Min(lhi[nd.Param], nd.Threshold)
		rlo, rhi := append([]float64(nil), lo...), append([]float64(nil), hi...)
		rlo[nd.Param] = math.Max(rlo[nd.Param], nd.Threshold)
		mark(nd.Left, llo, lhi, open && !nd.Pruned)
		mark(nd.Right, rlo, rhi, open && !nd.Pruned)
	}
	lo, hi := make([]float64, len(d.Params)), make([]float64, len(d.Params))
	for j := range lo {
		lo[j], hi[j] = math.Inf(-1), math.Inf(1)
	}
	mark(0, lo, hi, true)
	sort.SliceStable(tree.Leaves, func(a, b int) bool {
		return tree.Nodes[tree.Leaves[a]].Box.Density > tree.Nodes[tree.Leaves[b]].Box.Density
	})
	return tree, nil
}

// ancestorsOpen reports whether no proper ancestor of t is collapsed at α.
func ancestorsOpen(nodes []Node, collapseAt []float64, alpha float64, t int) bool {
	if t == 0 {
		return true
	}
	for p := range nodes {
		if nodes[p].Param >= 0 && (nodes[p].Left == t || nodes[p].Right == t) {
			return collapseAt[p] > alpha && ancestorsOpen(nodes, collapseAt, alpha, p)
		}
	}
	return true
}

func meanSE(xs []float64) (mean, se float64) {
	n := float64(len(xs))
	for _, x := range xs {
		mean += x
	}
	mean /= n
	var v float64
	for _, x := range xs {
		v += (x - mean) * (x - mean)
	}
	if n > 1 {
		se = math.Sqrt(v / (n - 1) / n)
	}
	return mean, se
}
