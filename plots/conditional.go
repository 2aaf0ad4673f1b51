package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/geosim/geosim/output"
)

// Conditional views: for each shock the summary splits, the main
// relations' fan charts and the relation outcomes in the runs where it
// fired early, fired late and did not fire — the question "does a
// ceasefire cool DPRK–Russia ties?" answered side by side.

// minConditionRuns is the fewest runs a condition needs to be drawn: a
// fan of fewer runs is noise.
const minConditionRuns = 20

func conditionalFanFile(series, shock string) string {
	return "fan-" + fileName(series) + "-by-" + fileName(shock) + ".png"
}

func shockFile(shock string) string { return "shock-" + fileName(shock) + ".png" }

// ConditionalFan draws one series in three panels, one per condition of
// the shock, on one value axis: each panel's fan in the condition's
// colour, the median of all runs dashed grey for reference, and the
// months in which the shock fired in that condition shaded.
func ConditionalFan(s *output.Summary, sr output.SeriesSummary, sc output.ShockConditional) (Meta, body, error) {
	var parts [3]*output.ConditionalSeries
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, pt := range sr.Points {
		lo, hi = math.Min(lo, float64(pt.P5)), math.Max(hi, float64(pt.P95))
	}
	for c := range parts {
		if c >= len(sc.Conditions) || sc.Conditions[c].Runs < minConditionRuns {
			continue
		}
		for i := range sc.Conditions[c].Series {
			if cs := &sc.Conditions[c].Series[i]; cs.Name == sr.Name && len(cs.Points) == len(sr.Points) {
				parts[c] = cs
				for _, pt := range cs.Points {
					lo, hi = math.Min(lo, float64(pt.P5)), math.Max(hi, float64(pt.P95))
				}
			}
		}
	}
	if parts[0] == nil && parts[1] == nil && parts[2] == nil {
		return Meta{}, nil, fmt.Errorf("no condition of shock %s has %d runs", sc.Shock, minConditionRuns)
	}
	margin := math.Max(0.25, (hi-lo)*0.06)
	lo, hi = lo-margin, hi+margin
	start := monthStart(s.Scenario.Start)
	meta := Meta{
		Title: fmt.Sprintf("%s and the shock “%s”", sr.Description, sc.Label),
		Subtitle: fmt.Sprintf("Median and the bands holding 50%% and 90%% of the runs in each case, on one scale; dashed grey: the median of all %s runs; shaded: the months in which the shock fired",
			thousands(s.Provenance.Runs)),
	}
	return meta, func(c draw.Canvas) error {
		w := (c.Max.X - c.Min.X) / 3
		for k := 0; k < 3; k++ {
			cell := c
			cell.Min.X = c.Min.X + w*vg.Length(k)
			cell.Max.X = cell.Min.X + w - px(14)
			title := conditionLabel(sc, k)
			if parts[k] == nil {
				st := style(sans, 13, muted)
				cell.Max.Y -= panel(cell, title, nil) + px(6)
				c.FillText(st, vg.Point{X: cell.Min.X + px(8), Y: cell.Max.Y}, fmt.Sprintf("fewer than %d runs: not drawn", minConditionRuns))
				continue
			}
			p := newPlot("", "")
			if k == 0 {
				p.Y.Label.Text = seriesAxis(sr)
			}
			p.X.Tick.Marker = monthTicks{start: start, narrow: true, yearly: s.Scenario.Steps > 18}
			pts := make([]fanPoint, len(parts[k].Points))
			for i, pt := range parts[k].Points {
				pts[i] = fanPoint{float64(pt.Month), pt.Quantiles}
			}
			outer, inner, line, _, _, err := fanLayers(pts, conditionColors[k])
			if err != nil {
				return err
			}
			var all plotter.XYs
			for _, pt := range sr.Points {
				all = append(all, plotter.XY{X: float64(pt.Month), Y: float64(pt.P50)})
			}
			ref, err := plotter.NewLine(all)
			if err != nil {
				return err
			}
			ref.LineStyle = draw.LineStyle{Color: muted, Width: vg.Points(1.5), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
			fired := Spans{Color: withAlpha(muted, 0x22)}
			if k < 2 {
				from, by := monthsAfter(start, sc.Conditions[k].From), monthsAfter(start, sc.Conditions[k].By)
				fired.List = append(fired.List, Span{From: from, To: math.Floor(by) + 1})
			}
			p.Add(fired, plotter.NewGrid(), outer, inner, ref, line)
			p.Y.Min, p.Y.Max = lo, hi
			p.X.Min, p.X.Max = 0, float64(sr.Points[len(sr.Points)-1].Month)
			panel(cell, title, p)
		}
		return nil
	}, nil
}

// forestRows draws, per row, one interval per condition: the median as
// a dot, the 50% range thick, the 90% range thin, offset vertically.
type forestRows struct {
	rows [][3]*output.Quantiles
}

func (f forestRows) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	step := (trY(1) - trY(0)) * 0.24
	for i, row := range f.rows {
		for k, q := range row {
			if q == nil {
				continue
			}
			y := trY(float64(i)) + step*vg.Length(1-k)
			col := conditionColors[k]
			c.StrokeLine2(draw.LineStyle{Color: col, Width: vg.Points(1.5)}, trX(float64(q.P5)), y, trX(float64(q.P95)), y)
			c.StrokeLine2(draw.LineStyle{Color: col, Width: vg.Points(6)}, trX(float64(q.P25)), y, trX(float64(q.P75)), y)
			c.DrawGlyph(draw.GlyphStyle{Color: ink, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}, vg.Point{X: trX(float64(q.P50)), Y: y})
		}
	}
}

