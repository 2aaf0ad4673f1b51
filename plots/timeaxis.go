package plots

import (
	"math"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
)

// monthTicks labels an axis whose values are months after start with
// calendar months: every quarter (January, April, July, October) for
// horizons up to three years, every January up to ten, every fifth
// January beyond; minor ticks every month (every quarter for long axes).
// Narrow is for small panels (a third of a chart's width): labels as
// for a horizon 2.5 times as long, so that an 18-month panel is labelled
// every half year — quarterly, its month labels overlapped.
type monthTicks struct {
	start  time.Time
	narrow bool
	// yearly labels only Januaries (for the narrowest panels).
	yearly bool
}

func (t monthTicks) Ticks(min, max float64) []plot.Tick {
	span := max - min
	if !(span >= 0 && span <= maxTickMonths) || math.Abs(min) > maxTickMonths {
		return nil // not a horizon geosim simulates: no calendar labels
	}
	if t.narrow {
		span *= 2.5
	}
	if t.yearly {
		span = math.Max(span, 73)
	}
	major, minor, format := 3, 1, "Jan 2006"
	switch {
	case span > 120:
		major, minor, format = 60, 12, "2006"
	case span > 36:
		major, minor, format = 6, 1, "Jan 2006"
		if span > 72 {
			major, minor, format = 12, 3, "2006"
		}
	}
	var ticks []plot.Tick
	for k := int(math.Ceil(min)); k <= int(math.Floor(max)); k++ {
		m := t.start.AddDate(0, k, 0)
		index := int(m.Month()) - 1 + 12*m.Year()
		switch {
		case index%major == 0:
			ticks = append(ticks, plot.Tick{Value: float64(k), Label: m.Format(format)})
		case index%minor == 0:
			ticks = append(ticks, plot.Tick{Value: float64(k)})
		}
	}
	return ticks
}

// maxTickMonths bounds the axes monthTicks labels (50 years is the
// longest horizon; beyond it, labelling month by month would take long).
const maxTickMonths = 12 * 1000

// monthStart returns the first day of the scenario's start month.
func monthStart(date string) time.Time {
	t, err := time.Parse("2006-01-02", date)
	if err != nil {
		return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// monthsAfter returns where a date falls on a months-after-start axis,
// with the day as a fraction of its month.
func monthsAfter(start time.Time, date string) float64 {
	t, err := time.Parse("2006-01-02", date)
	if err != nil {
		return math.NaN()
	}
	whole := (t.Year()-start.Year())*12 + int(t.Month()) - int(start.Month())
	days := time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return float64(whole) + float64(t.Day()-1)/float64(days)
}

// niceTicks labels a numeric axis with 5 to 10 round values (steps of
// 1, 2 or 5 times a power of ten) and a minor tick between labels.
type niceTicks struct{}

func (niceTicks) Ticks(min, max float64) []plot.Tick {
	span := max - min
	if math.IsNaN(span) || math.IsInf(span, 0) || math.IsInf(min, 0) {
		return nil
	}
	if !(span > 0) {
		return []plot.Tick{{Value: min, Label: trimFloat(min)}}
	}
	step := math.Pow(10, math.Floor(math.Log10(span/5)))
	for _, m := range []float64{1, 2, 5, 10} {
		if span/(step*m) <= 9 {
			step *= m
			break
		}
	}
	var ticks []plot.Tick
	// Counting half-steps, not adding them, so that an axis far from
	// zero (where adding a step may not change v) still ends.
	first := math.Ceil(min / step * 2)
	for i := 0.0; i < 40; i++ {
		v := (first + i) * step / 2
		if v > max+1e-9*span {
			break
		}
		if math.Abs(math.Remainder(v, step)) < 1e-9*step {
			ticks = append(ticks, plot.Tick{Value: v, Label: trimFloat(v)})
		} else {
			ticks = append(ticks, plot.Tick{Value: v})
		}
	}
	return ticks
}

func trimFloat(v float64) string {
	if math.Abs(v) < 1e-12 {
		v = 0
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if len(s) > 8 {
		s = strconv.FormatFloat(v, 'g', 4, 64)
	}
	return strings.Replace(s, "-", "−", 1)
}
