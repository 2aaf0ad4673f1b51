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
	Shocks  []output.EventSummary // shocks; those firing in ≥ 5% of runs go in the timeline strip
	// Calendar holds the occasions inside the horizon; those concerning
	// either actor of the series are shaded.
	Calendar []output.OccasionInfo
	Runs     int64
	// YMin and YMax fix the value axis (both zero: fitted to the data),
	// so that panels side by side can be compared.
	YMin, YMax float64
	// StripRows bounds the timeline strip (0: 6 rows).
	StripRows int
	// StripSize is the strip's text size (0: 12 points).
	StripSize float64
}

// fanKey explains a fan chart's marks.
func fanKey(col color.NRGBA) []keyItem {
	return []keyItem{
		{Label: "median of the runs", Color: col, Kind: "line", Width: vg.Points(2.5)},
		{Label: "50% of runs", Color: withAlpha(col, 110), Kind: "box"},
		{Label: "90% of runs", Color: withAlpha(col, 55), Kind: "box"},
	}
}

// seriesAxis names a series' value axis by its unit.
func seriesAxis(sr output.SeriesSummary) string {
	unit, _, _ := strings.Cut(sr.Unit, ",")
	if strings.HasPrefix(unit, "Goldstein") || unit == "" {
		return "Goldstein scale, −10 hostile to +10 friendly"
	}
	return capitalize(unit)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// horizonLabel names the months a summary covers: "Sep 2025 – Aug 2027".
func horizonLabel(start string, steps int) string {
	st := monthStart(start)
	return st.Format("Jan 2006") + " – " + st.AddDate(0, steps-1, 0).Format("Jan 2006")
}

// fanPlot builds the fan of one series: the bands holding 50% and 90% of
// runs and the median, over the calendar months, with the occasions that
// concern its actors shaded and dated signals as thin dashed lines.
func fanPlot(sr output.SeriesSummary, in FanInput, col color.NRGBA) (*plot.Plot, error) {
	if len(sr.Points) < 2 {
		return nil, fmt.Errorf("series %s has fewer than two points", sr.Name)
	}
	start := monthStart(in.Start)
	p := newPlot("", seriesAxis(sr))
	p.X.Tick.Marker = monthTicks{start: start}
	pts := make([]fanPoint, len(sr.Points))
	for i, pt := range sr.Points {
		pts[i] = fanPoint{float64(pt.Month), pt.Quantiles}
	}
	outer, inner, line, lo, hi, err := fanLayers(pts, col)
	if err != nil {
		return nil, err
	}
	var markers Markers
	for _, g := range groupSignals(start, in.Signals) {
		markers.List = append(markers.List, Marker{X: g.x, Color: muted, Dash: []vg.Length{vg.Points(3), vg.Points(3)}})
	}
	p.Add(occasionSpans(sr.Actors, in.Calendar, start), plotter.NewGrid(), outer, inner, line, markers)
	fitValueAxis(p, lo, hi, in.YMin, in.YMax)
	p.X.Min, p.X.Max = 0, float64(sr.Points[len(sr.Points)-1].Month)
	return p, nil
}

// fitValueAxis sets the value axis to [ymin, ymax] when given, else to
// the data's range with a margin, within the Goldstein scale's ends.
func fitValueAxis(p *plot.Plot, lo, hi, ymin, ymax float64) {
	if ymin != 0 || ymax != 0 {
		p.Y.Min, p.Y.Max = ymin, ymax
		return
	}
	margin := math.Max(0.25, (hi-lo)*0.08)
	p.Y.Min, p.Y.Max = lo-margin, hi+margin
}

// fanPoint is one month of a fan: its x and quantiles.
type fanPoint struct {
	x float64
	q output.Quantiles
}

// fanLayers returns the outer (5–95%) and inner (25–75%) bands and the
// median line of a fan, and the range of its values.
func fanLayers(pts []fanPoint, col color.NRGBA) (outer, inner *plotter.Polygon, line *plotter.Line, lo, hi float64, err error) {
	band := func(l, h func(output.Quantiles) output.Float, alpha uint8) (*plotter.Polygon, error) {
		var xy plotter.XYs
		for _, pt := range pts {
			xy = append(xy, plotter.XY{X: pt.x, Y: float64(h(pt.q))})
		}
		for i := len(pts) - 1; i >= 0; i-- {
			xy = append(xy, plotter.XY{X: pts[i].x, Y: float64(l(pts[i].q))})
		}
		poly, err := plotter.NewPolygon(xy)
		if err != nil {
			return nil, err
		}
		poly.Color = withAlpha(col, alpha)
		poly.LineStyle.Width = 0
		return poly, nil
	}
	if outer, err = band(func(q output.Quantiles) output.Float { return q.P5 }, func(q output.Quantiles) output.Float { return q.P95 }, 55); err != nil {
		return
	}
	if inner, err = band(func(q output.Quantiles) output.Float { return q.P25 }, func(q output.Quantiles) output.Float { return q.P75 }, 110); err != nil {
		return
	}
	var med plotter.XYs
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, pt := range pts {
		med = append(med, plotter.XY{X: pt.x, Y: float64(pt.q.P50)})
		lo, hi = math.Min(lo, float64(pt.q.P5)), math.Max(hi, float64(pt.q.P95))
	}
	if line, err = plotter.NewLine(med); err != nil {
		return
	}
	line.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(2.5)}
	return
}

