package plots

import (
	"context"
	"encoding/base64"
	"fmt"
	"html/template"
	"image/color"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/geosim/geosim/discover"
	"github.com/geosim/geosim/output"
)

// dimsColors colours a box by the number of parameters it restricts:
// grey for none, then the palette.
func dimsColor(dims int) color.NRGBA {
	if dims == 0 {
		return withAlpha(muted, 255)
	}
	return []color.NRGBA{palette[1], palette[2], palette[4], palette[0], palette[3], palette[5], palette[6]}[(dims-1)%7]
}

// conditionTitle names the condition for chart titles: the event's
// description, or the outcome's with the comparison.
func conditionTitle(r *discover.Report) string {
	if r.Description == "" {
		return r.Condition
	}
	if _, cmp, ok := strings.Cut(r.Condition, " "); ok {
		return r.Description + " " + cmp
	}
	return r.Description
}

func discoverFooter(r *discover.Report) string {
	runs := "1 run each"
	if r.Replicates > 1 {
		runs = fmt.Sprintf("%d runs each", r.Replicates)
	}
	return fmt.Sprintf("%s · condition %s · %s parameter points, %s · seed %d · %s %s", r.Scenario, r.Condition, thousands(int64(r.Points)), runs, r.Seed, r.Tool, r.Version)
}

// WriteDiscovery renders a discovery's charts — the coverage–density
// trade-off, one chart per PRIM box, the pairs scatter of the two
// leading parameters — and a self-contained report.html with the
// charts embedded.
func WriteDiscovery(ctx context.Context, w FileWriter, r *discover.Report, d *discover.Data) error {
	var jobs []chartJob
	if len(r.Boxes) > 0 {
		jobs = append(jobs, chartJob{"tradeoff.png", "Coverage against density", func() ([]byte, error) { return tradeoffChart(r) }})
	}
	for k := range r.Boxes {
		jobs = append(jobs, chartJob{fmt.Sprintf("box-%d.png", k+1), fmt.Sprintf("Box %d", k+1), func() ([]byte, error) { return boxChart(r, k) }})
	}
	x, y := pairParams(r, d)
	if r.Rate.Hits == 0 || r.Rate.Hits == r.Rate.Runs {
		x, y = -1, -1 // every run alike: nothing to colour
	}
	if x >= 0 && y >= 0 {
		jobs = append(jobs, chartJob{"pairs.png", "The two leading parameters", func() ([]byte, error) { return pairsChart(r, d, x, y) }})
	}
	images := memFiles{}
	if err := renderAll(ctx, images, jobs); err != nil {
		return err
	}
	for _, j := range jobs {
		if err := w.WriteFile(j.file, images[j.file]); err != nil {
			return err
		}
	}
	html, err := discoveryHTML(r, images, x, y)
	if err != nil {
		return err
	}
	return w.WriteFile("report.html", html)
}

type memFiles map[string][]byte

func (m memFiles) WriteFile(name string, data []byte) error {
	m[name] = data
	return nil
}

// pct1 formats a share as a percentage with one decimal, or two
// significant digits below 0.1%.
func pct1(p float64) string {
	if p < 1e-12 {
		p = 0 // a Wilson bound of 0 successes, up to rounding
	}
	if p > 0 && p < 0.001 {
		return fmt.Sprintf("%.2g%%", 100*p)
	}
	return fmt.Sprintf("%.1f%%", 100*p)
}

// pairParams picks the two parameters the pairs scatter shows: those
// PRIM's first box restricts, most significant (smallest quasi-p) first,
// then the others by the strength of their association with the
// condition (the absolute correlation between the parameter and the
// points' rates).
func pairParams(r *discover.Report, d *discover.Data) (int, int) {
	var cands []int
	if len(r.Boxes) > 0 {
		rs := append([]discover.Restriction(nil), r.Boxes[0].Restrictions...)
		sort.SliceStable(rs, func(a, b int) bool { return float64(rs[a].QuasiP) < float64(rs[b].QuasiP) })
		for _, x := range rs {
			cands = append(cands, x.Param)
		}
	}
	assoc := make([]float64, len(d.Params))
	order := make([]int, len(d.Params))
	for j := range assoc {
		order[j] = j
		assoc[j] = math.Abs(correlation(d.X[j], d))
	}
	sort.SliceStable(order, func(a, b int) bool { return assoc[order[a]] > assoc[order[b]] })
	cands = append(cands, order...)
	x, y := -1, -1
	for _, c := range cands {
		switch {
		case x < 0:
			x = c
		case y < 0 && c != x:
			y = c
		}
	}
	return x, y
}

