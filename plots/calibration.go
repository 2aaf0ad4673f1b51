package plots

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/geosim/geosim/calibration"
	"github.com/geosim/geosim/sim/abc"
)

// CalibrationData is what the charts and report of a calibration show.
type CalibrationData struct {
	Summary   *calibration.Summary
	Posterior *abc.Posterior // the weighted particles
	Priors    []abc.Param    // the fitted parameters with their priors
	File      string         // the calibration file
	SHA256    string
	Version   string
}

func (d CalibrationData) footer() string {
	s := d.Summary
	return fmt.Sprintf("%s · fit %s to %s · %d particles · %s simulated histories · seed %d · geosim %s",
		d.File, s.FitFrom, s.FitTo, s.ABC.Particles, thousands(s.Simulations), s.ABC.Settings.Seed, d.Version)
}

// WriteCalibration renders a calibration's charts — parameters.png
// (prior and posterior of each parameter), pairs.png (the joint posterior
// of the most constrained parameters), predictive-fit.png and
// predictive-holdout.png (observed statistics against their prior and
// posterior predictive intervals), generations.png (the sampler's
// tolerance and acceptance) — and report.html, which embeds them.
func WriteCalibration(w FileWriter, d CalibrationData) error {
	jobs := []chartJob{
		{"parameters.png", "Prior and posterior of each parameter", func() ([]byte, error) { return calibrationParameters(d) }},
	}
	if len(d.Priors) >= 2 {
		jobs = append(jobs, chartJob{"pairs.png", "The joint posterior of the most constrained parameters", func() ([]byte, error) { return calibrationPairs(d) }})
	}
	jobs = append(jobs, chartJob{"predictive-fit.png", "Posterior predictive check: the fitting window", func() ([]byte, error) {
		return calibrationPredictive(d, d.Summary.Fit, "Posterior predictive check: the fitting window")
	}})
	if d.Summary.Holdout != nil {
		jobs = append(jobs, chartJob{"predictive-holdout.png", "Held-out check: a window the fit did not see", func() ([]byte, error) {
			return calibrationPredictive(d, d.Summary.Holdout, "Held-out check: a window the fit did not see")
		}})
	}
	jobs = append(jobs, chartJob{"generations.png", "The sampler by generation", func() ([]byte, error) { return calibrationGenerations(d) }})
	images := make([][]byte, len(jobs))
	errs := make([]error, len(jobs))
	parallel(len(jobs), func(i int) { images[i], errs[i] = jobs[i].render() })
	for i, j := range jobs {
		if errs[i] != nil {
			return fmt.Errorf("rendering %s: %w", j.file, errs[i])
		}
		if err := w.WriteFile(j.file, images[i]); err != nil {
			return err
		}
	}
	html, err := calibrationHTML(d, jobs, images)
	if err != nil {
		return err
	}
	return w.WriteFile("report.html", html)
}

// priorRange is the range a parameter's panels show: its prior's
// support, or its 0.1% and 99.9% quantiles for an unbounded prior.
func priorRange(p abc.Param) (lo, hi float64) {
	lo, hi = p.Prior.Support()
	if math.IsInf(lo, 0) || math.IsNaN(lo) {
		lo = p.Prior.Quantile(0.001)
	}
	if math.IsInf(hi, 0) || math.IsNaN(hi) {
		hi = p.Prior.Quantile(0.999)
	}
	if !(hi > lo) {
		hi = lo + 1
	}
	return lo, hi
}

// stepHistogram draws a density histogram as filled bars.
type stepHistogram struct {
	lo, width float64
	density   []float64
	fill      color.NRGBA
	line      color.NRGBA
}

// newStepHistogram bins values x with weights w (nil: equal) into bins
// of [lo, hi] and normalises to a density.
func newStepHistogram(x, w []float64, lo, hi float64, bins int, fill, line color.NRGBA) stepHistogram {
	h := stepHistogram{lo: lo, width: (hi - lo) / float64(bins), density: make([]float64, bins), fill: fill, line: line}
	total := 0.0
	for i, v := range x {
		wt := 1.0
		if w != nil {
			wt = w[i]
		}
		k := int((v - lo) / h.width)
		k = min(max(k, 0), bins-1)
		h.density[k] += wt
		total += wt
	}
	for k := range h.density {
		h.density[k] /= total * h.width
	}
	return h
}

