package scenario

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

const validResolutions = `[resolution.kim_trump_2018]
outcome = "yes"
date = 2018-06-12
source = "NZ Herald, the Singapore joint statement"

[resolution.nuclear_test_2018]
outcome = "no"
date = 2018-12-31
source = "no test was reported in 2018"
`

func TestResolutions(t *testing.T) {
	rs, err := ParseResolutions("r.toml", []byte(validResolutions))
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || !rs[0].Outcome || rs[1].Outcome || !rs[0].Date.Equal(time.Date(2018, 6, 12, 0, 0, 0, 0, time.UTC)) || rs[1].Line != 6 {
		t.Errorf("got %+v", rs)
	}
}

// TestInvalidResolutions: each case breaks the valid file in one way; the
// error must be "r.toml:LINE: key: message" with the line of the marker.
func TestInvalidResolutions(t *testing.T) {
	cases := []struct {
		name, old, new, marker, want string
	}{
		{"empty outcome", `outcome = "yes"`, `outcome = ""`, `outcome = ""`, `resolution.kim_trump_2018.outcome: must be "yes" or "no", got ""`},
		{"outcome misspelt", `outcome = "yes"`, `outcome = "Yes"`, `outcome = "Yes"`, `resolution.kim_trump_2018.outcome: must be "yes" or "no", got "Yes"`},
		{"outcome boolean", `outcome = "yes"`, `outcome = true`, `outcome = true`, `resolution.kim_trump_2018.outcome: must be "yes" or "no", got a boolean`},
		{"outcome missing", `outcome = "yes"`, `note = "x"`, `[resolution.kim_trump_2018]`, `resolution.kim_trump_2018: outcome is required ("yes" or "no")`},
		{"local time as date", "date = 2018-06-12", "date = 12:00:00", "date = 12:00:00", "resolution.kim_trump_2018.date: must be a date like 2025-09-01, got the time of day 12:00:00"},
		{"date-time as date", "date = 2018-06-12", "date = 2018-06-12T23:30:00-05:00", "date = 2018-06-12T", "resolution.kim_trump_2018.date: must be a date like 2025-09-01, got the date-time 2018-06-12T23:30:00-05:00: write the date alone"},
		{"local date-time as date", "date = 2018-06-12", "date = 2018-06-12 00:00:00", "date = 2018-06-12 00", "resolution.kim_trump_2018.date: must be a date like 2025-09-01, got the date-time 2018-06-12T00:00:00"},
		{"year out of range", "date = 2018-06-12", "date = 0018-06-12", "date = 0018", "resolution.kim_trump_2018.date: 0018-06-12: the year must be between 1800 and 2399"},
		{"date string malformed", "date = 2018-06-12", `date = "2018-6-12"`, `date = "2018-6-12"`, `resolution.kim_trump_2018.date: must be a date like 2025-09-01, got "2018-6-12"`},
		{"empty source", `source = "no test was reported in 2018"`, `source = ""`, `source = ""`, "resolution.nuclear_test_2018.source: give the public reporting that shows the outcome"},
		{"unknown key", `source = "no test was reported in 2018"`, `sorce = "x"`, `sorce`, `resolution.nuclear_test_2018.sorce: unknown key "sorce" in [resolution.nuclear_test_2018] (did you mean source?)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(validResolutions, c.old) {
				t.Fatalf("%q not in the valid file", c.old)
			}
			text := strings.Replace(validResolutions, c.old, c.new, 1)
			_, err := ParseResolutions("r.toml", []byte(text))
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("got %v, want an ErrorList", err)
			}
			want := fmt.Sprintf("r.toml:%d: %s", lineOf(t, text, c.marker), c.want)
			for _, e := range list {
				if strings.HasPrefix(e.Error(), want) {
					return
				}
			}
			t.Errorf("no error starts with %q; got:\n%v", want, err)
		})
	}
}