// correlation is the Pearson correlation between a parameter and the
// points' rates (0 when either does not vary).
func correlation(x []float64, d *discover.Data) float64 {
	n := float64(len(x))
	var mx, my float64
	for i, v := range x {
		mx += v
		my += d.Y(i)
	}
	mx, my = mx/n, my/n
	var sxy, sxx, syy float64
	for i, v := range x {
		dx, dy := v-mx, d.Y(i)-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx <= 0 || syy <= 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

// trajectoryPoints draws a peeling trajectory's boxes coloured by the
// number of restricted parameters, joined by a thin line.
type trajectoryPoints struct {
	pts    []discover.TrajectoryPoint
	shape  draw.GlyphDrawer
	chosen int
	pasted discover.TrajectoryPoint
	label  string
}

func (t trajectoryPoints) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	line := make([]vg.Point, len(t.pts))
	for k, q := range t.pts {
		line[k] = vg.Point{X: trX(float64(q.Coverage)), Y: trY(float64(q.Density))}
	}
	c.StrokeLines(draw.LineStyle{Color: withAlpha(faint, 255), Width: vg.Points(1)}, c.ClipLinesXY(line)...)
	for k, q := range t.pts {
		c.DrawGlyph(draw.GlyphStyle{Color: dimsColor(q.Dims), Radius: vg.Points(4.5), Shape: t.shape}, line[k])
	}
	ch := line[t.chosen]
	c.DrawGlyph(draw.GlyphStyle{Color: ink, Radius: vg.Points(8), Shape: draw.RingGlyph{}}, ch)
	pp := vg.Point{X: trX(float64(t.pasted.Coverage)), Y: trY(float64(t.pasted.Density))}
	drawCross(c, pp, vg.Points(6))
	st := style(sansBold, 13, ink)
	st.XAlign, st.YAlign = draw.XLeft, draw.YBottom
	c.FillText(st, vg.Point{X: pp.X + vg.Points(9), Y: pp.Y + vg.Points(6)}, t.label)
}

func (t trajectoryPoints) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = 0, 0
	for _, q := range append(append([]discover.TrajectoryPoint(nil), t.pts...), t.pasted) {
		xmax = math.Max(xmax, float64(q.Coverage))
		ymax = math.Max(ymax, float64(q.Density))
	}
	return xmin, xmax, ymin, ymax
}

// drawCross marks the pasted box with a thick red ×, visible over the
// trajectory's dots.
func drawCross(c draw.Canvas, at vg.Point, r vg.Length) {
	ls := draw.LineStyle{Color: shockRed, Width: vg.Points(2.5)}
	c.StrokeLine2(ls, at.X-r, at.Y-r, at.X+r, at.Y+r)
	c.StrokeLine2(ls, at.X-r, at.Y+r, at.X+r, at.Y-r)
}

// crossGlyph draws drawCross's mark in legends.
type crossGlyph struct{}

func (crossGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, at vg.Point) {
	drawCross(*c, at, sty.Radius)
}

// hline is a dashed horizontal reference line with a label at its right.
type hline struct {
	y     float64
	label string
}

func (h hline) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	y := trY(h.y)
	ls := draw.LineStyle{Color: muted, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(5), vg.Points(4)}}
	c.StrokeLine2(ls, c.Min.X, y, c.Max.X, y)
	st := style(sans, 12, muted)
	st.XAlign, st.YAlign = draw.XRight, draw.YBottom
	st.XAlign = draw.XLeft
	c.FillText(st, vg.Point{X: trX(0.01), Y: y + vg.Points(3)}, h.label)
}

func (h hline) DataRange() (xmin, xmax, ymin, ymax float64) { return 0, 1, h.y, h.y }

