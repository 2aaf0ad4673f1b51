package output

import (
	"bytes"
	"encoding/csv"
	"strconv"
)

// Comparison is comparison.json: scenarios run on common random numbers,
// each compared with the first, outcome by outcome and event by event.
type Comparison struct {
	Tool      string             `json:"tool"`
	Version   string             `json:"version"`
	Seed      uint64             `json:"seed"`
	Runs      int64              `json:"runs"`
	Scenarios []ComparedScenario `json:"scenarios"`
	// Warnings say what makes a difference hard to read (events compared
	// over different windows).
	Warnings []string `json:"warnings,omitempty"`
	// Rows compare scenario k ≥ 1 with scenario 0 for each common event
	// (values are probabilities) and outcome (values are means).
	Rows []ComparisonRow `json:"rows"`
}

// ComparedScenario identifies one scenario of a comparison.
type ComparedScenario struct {
	Name   string `json:"name"`
	Title  string `json:"title"`
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
	// Label names the scenario in charts and tables: its name, or — when
	// two compared scenarios share a name — its name and file.
	Label string `json:"label,omitempty"`
	// Key names its summary, scenarios/KEY.summary.json: its name, made
	// unique when names repeat.
	Key string `json:"key,omitempty"`
}

// FileKey returns the key of the scenario's summary file.
func (c ComparedScenario) FileKey() string {
	if c.Key != "" {
		return c.Key
	}
	return c.Name
}

// Display returns the scenario's label for charts and tables.
func (c ComparedScenario) Display() string {
	if c.Label != "" {
		return c.Label
	}
	return c.Name
}

// ComparisonRow is one event or outcome of one scenario against the
// reference (the first scenario).
type ComparisonRow struct {
	Scenario    int      `json:"scenario"` // index into Scenarios, ≥ 1
	Kind        string   `json:"kind"`     // event or outcome
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Unit        string   `json:"unit"`
	Reference   Float    `json:"reference"`
	Value       Float    `json:"value"`
	Difference  Float    `json:"difference"`
	Paired95    [2]Float `json:"paired_ci95"`
	Unpaired95  [2]Float `json:"unpaired_ci95"`
}

// ComparisonCSV renders comparison.csv, one line per row.
func ComparisonCSV(c *Comparison) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"reference", "scenario", "kind", "name", "description", "unit", "reference_value", "value", "difference", "paired_lo95", "paired_hi95", "unpaired_lo95", "unpaired_hi95"})
	f := func(x Float) string { return strconv.FormatFloat(float64(x), 'g', 8, 64) }
	for _, r := range c.Rows {
		w.Write([]string{c.Scenarios[0].Display(), c.Scenarios[r.Scenario].Display(), r.Kind, r.Name, r.Description, r.Unit,
			f(r.Reference), f(r.Value), f(r.Difference), f(r.Paired95[0]), f(r.Paired95[1]), f(r.Unpaired95[0]), f(r.Unpaired95[1])})
	}
	w.Flush()
	return b.Bytes()
}
