package plots

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/geosim/geosim/output"
)

// dashboardSeries is the number of series the dashboard shows.
const dashboardSeries = 3

// Dashboard renders the one-page summary for a briefing slide, 1920×1080:
// title and horizon; the first three series as fan charts on one value
// axis (when they share a unit), each with the distribution of its
// relation at the end of the horizon beside it and the months in which
// shocks fire above it; below, the event probabilities with both kinds of
// uncertainty.
func Dashboard(s *output.Summary) ([]byte, error) {
	colors := NewColors(s.Scenario.Actors)
	series := s.Series[:min(dashboardSeries, len(s.Series))]
	// One value axis for the fans when they share a unit.
	var ymin, ymax float64
	if len(series) > 1 {
		lo, hi, same := math.Inf(1), math.Inf(-1), true
		for _, sr := range series {
			same = same && sr.Unit == series[0].Unit
			for _, pt := range sr.Points {
				lo, hi = math.Min(lo, float64(pt.P5)), math.Max(hi, float64(pt.P95))
			}
		}
		if same && hi > lo {
			margin := math.Max(0.25, (hi-lo)*0.05)
			ymin, ymax = lo-margin, hi+margin
		}
	}
	meta := Meta{
		Title:    s.Scenario.Title,
		Subtitle: fmt.Sprintf("As of %s · %d months, %s · %s Monte Carlo runs", s.Scenario.Start, s.Scenario.Steps, horizonLabel(s.Scenario.Start, s.Scenario.Steps), thousands(s.Provenance.Runs)),
		Footer:   footerText(s),
	}
	if meta.Title == "" {
		meta.Title = s.Scenario.Name
	}
	if len(series) > 0 {
		meta.Key = append(meta.Key,
			keyItem{Label: "median", Color: muted, Kind: "line", Width: vg.Points(2.5)},
			keyItem{Label: "50% of runs", Color: withAlpha(muted, 110), Kind: "box"},
			keyItem{Label: "90% of runs", Color: withAlpha(muted, 55), Kind: "box"},
			keyItem{Label: "shock: probability of firing in each month", Color: withAlpha(shockRed, 0x50), Kind: "box"})
	}
	if len(s.Events) > 0 {
		meta.Key = append(meta.Key, eventsKey[1:]...)
	}
	return render(DashboardWidth, DashboardHeight, func(c draw.Canvas) error {
		area := frame(c, meta, 30)
		h := area.Max.Y - area.Min.Y
		w := area.Max.X - area.Min.X
		if len(series) == 0 && len(s.Events) == 0 && len(s.Outcomes) == 0 {
			st := style(sans, 18, muted)
			c.FillText(st, vg.Point{X: area.Min.X + px(8), Y: area.Max.Y - px(8)}, "The scenario measures no outcome, event or time series.")
			return nil
		}
		bottom := area
		if n := len(series); n > 0 {
			split := area.Min.Y + h*0.5
			if len(s.Events) == 0 {
				split = area.Min.Y
			}
			for i, sr := range series {
				cell := area
				cell.Min = vg.Point{X: area.Min.X + w*vg.Length(i)/vg.Length(n), Y: split}
				cell.Max = vg.Point{X: area.Min.X + w*vg.Length(i+1)/vg.Length(n) - px(18), Y: area.Max.Y}
				if err := dashboardFan(cell, s, sr, colors, ymin, ymax); err != nil {
					return err
				}
			}
			bottom.Max.Y = split - px(12)
		}
		if len(s.Events) > 0 {
			st := style(sansBold, 16, ink)
			c.FillText(st, vg.Point{X: bottom.Min.X + px(8), Y: bottom.Max.Y}, "Event probabilities")
			bottom.Max.Y -= lineHeight(st) + px(4)
			bottom.Max.X -= px(10)
			return eventRows(s.Events, px(520), true, 14)(bottom)
		}
		return nil
	})
}

// dashboardFan draws one fan panel of the dashboard: the fan with the
// shocks' timing above it and, beside it, the distribution of the
// series' relation at the end of the horizon (its first outcome of the
// same actors), on the same value axis.
func dashboardFan(cell draw.Canvas, s *output.Summary, sr output.SeriesSummary, colors Colors, ymin, ymax float64) error {
	col := colors.Pair(sr.Actors[:])
	in := FanInput{Start: s.Scenario.Start, Shocks: s.Shocks, Runs: s.Provenance.Runs, YMin: ymin, YMax: ymax}
	p, err := fanPlot(sr, in, col)
	if err != nil {
		return err
	}
	p.X.Tick.Marker = monthTicks{start: monthStart(s.Scenario.Start), narrow: true}
	if strings.HasPrefix(p.Y.Label.Text, "Goldstein") {
		p.Y.Label.Text = "Goldstein scale, −10 to +10"
	}
	title := style(sansBold, 16, ink)
	c := cell
	c.FillText(title, vg.Point{X: c.Min.X + px(8), Y: c.Max.Y}, fitText(title, sr.Description, c.Max.X-c.Min.X-px(16)))
	c.Max.Y -= lineHeight(title) + px(4)
	var shocks []timelineItem
	for _, it := range fanTimeline(sr, in) {
		if it.Kind == "shock" {
			it.Label = shockStripLabel(it.Label)
			shocks = append(shocks, it)
		}
	}
	end := endOutcome(s, sr)
	if end == nil {
		drawWithTimeline(c, p, shocks, 12, 3)
		return nil
	}
	// The distribution takes a narrow column at the right, sharing the
	// fan's value axis (and its strip's height).
	fanArea := c
	fanArea.Max.X -= px(130)
	fanArea = drawWithTimeline(fanArea, p, shocks, 12, 3)
	side := c
	side.Min.X = fanArea.Max.X + px(6)
	hp := sideHistogram(*end, col, p.Y.Min, p.Y.Max)
	// Align the histogram's value axis with the fan's data area.
	fdc := p.DataCanvas(fanArea)
	side.Min.Y, side.Max.Y = fdc.Min.Y, fdc.Max.Y
	sdc := hp.DataCanvas(side)
	side.Min.Y -= sdc.Min.Y - fdc.Min.Y
	side.Max.Y += fdc.Max.Y - sdc.Max.Y
	hp.Draw(side)
	st := style(sans, 11, muted)
	st.XAlign, st.YAlign = draw.XCenter, draw.YBottom
	c.FillText(st, vg.Point{X: (side.Min.X + side.Max.X) / 2, Y: fdc.Max.Y + px(3)}, "end, % of runs")
	return nil
}

