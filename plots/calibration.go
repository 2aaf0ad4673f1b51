package plots

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"sort"
	"strconv"
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

// check refuses data whose parts do not belong together: the charts
// index the summary's parameters, the priors and the posterior's
// columns alike.
func (d CalibrationData) check() error {
	s := d.Summary
	if s == nil || s.ABC == nil || s.Fit == nil || d.Posterior == nil {
		return fmt.Errorf("plots: a calibration needs its summary, sampler, fitting-window check and posterior")
	}
	if len(d.Priors) != len(s.Parameters) || len(d.Posterior.Params) != len(s.Parameters) {
		return fmt.Errorf("plots: the calibration has %d parameters, %d priors and %d posterior columns", len(s.Parameters), len(d.Priors), len(d.Posterior.Params))
	}
	for i, p := range s.Parameters {
		if d.Priors[i].Name != p.Name || d.Posterior.Params[i] != p.Name {
			return fmt.Errorf("plots: parameter %d is %s in the summary, %s in the priors and %s in the posterior", i+1, p.Name, d.Priors[i].Name, d.Posterior.Params[i])
		}
	}
	return nil
}

// calibrationJobs lists a calibration's charts: parameters.png (prior
// and posterior of each parameter), pairs.png (the joint posterior of
// the most constrained parameters), predictive-fit.png and
// predictive-holdout.png (observed statistics against their prior and
// posterior predictive intervals), generations.png (the sampler's
// tolerance and acceptance).
func calibrationJobs(d CalibrationData) []chartJob {
	jobs := []chartJob{
		{"parameters.png", "Prior and posterior of each parameter", func() ([]byte, error) { return calibrationParameters(d) }},
	}
	if len(d.Priors) >= 2 {
		jobs = append(jobs, chartJob{"pairs.png", "The joint posterior of the most constrained parameters", func() ([]byte, error) { return calibrationPairs(d) }})
	}
	jobs = append(jobs, chartJob{"predictive-fit.png", "The fitting window: the record against the model", func() ([]byte, error) {
		return calibrationPredictive(d, d.Summary.Fit, "The fitting window: the record against the model")
	}})
	if d.Summary.Holdout != nil {
		jobs = append(jobs, chartJob{"predictive-holdout.png", "Held out: the record the fit did not see, against the model", func() ([]byte, error) {
			return calibrationPredictive(d, d.Summary.Holdout, "Held out: the record the fit did not see, against the model")
		}})
	}
	return append(jobs, chartJob{"generations.png", "The sampler by generation", func() ([]byte, error) { return calibrationGenerations(d) }})
}

// WriteCalibration renders a calibration's charts (calibrationJobs) and
// a self-contained report.html that embeds them. The same data — a
// summary.json and posterior.csv read back — give the same bytes.
func WriteCalibration(ctx context.Context, w FileWriter, d CalibrationData) error {
	if err := d.check(); err != nil {
		return err
	}
	jobs := calibrationJobs(d)
	images, err := renderImages(ctx, w, jobs)
	if err != nil {
		return err
	}
	return calibrationPage(w, d, jobs, images)
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

// paramValue writes a value of parameter p with its decimals and a
// typographic minus.
func paramValue(p calibration.ParamSummary, v float64) string {
	return strings.Replace(p.Format(v), "-", "−", 1)
}

// fixedMinus writes v with the given decimals and a typographic minus.
func fixedMinus(v float64, decimals int) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', decimals, 64), "-", "−", 1)
}

// byContraction returns the parameters' indices, most constrained
// (largest contraction) first; ties keep file order.
func byContraction(s *calibration.Summary) []int {
	idx := make([]int, len(s.Parameters))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return s.Parameters[idx[a]].Contraction > s.Parameters[idx[b]].Contraction })
	return idx
}