func (h stepHistogram) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for k, d := range h.density {
		if d <= 0 {
			continue
		}
		x0, x1 := h.lo+float64(k)*h.width, h.lo+float64(k+1)*h.width
		pts := []vg.Point{{X: trX(x0), Y: trY(0)}, {X: trX(x0), Y: trY(d)}, {X: trX(x1), Y: trY(d)}, {X: trX(x1), Y: trY(0)}}
		c.FillPolygon(h.fill, c.ClipPolygonXY(pts))
		c.StrokeLines(draw.LineStyle{Color: h.line, Width: vg.Points(0.8)}, c.ClipLinesXY(pts[:3], pts[1:])...)
	}
}

func (h stepHistogram) DataRange() (xmin, xmax, ymin, ymax float64) {
	top := 0.0
	for _, d := range h.density {
		top = math.Max(top, d)
	}
	return h.lo, h.lo + h.width*float64(len(h.density)), 0, top
}

// vlines marks values with vertical lines across the plot.
type vlines struct {
	xs    []float64
	style draw.LineStyle
}

func (v vlines) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for _, x := range v.xs {
		c.StrokeLine2(v.style, trX(x), c.Min.Y, trX(x), c.Max.Y)
	}
}

// priorQuantiles returns n equally spaced quantiles of a prior: an exact
// stand-in for a large sample when drawing its density.
func priorQuantiles(p abc.Param, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = p.Prior.Quantile((float64(i) + 0.5) / float64(n))
	}
	return x
}

func calibrationParameters(d CalibrationData) ([]byte, error) {
	n := len(d.Priors)
	cols := 3
	if n > 9 {
		cols = 4
	}
	if n < 3 {
		cols = n
	}
	rows := (n + cols - 1) / cols
	type cell struct {
		title string
		p     *plot.Plot
	}
	cells := make([]cell, n)
	for i, par := range d.Priors {
		ps := d.Summary.Parameters[i]
		lo, hi := priorRange(par)
		p := newPlot("", "")
		p.Y.Tick.Marker = plot.ConstantTicks(nil)
		p.Y.LineStyle.Width = 0
		prior := newStepHistogram(priorQuantiles(par, 4000), nil, lo, hi, 30, withAlpha(faint, 150), faint)
		post := newStepHistogram(columnOf(d.Posterior, i), d.Posterior.Weights, lo, hi, 30, withAlpha(accent, 120), accent)
		marks := vlines{xs: ps.PosteriorInterval90[:], style: draw.LineStyle{Color: accent, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}}
		mean := vlines{xs: []float64{ps.PosteriorMean}, style: draw.LineStyle{Color: ink, Width: vg.Points(1.6)}}
		p.Add(prior, post, marks, mean)
		p.X.Min, p.X.Max = lo, hi
		p.Y.Min = 0
		cells[i] = cell{fmt.Sprintf("%s · %s [%s, %s]", ps.Name, num(ps.PosteriorMean), num(ps.PosteriorInterval90[0]), num(ps.PosteriorInterval90[1])), p}
	}
	meta := Meta{Title: "What the record says about each parameter",
		Subtitle: "Grey: prior · blue: posterior (weighted particles) · black line: posterior mean · dashed: its 90% interval\n" +
			"Panel title: posterior mean [90% interval]. A posterior like its prior means the record does not constrain the parameter.",
		Footer: d.footer()}
	w := 520 * cols
	h := 230 + 330*rows
	return render(w, h, func(c draw.Canvas) error {
		area := frame(c, meta, 22)
		cw := (area.Max.X - area.Min.X) / vg.Length(cols)
		ch := (area.Max.Y - area.Min.Y) / vg.Length(rows)
		for i, cl := range cells {
			r, k := i/cols, i%cols
			cc := area
			cc.Min.X = area.Min.X + cw*vg.Length(k)
			cc.Max.X = cc.Min.X + cw - px(10)
			cc.Max.Y = area.Max.Y - ch*vg.Length(r)
			cc.Min.Y = cc.Max.Y - ch + px(14)
			smallPanel(cc, cl.title, cl.p)
		}
		return nil
	})
}

// smallPanel draws a title in a smaller bold face than panel, clipped to
// the cell, and the plot below it.
func smallPanel(c draw.Canvas, title string, p *plot.Plot) {
	st := style(sansBold, 12.5, ink)
	width := float64(c.Max.X - c.Min.X - px(10))
	for st.Width(title) > vg.Length(width) && len(title) > 4 {
		title = string([]rune(title)[:len([]rune(title))-2]) + "…"
		title = strings.Replace(title, "……", "…", 1)
	}
	c.FillText(st, vg.Point{X: c.Min.X + px(8), Y: c.Max.Y}, title)
	inner := c
	inner.Max.Y -= st.Font.Size * 1.6
	p.Draw(inner)
}