func tradeoffChart(r *discover.Report) ([]byte, error) {
	p := newPlot("coverage: share of all runs meeting the condition that fall in the box", "density: share of the box's runs meeting the condition")
	p.Add(plotter.NewGrid())
	shapes := []draw.GlyphDrawer{draw.CircleGlyph{}, draw.PyramidGlyph{}, draw.BoxGlyph{}}
	maxDims, maxDensity := 0, float64(r.Rate.Value)
	for k, b := range r.Boxes {
		for _, q := range b.Trajectory {
			maxDims = max(maxDims, q.Dims)
			maxDensity = math.Max(maxDensity, float64(q.Density))
		}
		label := fmt.Sprintf("box %d", b.Box)
		p.Add(trajectoryPoints{pts: b.Trajectory, shape: shapes[k%len(shapes)], chosen: b.Chosen, pasted: b.Pasted, label: label})
	}
	p.Add(hline{y: float64(r.Rate.Value), label: "overall rate " + percent(float64(r.Rate.Value))})
	p.X.Min, p.X.Max = 0, 1.02
	p.Y.Min, p.Y.Max = 0, math.Min(1.02, maxDensity*1.12+0.02)
	p.X.Tick.Marker, p.Y.Tick.Marker = percentTicks{}, percentTicks{}
	for dims := 0; dims <= maxDims; dims++ {
		sc, _ := plotter.NewScatter(plotter.XYs{{X: -1, Y: -1}})
		sc.GlyphStyle = draw.GlyphStyle{Color: dimsColor(dims), Radius: vg.Points(5), Shape: draw.CircleGlyph{}}
		word := "parameters"
		if dims == 1 {
			word = "parameter"
		}
		p.Legend.Add(fmt.Sprintf("%d %s restricted", dims, word), sc)
	}
	ring, _ := plotter.NewScatter(plotter.XYs{{X: -1, Y: -1}})
	ring.GlyphStyle = draw.GlyphStyle{Color: ink, Radius: vg.Points(7), Shape: draw.RingGlyph{}}
	p.Legend.Add("box chosen on the trajectory", ring)
	cross, _ := plotter.NewScatter(plotter.XYs{{X: -1, Y: -1}})
	cross.GlyphStyle = draw.GlyphStyle{Color: shockRed, Radius: vg.Points(5), Shape: crossGlyph{}}
	p.Legend.Add("after pasting (reported)", cross)
	p.Legend.Top, p.Legend.Left = true, false
	sub := "Each point is a box on PRIM's peeling trajectory, from all runs (right) to the smallest box (left)"
	if len(r.Boxes) > 1 {
		sub += ";\nlater boxes (triangles, squares) search the runs the earlier boxes left"
	}
	return renderPlot(ChartWidth, ChartHeight, Meta{Title: clip(conditionTitle(r), 70) + ": coverage against density", Subtitle: sub, Footer: discoverFooter(r)}, p)
}

// percentTicks labels a [0, 1] axis in percent.
type percentTicks struct{}

func (percentTicks) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	step := 0.1
	if max-min < 0.3 {
		step = 0.05
	}
	if max-min < 0.12 {
		step = 0.02
	}
	for v := 0.0; v <= max+1e-9; v += step / 2 {
		v := math.Round(v/step*2) * step / 2
		if v < min-1e-9 {
			continue
		}
		if math.Abs(math.Remainder(v, step)) < 1e-9 {
			ticks = append(ticks, plot.Tick{Value: v, Label: fmt.Sprintf("%g%%", math.Round(v*1000)/10)})
		} else {
			ticks = append(ticks, plot.Tick{Value: v})
		}
	}
	return ticks
}