// fanTimeline lists what the strip above a fan shows: the dated signals,
// the occasions concerning the series' actors and the shocks that fire
// in at least 5% of runs (the months holding 90% of their firings, the
// median marked).
func fanTimeline(sr output.SeriesSummary, in FanInput) []timelineItem {
	start := monthStart(in.Start)
	var items []timelineItem
	for _, g := range groupSignals(start, in.Signals) {
		items = append(items, timelineItem{Kind: "signal", From: g.x, To: g.x, Label: g.label, Color: muted})
	}
	for _, o := range occasionItems(sr.Actors, in.Calendar, start) {
		items = append(items, o)
	}
	for _, sh := range in.Shocks {
		if sh.FirstMonth == nil || sh.Probability < 0.05 || len(sh.Cumulative) == 0 {
			continue
		}
		raw := make([]float64, len(sh.Cumulative))
		prev := 0.0
		for k, cp := range sh.Cumulative {
			raw[k] = float64(cp.Probability) - prev
			prev = float64(cp.Probability)
		}
		// A three-month moving average: the shape of the timing, not the
		// month-to-month noise of a few thousand runs.
		density := make([]float64, len(raw))
		for k := range raw {
			n, sum := 0.0, 0.0
			for j := max(0, k-1); j <= min(len(raw)-1, k+1); j++ {
				n, sum = n+1, sum+raw[j]
			}
			density[k] = sum / n
		}
		items = append(items, timelineItem{Kind: "shock", From: 0, To: float64(len(density)), Density: density,
			Label: fmt.Sprintf("%s: %s of runs, median %s", shockName(sh), percent(float64(sh.Probability)), start.AddDate(0, int(sh.FirstMonth.P50)-1, 0).Format("Jan 2006")),
			Color: shockRed})
	}
	most := 0.0
	for _, it := range items {
		for _, d := range it.Density {
			most = max(most, d)
		}
	}
	for i := range items {
		items[i].DensityMax = most
	}
	return items
}

