package plots

import (
	"context"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/geosim/geosim/forecast"
	"github.com/geosim/geosim/sim/stats"
)

// WriteScores renders the reliability diagram (reliability.png) and the
// forecasts against their outcomes (forecasts.png).
func WriteScores(ctx context.Context, w FileWriter, s *forecast.Scores, footer string) error {
	if s.N == 0 {
		return nil
	}
	return renderAll(ctx, w, []chartJob{
		{"reliability.png", func() ([]byte, error) { return reliability(s, footer) }},
		{"forecasts.png", func() ([]byte, error) { return forecastsChart(s, footer) }},
	})
}

// binPoints draws each non-empty bin at (mean forecast, observed share)
// with the Wilson 95% interval of the observed share and its count.
type binPoints struct{ bins []forecast.Bin }

func (b binPoints) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, bin := range b.bins {
		if bin.N == 0 {
			continue
		}
		yes := int64(math.Round(bin.Observed * float64(bin.N)))
		lo, hi := stats.Proportion{Successes: yes, Trials: int64(bin.N)}.Wilson95()
		x := trX(100 * bin.MeanP)
		ls := draw.LineStyle{Color: accent, Width: vg.Points(1.5)}
		c.StrokeLine2(ls, x, trY(100*lo), x, trY(100*hi))
		r := vg.Points(4 + 2*math.Sqrt(float64(bin.N)))
		c.DrawGlyph(draw.GlyphStyle{Color: withAlpha(accent, 200), Radius: r, Shape: draw.CircleGlyph{}}, vg.Point{X: x, Y: trY(100 * bin.Observed)})
		st := style(sans, 12, ink)
		st.YAlign = draw.YCenter
		c.FillText(st, vg.Point{X: x + r + vg.Points(4), Y: trY(100 * bin.Observed)}, fmt.Sprintf("n = %d", bin.N))
	}
}

func (binPoints) DataRange() (xmin, xmax, ymin, ymax float64) { return 0, 100, 0, 100 }

func reliability(s *forecast.Scores, footer string) ([]byte, error) {
	p := newPlot("Forecast probability (%), mean within each bin", "Observed frequency (%)")
	diag, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 100, Y: 100}})
	if err != nil {
		return nil, err
	}
	diag.LineStyle = draw.LineStyle{Color: muted, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
	p.Add(plotter.NewGrid(), diag, binPoints{bins: s.Bins})
	p.Legend.Add("perfect calibration", diag)
	p.Legend.Top, p.Legend.Left = true, true
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 100, 0, 100
	meta := Meta{Title: "Reliability diagram",
		Subtitle: fmt.Sprintf("%d resolved questions in %d non-empty bins of 10 points; circle area grows with the count; whiskers: Wilson 95%% interval\nBrier %.3f (95%% bootstrap %.3f–%.3f) · reliability %.3f · resolution %.3f · uncertainty %.3f",
			s.N, nonEmpty(s.Bins), s.Brier, s.BrierCI95[0], s.BrierCI95[1], s.Reliability, s.Resolution, s.Uncertainty),
		Footer: footer}
	return renderPlot(ChartWidth, ChartHeight, meta, p)
}

func nonEmpty(bins []forecast.Bin) int {
	n := 0
	for _, b := range bins {
		if b.N > 0 {
			n++
		}
	}
	return n
}

// forecastRows draws each question's forecast with its interval, and
// what happened: a filled square at 100% for yes, an open one at 0% for
// no.
type forecastRows struct{ qs []forecast.Scored }

func (f forecastRows) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i, q := range f.qs {
		y := trY(float64(i))
		ls := draw.LineStyle{Color: accent, Width: vg.Points(2)}
		c.StrokeLine2(ls, trX(100*q.Lo), y, trX(100*q.Hi), y)
		c.DrawGlyph(draw.GlyphStyle{Color: accent, Radius: vg.Points(4.5), Shape: draw.CircleGlyph{}}, vg.Point{X: trX(100 * q.P), Y: y})
		x, shape := trX(0), draw.GlyphDrawer(draw.BoxGlyph{})
		col := shockRed
		if q.Yes {
			x = trX(100)
			col = palette[2]
		}
		c.DrawGlyph(draw.GlyphStyle{Color: col, Radius: vg.Points(5), Shape: shape}, vg.Point{X: x, Y: y})
		st := style(sans, 12, ink)
		st.YAlign, st.XAlign = draw.YBottom, draw.XCenter
		c.FillText(st, vg.Point{X: trX(100 * q.P), Y: y + vg.Points(7)}, fmt.Sprintf("%s · Brier %.2f", percent(q.P), q.Brier))
	}
}

func (f forecastRows) DataRange() (xmin, xmax, ymin, ymax float64) {
	return 0, 100, -0.6, float64(len(f.qs)) - 0.4
}

// maxForecastRows bounds the questions the forecasts chart shows (its
// height grows with them).
const maxForecastRows = 60

func forecastsChart(s *forecast.Scores, footer string) ([]byte, error) {
	qs := append([]forecast.Scored(nil), s.Questions...)
	subtitle := "Blue: the forecast; green square at 100%: the event happened; red square at 0%: it did not"
	if len(qs) > maxForecastRows {
		sort.SliceStable(qs, func(i, j int) bool { return qs[i].Brier > qs[j].Brier })
		qs = qs[:maxForecastRows]
		subtitle = fmt.Sprintf("The %d of %d questions with the highest Brier score · ", maxForecastRows, len(s.Questions)) + subtitle
	}
	sort.SliceStable(qs, func(i, j int) bool { return qs[i].P < qs[j].P })
	p := newPlot("Forecast probability (%) with its Monte Carlo 95% interval", "")
	names := make([]string, len(qs))
	for i, q := range qs {
		names[i] = clip(q.Text, 72)
	}
	p.Add(plotter.NewGrid(), forecastRows{qs: qs})
	p.NominalY(names...)
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.X.Min, p.X.Max = -4, 104
	meta := Meta{Title: "Forecasts and what happened",
		Subtitle: subtitle,
		Footer:   footer}
	h := max(ChartHeight, 220+len(qs)*60)
	return renderPlot(ChartWidth+200, h, meta, p)
}
