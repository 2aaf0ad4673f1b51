package batch

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/geosim/geosim/internal/version"
	"github.com/geosim/geosim/output"
	"github.com/geosim/geosim/plots"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/experiment"
	"github.com/geosim/geosim/sim/scenario"
)

// CompareOptions says how to run a comparison.
type CompareOptions struct {
	Out     string // "": out/compare-A-vs-B[-…]
	Runs    int    // 0: the first scenario's runs
	Seed    int64  // -1: the first scenario's seed
	Workers int
	Limits  Limits // on the estimated memory, checked before any run
}

// Compare runs the scenarios on common random numbers, compares each with
// the first and writes comparison.json, comparison.csv, each scenario's
// summary and the charts into a folder that appears complete or not at
// all. It returns the comparison and the folder.
func Compare(ctx context.Context, files []*scenario.File, o CompareOptions) (*output.Comparison, string, error) {
	models := make([]*sim.Model, len(files))
	names := make([]string, len(files))
	for k, f := range files {
		models[k], names[k] = f.Model, f.Model.Name()
	}
	runs, seed := o.Runs, models[0].DefaultSeed()
	if runs == 0 {
		runs = models[0].DefaultRuns()
	}
	if o.Seed >= 0 {
		seed = uint64(o.Seed)
	}
	out := o.Out
	if out == "" {
		out = filepath.Join("out", "compare-"+strings.Join(names, "-vs-"))
	}
	if err := checkCompare(models, workersOr(o.Workers), o.Limits); err != nil {
		return nil, "", err
	}
	c, err := experiment.Compare(ctx, models, sim.Config{Runs: runs, Seed: seed, Workers: o.Workers})
	if err != nil {
		return nil, "", err
	}
	cmp := &output.Comparison{Tool: "geosim", Version: version.Version, Seed: seed, Runs: int64(runs)}
	summaries := make([]*output.Summary, len(files))
	for k, f := range files {
		cmp.Scenarios = append(cmp.Scenarios, output.ComparedScenario{Name: names[k], Title: f.Model.Scenario().Title, File: filepath.ToSlash(f.Path), SHA256: f.Hash})
		summaries[k] = output.Summarize(f.Model, c.Results[k], output.NewProvenance(filepath.ToSlash(f.Path), f.Hash, seed, int64(runs)))
	}
	for k := 1; k < len(files); k++ {
		for j, name := range c.Events {
			cmp.Rows = append(cmp.Rows, row(k, "event", name, eventDescription(summaries[0], name), "probability", &c.Event[k-1][j]))
		}
		for j, name := range c.Outcomes {
			desc, unit := outcomeDescription(summaries[0], name)
			cmp.Rows = append(cmp.Rows, row(k, "outcome", name, desc, unit, &c.Outcome[k-1][j]))
		}
	}
	err = output.Write(out, func(folder *output.Folder) error {
		if err := folder.WriteJSON("comparison.json", cmp); err != nil {
			return err
		}
		if err := folder.WriteFile("comparison.csv", output.ComparisonCSV(cmp)); err != nil {
			return err
		}
		for k, s := range summaries {
			if err := folder.WriteJSON(filepath.Join("scenarios", names[k]+".summary.json"), s); err != nil {
				return err
			}
		}
		if err := plots.WriteComparison(folder, cmp, summaries); err != nil {
			return err
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, "", err
	}
	return cmp, out, nil
}

func row(k int, kind, name, desc, unit string, p *experiment.Paired) output.ComparisonRow {
	plo, phi := p.PairedCI95()
	ulo, uhi := p.UnpairedCI95()
	return output.ComparisonRow{Scenario: k, Kind: kind, Name: name, Description: desc, Unit: unit,
		Reference: output.Float(p.A.Mean()), Value: output.Float(p.B.Mean()), Difference: output.Float(p.Difference()),
		Paired95: [2]output.Float{output.Float(plo), output.Float(phi)}, Unpaired95: [2]output.Float{output.Float(ulo), output.Float(uhi)}}
}

func eventDescription(s *output.Summary, name string) string {
	for _, e := range s.Events {
		if e.Name == name {
			return e.Description
		}
	}
	return name
}

func outcomeDescription(s *output.Summary, name string) (string, string) {
	for _, o := range s.Outcomes {
		if o.Name == name {
			return o.Description, o.Unit
		}
	}
	return name, ""
}
