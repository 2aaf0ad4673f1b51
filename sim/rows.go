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
	b = appendParams(b, out.Params)
	return appendRest(b, out)
}

// appendParams appends ",v1,v2,…" with 10 significant digits.
func appendParams(b []byte, params []float64) []byte {
	for _, v := range params {
		b = append(b, ',')
		b = appendG(b, v, 10)
	}
	return b
}

// rowFormat writes runs.csv lines like AppendRow, keeping the text of the
// last parameter values: the runs of a group of replicates share their
// parameters, and formatting them is most of a line's cost.
type rowFormat struct {
	params []float64 // the values params holds the text of
	text   []byte    // ",v1,v2,…"
}

func (f *rowFormat) append(b []byte, out *RunOutput) []byte {
	b = strconv.AppendUint(b, out.Run, 10)
	if f.params == nil || !sameBits(f.params, out.Params) {
		f.params = append(f.params[:0], out.Params...)
		f.text = appendParams(f.text[:0], out.Params)
	}
	b = append(b, f.text...)
	return appendRest(b, out)
}

// appendRest appends the outcomes, events, months and the newline.
func appendRest(b []byte, out *RunOutput) []byte {
	for _, v := range out.Outcomes {
		b = append(b, ',')
		b = appendG(b, v, 6)
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

// appendMonth appends a comma and, for a step that occurred, its month
// counted from 1.
func appendMonth(b []byte, step int32) []byte {
	b = append(b, ',')
	if step < 0 {
		return b
	}
	if m := step + 1; m < 100 {
		if m >= 10 {
			b = append(b, byte('0'+m/10))
		}
		return append(b, byte('0'+m%10))
	}
	return strconv.AppendInt(b, int64(step)+1, 10)
}
