package plots

import (
	"fmt"
	"image"
	"image/color"
	"strings"
	"sync"

	"git.sr.ht/~sbinet/gg"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/geosim/geosim/internal/pngenc"
	"github.com/geosim/geosim/output"
)

// Sizes of the standard chart and the dashboard, in pixels, and the
// resolution they are drawn at.
const (
	ChartWidth      = 1200
	ChartHeight     = 800
	DashboardWidth  = 1920
	DashboardHeight = 1080
	dpi             = 100
)

// px converts pixels to vg lengths at the charts' resolution.
func px(n float64) vg.Length { return vg.Length(n * 72 / dpi) }

var (
	sans     = font.Font{Typeface: "Liberation", Variant: "Sans"}
	sansBold = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: 700}

	ink      = color.NRGBA{R: 0x22, G: 0x22, B: 0x22, A: 0xff}
	muted    = color.NRGBA{R: 0x66, G: 0x66, B: 0x66, A: 0xff}
	faint    = color.NRGBA{R: 0xbb, G: 0xbb, B: 0xbb, A: 0xff}
	gridGrey = color.NRGBA{R: 0xe4, G: 0xe4, B: 0xe4, A: 0xff}
	accent   = color.NRGBA{R: 0x1f, G: 0x5f, B: 0x99, A: 0xff}
	shockRed = color.NRGBA{R: 0xb2, G: 0x22, B: 0x22, A: 0xff}
	// spreadColor marks the range of a probability across assumptions,
	// apart from the black Monte Carlo whiskers.
	spreadColor = color.NRGBA{R: 0x99, G: 0x99, B: 0x99, A: 0xff}
)

// palette is Okabe & Ito's colour-blind-safe palette (without yellow,
// too light on white), used for actors in scenario order.
var palette = []color.NRGBA{
	{R: 0xd5, G: 0x5e, B: 0x00, A: 0xff}, // vermillion
	{R: 0x00, G: 0x72, B: 0xb2, A: 0xff}, // blue
	{R: 0x00, G: 0x9e, B: 0x73, A: 0xff}, // bluish green
	{R: 0xcc, G: 0x79, B: 0xa7, A: 0xff}, // reddish purple
	{R: 0xe6, G: 0x9f, B: 0x00, A: 0xff}, // orange
	{R: 0x56, G: 0xb4, B: 0xe9, A: 0xff}, // sky blue
	{R: 0x33, G: 0x33, B: 0x33, A: 0xff}, // near black
}

// conditionColors tell apart the runs in which a shock fired early, fired
// late and did not fire (in conditional views): two blues for the shock,
// an orange for its absence.
var conditionColors = [3]color.NRGBA{
	{R: 0x00, G: 0x5a, B: 0x9c, A: 0xff}, // fired early: dark blue
	{R: 0x56, G: 0xb4, B: 0xe9, A: 0xff}, // fired late: sky blue
	{R: 0xe6, G: 0x9f, B: 0x00, A: 0xff}, // did not fire: orange
}

// withAlpha returns c with opacity a (0–255), non-premultiplied.
func withAlpha(c color.NRGBA, a uint8) color.NRGBA { c.A = a; return c }

// Colors assigns each actor pair a colour that is the same in every
// chart of a report: the colour of the pair's second actor (for the
// flagship's DPRK–X series, one colour per partner X), or of the first
// when the second is missing.
type Colors struct {
	byActor map[string]color.NRGBA
}

// NewColors assigns palette colours to the actors in scenario order.
func NewColors(actors []output.ActorInfo) Colors {
	c := Colors{byActor: map[string]color.NRGBA{}}
	for i, a := range actors {
		c.byActor[a.ID] = palette[i%len(palette)]
	}
	return c
}

// Pair returns the colour of an actor pair (see Colors).
func (c Colors) Pair(actors []string) color.NRGBA {
	for k := len(actors) - 1; k >= 0; k-- {
		if col, ok := c.byActor[actors[k]]; ok && actors[k] != "" {
			return col
		}
	}
	return accent
}