func (f forestRows) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = math.Inf(1), math.Inf(-1)
	for _, row := range f.rows {
		for _, q := range row {
			if q != nil {
				xmin, xmax = math.Min(xmin, float64(q.P5)), math.Max(xmax, float64(q.P95))
			}
		}
	}
	if math.IsInf(xmin, 0) {
		xmin, xmax = -1, 1
	}
	pad := math.Max(0.2, (xmax-xmin)*0.03)
	return xmin - pad, xmax + pad, -0.6, float64(len(f.rows)) - 0.4
}

// ShockOutcomes charts the Goldstein-scale outcomes the shock's view
// splits, one row each, with the median, 50% and 90% ranges of each
// condition: how the relations end up when the shock fired early, late
// or not at all.
func ShockOutcomes(s *output.Summary, sc output.ShockConditional) (Meta, body, error) {
	var rows [][3]*output.Quantiles
	var names []string
	for _, o := range s.Outcomes {
		if o.Kind != "relation" && o.Kind != "stance" {
			continue
		}
		var row [3]*output.Quantiles
		any := false
		for k := 0; k < 3 && k < len(sc.Conditions); k++ {
			if sc.Conditions[k].Runs < minConditionRuns {
				continue
			}
			for i := range sc.Conditions[k].Outcomes {
				if co := &sc.Conditions[k].Outcomes[i]; co.Name == o.Name {
					row[k], any = &co.Quantiles, true
				}
			}
		}
		if any {
			rows = append(rows, row)
			names = append(names, o.Description)
		}
	}
	if len(rows) == 0 {
		return Meta{}, nil, fmt.Errorf("shock %s splits no relation outcome", sc.Shock)
	}
	// First outcome on top.
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
		rows[i], rows[j] = rows[j], rows[i]
		names[i], names[j] = names[j], names[i]
	}
	var key []keyItem
	for k := 0; k < 3; k++ {
		key = append(key, keyItem{Label: conditionLabel(sc, k), Color: conditionColors[k], Kind: "band", Width: vg.Points(6)})
	}
	meta := Meta{
		Title:    fmt.Sprintf("Relations at the end and the shock “%s”", sc.Label),
		Subtitle: "Each relation's median (dot), the middle 50% of runs (thick) and 90% of runs (thin), in the runs where the shock fired early, late or not at all",
		Key:      key,
	}
	return meta, func(c draw.Canvas) error {
		p := newPlot("Goldstein scale, −10 hostile to +10 friendly", "")
		st := style(sans, 13, ink)
		labels := make([]string, len(names))
		for i, n := range names {
			labels[i] = joinLines(wrapWidth(st, n, px(300)))
		}
		p.Add(plotter.NewGrid(), forestRows{rows: rows})
		p.NominalY(labels...)
		p.Y.Tick.Label = st
		p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
		drawPlot(c, p)
		return nil
	}, nil
}

func joinLines(lines []string) string {
	out := ""
	for i, l := range lines {
		if i > 0 {
			out += "\n"
		}
		out += l
	}
	return out
}