// boxChart draws a box's restricted parameters: for each, the full range
// sampled as a grey track and the box's range over it, with the values.
func boxChart(r *discover.Report, k int) ([]byte, error) {
	b := r.Boxes[k]
	rows := b.Restrictions
	sig := "not tested for significance"
	if b.Permutation != nil {
		sig = fmt.Sprintf("permutation p = %.2f", b.Permutation.P)
		if b.Significant != nil && !*b.Significant {
			sig += " — not significant: may be noise"
		}
	}
	meta := Meta{
		Title: fmt.Sprintf("Box %d: the condition holds in %s of its runs, against %s overall", b.Box, percent(float64(b.Density)), percent(float64(r.Rate.Value))),
		Subtitle: clip("Runs that "+r.Phrase, 110) + "\n" +
			fmt.Sprintf("The box holds %s of the runs meeting the condition and %s of all runs; lift %.2f; %s", percent(float64(b.Coverage)), percent(float64(b.Mass)), float64(b.Lift), sig),
		Footer: discoverFooter(r),
	}
	h := max(520, 250+len(rows)*120)
	return render(ChartWidth, h, func(c draw.Canvas) error {
		area := frame(c, meta, 20)
		labelW := px(430)
		x0, x1 := area.Min.X+labelW, area.Max.X-px(40)
		rowH := (area.Max.Y - area.Min.Y - px(40)) / vg.Length(max(len(rows), 1))
		rowH = min(rowH, px(130))
		top := area.Max.Y - px(10)
		col := dimsColor(len(rows))
		for i, rs := range rows {
			yc := top - rowH*vg.Length(i) - rowH/2
			name := style(sansBold, 15, ink)
			name.YAlign = draw.YCenter
			lines := strings.Split(wrap(rs.Label, 40), "\n")
			if len(lines) > 2 {
				lines = []string{lines[0], clip(strings.Join(lines[1:], " "), 40)}
			}
			for k, line := range lines {
				c.FillText(name, vg.Point{X: area.Min.X + px(10), Y: yc + px(12) + px(19)*vg.Length(len(lines)-1-k)}, line)
			}
			detail := style(sans, 12, muted)
			detail.YAlign = draw.YCenter
			info := rs.Parameter
			if q := float64(rs.QuasiP); !math.IsNaN(q) {
				info = fmt.Sprintf("quasi-p %s", pValue(q))
				if bs := float64(rs.BootstrapShare); !math.IsNaN(bs) {
					info += fmt.Sprintf(" · restricted in %s of resamples", percent(bs))
				}
			}
			c.FillText(detail, vg.Point{X: area.Min.X + px(10), Y: yc - px(12)}, info)
			lo, hi := float64(rs.Min), float64(rs.Max)
			span := hi - lo
			pos := func(v float64) vg.Length {
				if span <= 0 {
					return x0
				}
				f := math.Min(1, math.Max(0, (v-lo)/span))
				return x0 + (x1-x0)*vg.Length(f)
			}
			track := px(10)
			c.FillPolygon(withAlpha(gridGrey, 255), []vg.Point{{X: x0, Y: yc - track}, {X: x1, Y: yc - track}, {X: x1, Y: yc + track}, {X: x0, Y: yc + track}})
			bl, bh := float64(rs.Lower), float64(rs.Upper)
			if math.IsNaN(bl) || math.IsInf(bl, -1) {
				bl = lo
			}
			if math.IsNaN(bh) || math.IsInf(bh, 1) {
				bh = hi
			}
			bar := px(16)
			c.FillPolygon(withAlpha(col, 220), []vg.Point{{X: pos(bl), Y: yc - bar}, {X: pos(bh), Y: yc - bar}, {X: pos(bh), Y: yc + bar}, {X: pos(bl), Y: yc + bar}})
			ends := style(sans, 12, muted)
			ends.YAlign = draw.YTop
			ends.XAlign = draw.XLeft
			c.FillText(ends, vg.Point{X: x0, Y: yc - bar - px(4)}, trimFloat(round3(lo)))
			ends.XAlign = draw.XRight
			c.FillText(ends, vg.Point{X: x1, Y: yc - bar - px(4)}, trimFloat(round3(hi)))
			lim := style(sansBold, 13, ink)
			lim.YAlign = draw.YBottom
			// A limit's label is centred on it, but kept inside the track.
			limit := func(v float64, text string) {
				lim.XAlign = draw.XCenter
				x := pos(v)
				switch {
				case x-x0 < px(45):
					lim.XAlign, x = draw.XLeft, x0
				case x1-x < px(45):
					lim.XAlign, x = draw.XRight, x1
				}
				c.FillText(lim, vg.Point{X: x, Y: yc + bar + px(4)}, text)
			}
			if !math.IsInf(float64(rs.Lower), -1) && !math.IsNaN(float64(rs.Lower)) {
				limit(bl, "≥ "+trimFloat(round3(bl)))
			}
			if !math.IsInf(float64(rs.Upper), 1) && !math.IsNaN(float64(rs.Upper)) {
				limit(bh, "≤ "+trimFloat(round3(bh)))
			}
		}
		note := style(sans, 12, muted)
		note.YAlign = draw.YBottom
		c.FillText(note, vg.Point{X: x0, Y: area.Min.Y + px(4)}, "Grey: the range sampled; coloured: the box. Parameters not shown are unrestricted.")
		return nil
	})
}

