package plots

import (
	"fmt"
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/geosim/geosim/output"
)

// outcomeAxis names an outcome's value axis by its unit (the title names
// the outcome itself).
func outcomeAxis(o output.OutcomeSummary) string {
	switch o.Kind {
	case "relation", "stance":
		return "Goldstein scale, −10 hostile to +10 friendly"
	case "count":
		return "Months (actions chosen, at most one per partner per month)"
	}
	unit, _, _ := strings.Cut(o.Unit, ",")
	return capitalize(unit)
}

// split is a shock's conditional view of one outcome: its counts per
// condition on the outcome's histogram bins.
type split struct {
	shock  output.ShockConditional
	counts [3][]int64
	share  float64 // share of the outcome's variance between the conditions
}

// minExplained is the share of an outcome's variance a shock's
// conditions must explain for its distribution to be shown split by
// them.
const minExplained = 0.15

// bestSplit returns the shock whose conditions explain the largest share
// of the outcome's variance (between-condition variance over total, from
// the histogram's bin centres), if any explains at least minExplained.
func bestSplit(s *output.Summary, o output.OutcomeSummary) *split {
	var best *split
	for _, sc := range s.Conditional {
		sp := split{shock: sc}
		ok := len(sc.Conditions) == 3
		for c := 0; ok && c < 3; c++ {
			for _, co := range sc.Conditions[c].Outcomes {
				if co.Name == o.Name && len(co.Counts) == len(o.Histogram.Counts) {
					sp.counts[c] = co.Counts
				}
			}
			ok = sc.Conditions[c].Runs == 0 || sp.counts[c] != nil
		}
		if !ok {
			continue
		}
		sp.share = explained(o.Histogram, sp.counts)
		if sp.share >= minExplained && (best == nil || sp.share > best.share) {
			best = &sp
		}
	}
	return best
}

// explained returns the share of the variance of the values counted in
// h that lies between the groups of counts (bin centres stand for the
// values).
func explained(h output.Histogram, groups [3][]int64) float64 {
	centre := func(i int) float64 { return float64(h.Edges[i]) + float64(h.Width)/2 }
	var n, sum, sq float64
	for i, c := range h.Counts {
		x := centre(i)
		n += float64(c)
		sum += float64(c) * x
		sq += float64(c) * x * x
	}
	if n == 0 {
		return 0
	}
	mean := sum / n
	total := sq/n - mean*mean
	if !(total > 0) {
		return 0
	}
	between := 0.0
	for _, g := range groups {
		var gn, gs float64
		for i, c := range g {
			gn += float64(c)
			gs += float64(c) * centre(i)
		}
		if gn > 0 {
			d := gs/gn - mean
			between += gn / n * d * d
		}
	}
	return between / total
}

// conditionLabel names a condition of a shock for keys and panels:
// "Ukraine ceasefire: Sep 2025 – Aug 2026 (41% of runs)", "Ukraine
// ceasefire: not by Aug 2027 (33%)".
func conditionLabel(sc output.ShockConditional, c int) string {
	cond := sc.Conditions[c]
	share := percent(float64(cond.Share))
	if c == 2 {
		return fmt.Sprintf("%s: not by %s (%s)", sc.Label, monthLabel(sc.Conditions[1].By), share)
	}
	return fmt.Sprintf("%s: %s – %s (%s)", sc.Label, monthLabel(cond.From), monthLabel(cond.By), share)
}

// stackedHist draws a histogram whose bars are split into the parts of
// each condition, bottom to top.
type stackedHist struct {
	edges  []float64
	width  float64
	parts  [][]float64 // [condition][bin], in % of runs
	colors []color.NRGBA
}

func (s stackedHist) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i, e := range s.edges {
		base := 0.0
		for k, part := range s.parts {
			top := base + part[i]
			if part[i] > 0 {
				x0, x1 := trX(e), trX(e+s.width)
				c.FillPolygon(s.colors[k], c.ClipPolygonXY([]vg.Point{{X: x0, Y: trY(base)}, {X: x1, Y: trY(base)}, {X: x1, Y: trY(top)}, {X: x0, Y: trY(top)}}))
				c.StrokeLines(draw.LineStyle{Color: color.White, Width: vg.Points(0.5)}, []vg.Point{{X: x0, Y: trY(base)}, {X: x0, Y: trY(top)}})
			}
			base = top
		}
	}
}

func (s stackedHist) DataRange() (xmin, xmax, ymin, ymax float64) {
	ymax = 0
	for i := range s.edges {
		t := 0.0
		for _, part := range s.parts {
			t += part[i]
		}
		ymax = max(ymax, t)
	}
	return s.edges[0], s.edges[len(s.edges)-1] + s.width, 0, ymax
}

