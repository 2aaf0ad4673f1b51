package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/geosim/geosim/output"
)

// FanInput is what a fan chart shows besides the series itself.
type FanInput struct {
	Start   string                // scenario start date
	Signals []output.SignalInfo   // dated signals inside the horizon
	Shocks  []output.EventSummary // shocks, marked at their median month if they fire in ≥ 5% of runs
	// Calendar holds the occasions inside the horizon; those concerning
	// either actor of the series are shaded.
	Calendar []output.OccasionInfo
	Runs     int64
}

// Fan charts a time series: the median over runs, the bands holding 50%
// and 90% of runs, a calendar axis, the dated signals (dashed grey) and
// the median firing month of each shock (dotted red, with the share of
// runs in which it fires).
func Fan(sr output.SeriesSummary, in FanInput, col color.NRGBA) (*plot.Plot, Meta, error) {
	start := monthStart(in.Start)
	p := newPlot("", "Relation (Goldstein scale, −10 to +10)")
	if len(sr.Points) < 2 {
		return nil, Meta{}, fmt.Errorf("series %s has fewer than two points", sr.Name)
	}
	p.X.Tick.Marker = monthTicks{start: start}
	band := func(lo, hi func(output.SeriesPoint) output.Float, alpha uint8) (*plotter.Polygon, error) {
		var xy plotter.XYs
		for _, pt := range sr.Points {
			xy = append(xy, plotter.XY{X: float64(pt.Month), Y: float64(hi(pt))})
		}
		for i := len(sr.Points) - 1; i >= 0; i-- {
			pt := sr.Points[i]
			xy = append(xy, plotter.XY{X: float64(pt.Month), Y: float64(lo(pt))})
		}
		poly, err := plotter.NewPolygon(xy)
		if err != nil {
			return nil, err
		}
		poly.Color = withAlpha(col, alpha)
		poly.LineStyle.Width = 0
		return poly, nil
	}
	outer, err := band(func(q output.SeriesPoint) output.Float { return q.P5 }, func(q output.SeriesPoint) output.Float { return q.P95 }, 55)
	if err != nil {
		return nil, Meta{}, err
	}
	inner, err := band(func(q output.SeriesPoint) output.Float { return q.P25 }, func(q output.SeriesPoint) output.Float { return q.P75 }, 110)
	if err != nil {
		return nil, Meta{}, err
	}
	var med plotter.XYs
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, pt := range sr.Points {
		med = append(med, plotter.XY{X: float64(pt.Month), Y: float64(pt.P50)})
		lo, hi = math.Min(lo, float64(pt.P5)), math.Max(hi, float64(pt.P95))
	}
	line, err := plotter.NewLine(med)
	if err != nil {
		return nil, Meta{}, err
	}
	line.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(2.5)}

	markers := Markers{}
	for _, group := range groupSignals(start, in.Signals) {
		markers.List = append(markers.List, Marker{X: group.x, Label: group.label, Color: muted, Dash: []vg.Length{vg.Points(4), vg.Points(3)}})
	}
	shockAt := map[float64]int{} // shocks of the same median month share one marker
	for _, sh := range in.Shocks {
		if sh.FirstMonth == nil || sh.Probability < 0.05 {
			continue
		}
		x := float64(sh.FirstMonth.P50) - 1 // fires at the start of that month
		label := fmt.Sprintf("%s: median %s, %s of runs", clip(shortName(sh), 28), start.AddDate(0, int(x), 0).Format("Jan 2006"), percent(float64(sh.Probability)))
		if k, ok := shockAt[x]; ok {
			markers.List[k].Label += "; " + label
			continue
		}
		shockAt[x] = len(markers.List)
		markers.List = append(markers.List, Marker{X: x, Label: label, Color: shockRed, Dash: []vg.Length{vg.Points(1.5), vg.Points(2.5)}})
	}
	spans := occasionSpans(sr.Actors, in.Calendar, start)
	p.Add(spans, plotter.NewGrid(), outer, inner, line, markers)
	p.Legend.Add("median", line)
	p.Legend.Add("50% of runs", inner)
	p.Legend.Add("90% of runs", outer)
	p.Legend.Top, p.Legend.Left = false, false
	p.Legend.YOffs = vg.Points(4)
	margin := math.Max(0.5, (hi-lo)*0.15)
	p.Y.Min, p.Y.Max = math.Max(-10, lo-margin), math.Min(10, hi+margin*2.2)
	p.X.Min, p.X.Max = 0, float64(sr.Points[len(sr.Points)-1].Month)
	sub := fmt.Sprintf("Median and the bands holding 50%% and 90%% of %s runs, by month · dashed: dated signals · red: median month of shocks", thousands(in.Runs))
	if len(spans.List) > 0 {
		sub += " · shaded: calendar occasions"
	}
	return p, Meta{Title: sr.Description + ", " + start.Format("Jan 2006") + " – " + start.AddDate(0, int(p.X.Max), 0).Format("Jan 2006"), Subtitle: sub}, nil
}

// occasionSpans shades the months in which calendar occasions concerning
// the dyad apply — those naming both actors, or one actor alone (a
// season of exercises) —: a dated window as one labelled span, a
// recurring season as one span per month, labelled once.
func occasionSpans(actors [2]string, cal []output.OccasionInfo, start time.Time) Spans {
	var sp Spans
	for _, o := range cal {
		both := slices.Contains(o.Actors, actors[0]) && slices.Contains(o.Actors, actors[1])
		alone := len(o.Actors) == 1 && (o.Actors[0] == actors[0] || o.Actors[0] == actors[1])
		if !both && !alone {
			continue
		}
		label := o.Description
		if label == "" {
			label = strings.ReplaceAll(o.Name, "_", " ")
		}
		label = clip(label, 60)
		if len(o.Months) == 0 {
			sp.List = append(sp.List, Span{From: float64(o.First), To: float64(o.Last + 1), Label: label})
			continue
		}
		first := true
		for t := o.First; t <= o.Last; t++ {
			if !slices.Contains(o.Months, int(start.AddDate(0, t, 0).Month())) {
				continue
			}
			span := Span{From: float64(t), To: float64(t + 1)}
			if first {
				span.Label, first = label, false
			}
			sp.List = append(sp.List, span)
		}
	}
	return sp
}

type signalGroup struct {
	x     float64
	label string
}

// groupSignals merges signals less than a week apart into one marker.
func groupSignals(st time.Time, signals []output.SignalInfo) []signalGroup {
	var groups []signalGroup
	sorted := append([]output.SignalInfo(nil), signals...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Date < sorted[j].Date })
	for _, s := range sorted {
		x := monthsAfter(st, s.Date)
		if math.IsNaN(x) {
			continue
		}
		label := s.Description
		if label == "" {
			label = s.Name
		}
		if n := len(groups); n > 0 && x-groups[n-1].x < 0.25 {
			if !strings.Contains(groups[n-1].label, label) {
				groups[n-1].label += " / " + label
			}
			continue
		}
		groups = append(groups, signalGroup{x: x, label: label})
	}
	for i := range groups {
		groups[i].label = clip(groups[i].label, 48)
	}
	return groups
}

// shortName is a shock's name made readable ("ukraine_ceasefire" →
// "ukraine ceasefire"): descriptions are too long for a marker.
func shortName(e output.EventSummary) string {
	return strings.ReplaceAll(e.Name, "_", " ")
}