func columnOf(p *abc.Posterior, j int) []float64 {
	x := make([]float64, len(p.Rows))
	for i, r := range p.Rows {
		x[i] = r[j]
	}
	return x
}

// weightedPoints draws particles as discs whose area grows with weight.
type weightedPoints struct {
	x, y, w []float64
	color   color.NRGBA
}

func (wp weightedPoints) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	top := 0.0
	for _, v := range wp.w {
		top = math.Max(top, v)
	}
	for i := range wp.x {
		r := vg.Points(1.2 + 3.5*math.Sqrt(wp.w[i]/top))
		c.DrawGlyph(draw.GlyphStyle{Color: wp.color, Radius: r, Shape: draw.CircleGlyph{}}, vg.Point{X: trX(wp.x[i]), Y: trY(wp.y[i])})
	}
}

// topParameters returns the indices of the k parameters the record
// constrains most (largest contraction), in file order.
func topParameters(s *calibration.Summary, k int) []int {
	idx := make([]int, len(s.Parameters))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return s.Parameters[idx[a]].Contraction > s.Parameters[idx[b]].Contraction })
	idx = idx[:min(k, len(idx))]
	sort.Ints(idx)
	return idx
}

func calibrationPairs(d CalibrationData) ([]byte, error) {
	top := topParameters(d.Summary, 4)
	type pair struct{ a, b int }
	var pairs []pair
	for i := range top {
		for j := i + 1; j < len(top); j++ {
			pairs = append(pairs, pair{top[i], top[j]})
		}
	}
	cols := min(3, len(pairs))
	rows := (len(pairs) + cols - 1) / cols
	plots := make([]*plot.Plot, len(pairs))
	titles := make([]string, len(pairs))
	for k, pr := range pairs {
		xa, xb := d.Priors[pr.a], d.Priors[pr.b]
		p := newPlot(xa.Name, xb.Name)
		p.X.Label.TextStyle = style(sans, 12, ink)
		p.Y.Label.TextStyle = style(sans, 12, ink)
		p.X.Label.TextStyle.XAlign, p.X.Label.TextStyle.YAlign = draw.XCenter, draw.YBottom
		p.Y.Label.TextStyle.XAlign, p.Y.Label.TextStyle.YAlign = draw.XCenter, draw.YBottom
		p.X.Min, p.X.Max = priorRange(xa)
		p.Y.Min, p.Y.Max = priorRange(xb)
		p.Add(plotter.NewGrid(), weightedPoints{x: columnOf(d.Posterior, pr.a), y: columnOf(d.Posterior, pr.b), w: d.Posterior.Weights, color: withAlpha(accent, 90)})
		plots[k] = p
		titles[k] = "correlation " + signedNum(weightedCorrelation(columnOf(d.Posterior, pr.a), columnOf(d.Posterior, pr.b), d.Posterior.Weights))
	}
	names := make([]string, len(top))
	for i, t := range top {
		names[i] = d.Priors[t].Name
	}
	meta := Meta{Title: "The joint posterior of the most constrained parameters",
		Subtitle: "Each disc a particle, its area its weight; axes span each prior's range.\nMost constrained (largest 1 − posterior sd / prior sd): " + strings.Join(names, ", "),
		Footer:   d.footer()}
	return render(max(560*cols, 1200), 230+470*rows, func(c draw.Canvas) error {
		area := frame(c, meta, 22)
		cw := (area.Max.X - area.Min.X) / vg.Length(cols)
		ch := (area.Max.Y - area.Min.Y) / vg.Length(rows)
		for i, p := range plots {
			r, k := i/cols, i%cols
			cc := area
			cc.Min.X = area.Min.X + cw*vg.Length(k)
			cc.Max.X = cc.Min.X + cw - px(16)
			cc.Max.Y = area.Max.Y - ch*vg.Length(r)
			cc.Min.Y = cc.Max.Y - ch + px(16)
			smallPanel(cc, titles[i], p)
		}
		return nil
	})
}

func weightedCorrelation(a, b, w []float64) float64 {
	ma, mb := abc.WeightedMean(a, w), abc.WeightedMean(b, w)
	var sab, saa, sbb, sw float64
	for i := range a {
		sab += w[i] * (a[i] - ma) * (b[i] - mb)
		saa += w[i] * (a[i] - ma) * (a[i] - ma)
		sbb += w[i] * (b[i] - mb) * (b[i] - mb)
		sw += w[i]
	}
	if saa == 0 || sbb == 0 {
		return 0
	}
	return sab / math.Sqrt(saa*sbb)
}