// Distribution charts one scalar outcome: the histogram of its values
// over runs (as a share of runs), the 90% interval shaded and the median
// marked. When one of the shocks explains a good part of its spread
// (bestSplit), the bars are split by whether and when it fired — a
// bimodal distribution then shows its two sources.
func Distribution(o output.OutcomeSummary, col color.NRGBA, runs int64, sp *split) (Meta, body, error) {
	p := newPlot(outcomeAxis(o), "Share of runs (%)")
	h := o.Histogram
	if len(h.Counts) == 0 {
		return Meta{}, nil, fmt.Errorf("outcome %s has no histogram", o.Name)
	}
	total := 0.0
	for _, c := range h.Counts {
		total += float64(c)
	}
	// Drop empty bins at both ends so that the chart shows the data.
	first, last := 0, len(h.Counts)-1
	for first < last && h.Counts[first] == 0 {
		first++
	}
	for last > first && h.Counts[last] == 0 {
		last--
	}
	ymax := 0.0
	for i := first; i <= last; i++ {
		ymax = max(ymax, 100*float64(h.Counts[i])/total)
	}
	q := o.Quantiles
	lo, hi := float64(q.P5), float64(q.P95)
	if h.Width == 1 && o.Kind == "count" { // whole-number bins: cover the quantiles' whole bars
		lo, hi = lo-0.5, hi+0.5
	}
	band, err := plotter.NewPolygon(plotter.XYs{{X: lo, Y: 0}, {X: hi, Y: 0}, {X: hi, Y: ymax * 1.04}, {X: lo, Y: ymax * 1.04}})
	if err != nil {
		return Meta{}, nil, err
	}
	band.Color = withAlpha(muted, 28)
	band.LineStyle.Width = 0
	median, err := plotter.NewLine(plotter.XYs{{X: float64(q.P50), Y: 0}, {X: float64(q.P50), Y: ymax * 1.04}})
	if err != nil {
		return Meta{}, nil, err
	}
	median.LineStyle = draw.LineStyle{Color: ink, Width: vg.Points(2), Dashes: []vg.Length{vg.Points(6), vg.Points(3)}}
	edges := make([]float64, 0, last-first+1)
	for i := first; i <= last; i++ {
		edges = append(edges, float64(h.Edges[i]))
	}
	stack := stackedHist{edges: edges, width: float64(h.Width)}
	key := []keyItem{}
	subtitle := fmt.Sprintf("Median %s · 90%% of runs between %s and %s · mean %s (Monte Carlo 95%% interval %s to %s) · %s runs",
		num(float64(q.P50)), num(float64(q.P5)), num(float64(q.P95)), num(float64(o.Mean)),
		num(float64(o.CI95[0])), num(float64(o.CI95[1])), thousands(runs))
	if sp != nil {
		for k := 0; k < 3; k++ {
			part := make([]float64, len(edges))
			if sp.counts[k] != nil {
				for i := range part {
					part[i] = 100 * float64(sp.counts[k][first+i]) / total
				}
			}
			stack.parts = append(stack.parts, part)
			stack.colors = append(stack.colors, withAlpha(conditionColors[k], 220))
			key = append(key, keyItem{Label: conditionLabel(sp.shock, k), Color: withAlpha(conditionColors[k], 220), Kind: "box"})
		}
		subtitle += fmt.Sprintf(". Bars split by when the shock “%s” fired, which accounts for %s of the spread (variance)", sp.shock.Label, percent(sp.share))
	} else {
		part := make([]float64, len(edges))
		for i := range part {
			part[i] = 100 * float64(h.Counts[first+i]) / total
		}
		stack.parts, stack.colors = [][]float64{part}, []color.NRGBA{withAlpha(col, 200)}
		key = append(key, keyItem{Label: "share of runs", Color: withAlpha(col, 200), Kind: "box"})
	}
	key = append(key,
		keyItem{Label: "median " + num(float64(q.P50)), Color: ink, Kind: "line", Dash: []vg.Length{vg.Points(6), vg.Points(3)}},
		keyItem{Label: fmt.Sprintf("90%% of runs: %s to %s", num(float64(q.P5)), num(float64(q.P95))), Color: withAlpha(muted, 50), Kind: "box"})
	p.Add(plotter.NewGrid(), band, stack, median)
	p.Y.Min, p.Y.Max = 0, ymax*1.06
	pad := float64(h.Width)
	p.X.Min, p.X.Max = float64(h.Edges[first])-pad, float64(h.Edges[last])+2*pad
	return Meta{Title: o.Description, Subtitle: subtitle, Key: key}, plotBody(p), nil
}

// num formats a value with three significant digits.
func num(x float64) string {
	s := fmt.Sprintf("%.3g", x)
	if strings.Contains(s, "e") {
		s = fmt.Sprintf("%.2f", x)
	}
	return strings.Replace(s, "-", "−", 1)
}