func pValue(p float64) string {
	switch {
	case p < 0.001:
		return "< 0.001"
	case p < 0.01:
		return fmt.Sprintf("%.3f", p)
	}
	return fmt.Sprintf("%.2f", p)
}

// rect outlines a box in the pairs scatter.
type rect struct {
	x0, x1, y0, y1 float64
	col            color.Color
}

func (r rect) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	pts := []vg.Point{{X: trX(r.x0), Y: trY(r.y0)}, {X: trX(r.x1), Y: trY(r.y0)}, {X: trX(r.x1), Y: trY(r.y1)}, {X: trX(r.x0), Y: trY(r.y1)}, {X: trX(r.x0), Y: trY(r.y0)}}
	c.StrokeLines(draw.LineStyle{Color: r.col, Width: vg.Points(2.5), Dashes: []vg.Length{vg.Points(8), vg.Points(4)}}, c.ClipLinesXY(pts)...)
}

func (r rect) DataRange() (xmin, xmax, ymin, ymax float64) { return r.x0, r.x1, r.y0, r.y1 }

// rateShades are the colours of a point's rate in the pairs scatter,
// from 0–25% to 75–100% (ColorBrewer's Oranges, the lightest a grey).
var rateShades = []color.NRGBA{
	{R: 0xc8, G: 0xc8, B: 0xc8, A: 0xff},
	{R: 0xfd, G: 0xae, B: 0x6b, A: 0xff},
	{R: 0xe6, G: 0x55, B: 0x0d, A: 0xff},
	{R: 0x7f, G: 0x27, B: 0x04, A: 0xff},
}

// keyEntry is one line of a chart's key: a dot and its label.
type keyEntry struct {
	col   color.Color
	label string
	box   bool // a dashed box instead of a dot
}