// shockStripLabel shortens a shock's strip label for the dashboard's
// narrow panels: "Ukraine ceasefire 68%".
func shockStripLabel(label string) string {
	name, rest, ok := strings.Cut(label, ": ")
	if !ok {
		return label
	}
	share, _, _ := strings.Cut(rest, " of runs")
	return name + " " + share
}

// endOutcome returns the first relation outcome of the series' actors
// (the flagship's "…relation, August 2027"), or nil.
func endOutcome(s *output.Summary, sr output.SeriesSummary) *output.OutcomeSummary {
	for i, o := range s.Outcomes {
		if (o.Kind == "relation" || o.Kind == "stance") && len(o.Actors) == 2 && o.Actors[0] == sr.Actors[0] && o.Actors[1] == sr.Actors[1] {
			return &s.Outcomes[i]
		}
	}
	return nil
}

// sideBars draws a histogram sideways: bins along the value axis (y),
// shares along x.
type sideBars struct {
	o   output.OutcomeSummary
	col draw.LineStyle
}

func (b sideBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	h := b.o.Histogram
	total := 0.0
	for _, n := range h.Counts {
		total += float64(n)
	}
	for i, n := range h.Counts {
		if n == 0 {
			continue
		}
		y0, y1 := trY(float64(h.Edges[i])), trY(float64(h.Edges[i]+h.Width))
		x1 := trX(100 * float64(n) / total)
		c.FillPolygon(b.col.Color, c.ClipPolygonXY([]vg.Point{{X: trX(0), Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: trX(0), Y: y1}}))
	}
	q := trY(float64(b.o.Quantiles.P50))
	if q >= c.Min.Y && q <= c.Max.Y {
		c.StrokeLine2(draw.LineStyle{Color: ink, Width: vg.Points(1.5), Dashes: []vg.Length{vg.Points(4), vg.Points(2)}}, c.Min.X, q, c.Max.X, q)
	}
}

func (b sideBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	total, most := 0.0, 0.0
	for _, n := range b.o.Histogram.Counts {
		total += float64(n)
		most = max(most, float64(n))
	}
	return 0, 100 * most / max(total, 1), 0, 0
}

// sideHistogram returns the sideways histogram of an outcome on the
// value axis [ymin, ymax], without axis labels (the fan beside it has
// them).
func sideHistogram(o output.OutcomeSummary, col interface{ RGBA() (r, g, b, a uint32) }, ymin, ymax float64) *plot.Plot {
	p := newPlot("", "")
	b := sideBars{o: o}
	b.col.Color = col
	p.Add(b)
	p.Y.Min, p.Y.Max = ymin, ymax
	p.Y.Tick.Marker = plot.TickerFunc(func(min, max float64) []plot.Tick { return nil })
	p.Y.LineStyle.Width = 0
	p.X.Min = 0
	p.X.Tick.Marker = plot.TickerFunc(func(min, max float64) []plot.Tick {
		return []plot.Tick{{Value: 0, Label: "0"}, {Value: max, Label: trimFloat(math.Round(max))}}
	})
	p.X.Padding, p.Y.Padding = 0, 0
	return p
}

// panel draws a small bold title (wrapped onto at most two lines) and
// the plot below it (only the title when p is nil), and returns the
// height of the title.
func panel(c draw.Canvas, title string, p *plot.Plot) vg.Length {
	st := style(sansBold, 15, ink)
	lines := wrapWidth(st, title, c.Max.X-c.Min.X-px(8))
	if len(lines) > 2 {
		lines = []string{lines[0], fitText(st, strings.Join(lines[1:], " "), c.Max.X-c.Min.X-px(8))}
	}
	for i, l := range lines {
		c.FillText(st, vg.Point{X: c.Min.X + px(8), Y: c.Max.Y - vg.Length(i)*lineHeight(st)}, l)
	}
	head := vg.Length(len(lines))*lineHeight(st) + st.Font.Size*0.3
	if p != nil {
		inner := c
		inner.Max.Y -= head
		drawPlot(inner, p)
	}
	return head
}

// clip shortens s to at most n characters, ending in "…" when cut.
func clip(s string, n int) string {
	r := []rune(s)
	switch {
	case len(r) <= n:
		return s
	case n < 1:
		return ""
	}
	return string(r[:n-1]) + "…"
}
