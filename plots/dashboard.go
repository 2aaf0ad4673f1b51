package plots

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/geosim/geosim/output"
)

// Dashboard renders the one-page summary for a briefing slide, 1920×1080:
// title and as-of date; the first three time series as fan charts; the
// event probabilities; the first two outcome distributions.
func Dashboard(s *output.Summary) ([]byte, error) {
	colors := NewColors(s.Scenario.Actors)
	type panelPlot struct {
		title string
		p     *plot.Plot
	}
	var fans, dists []panelPlot
	for _, sr := range s.Series[:min(3, len(s.Series))] {
		p, _, err := Fan(sr, FanInput{Start: s.Scenario.Start, Shocks: s.Shocks, Runs: s.Provenance.Runs}, colors.Pair(sr.Actors[:]))
		if err != nil {
			return nil, err
		}
		p.Legend = plot.NewLegend()
		p.X.Tick.Marker = monthTicks{start: monthStart(s.Scenario.Start), narrow: true}
		fans = append(fans, panelPlot{sr.Description, p})
	}
	for _, o := range s.Outcomes[:min(2, len(s.Outcomes))] {
		p, _, err := Distribution(o, colors.Pair(o.Actors), s.Provenance.Runs)
		if err != nil {
			return nil, err
		}
		if o.Kind == "relation" || o.Kind == "stance" {
			p.X.Label.Text = "Goldstein scale, −10 to +10"
		}
		dists = append(dists, panelPlot{o.Description, p})
	}
	var events *plot.Plot
	if len(s.Events) > 0 {
		p, _, err := Events(s.Events, s.Provenance.Runs)
		if err != nil {
			return nil, err
		}
		labels := make([]string, 0, len(s.Events))
		for _, e := range sortedEvents(s.Events) {
			labels = append(labels, e.Description)
		}
		p.NominalY(labels...)
		p.Y.Tick.Label = style(sans, 13, ink)
		p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
		p.X.Label.Text = "Probability (%), with Wilson 95% interval"
		events = p
	}
	meta := Meta{
		Title:    s.Scenario.Title,
		Subtitle: fmt.Sprintf("As of %s · %d months to %s · %s Monte Carlo runs", s.Scenario.Start, s.Scenario.Steps, s.Scenario.End, thousands(s.Provenance.Runs)),
		Footer:   footerText(s),
	}
	if meta.Title == "" {
		meta.Title = s.Scenario.Name
	}
	if len(fans) > 0 {
		meta.Subtitle += " · bands: 50% and 90% of runs"
	}
	return render(DashboardWidth, DashboardHeight, func(c draw.Canvas) error {
		area := frame(c, meta, 30)
		h := area.Max.Y - area.Min.Y
		w := area.Max.X - area.Min.X
		if len(fans) == 0 && events == nil && len(dists) == 0 {
			st := style(sans, 18, muted)
			c.FillText(st, vg.Point{X: area.Min.X + px(8), Y: area.Max.Y - px(8)}, "The scenario measures no outcome, event or time series.")
			return nil
		}
		// Fans take the top half when there are any; events and
		// distributions share the rest, each taking all of it alone.
		bottom := area
		if n := len(fans); n > 0 {
			split := area.Min.Y + h*0.47
			if events == nil && len(dists) == 0 {
				split = area.Min.Y
			}
			for i, f := range fans {
				cell := area
				cell.Min = vg.Point{X: area.Min.X + w*vg.Length(i)/vg.Length(n), Y: split}
				cell.Max = vg.Point{X: area.Min.X + w*vg.Length(i+1)/vg.Length(n), Y: area.Max.Y}
				panel(cell, f.title, f.p)
			}
			bottom.Max.Y = split - px(10)
		}
		right := bottom
		if events != nil {
			left := bottom
			if len(dists) > 0 {
				left.Max.X = bottom.Min.X + w*0.52
			}
			panel(left, "Event probabilities", events)
			right.Min.X = left.Max.X
		}
		for i, d := range dists {
			cell := right
			cw := right.Max.X - right.Min.X
			cell.Min.X = right.Min.X + cw*vg.Length(i)/vg.Length(len(dists))
			cell.Max.X = right.Min.X + cw*vg.Length(i+1)/vg.Length(len(dists))
			panel(cell, d.title, d.p)
		}
		return nil
	})
}

// panel draws a small bold title and the plot below it.
func panel(c draw.Canvas, title string, p *plot.Plot) {
	st := style(sansBold, 15, ink)
	chars := int(float64(c.Max.X-c.Min.X) / float64(st.Font.Size) * 1.9)
	c.FillText(st, vg.Point{X: c.Min.X + px(8), Y: c.Max.Y}, clip(title, chars))
	inner := c
	inner.Max.Y -= st.Font.Size * 1.5
	inner.Max.X -= px(12)
	p.Draw(inner)
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