// gridCells divides area into rows×cols cells, left to right and top
// to bottom, with gaps (points) between columns and rows.
func gridCells(area draw.Canvas, n, cols int, colGap, rowGap vg.Length) []draw.Canvas {
	rows := (n + cols - 1) / cols
	cw := (area.Max.X - area.Min.X) / vg.Length(cols)
	ch := (area.Max.Y - area.Min.Y) / vg.Length(rows)
	out := make([]draw.Canvas, n)
	for i := range out {
		r, k := i/cols, i%cols
		c := area
		c.Min.X = area.Min.X + cw*vg.Length(k)
		c.Max.X = c.Min.X + cw - colGap
		c.Max.Y = area.Max.Y - ch*vg.Length(r)
		c.Min.Y = c.Max.Y - ch + rowGap
		out[i] = c
	}
	return out
}

// notedPanel draws a panel of a small multiple: a bold title wrapped
// onto at most two lines, a muted note on one line below it, and the
// plot under both.
func notedPanel(c draw.Canvas, title, note string, p *plot.Plot) {
	st := style(sansBold, 13, ink)
	nst := style(sans, 12, muted)
	width := c.Max.X - c.Min.X - px(8)
	lines := wrapWidth(st, title, width)
	if len(lines) > 2 {
		lines = []string{lines[0], fitText(st, strings.Join(lines[1:], " "), width)}
	}
	y := c.Max.Y
	for _, l := range lines {
		c.FillText(st, vg.Point{X: c.Min.X + px(8), Y: y}, l)
		y -= lineHeight(st)
	}
	if note != "" {
		c.FillText(nst, vg.Point{X: c.Min.X + px(8), Y: y}, fitText(nst, note, width))
		y -= lineHeight(nst)
	}
	inner := c
	inner.Max.Y = y - px(4)
	drawPlot(inner, p)
}

// withUnit appends a unit in brackets to a label, unless it has none.
func withUnit(label, unit string) string {
	if unit == "" || unit == "index" || unit == "factor" {
		return label
	}
	return label + " (" + unit + ")"
}

