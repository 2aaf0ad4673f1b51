package sim

import "strconv"

// Header returns the column names of runs.csv: run, the sampled
// uncertain parameters (by path, without quotes: ColumnName), the outcomes, one 0/1 column per event,
// the month of each event's first occurrence (<event>_month, empty when
// it did not occur) and the month each shock fired (shock_<name>_month).
// Months count from 1 (the first simulated month).
func (m *Model) Header() []string {
	h := []string{"run"}
	for _, i := range m.uncertain {
		h = append(h, ColumnName(m.params[i].Path))
	}
	for _, o := range m.outcomes {
		h = append(h, o.info.Name)
	}
	for _, e := range m.events {
		h = append(h, e.info.Name)
	}
	for _, e := range m.events {
		h = append(h, e.info.Name+"_month")
	}
	for _, s := range m.shocks {
		h = append(h, "shock_"+s.name+"_month")
	}
	return h
}

// AppendRow appends one CSV line for out, in Header's columns. Parameters
// are written with 10 significant digits, outcomes with 6. No field needs
// quoting.
func AppendRow(b []byte, out *RunOutput) []byte {
	b = strconv.AppendUint(b, out.Run, 10)
	for _, v := range out.Params {
		b = append(b, ',')
		b = strconv.AppendFloat(b, v, 'g', 10, 64)
	}
	for _, v := range out.Outcomes {
		b = append(b, ',')
		b = strconv.AppendFloat(b, v, 'g', 6, 64)
	}
	for _, s := range out.EventStep {
		if s >= 0 {
			b = append(b, ",1"...)
		} else {
			b = append(b, ",0"...)
		}
	}
	for _, s := range out.EventStep {
		b = appendMonth(b, s)
	}
	for _, s := range out.ShockStep {
		b = appendMonth(b, s)
	}
	return append(b, '\n')
}

func appendMonth(b []byte, step int32) []byte {
	b = append(b, ',')
	if step >= 0 {
		b = strconv.AppendInt(b, int64(step)+1, 10)
	}
	return b
}