// intervalBoxes draws, per category x = 0, 1, …, the prior and posterior
// predictive intervals as boxes, the posterior median as a tick and the
// observed value as a dot (red when outside the posterior interval).
type intervalBoxes struct {
	stats []calibration.StatCheck
}

func (b intervalBoxes) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	box := func(x, half, lo, hi float64, fill color.NRGBA) {
		pts := []vg.Point{{X: trX(x - half), Y: trY(lo)}, {X: trX(x - half), Y: trY(hi)}, {X: trX(x + half), Y: trY(hi)}, {X: trX(x + half), Y: trY(lo)}}
		c.FillPolygon(fill, c.ClipPolygonXY(pts))
	}
	for i, s := range b.stats {
		x := float64(i)
		box(x, 0.34, s.Prior.Lower, s.Prior.Upper, withAlpha(faint, 110))
		box(x, 0.2, s.Posterior.Lower, s.Posterior.Upper, withAlpha(accent, 150))
		c.StrokeLine2(draw.LineStyle{Color: color.White, Width: vg.Points(2)}, trX(x-0.2), trY(s.Posterior.Median), trX(x+0.2), trY(s.Posterior.Median))
		col := ink
		if !s.Inside {
			col = shockRed
		}
		c.DrawGlyph(draw.GlyphStyle{Color: col, Radius: vg.Points(4.5), Shape: draw.CircleGlyph{}}, vg.Point{X: trX(x), Y: trY(s.Observed)})
	}
}

func (b intervalBoxes) DataRange() (xmin, xmax, ymin, ymax float64) {
	ymin, ymax = math.Inf(1), math.Inf(-1)
	for _, s := range b.stats {
		ymin = math.Min(ymin, math.Min(s.Observed, math.Min(s.Prior.Lower, s.Posterior.Lower)))
		ymax = math.Max(ymax, math.Max(s.Observed, math.Max(s.Prior.Upper, s.Posterior.Upper)))
	}
	return -0.5, float64(len(b.stats)) - 0.5, ymin, ymax
}

// blockTicks labels the categories of a statistic's blocks.
type blockTicks []string

func (t blockTicks) Ticks(min, max float64) []plot.Tick {
	ticks := make([]plot.Tick, len(t))
	for i, l := range t {
		ticks[i] = plot.Tick{Value: float64(i), Label: l}
	}
	return ticks
}

// shortBlock names a block for an axis, on two lines when it spans
// years: "2017", "2012\n–13", "2024\n–Aug 25", "2025\nJan–Aug".
func shortBlock(from, to string) string {
	fy, fm := from[:4], from[5:]
	ty, tm := to[:4], to[5:]
	switch {
	case fm == "01" && tm == "12" && fy == ty:
		return fy
	case fm == "01" && tm == "12":
		return fy + "\n–" + ty[2:]
	case fy == ty:
		return fmt.Sprintf("%s\n%s–%s", fy, monthAbbrev(fm), monthAbbrev(tm))
	case fm == "01":
		return fmt.Sprintf("%s\n–%s %s", fy, monthAbbrev(tm), ty[2:])
	}
	return fmt.Sprintf("%s %s\n–%s %s", monthAbbrev(fm), fy, monthAbbrev(tm), ty)
}

func monthAbbrev(mm string) string {
	names := []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	var k int
	fmt.Sscanf(mm, "%d", &k)
	if k < 1 || k > 12 {
		return mm
	}
	return names[k-1]
}

