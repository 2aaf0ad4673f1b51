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

// Distribution charts one scalar outcome: the histogram of its values
// over runs (as a share of runs), the 90% interval shaded and the median
// marked. Its subtitle gives median, interval, mean with its 95%
// interval and the number of runs.
func Distribution(o output.OutcomeSummary, col color.NRGBA, runs int64) (*plot.Plot, Meta, error) {
	xLabel := "Count (actions chosen, at most one per partner per month)"
	if o.Kind == "relation" || o.Kind == "stance" {
		xLabel = strings.Join(o.Actors, "–") + " " + o.Kind + " (Goldstein scale, −10 to +10)"
	}
	p := newPlot(xLabel, "Share of runs (%)")
	h := o.Histogram
	if len(h.Counts) == 0 {
		return nil, Meta{}, fmt.Errorf("outcome %s has no histogram", o.Name)
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
	hist := &plotter.Histogram{FillColor: withAlpha(col, 200), LineStyle: draw.LineStyle{Color: color.White, Width: vg.Points(0.5)}}
	ymax := 0.0
	for i := first; i <= last; i++ {
		share := 100 * float64(h.Counts[i]) / total
		lo := float64(h.Edges[i])
		hist.Bins = append(hist.Bins, plotter.HistogramBin{Min: lo, Max: lo + float64(h.Width), Weight: share})
		ymax = max(ymax, share)
	}
	q := o.Quantiles
	lo, hi := float64(q.P5), float64(q.P95)
	if h.Width == 1 && o.Kind == "count" { // whole-number bins: cover the quantiles' whole bars
		lo, hi = lo-0.5, hi+0.5
	}
	band, err := plotter.NewPolygon(plotter.XYs{{X: lo, Y: 0}, {X: hi, Y: 0}, {X: hi, Y: ymax * 1.08}, {X: lo, Y: ymax * 1.08}})
	if err != nil {
		return nil, Meta{}, err
	}
	band.Color = withAlpha(col, 40)
	band.LineStyle.Width = 0
	median, err := plotter.NewLine(plotter.XYs{{X: float64(q.P50), Y: 0}, {X: float64(q.P50), Y: ymax * 1.08}})
	if err != nil {
		return nil, Meta{}, err
	}
	median.LineStyle = draw.LineStyle{Color: ink, Width: vg.Points(2), Dashes: []vg.Length{vg.Points(6), vg.Points(3)}}
	p.Add(plotter.NewGrid(), band, hist, median)
	p.Legend.Add(fmt.Sprintf("median %s", num(float64(q.P50))), median)
	p.Legend.Add(fmt.Sprintf("90%% of runs: %s to %s", num(float64(q.P5)), num(float64(q.P95))), band)
	p.Legend.Top = true
	p.Y.Min = 0
	p.Y.Max = ymax * 1.3 // room for the legend
	pad := float64(h.Width)
	p.X.Min, p.X.Max = float64(h.Edges[first])-pad, float64(h.Edges[last])+2*pad
	subtitle := fmt.Sprintf("Median %s · 90%% of runs between %s and %s · mean %s (95%% CI %s to %s) · %s runs",
		num(float64(q.P50)), num(float64(q.P5)), num(float64(q.P95)), num(float64(o.Mean)),
		num(float64(o.CI95[0])), num(float64(o.CI95[1])), thousands(runs))
	return p, Meta{Title: o.Description, Subtitle: subtitle}, nil
}

// num formats a value with three significant digits.
func num(x float64) string {
	s := fmt.Sprintf("%.3g", x)
	if strings.Contains(s, "e") {
		s = fmt.Sprintf("%.2f", x)
	}
	return strings.Replace(s, "-", "−", 1)
}