func style(f font.Font, size float64, col color.Color) text.Style {
	f.Size = vg.Points(size)
	return text.Style{Color: col, Font: font.From(f, vg.Points(size)), Handler: plot.DefaultTextHandler, XAlign: draw.XLeft, YAlign: draw.YTop}
}

// newPlot returns a plot with the house style: no title (the header
// carries it), labelled axes in sans-serif at slide size, light grid.
func newPlot(xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = color.Transparent
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle = style(sans, 15, ink)
		ax.Label.TextStyle.XAlign, ax.Label.TextStyle.YAlign = draw.XCenter, draw.YBottom
		ax.Tick.Label = style(sans, 13, ink)
		ax.Tick.Label.XAlign, ax.Tick.Label.YAlign = draw.XCenter, draw.YTop
		ax.LineStyle.Color = muted
		ax.Tick.LineStyle.Color = muted
	}
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	p.X.Tick.Marker, p.Y.Tick.Marker = niceTicks{}, niceTicks{}
	p.Legend.TextStyle.Font = font.From(sans, vg.Points(13))
	p.Legend.TextStyle.Color = ink
	p.Legend.Padding = vg.Points(3)
	return p
}

// Meta is what a chart's header and footer say besides the data.
type Meta struct {
	Title    string    // header, large
	Subtitle string    // header, second line (wrapped to the width)
	Key      []keyItem // drawn below the subtitle, outside the data
	Footer   string    // small grey line at the bottom
}

// footerText names scenario, as-of date, seed, runs and version.
func footerText(s *output.Summary) string {
	p := s.Provenance
	return fmt.Sprintf("%s · as of %s · seed %d · %s runs · %s %s", s.Scenario.Name, s.Scenario.Start, p.Seed, thousands(p.Runs), p.Tool, p.Version)
}