// drawKey draws key entries top-down from (x, y).
func drawBoxKey(c draw.Canvas, x, y vg.Length, title string, entries []keyEntry) {
	st := style(sansBold, 13, ink)
	for _, line := range strings.Split(title, "\n") {
		c.FillText(st, vg.Point{X: x, Y: y}, line)
		y -= px(19)
	}
	y -= px(14)
	for _, e := range entries {
		lab := style(sans, 13, ink)
		lab.YAlign = draw.YCenter
		if e.box {
			ls := draw.LineStyle{Color: ink, Width: vg.Points(2), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
			c.StrokeLines(ls, []vg.Point{{X: x, Y: y - px(8)}, {X: x + px(16), Y: y - px(8)}, {X: x + px(16), Y: y + px(8)}, {X: x, Y: y + px(8)}, {X: x, Y: y - px(8)}})
		} else {
			c.DrawGlyph(draw.GlyphStyle{Color: e.col, Radius: vg.Points(5), Shape: draw.CircleGlyph{}}, vg.Point{X: x + px(8), Y: y})
		}
		for k, line := range strings.Split(e.label, "\n") {
			c.FillText(lab, vg.Point{X: x + px(26), Y: y - px(18)*vg.Length(k)}, line)
		}
		y -= px(18)*vg.Length(strings.Count(e.label, "\n")) + px(30)
	}
}

func pairsChart(r *discover.Report, d *discover.Data, xj, yj int) ([]byte, error) {
	px_, py_ := r.Parameters[xj], r.Parameters[yj]
	axis := func(p discover.Parameter) string {
		if p.Unit != "" {
			return p.Label + " (" + p.Unit + ")"
		}
		return p.Label
	}
	p := newPlot(axis(px_), axis(py_))
	p.Add(plotter.NewGrid())
	n := d.Points()
	// Beyond maxScatter points the chart shows every stride-th, which
	// reads better and keeps rendering fast; counts in the key are of
	// the points shown.
	stride := (n + maxScatter - 1) / maxScatter
	radius := vg.Points(2.6)
	alpha := uint8(170)
	if n > 5000 {
		radius, alpha = vg.Points(1.9), 140
	}
	var key []keyEntry
	keyTitle := "Runs"
	if d.Runs == 1 {
		var miss, hit plotter.XYs
		for i := 0; i < n; i += stride {
			pt := plotter.XY{X: d.X[xj][i], Y: d.X[yj][i]}
			if d.Hits[i] > 0 {
				hit = append(hit, pt)
			} else {
				miss = append(miss, pt)
			}
		}
		layers := []struct {
			xy    plotter.XYs
			col   color.NRGBA
			label string
		}{
			{miss, withAlpha(rateShades[0], alpha), fmt.Sprintf("not meeting the\ncondition (%s)", thousands(int64(len(miss))))},
			{hit, withAlpha(rateShades[2], alpha), fmt.Sprintf("meeting the\ncondition (%s)", thousands(int64(len(hit))))},
		}
		for _, layer := range layers {
			if len(layer.xy) > 0 {
				sc, err := plotter.NewScatter(layer.xy)
				if err != nil {
					return nil, err
				}
				sc.GlyphStyle = draw.GlyphStyle{Color: layer.col, Radius: radius, Shape: draw.CircleGlyph{}}
				p.Add(sc)
			}
			key = append(key, keyEntry{col: withAlpha(layer.col, 255), label: layer.label})
		}
	} else {
		keyTitle = fmt.Sprintf("Share of a point's %d runs\nmeeting the condition", d.Runs)
		bins := []float64{0, 0.25, 0.5, 0.75, 1.0001}
		for k := 0; k+1 < len(bins); k++ {
			var xy plotter.XYs
			for i := 0; i < n; i += stride {
				if v := d.Y(i); v >= bins[k] && v < bins[k+1] {
					xy = append(xy, plotter.XY{X: d.X[xj][i], Y: d.X[yj][i]})
				}
			}
			label := fmt.Sprintf("%.0f–%.0f%% (%s points)", 100*bins[k], math.Min(100, 100*bins[k+1]), thousands(int64(len(xy))))
			key = append(key, keyEntry{col: rateShades[k], label: label})
			if len(xy) == 0 {
				continue
			}
			sc, err := plotter.NewScatter(xy)
			if err != nil {
				return nil, err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: withAlpha(rateShades[k], alpha+40), Radius: radius + vg.Points(0.6), Shape: draw.CircleGlyph{}}
			p.Add(sc)
		}
	}
	if len(r.Boxes) > 0 {
		b := r.Boxes[0]
		x0, x1 := float64(px_.Min), float64(px_.Max)
		y0, y1 := float64(py_.Min), float64(py_.Max)
		for _, rs := range b.Restrictions {
			lo, hi := float64(rs.Lower), float64(rs.Upper)
			switch rs.Param {
			case xj:
				x0, x1 = pick(lo, x0), pick(hi, x1)
			case yj:
				y0, y1 = pick(lo, y0), pick(hi, y1)
			}
		}
		p.Add(rect{x0, x1, y0, y1, ink})
		key = append(key, keyEntry{box: true, label: "PRIM's box 1 on\nthese parameters"})
	}
	p.X.Min, p.X.Max = float64(px_.Min), float64(px_.Max)
	p.Y.Min, p.Y.Max = float64(py_.Min), float64(py_.Max)
	title := clip(conditionTitle(r), 60) + ": the two leading parameters"
	sub := fmt.Sprintf("Each dot is one of %s runs, placed by the two parameters that matter most; the other parameters vary too", thousands(int64(n)))
	if d.Runs > 1 {
		sub = fmt.Sprintf("Each dot is one of %s parameter points, shaded by the share of its %d runs that %s", thousands(int64(n)), d.Runs, r.Phrase)
	}
	if stride > 1 {
		sub += fmt.Sprintf(" (every %s shown)", ordinal(stride))
	}
	meta := Meta{Title: title, Subtitle: wrap(sub, 115), Footer: discoverFooter(r)}
	return render(ChartWidth, ChartHeight, func(c draw.Canvas) error {
		area := frame(c, meta, 22)
		plotArea := area
		plotArea.Max.X -= px(250)
		drawPlot(plotArea, p)
		drawBoxKey(c, plotArea.Max.X+px(30), area.Max.Y-px(10), keyTitle, key)
		return nil
	})
}

// maxScatter is the most points the pairs scatter draws.
const maxScatter = 20000

func ordinal(k int) string {
	suffix := "th"
	switch {
	case k%100 >= 11 && k%100 <= 13:
	case k%10 == 1:
		suffix = "st"
	case k%10 == 2:
		suffix = "nd"
	case k%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", k, suffix)
}

func pick(v, fallback float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fallback
	}
	return v
}

// wrap breaks text into lines of at most width runes at spaces.
func wrap(text string, width int) string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len([]rune(line))+1+len([]rune(w)) > width {
			lines = append(lines, line)
			line = w
			continue
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return strings.Join(append(lines, line), "\n")
}

var discoveryTemplate = template.Must(template.New("discovery").Funcs(template.FuncMap{
	"pct":  func(f output.Float) string { return percent(float64(f)) },
	"pct1": func(f output.Float) string { return pct1(float64(f)) },
	"num": func(f output.Float) string {
		v := float64(f)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "—"
		}
		return discover.Num(v)
	},
	"pval": func(f output.Float) string {
		if math.IsNaN(float64(f)) {
			return "—"
		}
		return pValue(float64(f))
	},
	"thousands": func(n any) string {
		switch v := n.(type) {
		case int:
			return thousands(int64(v))
		case int64:
			return thousands(v)
		}
		return fmt.Sprint(n)
	},
	"spread": func(a [2]output.Float) string {
		if math.IsNaN(float64(a[0])) {
			return "—"
		}
		return discover.Num(float64(a[0])) + " to " + discover.Num(float64(a[1]))
	},
	"img": func(images map[string][]byte, name string) template.URL {
		return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(images[name]))
	},
	"boxfile": func(k int) string { return fmt.Sprintf("box-%d.png", k) },
	"deref":   func(b *bool) bool { return *b },
	"pvalf":   pValue,
	"pctf":    percent,
	"nan":     func(f output.Float) bool { return math.IsNaN(float64(f)) },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Scenario discovery: {{.R.Condition}} — {{.R.Title}}</title>
<style></style>
</head>
<body>
<h1>Where in the assumptions does it happen?</h1>
<p class="meta">{{.R.Title}} · condition <code>{{.R.Condition}}</code> ({{.R.Description}}) · {{thousands .R.Points}} parameter points × {{.R.Replicates}} run{{if gt .R.Replicates 1}}s{{end}} · seed {{.R.Seed}}</p>
<div class="bottom-line-here"></div>
<p>Overall, {{pct1 .R.Rate.Value}} of runs {{.R.Phrase}} (95% interval {{pct1 .R.Rate.Lo95}} to {{pct1 .R.Rate.Hi95}}; {{thousands .R.Rate.Hits}} of {{thousands .R.Rate.Runs}} runs). PRIM looked for boxes — ranges of a few uncertain parameters — where that rate is much higher.</p>
{{if .R.Warnings}}<div class="warn"><strong>Read with care</strong><ul>{{range .R.Warnings}}<li>{{.}}</li>{{end}}</ul></div>{{end}}
{{range .R.Boxes}}<p class="box"><strong>Box {{.Box}}.</strong> {{.Sentence}}{{if .Significant}}{{if not (deref .Significant)}} <em>Not significant: PRIM finds boxes this dense when the condition is shuffled across runs.</em>{{end}}{{end}}</p>
{{end}}
{{if not .R.Boxes}}<p class="box">No box: nothing in these runs points to a region of the parameters where the condition is more frequent.</p>{{end}}

<h2>How to read this</h2>
<p><strong>Density</strong> is the share of a box's runs that meet the condition; <strong>coverage</strong> the share of all runs meeting the condition that fall in the box; <strong>mass</strong> the share of all runs in the box; <strong>lift</strong> density over the overall rate. A good box is dense and covers much, with few parameters. {{.R.Method.Randomness}} {{.R.Method.Intervals}}</p>
<p>The <strong>permutation p</strong> is the share of {{.R.Settings.Permutations}} searches on data with the condition shuffled across points (plus the real one) that found a box at least as dense: at most 0.05 means the box is unlikely to be an artefact of searching noise. A <strong>quasi-p</strong> (Bryant &amp; Lempert 2010) tests one restriction: the box against the same box without it; a large value marks a restriction that adds little. The <strong>bootstrap</strong> reruns the search on {{.R.Settings.Bootstrap}} resamples of the points: how often each parameter is restricted, how far its limits move, and how much the resampled boxes overlap the box (Jaccard, 1 = the same runs).</p>

{{if .R.Boxes}}<h2>Coverage against density</h2>
<p>Each point is a box on PRIM's peeling trajectory (peeling {{pct .PeelAlpha}} of the box at a time), coloured by how many parameters it restricts (at most {{.R.Settings.MaxDims}}). The ring is the box the choice rule ({{.R.Settings.Rule}}) picked; the cross is that box after pasting, the one reported.</p>
<img src="{{img .Images "tradeoff.png"}}" alt="Coverage against density">
{{end}}

{{range .R.Boxes}}<h2>Box {{.Box}}</h2>
<p>{{.Sentence}}</p>
<table>
<tr><th>Density (95% interval)</th><th>Coverage</th><th>Mass</th><th>Lift</th><th>Permutation p</th><th>Shuffled searches: mean density, 95th percentile</th><th>Bootstrap overlap</th></tr>
<tr><td class="n">{{pct1 .Density}} ({{pct1 .Rate.Lo95}} – {{pct1 .Rate.Hi95}})</td><td class="n">{{pct .Coverage}}</td><td class="n">{{pct .Mass}}</td><td class="n">{{num .Lift}}</td><td class="n">{{with .Permutation}}{{pvalf .P}}{{else}}—{{end}}</td><td class="n">{{with .Permutation}}{{pctf .NullMean}}, {{pctf .Null95}}{{else}}—{{end}}</td><td class="n">{{num .Jaccard}}</td></tr>
</table>
<table>
<tr><th>Parameter</th><th>Box</th><th>Range sampled</th><th>Quasi-p</th><th>Restricted in resamples</th><th>Resampled limits (2.5–97.5%)</th></tr>
{{range .Restrictions}}<tr><td>{{.Label}}<br><code>{{.Parameter}}</code></td><td class="n">{{num .Lower}} to {{num .Upper}}</td><td class="n">{{num .Min}} to {{num .Max}}</td><td class="n">{{pval .QuasiP}}</td><td class="n">{{pct .BootstrapShare}}</td><td>lower {{spread .Lower95}}; upper {{spread .Upper95}}</td></tr>
{{end}}</table>
<img src="{{img $.Images (boxfile .Box)}}" alt="Box {{.Box}}">
{{end}}

{{if .Pairs}}<h2>The two leading parameters</h2>
<img src="{{img .Images "pairs.png"}}" alt="Pairs scatter">
{{end}}

<h2>CART, for comparison</h2>
<p>A classification tree (depth at most {{.R.Settings.CARTDepth}}, leaves of at least {{.R.Settings.CARTMinLeaf}} points, pruned at the complexity with the smallest {{.R.Settings.CARTFolds}}-fold cross-validated error) splits the same points. Its leaves, densest first:{{if not (nan .R.CART.Agreement)}} the densest leaf and PRIM's box 1 share {{pct .R.CART.Agreement}} of their runs (Jaccard overlap).{{end}}</p>
<table>
<tr><th>Leaf</th><th>Density</th><th>Coverage</th><th>Mass</th></tr>
{{range .R.CART.Leaves}}<tr><td>{{.Sentence}}</td><td class="n">{{pct .Density}}</td><td class="n">{{pct .Coverage}}</td><td class="n">{{pct .Mass}}</td></tr>
{{end}}</table>

<footer>{{.R.Tool}} {{.R.Version}} · source {{.R.Source}} · scenario {{.R.ScenarioFile}} (SHA-256 {{.R.ScenarioSHA256}}) · seed {{.R.Seed}} · discovery seed {{.R.Settings.Seed}} · files: boxes.json, boxes.csv, trajectory.csv. Method: docs/DISCOVERY.md.</footer>
</body>
</html>
`))

func discoveryHTML(r *discover.Report, images map[string][]byte, x, y int) ([]byte, error) {
	data := struct {
		R         *discover.Report
		Images    map[string][]byte
		Pairs     bool
		PeelAlpha output.Float
	}{r, images, x >= 0 && y >= 0, output.Float(r.Settings.PeelAlpha)}
	var bottom []string
	for _, box := range r.Boxes {
		bottom = append(bottom, fmt.Sprintf("Box %d: %s", box.Box, box.Sentence))
	}
	if len(r.Boxes) == 0 {
		bottom = append(bottom, "No box: nothing in these runs points to a region of the parameters where the condition is more frequent.")
	}
	return renderPage(discoveryTemplate, data, bottom, images)
}
