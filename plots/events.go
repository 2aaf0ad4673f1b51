package plots

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/geosim/geosim/output"
)

// body draws a chart's content into the area its frame leaves.
type body func(c draw.Canvas) error

// renderBody draws a chart of w×h pixels: the frame of m around b.
func renderBody(w, h int, m Meta, b body) ([]byte, error) {
	return render(w, h, func(c draw.Canvas) error { return b(frame(c, m, 22)) })
}

// plotBody draws a plot in the whole area.
func plotBody(p *plot.Plot) body {
	return func(c draw.Canvas) error { drawPlot(c, p); return nil }
}

// eventBars draws one horizontal bar per event at y = index, with its
// Monte Carlo interval as a black whisker and the range of the
// probability across the uncertain assumptions as a grey band.
type eventBars struct {
	events []output.EventSummary
	color  color.NRGBA
}

func (b eventBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	half := (trY(1) - trY(0)) * 0.3
	for i, e := range b.events {
		y := trY(float64(i))
		x0, x1 := trX(0), trX(100*float64(e.Probability))
		c.FillPolygon(withAlpha(b.color, 170), c.ClipPolygonXY([]vg.Point{{X: x0, Y: y - half}, {X: x1, Y: y - half}, {X: x1, Y: y + half}, {X: x0, Y: y + half}}))
		if sp := e.AssumptionSpread; sp != nil && sp.Resolved {
			a, z := trX(100*float64(sp.P10)), trX(100*float64(sp.P90))
			band := half * 0.28
			c.FillPolygon(withAlpha(spreadColor, 235), c.ClipPolygonXY([]vg.Point{{X: a, Y: y - band}, {X: z, Y: y - band}, {X: z, Y: y + band}, {X: a, Y: y + band}}))
		}
		lo, hi := trX(100*float64(e.Wilson95[0])), trX(100*float64(e.Wilson95[1]))
		ls := draw.LineStyle{Color: ink, Width: vg.Points(1.5)}
		c.StrokeLine2(ls, lo, y, hi, y)
		c.StrokeLine2(ls, lo, y-half*0.7, lo, y+half*0.7)
		c.StrokeLine2(ls, hi, y-half*0.7, hi, y+half*0.7)
	}
}

func (b eventBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	return 0, 100, -0.6, float64(len(b.events)) - 0.4
}

// eventsKey explains the marks of the event bars.
var eventsKey = []keyItem{
	{Label: "probability", Color: withAlpha(accent, 170), Kind: "box"},
	{Label: "Monte Carlo 95% interval (precision of the runs)", Color: ink, Kind: "whisker"},
	{Label: "10th–90th percentile across the uncertain assumptions (what is not known)", Color: spreadColor, Kind: "band"},
}

// eventFigures is the text beside an event's bar: its probability and
// Monte Carlo interval, then (on a second line unless compact) its
// spread across assumptions.
func eventFigures(e output.EventSummary, compact bool) string {
	s := percent(float64(e.Probability)) + "   MC " + percentRange(float64(e.Wilson95[0]), float64(e.Wilson95[1]))
	sep := "\n"
	if compact {
		sep = "   "
	}
	if sp := e.AssumptionSpread; sp != nil {
		if sp.Resolved {
			s += sep + "assumptions " + percentRange(float64(sp.P10), float64(sp.P90))
		} else {
			s += sep + "assumptions: not resolved"
		}
	}
	return s
}

func monthLabel(date string) string {
	t, err := time.Parse("2006-01-02", date)
	if err != nil {
		return date
	}
	return t.Format("Jan 2006")
}

// windowLabel names an event's window by months: "Sep 2025 – Aug 2027".
func windowLabel(e output.EventSummary) string {
	return monthLabel(e.From) + " – " + monthLabel(e.By)
}