func calibrationPredictive(d CalibrationData, ch *calibration.CheckSummary, title string) ([]byte, error) {
	var groups [][]calibration.StatCheck
	index := map[string]int{}
	for _, s := range ch.Stats {
		k, ok := index[s.Statistic]
		if !ok {
			k = len(groups)
			index[s.Statistic] = k
			groups = append(groups, nil)
		}
		groups[k] = append(groups[k], s)
	}
	cols := 4
	rows := (len(groups) + cols - 1) / cols
	plots := make([]*plot.Plot, len(groups))
	titles := make([]string, len(groups))
	for g, stats := range groups {
		first := stats[0]
		unit := "months"
		switch first.Kind {
		case calibration.KindAutocorrelation:
			unit = "lag-1 autocorrelation"
		}
		p := newPlot("", unit)
		p.Y.Label.TextStyle = style(sans, 12, ink)
		p.Y.Label.TextStyle.XAlign, p.Y.Label.TextStyle.YAlign = draw.XCenter, draw.YBottom
		labels := make(blockTicks, len(stats))
		for i, s := range stats {
			labels[i] = shortBlock(s.From, s.To)
		}
		if len(stats) == 1 && first.Name == first.Statistic {
			labels[0] = shortBlock(first.From, first.To)
		}
		p.X.Tick.Marker = labels
		if len(stats) > 4 {
			p.X.Tick.Label = style(sans, 10.5, ink)
			p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
		}
		p.Add(plotter.NewGrid(), intervalBoxes{stats: stats})
		if first.Kind != calibration.KindAutocorrelation {
			p.Y.Min = 0
		}
		_, _, _, top := intervalBoxes{stats: stats}.DataRange()
		p.Y.Max = math.Max(top*1.08, 1)
		inside := 0
		for _, s := range stats {
			if s.Inside {
				inside++
			}
		}
		plots[g] = p
		titles[g] = fmt.Sprintf("%s · %d of %d inside", first.Statistic, inside, len(stats))
	}
	meta := Meta{Title: title + fmt.Sprintf(" (%s to %s)", ch.From, ch.To),
		Subtitle: fmt.Sprintf("Dot: the record (red: outside the posterior interval) · blue box: %.0f%% posterior predictive interval, white tick its median · grey box: %.0f%% prior predictive interval\n%s",
			100*ch.Level, 100*ch.Level, ch.Describe()),
		Footer: d.footer() + fmt.Sprintf(" · %d predictive histories each", ch.Draws)}
	return render(460*cols, 230+330*rows, func(c draw.Canvas) error {
		area := frame(c, meta, 22)
		cw := (area.Max.X - area.Min.X) / vg.Length(cols)
		chh := (area.Max.Y - area.Min.Y) / vg.Length(rows)
		for i, p := range plots {
			r, k := i/cols, i%cols
			cc := area
			cc.Min.X = area.Min.X + cw*vg.Length(k)
			cc.Max.X = cc.Min.X + cw - px(12)
			cc.Max.Y = area.Max.Y - chh*vg.Length(r)
			cc.Min.Y = cc.Max.Y - chh + px(14)
			smallPanel(cc, titles[i], p)
		}
		return nil
	})
}

func calibrationGenerations(d CalibrationData) ([]byte, error) {
	gens := d.Summary.ABC.Generations
	tol := newPlot("Generation", "Tolerance (distance)")
	acc := newPlot("Generation", "Acceptance rate (%)")
	var tpts, apts plotter.XYs
	for _, g := range gens {
		if g.Index > 0 {
			tpts = append(tpts, plotter.XY{X: float64(g.Index), Y: g.Tolerance})
		}
		apts = append(apts, plotter.XY{X: float64(g.Index), Y: 100 * g.AcceptanceRate})
	}
	for _, pp := range []struct {
		p   *plot.Plot
		pts plotter.XYs
	}{{tol, tpts}, {acc, apts}} {
		if len(pp.pts) == 0 {
			continue
		}
		l, s, err := plotter.NewLinePoints(pp.pts)
		if err != nil {
			return nil, err
		}
		l.LineStyle = draw.LineStyle{Color: accent, Width: vg.Points(2)}
		s.GlyphStyle = draw.GlyphStyle{Color: accent, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
		pp.p.Add(plotter.NewGrid(), l, s)
		pp.p.X.Min, pp.p.X.Max = -0.3, float64(len(gens)-1)+0.3
		pp.p.Y.Min = 0
	}
	acc.Y.Max = 100
	for _, pt := range tpts {
		tol.Y.Max = math.Max(tol.Y.Max, 1.06*pt.Y)
	}
	var sims []string
	for _, g := range gens {
		sims = append(sims, thousands(g.Simulations))
	}
	meta := Meta{Title: "The sampler, generation by generation",
		Subtitle: fmt.Sprintf("Generation 0 draws from the priors; each later one keeps histories within a tolerance set at the %.0f%% quantile of the previous distances.\nSimulated histories per generation: %s (stop: %s)",
			100*d.Summary.ABC.Settings.Quantile, strings.Join(sims, ", "), d.Summary.ABC.Stop),
		Footer: d.footer()}
	return render(ChartWidth+200, 640, func(c draw.Canvas) error {
		area := frame(c, meta, 22)
		half := (area.Max.X - area.Min.X) / 2
		left, right := area, area
		left.Max.X = area.Min.X + half - px(16)
		right.Min.X = area.Min.X + half + px(8)
		panel(left, "Tolerance", tol)
		panel(right, "Acceptance rate", acc)
		return nil
	})
}