// Fan charts a time series: the median over runs, the bands holding 50%
// and 90% of runs, a calendar axis, and above it a timeline strip of the
// dated signals, calendar occasions and the months in which shocks fire.
func Fan(sr output.SeriesSummary, in FanInput, col color.NRGBA) (Meta, body, error) {
	p, err := fanPlot(sr, in, col)
	if err != nil {
		return Meta{}, nil, err
	}
	items := fanTimeline(sr, in)
	sub := fmt.Sprintf("%s runs. Above the chart: dated signals (▲, dashed lines), calendar occasions (amber) and, for each shock, the probability that it fires in each month (red bars)", thousands(in.Runs))
	rows, size := in.StripRows, in.StripSize
	if rows == 0 {
		rows = 6
	}
	if size == 0 {
		size = 12
	}
	return Meta{Title: sr.Description + ", " + horizonLabel(in.Start, len(sr.Points)-1), Subtitle: sub, Key: fanKey(col)},
		func(c draw.Canvas) error {
			drawWithTimeline(c, p, items, size, rows)
			return nil
		}, nil
}

// shockName is a shock's short name for markers: its label, else its
// name in words.
func shockName(e output.EventSummary) string {
	if e.Label != "" {
		return e.Label
	}
	return capitalize(strings.ReplaceAll(e.Name, "_", " "))
}

// concerns reports whether an occasion concerns the dyad: it names both
// actors, or one of them alone (a season of exercises).
func concerns(o output.OccasionInfo, actors [2]string) bool {
	both := slices.Contains(o.Actors, actors[0]) && slices.Contains(o.Actors, actors[1])
	alone := len(o.Actors) == 1 && (o.Actors[0] == actors[0] || o.Actors[0] == actors[1])
	return both || alone
}

// occasionMonths returns the months [from, to) an occasion applies in:
// its dated window as one stretch, a recurring season as one stretch per
// month.
func occasionMonths(o output.OccasionInfo, start time.Time) [][2]float64 {
	if len(o.Months) == 0 {
		return [][2]float64{{float64(o.First), float64(o.Last + 1)}}
	}
	var out [][2]float64
	for t := o.First; t <= o.Last; t++ {
		if slices.Contains(o.Months, int(start.AddDate(0, t, 0).Month())) {
			out = append(out, [2]float64{float64(t), float64(t + 1)})
		}
	}
	return out
}

// occasionSpans shades the months in which the calendar occasions
// concerning the dyad apply.
func occasionSpans(actors [2]string, cal []output.OccasionInfo, start time.Time) Spans {
	var sp Spans
	for _, o := range cal {
		if !concerns(o, actors) {
			continue
		}
		for _, m := range occasionMonths(o, start) {
			sp.List = append(sp.List, Span{From: m[0], To: m[1]})
		}
	}
	return sp
}

// occasionItems lists the occasions concerning the dyad for the
// timeline strip: a dated window as one labelled span, a recurring
// season as its first stretch, labelled with the months it recurs in.
func occasionItems(actors [2]string, cal []output.OccasionInfo, start time.Time) []timelineItem {
	var items []timelineItem
	for _, o := range cal {
		if !concerns(o, actors) {
			continue
		}
		label := o.Description
		if label == "" {
			label = strings.ReplaceAll(o.Name, "_", " ")
		}
		label = shortLabel(label, 44)
		months := occasionMonths(o, start)
		if len(months) == 0 {
			continue
		}
		if len(o.Months) > 0 && len(months) > 1 {
			label += " (recurring)"
		}
		items = append(items, timelineItem{Kind: "occasion", From: months[0][0], To: months[0][1], Label: label, Color: spanInk})
	}
	return items
}

// shortLabel keeps a description's part before a colon, or clips it.
func shortLabel(s string, n int) string {
	if head, _, ok := strings.Cut(s, ":"); ok && len([]rune(head)) >= 8 {
		s = head
	}
	return clip(s, n)
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
			label = strings.ReplaceAll(s.Name, "_", " ")
		}
		label = shortLabel(label, 44)
		if n := len(groups); n > 0 && x-groups[n-1].x < 0.25 {
			if !strings.Contains(groups[n-1].label, label) {
				groups[n-1].label += " / " + label
			}
			continue
		}
		groups = append(groups, signalGroup{x: x, label: label})
	}
	for i := range groups {
		groups[i].label = clip(groups[i].label, 60)
	}
	return groups
}
