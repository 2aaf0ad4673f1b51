package plots

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/geosim/geosim/output"
)

// whiskers draws, per row at y = index, the difference as a dot with its
// paired 95% interval (thick) over the unpaired one (thin, grey).
type whiskers struct {
	rows  []output.ComparisonRow
	scale float64 // 100 for probabilities (percentage points)
	color color.NRGBA
}

func (w whiskers) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i, r := range w.rows {
		y := trY(float64(i))
		// An interval is NaN with a single run (no variance): the
		// whisker is left out, the difference still shown.
		if lo, hi := w.scale*float64(r.Unpaired95[0]), w.scale*float64(r.Unpaired95[1]); finite(lo, hi) {
			c.StrokeLine2(draw.LineStyle{Color: faint, Width: vg.Points(5)}, trX(lo), y, trX(hi), y)
		}
		if lo, hi := w.scale*float64(r.Paired95[0]), w.scale*float64(r.Paired95[1]); finite(lo, hi) {
			c.StrokeLine2(draw.LineStyle{Color: w.color, Width: vg.Points(2.5)}, trX(lo), y, trX(hi), y)
		}
		d := w.scale * float64(r.Difference)
		if !finite(d) {
			continue
		}
		x := trX(d)
		c.DrawGlyph(draw.GlyphStyle{Color: w.color, Radius: vg.Points(4.5), Shape: draw.CircleGlyph{}}, vg.Point{X: x, Y: y})
		st := style(sans, 12, ink)
		st.YAlign = draw.YBottom
		st.XAlign = draw.XCenter
		c.FillText(st, vg.Point{X: x, Y: y + vg.Points(6)}, signed(d, w.scale == 100))
	}
}

func (w whiskers) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = 0, 0
	for _, r := range w.rows {
		for _, v := range []output.Float{r.Unpaired95[0], r.Unpaired95[1], r.Difference} {
			if x := w.scale * float64(v); finite(x) {
				xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
			}
		}
	}
	pad := (xmax - xmin) * 0.08
	if pad == 0 {
		pad = 1
	}
	return xmin - pad, xmax + pad, -0.6, float64(len(w.rows)) - 0.4
}

// finite reports whether every value is a finite number.
func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

func signed(v float64, pp bool) string {
	s := num(v)
	if v > 0 {
		s = "+" + s
	}
	if v == 0 {
		s = "0"
	}
	if pp {
		s += " pp"
	}
	return s
}

// zeroLine marks x = 0.
type zeroLine struct{}

func (zeroLine) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	x := trX(0)
	c.StrokeLine2(draw.LineStyle{Color: muted, Width: vg.Points(1)}, x, c.Min.Y, x, c.Max.Y)
}

// WriteComparison renders a comparison's charts: per compared scenario,
// the differences from the reference with paired and unpaired 95%
// intervals (differences-NAME.png); per common outcome, the scenarios'
// distributions overlaid (overlay-OUTCOME.png).
func WriteComparison(ctx context.Context, w FileWriter, c *output.Comparison, summaries []*output.Summary) error {
	var jobs []chartJob
	for k := 1; k < len(c.Scenarios); k++ {
		k := k
		jobs = append(jobs, chartJob{"differences-" + fileName(c.Scenarios[k].Name) + ".png", func() ([]byte, error) { return differences(c, k) }})
	}
	for _, o := range summaries[0].Outcomes {
		name := o.Name
		jobs = append(jobs, chartJob{"overlay-" + fileName(name) + ".png", func() ([]byte, error) { return overlay(c, summaries, name) }})
	}
	return renderAll(ctx, w, jobs)
}

func compareFooter(c *output.Comparison) string {
	return fmt.Sprintf("%s runs per scenario on common random numbers · seed %d · %s %s", thousands(c.Runs), c.Seed, c.Tool, c.Version)
}

