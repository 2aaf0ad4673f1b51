package forecast

import (
	"bytes"
	"fmt"
	"os"
	"testing"
	"time"
)

// FuzzParseCSV checks that no forecasts file makes geosim score panic or
// hang: every input is either rejected with an error or parsed into
// forecasts that satisfy ParseCSV's promises and score without trouble.
// The seed corpus runs with go test; go test -fuzz=FuzzParseCSV
// ./forecast explores further (opt-in; results in docs/TESTING.md).
func FuzzParseCSV(f *testing.F) {
	good, err := os.ReadFile("testdata/backtest-forecasts.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(bytes.Replace(good, []byte("0.036,"), []byte("NaN,"), 1))
	f.Add(bytes.Replace(good, []byte("0.036,"), []byte("1e308,"), 1))
	f.Add([]byte("question_id,text,as_of,resolve_by,probability,lo95,hi95,runs,scenario,scenario_sha256\n"))
	f.Add([]byte("question_id\n\"unterminated\n"))
	f.Add([]byte{0xff, 0xfe, ',', '\n'})
	f.Fuzz(func(t *testing.T, data []byte) {
		tm := time.AfterFunc(5*time.Second, func() { panic(fmt.Sprintf("hang on %q", data)) })
		defer tm.Stop()
		fs, err := ParseCSV("fuzz.csv", bytes.NewReader(data))
		if err != nil {
			return
		}
		outcomes := map[string]Outcome{}
		for i, fc := range fs {
			if !(fc.Lo >= 0 && fc.Lo <= fc.P && fc.P <= fc.Hi && fc.Hi <= 1) || fc.Runs < 1 || fc.ID == "" {
				t.Fatalf("accepted row %d: %+v", i, fc)
			}
			outcomes[fc.ID] = Outcome{Yes: i%2 == 0, Date: fc.ResolveBy}
		}
		s, err := Score(fs, outcomes, Config{Bootstrap: 50})
		if err != nil {
			return // a question forecast twice
		}
		for _, x := range []float64{s.Brier, s.Log, s.Reliability, s.Resolution, s.BrierCI95[0], s.BrierCI95[1]} {
			if s.N > 0 && x != x {
				t.Fatalf("NaN score from accepted forecasts: %+v", s)
			}
		}
	})
}
