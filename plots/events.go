package plots

import (
	"fmt"
	"image/color"
	"sort"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/geosim/geosim/output"
)

// eventBars draws one horizontal bar per event at y = index, with its
// Monte Carlo interval as a black whisker, the range of the probability
// across the uncertain assumptions as a grey band, and the figures
// written beside them.
type eventBars struct {
	events []output.EventSummary
	color  color.NRGBA
}

func (b eventBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	half := (trY(1) - trY(0)) * 0.32
	for i, e := range b.events {
		y := trY(float64(i))
		x0, x1 := trX(0), trX(100*float64(e.Probability))
		c.FillPolygon(withAlpha(b.color, 190), c.ClipPolygonXY([]vg.Point{{X: x0, Y: y - half}, {X: x1, Y: y - half}, {X: x1, Y: y + half}, {X: x0, Y: y + half}}))
		if sp := e.AssumptionSpread; sp != nil && sp.Resolved {
			// The range across assumptions: a thin grey band behind the whisker.
			a, z := trX(100*float64(sp.P10)), trX(100*float64(sp.P90))
			band := half * 0.22
			c.FillPolygon(withAlpha(spreadColor, 230), c.ClipPolygonXY([]vg.Point{{X: a, Y: y - band}, {X: z, Y: y - band}, {X: z, Y: y + band}, {X: a, Y: y + band}}))
		}
		lo, hi := trX(100*float64(e.Wilson95[0])), trX(100*float64(e.Wilson95[1]))
		ls := draw.LineStyle{Color: ink, Width: vg.Points(1.5)}
		c.StrokeLine2(ls, lo, y, hi, y)
		c.StrokeLine2(ls, lo, y-half*0.6, lo, y+half*0.6)
		c.StrokeLine2(ls, hi, y-half*0.6, hi, y+half*0.6)
		st := style(sans, 13, ink)
		st.YAlign = draw.YBottom
		x := trX(103)
		c.FillText(st, vg.Point{X: x, Y: y + vg.Points(1)}, fmt.Sprintf("%s   MC %s – %s", percent(float64(e.Probability)), percent(float64(e.Wilson95[0])), percent(float64(e.Wilson95[1]))))
		if sp := e.AssumptionSpread; sp != nil {
			sub := style(sans, 12, muted)
			sub.YAlign = draw.YTop
			text := fmt.Sprintf("assumptions %s – %s", percent(float64(sp.P10)), percent(float64(sp.P90)))
			if !sp.Resolved {
				text = "assumptions: spread not resolved"
			}
			c.FillText(sub, vg.Point{X: x, Y: y - vg.Points(1)}, text)
		}
	}
}

func (b eventBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	return 0, 100, -0.6, float64(len(b.events)) - 0.4
}

// eventLabel names an event, wrapped, with its window on the last line.
func eventLabel(e output.EventSummary) string {
	return wrapText(e.Description, 36) + fmt.Sprintf("\n%s – %s", monthLabel(e.From), monthLabel(e.By))
}

// wrapText breaks text into lines of at most width characters at spaces.
func wrapText(text string, width int) string {
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

func monthLabel(date string) string {
	t, err := time.Parse("2006-01-02", date)
	if err != nil {
		return date
	}
	return t.Format("Jan 2006")
}

// Events charts the events' probabilities as horizontal bars, highest at
// the top, with Wilson 95% intervals and each event's window.
func Events(events []output.EventSummary, runs int64) (*plot.Plot, Meta, error) {
	if len(events) == 0 {
		return nil, Meta{}, fmt.Errorf("no events")
	}
	sorted := append([]output.EventSummary(nil), events...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Probability < sorted[j].Probability })
	p := newPlot("Probability (%)", "")
	labels := make([]string, len(sorted))
	for i, e := range sorted {
		labels[i] = eventLabel(e)
	}
	grid := plotter.NewGrid()
	grid.Horizontal.Color = nil // rows are separated by space; lines would cross the figures
	p.Add(grid, eventBars{events: sorted, color: accent})
	p.X.LineStyle.Width = 0
	p.NominalY(labels...)
	p.Y.Tick.Label = style(sans, 13, ink)
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.X.Min, p.X.Max = 0, 160 // 100–160: the column of figures
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
	return p, Meta{Title: "Event probabilities", Subtitle: fmt.Sprintf("Share of %s runs in which each event occurs in its window. Black whisker: Monte Carlo 95%% interval (precision of the runs).\nGrey band: 10th–90th percentile of the probability across the scenario's uncertain assumptions (what is not known).", thousands(runs))}, nil
}

// TimeToEvent charts, for each event, the probability that it has
// occurred by the end of each month.
func TimeToEvent(events []output.EventSummary, start string, runs int64) (*plot.Plot, Meta, error) {
	st := monthStart(start)
	p := newPlot("", "Probability it has occurred (%)")
	p.X.Tick.Marker = monthTicks{start: st}
	n := 0
	maxMonth := 0
	var lines []plot.Plotter
	for i, e := range events {
		if len(e.Cumulative) == 0 || e.Probability == 0 {
			continue
		}
		var xy plotter.XYs
		prev := 0.0
		for k, c := range e.Cumulative {
			// A step: flat through month k, up at its end.
			xy = append(xy, plotter.XY{X: float64(k), Y: 100 * prev}, plotter.XY{X: float64(k + 1), Y: 100 * float64(c.Probability)})
			prev = float64(c.Probability)
		}
		maxMonth = max(maxMonth, len(e.Cumulative))
		line, err := plotter.NewLine(xy)
		if err != nil {
			return nil, Meta{}, err
		}
		line.LineStyle = draw.LineStyle{Color: palette[i%len(palette)], Width: vg.Points(2.2)}
		if i >= len(palette) {
			line.LineStyle.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		}
		lines = append(lines, line)
		p.Legend.Add(fmt.Sprintf("%s (%s)", e.Description, percent(float64(e.Probability))), line)
		n++
	}
	if n == 0 {
		return nil, Meta{}, fmt.Errorf("no event occurred in any run")
	}
	p.Add(plotter.NewGrid())
	for _, l := range lines {
		p.Add(l)
	}
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs = vg.Points(8)
	p.X.Min, p.X.Max = 0, float64(maxMonth)
	p.Y.Min, p.Y.Max = 0, 100
	return p, Meta{Title: "Time to event", Subtitle: fmt.Sprintf("Share of %s runs in which each event has occurred by the end of each month (final probability in brackets)", thousands(runs))}, nil
}