// eventRows draws the events as rows — label (wrapped to labelWidth,
// with the window on its last line; compact: one line, no window), bar,
// whisker and band, and the figures in a column at the right — highest
// probability on top.
func eventRows(events []output.EventSummary, labelWidth vg.Length, compact bool, size float64) body {
	return func(c draw.Canvas) error {
		sorted := sortedEvents(events)
		p := newPlot("Probability (%)", "")
		p.Y.Tick.Label = style(sans, size, ink)
		p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
		labels := make([]string, len(sorted))
		texts := make([]string, len(sorted))
		for i, e := range sorted {
			if compact {
				labels[i] = fitText(p.Y.Tick.Label, e.Description, labelWidth)
			} else {
				lines := wrapWidth(p.Y.Tick.Label, e.Description, labelWidth)
				labels[i] = strings.Join(append(lines, windowLabel(e)), "\n")
			}
			texts[i] = eventFigures(e, compact)
		}
		grid := plotter.NewGrid()
		grid.Horizontal.Color = nil
		p.Add(grid, eventBars{events: sorted, color: accent})
		p.X.LineStyle.Width = 0
		p.NominalY(labels...)
		p.X.Min, p.X.Max = 0, 100
		p.X.Padding, p.Y.Padding = 0, 0
		p.X.Tick.Marker = plot.TickerFunc(func(min, max float64) []plot.Tick {
			var t []plot.Tick
			for v := 0.0; v <= 100; v += 10 {
				label := ""
				if int(v)%20 == 0 {
					label = fmt.Sprint(v)
				}
				t = append(t, plot.Tick{Value: v, Label: label})
			}
			return t
		})
		drawWithColumn(c, p, texts, size)
		return nil
	}
}

// Events charts the events' probabilities as horizontal bars, highest at
// the top, with their Monte Carlo intervals, their spread across the
// assumptions and each event's window.
func Events(events []output.EventSummary, runs int64) (Meta, body, error) {
	if len(events) == 0 {
		return Meta{}, nil, fmt.Errorf("no events")
	}
	return Meta{Title: "Event probabilities",
		Subtitle: fmt.Sprintf("Share of %s runs in which each event occurs in its window", thousands(runs)),
		Key:      eventsKey,
	}, eventRows(events, px(330), false, 13), nil
}

// minTimeToEvent is the smallest final probability time-to-event draws
// a line for: rarer events lie along the axis and only crowd the labels.
const minTimeToEvent = 0.01

// timeline is a step line of an event's cumulative probability over the
// months of its window.
type eventLine struct {
	e     output.EventSummary
	xy    plotter.XYs
	color color.NRGBA
	dash  []vg.Length
}

