package dist

// Fixed is a parameter that is not uncertain: every draw is Value.
type Fixed struct {
	Value float64
}

func (f Fixed) Quantile(float64) float64  { return f.Value }
func (f Fixed) Mean() float64             { return f.Value }
func (Fixed) Variance() float64           { return 0 }
func (f Fixed) Support() (lo, hi float64) { return f.Value, f.Value }
func (Fixed) Kind() string                { return "fixed" }
func (f Fixed) String() string            { return fmtNum(f.Value) }
func (f Fixed) Validate() error           { return checkFinite("value", f.Value) }
