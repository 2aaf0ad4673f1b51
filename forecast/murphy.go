package forecast

// Decomposition is the Murphy (1973) decomposition of the Brier score of
// a set of probability forecasts over bins of equal width:
//
//	Brier = Reliability − Resolution + Uncertainty + WithinBin
//
// Reliability = (1/N) Σ_k n_k (p̄_k − ō_k)² (0: calibrated), Resolution =
// (1/N) Σ_k n_k (ō_k − ō)² (higher: forecasts separate outcomes),
// Uncertainty = ō(1 − ō); WithinBin is the remainder due to forecasts
// that differ inside a bin (0 when every bin holds one value). The bin
// counts n_k are the sharpness histogram: how many forecasts fall in
// each bin.
type Decomposition struct {
	N           int
	BaseRate    float64 // ō: share of yes outcomes
	Brier       float64
	Reliability float64
	Resolution  float64
	Uncertainty float64
	WithinBin   float64
	Bins        []Bin
}

// Decompose scores forecasts p (in [0, 1]) against outcomes o (0 or 1)
// and decomposes the Brier score over bins equal-width bins on [0, 1]
// (a forecast of exactly 1 falls in the last). With no forecasts every
// score is NaN and the bins are empty.
func Decompose(p, o []float64, bins int) Decomposition {
	if bins < 1 {
		bins = 10
	}
	d := Decomposition{N: len(p), Bins: make([]Bin, bins)}
	for k := range d.Bins {
		d.Bins[k].Lo, d.Bins[k].Hi = float64(k)/float64(bins), float64(k+1)/float64(bins)
	}
	if d.N == 0 {
		nan := nan()
		d.BaseRate, d.Brier, d.Reliability, d.Resolution, d.Uncertainty, d.WithinBin = nan, nan, nan, nan, nan, nan
		return d
	}
	n := float64(d.N)
	for i := range p {
		d.Brier += (p[i] - o[i]) * (p[i] - o[i])
		d.BaseRate += o[i]
		k := min(max(int(p[i]*float64(bins)), 0), bins-1)
		b := &d.Bins[k]
		b.N++
		b.MeanP += p[i]
		b.Observed += o[i]
	}
	d.Brier /= n
	d.BaseRate /= n
	d.Uncertainty = d.BaseRate * (1 - d.BaseRate)
	for k := range d.Bins {
		b := &d.Bins[k]
		if b.N == 0 {
			continue
		}
		b.MeanP /= float64(b.N)
		b.Observed /= float64(b.N)
		d.Reliability += float64(b.N) * (b.MeanP - b.Observed) * (b.MeanP - b.Observed)
		d.Resolution += float64(b.N) * (b.Observed - d.BaseRate) * (b.Observed - d.BaseRate)
	}
	d.Reliability /= n
	d.Resolution /= n
	d.WithinBin = d.Brier - (d.Reliability - d.Resolution + d.Uncertainty)
	return d
}