// TimeToEvent charts, for each event, the probability that it has
// occurred by the end of each month of its window — the line starts
// where the window opens and stops where it closes — labelled at its
// end with its final probability.
func TimeToEvent(events []output.EventSummary, start string, runs int64) (Meta, body, error) {
	st := monthStart(start)
	var lines []eventLine
	maxMonth := 0
	var rare []string
	for _, e := range events {
		if len(e.Cumulative) == 0 || e.Probability == 0 {
			continue
		}
		if e.Probability < minTimeToEvent {
			rare = append(rare, e.Description)
			continue
		}
		from := int(math.Max(0, math.Round(monthsAfter(st, e.From))))
		to := int(math.Round(monthsAfter(st, e.By))) + 1 // the window's last month, counted from 1
		to = min(max(to, from+1), len(e.Cumulative))
		var xy plotter.XYs
		prev := 0.0
		if from > 0 {
			prev = float64(e.Cumulative[from-1].Probability)
		}
		for k := from; k < to; k++ {
			c := float64(e.Cumulative[k].Probability)
			// A step: flat through month k, up at its end.
			xy = append(xy, plotter.XY{X: float64(k), Y: 100 * prev}, plotter.XY{X: float64(k + 1), Y: 100 * c})
			prev = c
		}
		maxMonth = max(maxMonth, len(e.Cumulative))
		lines = append(lines, eventLine{e: e, xy: xy})
	}
	if len(lines) == 0 {
		return Meta{}, nil, fmt.Errorf("no event occurred in any run")
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].e.Probability > lines[j].e.Probability })
	for i := range lines {
		lines[i].color = palette[i%len(palette)]
		if i >= len(palette) {
			lines[i].dash = []vg.Length{vg.Points(6), vg.Points(3)}
		}
	}
	meta := Meta{Title: "Time to event",
		Subtitle: fmt.Sprintf("Share of %s runs in which each event has occurred by the end of each month of its window; labelled with its final probability", thousands(runs))}
	if len(rare) > 0 {
		meta.Subtitle += fmt.Sprintf(". Not shown (below %s): %s", percent(minTimeToEvent), strings.Join(rare, "; "))
	}
	return meta, func(c draw.Canvas) error {
		p := newPlot("", "Probability it has occurred (%)")
		p.X.Tick.Marker = monthTicks{start: st}
		p.Add(plotter.NewGrid())
		st13 := style(sans, 13, ink)
		labels := make([]string, len(lines))
		for i, l := range lines {
			line, err := plotter.NewLine(l.xy)
			if err != nil {
				return err
			}
			line.LineStyle = draw.LineStyle{Color: l.color, Width: vg.Points(2.4), Dashes: l.dash}
			p.Add(line)
			labels[i] = fmt.Sprintf("%s %s", fitText(st13, l.e.Description, px(300)), percent(float64(l.e.Probability)))
		}
		p.X.Min, p.X.Max = 0, float64(maxMonth)
		p.Y.Min, p.Y.Max = 0, 100
		area := splitRight(c, labelColumnWidth(st13, labels)+px(40))
		drawPlot(area, p)
		dc := p.DataCanvas(area)
		trX, trY := p.Transforms(&dc)
		// Lines that run to the end of the horizon are labelled in the
		// margin, the others just after their window closes.
		var margin []int
		for i, l := range lines {
			if l.xy[len(l.xy)-1].X >= float64(maxMonth) {
				margin = append(margin, i)
			}
		}
		st13.YAlign = draw.YCenter
		x0s, x1s, want := make([]vg.Length, len(lines)), make([]vg.Length, len(lines)), make([]vg.Length, len(lines))
		inMargin := map[int]bool{}
		for _, i := range margin {
			inMargin[i] = true
		}
		for i, l := range lines {
			end := l.xy[len(l.xy)-1]
			x0s[i] = trX(end.X) + px(10)
			if inMargin[i] {
				x0s[i] = area.Max.X + px(14)
			}
			x1s[i] = x0s[i] + st13.Width(labels[i])
			want[i] = trY(end.Y)
		}
		half := lineHeight(st13) / 2
		// The margin's labels keep their order, spread apart; the others
		// find room around them.
		mw := make([]vg.Length, len(margin))
		for k, i := range margin {
			mw[k] = want[i]
		}
		fixed := make([]bool, len(lines))
		for k, y := range spreadLabels(mw, lineHeight(st13), dc.Min.Y+half, dc.Max.Y-half) {
			want[margin[k]], fixed[margin[k]] = y, true
		}
		got := placeLabels(x0s, x1s, want, fixed, lineHeight(st13), dc.Min.Y+half, dc.Max.Y-half)
		for i, l := range lines {
			end := l.xy[len(l.xy)-1]
			xe, ye := trX(end.X), trY(end.Y)
			c.DrawGlyph(draw.GlyphStyle{Color: l.color, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}, vg.Point{X: xe, Y: ye})
			if got[i] != ye || inMargin[i] {
				c.StrokeLine2(draw.LineStyle{Color: l.color, Width: vg.Points(0.8)}, xe+px(3), ye, x0s[i]-px(3), got[i])
			}
			c.FillText(st13, vg.Point{X: x0s[i], Y: got[i]}, labels[i])
		}
		return nil
	}, nil
}