func thousands(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// frame draws the header (title and subtitle wrapped to the width, then
// the key) and footer of a chart on c and returns the area left for the
// chart itself.
func frame(c draw.Canvas, m Meta, titleSize float64) draw.Canvas {
	pad := px(24)
	width := c.Max.X - c.Min.X - 2*pad
	top := c.Max.Y - pad
	if m.Title != "" {
		st := style(sansBold, titleSize, ink)
		for _, line := range wrapWidth(st, m.Title, width) {
			c.FillText(st, vg.Point{X: c.Min.X + pad, Y: top}, line)
			top -= st.Font.Size * 1.3
		}
		top -= st.Font.Size * 0.05
	}
	if m.Subtitle != "" {
		st := style(sans, titleSize*0.68, muted)
		for _, line := range wrapWidth(st, m.Subtitle, width) {
			c.FillText(st, vg.Point{X: c.Min.X + pad, Y: top}, line)
			top -= st.Font.Size * 1.35
		}
	}
	if len(m.Key) > 0 {
		area := c
		area.Min.X, area.Max.X, area.Max.Y = c.Min.X+pad, c.Max.X-pad, top-px(2)
		top -= drawKey(area, m.Key, 13) + px(4)
	}
	bottom := c.Min.Y + pad/2
	if m.Footer != "" {
		st := style(sans, 10, muted)
		st.YAlign = draw.YBottom
		c.FillText(st, vg.Point{X: c.Min.X + pad, Y: bottom}, fitText(st, m.Footer, width))
		bottom += st.Font.Size * 1.6
	}
	inner := c
	inner.Min = vg.Point{X: c.Min.X + pad/2, Y: bottom}
	inner.Max = vg.Point{X: c.Max.X - pad, Y: top - px(6)}
	return inner
}

// render draws a chart of w×h pixels with fn and encodes it as PNG. It
// refuses a chart that tried to draw at a non-finite or huge coordinate
// (see safeCanvas): its data held a value no chart can show.
func render(w, h int, fn func(c draw.Canvas) error) ([]byte, error) {
	img := newCanvas(w, h)
	defer releaseCanvas(img)
	safe := newSafeCanvas(img)
	if err := fn(draw.New(safe)); err != nil {
		return nil, err
	}
	if safe.dropped > 0 {
		return nil, fmt.Errorf("the chart's data holds a value that cannot be drawn (NaN, infinite or out of range): %d shapes refused", safe.dropped)
	}
	if strictLayout.Load() {
		if err := checkLayout(safe.layout.boxes, float64(px(float64(w))), float64(px(float64(h)))); err != nil {
			return nil, err
		}
	}
	return pngenc.EncodeBytes(img.Image())
}

// newCanvas is vgimg.NewWith(UseWH(px(w), px(h)), UseDPI(dpi)) on a
// white background, without the copy of the whole image that NewWith
// makes when it builds its own context (gg.NewContextForImage copies;
// NewContextForRGBA draws on the image itself): a fifth of the charts'
// CPU. The context is set up as NewWith sets up its own, except for its
// interpolator (see glyphInterpolator: the same pixels, sooner).
//
// Its pixels come from pixPool when a finished chart left a large enough
// buffer there (NewWith paints it white): the charts render a few at a
// time, so a report's 29 charts reuse two or three buffers' pages instead
// of having the kernel fault in and zero 4–8 MB of fresh memory for each.
func newCanvas(w, h int) *vgimg.Canvas {
	rgba := image.NewRGBA(image.Rectangle{})
	if w > 0 && h > 0 {
		n := 4 * w * h
		if p := pixels.get(n); p != nil {
			rgba = &image.RGBA{Pix: p, Stride: 4 * w, Rect: image.Rect(0, 0, w, h)}
		} else {
			rgba = image.NewRGBA(image.Rect(0, 0, w, h))
		}
	}
	ctx := gg.NewContextForRGBA(rgba)
	ctx.SetInterpolator(glyphInterpolator{})
	ctx.SetLineCapButt()
	ctx.InvertY()
	return vgimg.NewWith(vgimg.UseImageWithContext(rgba, ctx), vgimg.UseDPI(dpi))
}

// pixels holds the pixel buffers of finished canvases.
var pixels pixelPool

// pixelPool is a free list of pixel buffers. Unlike a sync.Pool, which
// every garbage collection empties (several times during a report's
// charts), it keeps its buffers until drop.
type pixelPool struct {
	mu   sync.Mutex
	free [][]byte
}

// get returns a buffer of length n from the pool, or nil.
func (p *pixelPool) get(n int) []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, b := range p.free {
		if cap(b) >= n {
			p.free = append(p.free[:i], p.free[i+1:]...)
			return b[:n]
		}
	}
	return nil
}

// put keeps b, up to a few buffers (the charts render GOMAXPROCS at a
// time).
func (p *pixelPool) put(b []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free) < 4 {
		p.free = append(p.free, b)
	}
}

// drop lets the garbage collector have the pool's buffers.
func (p *pixelPool) drop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	clear(p.free)
	p.free = p.free[:0]
}

// releaseCanvas gives c's pixels to the pool: c must not be used after.
func releaseCanvas(c *vgimg.Canvas) {
	if m, ok := c.Image().(*image.RGBA); ok && cap(m.Pix) > 0 {
		pixels.put(m.Pix)
	}
}

// renderPlot draws one plot with header and footer.
func renderPlot(w, h int, m Meta, p *plot.Plot) ([]byte, error) {
	return render(w, h, func(c draw.Canvas) error {
		drawPlot(frame(c, m, 22), p)
		return nil
	})
}

// percentRange formats a range of probabilities as "12–34%"-style text:
// "a–b", or "a to b" when an end is a bound such as "<0.1%" or ">99.9%"
// ("52%–>99.9%" reads badly).
func percentRange(lo, hi float64) string {
	a, b := percent(lo), percent(hi)
	if strings.ContainsAny(a+b, "<>") {
		return a + " to " + b
	}
	return a + "–" + b
}

// percent formats a probability as a percentage with sensible precision.
func percent(p float64) string {
	switch {
	case p == 0:
		return "0%"
	case p < 0.001:
		return "<0.1%"
	case p < 0.1:
		return fmt.Sprintf("%.1f%%", 100*p)
	case p > 0.999 && p < 1:
		return ">99.9%"
	}
	return fmt.Sprintf("%.0f%%", 100*p)
}