func calibrationParameters(d CalibrationData) ([]byte, error) {
	order := byContraction(d.Summary)
	n := len(order)
	// At most three columns: a report shrinks a chart to its page's
	// width (960–1240 px), and four would leave the text too small.
	cols := min(n, 3)
	rows := (n + cols - 1) / cols
	plots := make([]*plot.Plot, n)
	titles := make([]string, n)
	notes := make([]string, n)
	for k, i := range order {
		par := d.Priors[i]
		ps := d.Summary.Parameters[i]
		lo, hi := priorRange(par)
		p := newPlot("", "")
		p.Y.Tick.Marker = plot.ConstantTicks(nil)
		p.Y.LineStyle.Width = 0
		p.X.Tick.Label = style(sans, 12, ink)
		p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
		prior := newStepHistogram(priorQuantiles(par, 4000), nil, lo, hi, 30, withAlpha(faint, 150), faint)
		post := newStepHistogram(columnOf(d.Posterior, i), d.Posterior.Weights, lo, hi, 30, withAlpha(accent, 120), accent)
		marks := vlines{xs: ps.PosteriorInterval90[:], style: draw.LineStyle{Color: accent, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}}
		mean := vlines{xs: []float64{ps.PosteriorMean}, style: draw.LineStyle{Color: ink, Width: vg.Points(1.6)}}
		p.Add(prior, post, marks, mean)
		p.X.Min, p.X.Max = lo, hi
		p.Y.Min = 0
		plots[k] = p
		titles[k] = withUnit(ps.Display(), ps.Unit)
		notes[k] = fmt.Sprintf("mean %s, 90%% %s to %s · contraction %s", paramValue(ps, ps.PosteriorMean),
			paramValue(ps, ps.PosteriorInterval90[0]), paramValue(ps, ps.PosteriorInterval90[1]), fixedMinus(ps.Contraction, 2))
	}
	meta := Meta{Title: "What the record says about each parameter",
		Subtitle: "Panels from the most constrained parameter to the least. Contraction is 1 − posterior sd / prior sd: near 0 the posterior is like the prior and the record does not constrain the parameter.",
		Key: []keyItem{{Label: "prior", Color: withAlpha(faint, 150), Kind: "box"}, {Label: "posterior (weighted particles)", Color: withAlpha(accent, 120), Kind: "box"},
			{Label: "posterior mean", Color: ink, Kind: "line"}, {Label: "its 90% interval", Color: accent, Kind: "line", Dash: []vg.Length{vg.Points(4), vg.Points(3)}}},
		Footer: d.footer()}
	return render(520*cols, 250+340*rows, func(c draw.Canvas) error {
		area := frame(c, meta, 22)
		for k, cell := range gridCells(area, n, cols, px(18), px(16)) {
			notedPanel(cell, titles[k], notes[k], plots[k])
		}
		return nil
	})
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

func calibrationPairs(d CalibrationData) ([]byte, error) {
	top := byContraction(d.Summary)
	top = top[:min(4, len(top))]
	sort.Ints(top)
	type pair struct{ a, b int }
	var pairs []pair
	for i := range top {
		for j := i + 1; j < len(top); j++ {
			pairs = append(pairs, pair{top[i], top[j]})
		}
	}
	cols := min(2, len(pairs))
	rows := (len(pairs) + cols - 1) / cols
	plots := make([]*plot.Plot, len(pairs))
	titles := make([]string, len(pairs))
	for k, pr := range pairs {
		pa, pb := d.Summary.Parameters[pr.a], d.Summary.Parameters[pr.b]
		p := newPlot(withUnit(pa.Display(), pa.Unit), withUnit(pb.Display(), pb.Unit))
		for _, ax := range []*plot.Axis{&p.X, &p.Y} {
			ax.Label.TextStyle = style(sans, 13, ink)
			ax.Label.TextStyle.XAlign, ax.Label.TextStyle.YAlign = draw.XCenter, draw.YBottom
			ax.Tick.Label.Font.Size = vg.Points(12)
		}
		p.X.Min, p.X.Max = priorRange(d.Priors[pr.a])
		p.Y.Min, p.Y.Max = priorRange(d.Priors[pr.b])
		p.Add(plotter.NewGrid(), weightedPoints{x: columnOf(d.Posterior, pr.a), y: columnOf(d.Posterior, pr.b), w: d.Posterior.Weights, color: withAlpha(accent, 90)})
		plots[k] = p
		titles[k] = "Correlation " + signedNum(weightedCorrelation(columnOf(d.Posterior, pr.a), columnOf(d.Posterior, pr.b), d.Posterior.Weights))
	}
	names := make([]string, len(top))
	for i, t := range top {
		names[i] = d.Summary.Parameters[t].Display()
	}
	which := "The " + countWord(len(top)) + " parameters the record constrains most: "
	title := "The joint posterior of the most constrained parameters"
	if len(top) == len(d.Priors) {
		which = "The " + countWord(len(top)) + " fitted parameters: "
		title = "The joint posterior of the fitted parameters"
	}
	meta := Meta{Title: title,
		Subtitle: which + strings.Join(names, "; ") + ". Each disc is a particle of the posterior, its area its weight; the axes span each prior's range.",
		Footer:   d.footer()}
	return render(max(640*cols, 1200), 250+470*rows, func(c draw.Canvas) error {
		area := frame(c, meta, 22)
		for k, cell := range gridCells(area, len(plots), cols, px(22), px(18)) {
			notedPanel(cell, titles[k], "", plots[k])
		}
		return nil
	})
}

// countWord writes a small count as a word.
func countWord(n int) string {
	if n >= 0 && n < 10 {
		return []string{"no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}[n]
	}
	return fmt.Sprint(n)
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

// outsideColor marks a record outside its posterior predictive interval:
// vermilion and a triangle, told from the black dots by shape as well
// as colour.
var outsideColor = palette[0]

// intervalBoxes draws, per category x = 0, 1, …, the prior and posterior
// predictive intervals as boxes, the posterior median as a tick and the
// observed value as a dot (a vermilion triangle when outside the
// posterior interval).
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
		g := draw.GlyphStyle{Color: ink, Radius: vg.Points(4.5), Shape: draw.CircleGlyph{}}
		if !s.Inside {
			g = draw.GlyphStyle{Color: outsideColor, Radius: vg.Points(6), Shape: draw.PyramidGlyph{}}
		}
		c.DrawGlyph(g, vg.Point{X: trX(x), Y: trY(s.Observed)})
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

// statTitle names a statistic for a panel or table: its description
// with a capital, or its name.
func statTitle(st calibration.StatCheck) string {
	if st.Description == "" {
		return st.Statistic
	}
	r := []rune(st.Description)
	return strings.ToUpper(string(r[:1])) + string(r[1:])
}

// statGroups splits a check's statistics by the file's statistic, in
// order: one panel (or table group) per statistic, one box per block.
func statGroups(ch *calibration.CheckSummary) [][]calibration.StatCheck {
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
	return groups
}

func calibrationPredictive(d CalibrationData, ch *calibration.CheckSummary, title string) ([]byte, error) {
	groups := statGroups(ch)
	cols := min(3, len(groups))
	rows := (len(groups) + cols - 1) / cols
	plots := make([]*plot.Plot, len(groups))
	titles := make([]string, len(groups))
	notes := make([]string, len(groups))
	for g, stats := range groups {
		first := stats[0]
		unit := "months"
		if first.Kind == calibration.KindAutocorrelation {
			unit = "lag-1 autocorrelation"
		}
		p := newPlot("", unit)
		p.Y.Label.TextStyle = style(sans, 12, ink)
		p.Y.Label.TextStyle.XAlign, p.Y.Label.TextStyle.YAlign = draw.XCenter, draw.YBottom
		p.Y.Tick.Label.Font.Size = vg.Points(12)
		labels := make(blockTicks, len(stats))
		for i, s := range stats {
			labels[i] = shortBlock(s.From, s.To)
		}
		p.X.Tick.Marker = labels
		p.X.Tick.Label = style(sans, 11.5, ink)
		if len(stats) > 4 {
			p.X.Tick.Label.Font.Size = vg.Points(10.5)
		}
		p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
		p.Add(plotter.NewGrid(), intervalBoxes{stats: stats})
		lo, _, bottom, top := intervalBoxes{stats: stats}.DataRange()
		p.X.Min, p.X.Max = lo, float64(len(stats))-0.5
		if first.Kind == calibration.KindAutocorrelation {
			pad := 0.06 * math.Max(top-bottom, 0.2)
			p.Y.Min, p.Y.Max = bottom-pad, top+pad
		} else {
			// A little room below zero, so that a record of no
			// months is not drawn on the axis; whole months only.
			p.Y.Max = math.Max(top*1.08, 1)
			p.Y.Min = -0.04 * p.Y.Max
			p.Y.Tick.Marker = countTicks{}
		}
		inside := 0
		for _, s := range stats {
			if s.Inside {
				inside++
			}
		}
		plots[g] = p
		titles[g] = statTitle(first)
		notes[g] = fmt.Sprintf("%d of %d inside the posterior interval", inside, len(stats))
		if len(stats) == 1 {
			notes[g] = "inside the posterior interval"
			if inside == 0 {
				notes[g] = "outside the posterior interval"
			}
		}
	}
	level := fmt.Sprintf("%.0f%%", 100*ch.Level)
	meta := Meta{Title: title + fmt.Sprintf(", %s to %s", ch.From, ch.To),
		Subtitle: capitalFirst(ch.Describe()) + ". The white tick in each blue box is the posterior predictive median.",
		Key: []keyItem{{Label: "the record", Color: ink, Kind: "dot"}, {Label: "the record, outside the posterior interval", Color: outsideColor, Kind: "triangle"},
			{Label: level + " posterior predictive interval", Color: withAlpha(accent, 150), Kind: "box"}, {Label: level + " prior predictive interval", Color: withAlpha(faint, 110), Kind: "box"}},
		Footer: d.footer() + fmt.Sprintf(" · %s predictive histories each", thousands(int64(ch.Draws)))}
	return render(max(460*cols, 1200), 250+350*rows, func(c draw.Canvas) error {
		area := frame(c, meta, 22)
		for k, cell := range gridCells(area, len(plots), cols, px(16), px(16)) {
			notedPanel(cell, titles[k], notes[k], plots[k])
		}
		return nil
	})
}

// countTicks labels an axis of counts: whole numbers only, every one
// on a short axis.
type countTicks struct{}

func (countTicks) Ticks(lo, hi float64) []plot.Tick {
	if hi-lo > 10 {
		var out []plot.Tick
		for _, t := range (niceTicks{}).Ticks(lo, hi) {
			if t.Value >= 0 && (t.Label == "" || t.Value == math.Trunc(t.Value)) {
				out = append(out, t)
			}
		}
		return out
	}
	var out []plot.Tick
	for v := math.Ceil(math.Max(lo, 0)); v <= hi; v++ {
		out = append(out, plot.Tick{Value: v, Label: trimFloat(v)})
	}
	return out
}

// capitalFirst returns s with its first letter in capitals.
func capitalFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	return strings.ToUpper(string(r[:1])) + string(r[1:])
}

// generationTicks labels whole generations only.
type generationTicks int

func (n generationTicks) Ticks(_, _ float64) []plot.Tick {
	ticks := make([]plot.Tick, int(n))
	for i := range ticks {
		ticks[i] = plot.Tick{Value: float64(i), Label: fmt.Sprint(i)}
	}
	return ticks
}

func calibrationGenerations(d CalibrationData) ([]byte, error) {
	gens := d.Summary.ABC.Generations
	tol := newPlot("Generation", "Distance from the record")
	acc := newPlot("Generation", "Histories accepted (%)")
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
		pp.p.X.Tick.Marker = generationTicks(len(gens))
		pp.p.X.Min, pp.p.X.Max = -0.3, float64(len(gens)-1)+0.3
		pp.p.Y.Min = 0
		pp.p.Add(plotter.NewGrid())
		if len(pp.pts) == 0 {
			continue
		}
		l, s, err := plotter.NewLinePoints(pp.pts)
		if err != nil {
			return nil, err
		}
		l.LineStyle = draw.LineStyle{Color: accent, Width: vg.Points(2)}
		s.GlyphStyle = draw.GlyphStyle{Color: accent, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
		pp.p.Add(l, s)
	}
	acc.Y.Max = 100
	tol.Y.Max = 1
	for _, pt := range tpts {
		tol.Y.Max = math.Max(tol.Y.Max, 1.06*pt.Y)
	}
	var sims []string
	for _, g := range gens {
		sims = append(sims, thousands(g.Simulations))
	}
	meta := Meta{Title: "The sampler, generation by generation",
		Subtitle: fmt.Sprintf("Generation 0 draws from the priors; each later one keeps the histories within a tolerance set at the %.0f%% quantile of the previous generation's distances. Simulated histories per generation: %s (stopped: %s).",
			100*d.Summary.ABC.Settings.Quantile, strings.Join(sims, ", "), d.Summary.ABC.Stop),
		Footer: d.footer()}
	return render(ChartWidth+200, 660, func(c draw.Canvas) error {
		area := frame(c, meta, 22)
		cells := gridCells(area, 2, 2, px(24), 0)
		panel(cells[0], "Tolerance (generation 0 has none)", tol)
		panel(cells[1], "Acceptance rate", acc)
		return nil
	})
}