// differences stacks one dot-and-whisker panel for the events and one
// per outcome unit.
func differences(c *output.Comparison, k int) ([]byte, error) {
	type group struct {
		title, axis string
		scale       float64
		rows        []output.ComparisonRow
	}
	var groups []*group
	byUnit := map[string]*group{}
	for _, r := range c.Rows {
		if r.Scenario != k {
			continue
		}
		key := r.Kind + "|" + r.Unit
		g, ok := byUnit[key]
		if !ok {
			if r.Kind == "event" {
				g = &group{title: "Events", axis: "Difference in probability (percentage points)", scale: 100}
			} else {
				unit, _, _ := strings.Cut(r.Unit, ",")
				g = &group{title: "Outcomes (" + unit + ")", axis: "Difference in mean (" + unit + ")", scale: 1}
			}
			byUnit[key] = g
			groups = append(groups, g)
		}
		g.rows = append(g.rows, r)
	}
	total := 0
	for _, g := range groups {
		total += len(g.rows) + 2
	}
	height := max(ChartHeight, 160+total*44)
	ref, other := c.Scenarios[0], c.Scenarios[k]
	meta := Meta{
		Title:    fmt.Sprintf("%s versus %s", other.Name, ref.Name),
		Subtitle: "Difference (dot), paired 95% interval on common random numbers (thick), the interval\nindependent runs would give (grey)",
		Footer:   compareFooter(c),
	}
	return render(ChartWidth, height, func(cv draw.Canvas) error {
		area := frame(cv, meta, 22)
		top := area.Max.Y
		unit := (area.Max.Y - area.Min.Y) / vg.Length(total)
		for _, g := range groups {
			h := unit * vg.Length(len(g.rows)+2)
			cell := area
			cell.Max.Y, cell.Min.Y = top, top-h
			top -= h
			p := newPlot(g.axis, "")
			rows := make([]output.ComparisonRow, len(g.rows)) // first row on top
			names := make([]string, len(g.rows))
			for i, r := range g.rows {
				rows[len(rows)-1-i] = r
				names[len(rows)-1-i] = clip(r.Description, 55)
			}
			g.rows = rows
			p.Add(plotter.NewGrid(), zeroLine{}, whiskers{rows: g.rows, scale: g.scale, color: accent})
			p.NominalY(names...)
			p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
			panel(cell, g.title, p)
		}
		return nil
	})
}

// overlay draws each scenario's distribution of one outcome as a line of
// shares over the histogram's bins.
func overlay(c *output.Comparison, summaries []*output.Summary, name string) ([]byte, error) {
	var desc, xLabel string
	p := newPlot("", "Share of runs per unit (%)")
	for k, s := range summaries {
		for _, o := range s.Outcomes {
			if o.Name != name {
				continue
			}
			desc = o.Description
			unit, _, _ := strings.Cut(o.Unit, ",")
			xLabel = unit
			total := 0.0
			for _, n := range o.Histogram.Counts {
				total += float64(n)
			}
			var xy plotter.XYs
			w := float64(o.Histogram.Width)
			for i, n := range o.Histogram.Counts {
				x := float64(o.Histogram.Edges[i])
				share := 100 * float64(n) / total / w // a density: bin widths may differ
				xy = append(xy, plotter.XY{X: x, Y: share}, plotter.XY{X: x + w, Y: share})
			}
			line, err := plotter.NewLine(xy)
			if err != nil {
				return nil, err
			}
			line.LineStyle = draw.LineStyle{Color: palette[k%len(palette)], Width: vg.Points(2.2)}
			p.Add(line)
			p.Legend.Add(fmt.Sprintf("%s (median %s)", c.Scenarios[k].Name, num(float64(o.Quantiles.P50))), line)
		}
	}
	p.X.Label.Text = xLabel
	p.Add(plotter.NewGrid())
	p.Legend.Top = true
	p.Y.Min = 0
	meta := Meta{Title: desc, Subtitle: "Distribution over runs in each scenario, as the share of runs per unit of the outcome", Footer: compareFooter(c)}
	return renderPlot(ChartWidth, ChartHeight, meta, p)
}
