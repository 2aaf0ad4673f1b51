package batch

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/geosim/geosim/discover"
	"github.com/geosim/geosim/internal/version"
	"github.com/geosim/geosim/output"
	"github.com/geosim/geosim/plots"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/scenario"
)

// DiscoverOptions says what to discover and how.
type DiscoverOptions struct {
	// Condition is the condition's text (see discover.ParseCondition).
	Condition string
	// Points and Replicates shape the runs when discovering on a
	// scenario: Points parameter points drawn as geosim run draws them,
	// each run Replicates times with its own random streams (0: 2000
	// points, 10 replicates).
	Points, Replicates int
	// Seed of the runs when discovering on a scenario (-1: the
	// scenario's); the discovery's own seed is Config.Seed, which
	// defaults to the runs' seed.
	Seed    int64
	Workers int
	// Out is the output folder ("": beside a run folder,
	// <folder>-discover-<condition>; for a scenario,
	// out/<name>-discover-<condition>).
	Out      string
	Config   discover.Config
	Progress func(done, total int)
	Force    bool     // replace a folder geosim did not write (see output.Target)
	Command  []string // the command line, for the folder's manifest
}

// DiscoverReport says what a discovery did.
type DiscoverReport struct {
	Report *discover.Report
	Dir    string
}

// DiscoverFolder runs a discovery on a run folder's runs.csv (one run
// per point). path is the folder or its runs.csv; the folder's
// summary.json names the parameters, events and outcomes.
func DiscoverFolder(ctx context.Context, path string, o DiscoverOptions) (*DiscoverReport, error) {
	dir := path
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		dir = filepath.Dir(path)
	}
	sum, err := output.ReadSummary(filepath.Join(dir, "summary.json"))
	if err != nil {
		return nil, fmt.Errorf("%s is not a geosim run folder: %w", dir, err)
	}
	var params []string
	units := map[string]string{}
	for _, p := range sum.Uncertain {
		params = append(params, p.Path)
		units[p.Path] = p.Unit
	}
	if len(params) == 0 {
		return nil, fmt.Errorf("%s: the scenario has no uncertain parameters to discover boxes over", dir)
	}
	var events, outcomes []string
	descs := map[string]string{}
	for _, e := range sum.Events {
		events = append(events, e.Name)
		descs[e.Name] = e.Description
	}
	for _, oc := range sum.Outcomes {
		outcomes = append(outcomes, oc.Name)
		descs[oc.Name] = oc.Description
	}
	cond, err := discover.ParseCondition(o.Condition, events, outcomes)
	if err != nil {
		return nil, err
	}
	runsPath := filepath.Join(dir, "runs.csv")
	f, err := os.Open(runsPath)
	if os.IsNotExist(err) {
		return nil, fmt.Errorf("%s has no runs.csv (it was run with -runs-csv=false); run the scenario again with runs.csv, or give geosim discover the scenario file", dir)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	replicates := sum.Provenance.Replicates
	if replicates < 1 {
		replicates = 1 // summaries written before runs were grouped
	}
	data, err := discover.ReadRuns(bufio.NewReaderSize(f, 1<<20), filepath.ToSlash(runsPath), params, cond, replicates)
	if err != nil {
		return nil, err
	}
	if o.Config.Seed == 0 {
		o.Config.Seed = sum.Provenance.Seed
	}
	if o.Workers != 0 {
		o.Config.Workers = o.Workers
	}
	res, err := discover.Analyse(ctx, data, o.Config)
	if err != nil {
		return nil, err
	}
	actors := map[string]string{}
	for _, a := range sum.Scenario.Actors {
		actors[a.ID] = a.Name
	}
	rep := discover.NewReport(res, data, discover.ReportMeta{Tool: "geosim", Version: version.Version, Source: filepath.ToSlash(runsPath),
		Scenario: sum.Scenario.Name, Title: sum.Scenario.Title, ScenarioFile: sum.Provenance.ScenarioFile, ScenarioSHA256: sum.Provenance.ScenarioSHA256,
		Seed: sum.Provenance.Seed, Condition: cond, Description: descs[cond.Name], Labels: discover.Labels{Actors: actors, Given: summaryLabels(sum)}, Units: units})
	out := o.Out
	if out == "" {
		out = filepath.Clean(dir) + "-discover-" + cond.Slug()
	}
	target := output.Target{Dir: out, Kind: "discovery", Command: o.Command, Inputs: []string{dir}, Force: o.Force}
	return writeDiscovery(ctx, target, rep, data, discoveryPointsCSV(data))
}

// DiscoverScenario runs a scenario for discovery — Points parameter
// points, Replicates runs each — and finds the boxes. label names the
// scenario in provenance.
func DiscoverScenario(ctx context.Context, f *scenario.File, label string, o DiscoverOptions) (*DiscoverReport, error) {
	m := f.Model
	if len(m.Uncertain()) == 0 {
		return nil, fmt.Errorf("%s has no uncertain parameters to discover boxes over: give some parameters as distributions", f.Path)
	}
	var events, outcomes []string
	descs := map[string]string{}
	for _, e := range m.Events() {
		events = append(events, e.Name)
		descs[e.Name] = e.Description
	}
	for _, oc := range m.Outcomes() {
		outcomes = append(outcomes, oc.Name)
		descs[oc.Name] = oc.Description
	}
	cond, err := discover.ParseCondition(o.Condition, events, outcomes)
	if err != nil {
		return nil, err
	}
	points, reps := o.Points, o.Replicates
	if points == 0 {
		points = 2000
	}
	if reps == 0 {
		reps = 10
	}
	if points < 2 || reps < 1 || int64(points)*int64(reps) > sim.MaxRuns {
		return nil, fmt.Errorf("need at least 2 points and 1 replicate, and at most %d runs in all; got %d points × %d replicates", sim.MaxRuns, points, reps)
	}
	seed := m.DefaultSeed()
	if o.Seed >= 0 {
		seed = uint64(o.Seed)
	}
	data, err := sampleCondition(ctx, m, cond, points, reps, seed, o.Workers, o.Progress)
	if err != nil {
		return nil, err
	}
	if o.Config.Seed == 0 {
		o.Config.Seed = seed
	}
	if o.Workers != 0 {
		o.Config.Workers = o.Workers
	}
	res, err := discover.Analyse(ctx, data, o.Config)
	if err != nil {
		return nil, err
	}
	ids, names := m.Actors(), m.ActorNames()
	actors := map[string]string{}
	for i, id := range ids {
		actors[id] = names[i]
	}
	units := map[string]string{}
	params := m.Params()
	for _, i := range m.Uncertain() {
		units[params[i].Path] = params[i].Field.Unit
	}
	rep := discover.NewReport(res, data, discover.ReportMeta{Tool: "geosim", Version: version.Version, Source: label,
		Scenario: m.Name(), Title: m.Scenario().Title, ScenarioFile: label, ScenarioSHA256: f.Hash, Seed: seed,
		Condition: cond, Description: descs[cond.Name], Labels: discover.Labels{Actors: actors, Given: modelLabels(m)}, Units: units})
	out := o.Out
	if out == "" {
		out = filepath.Join("out", m.Name()+"-discover-"+cond.Slug())
	}
	target := output.Target{Dir: out, Kind: "discovery", Command: o.Command, Inputs: inputsOf(f.Sources()), Force: o.Force}
	return writeDiscovery(ctx, target, rep, data, discoveryPointsCSV(data))
}

// sampleCondition runs point i's replicate r as run r·points + i of the
// seed, with point i's parameters drawn as run i of geosim run draws
// them: replicate 0 of every point is exactly run i of geosim run, and
// every replicate has its own random streams. It counts, per point, the
// runs meeting the condition. Points are stored by index, so the data do
// not depend on the number of workers.
func sampleCondition(ctx context.Context, m *sim.Model, cond discover.Condition, points, reps int, seed uint64, workers int, progress func(done, total int)) (*discover.Data, error) {
	col, isEvent := 0, cond.Event
	if isEvent {
		for k, e := range m.Events() {
			if e.Name == cond.Name {
				col = k
			}
		}
	} else {
		for k, oc := range m.Outcomes() {
			if oc.Name == cond.Name {
				col = k
			}
		}
	}
	unc := m.Uncertain()
	x := make([][]float64, len(unc))
	for j := range x {
		x[j] = make([]float64, points)
	}
	hits := make([]int32, points)
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	const chunk = 16
	chunks := (points + chunk - 1) / chunk
	var next, done atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < min(workers, chunks); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ws := sim.NewWorkspace(m)
			for ctx.Err() == nil {
				c := int(next.Add(1) - 1)
				if c >= chunks {
					return
				}
				end := min((c+1)*chunk, points)
				for i := c * chunk; i < end; i++ {
					for r := 0; r < reps; r++ {
						ws.SampleDraw(seed, uint64(i)) // every replicate starts from the point's values: shocks change them
						ws.Simulate(seed, uint64(i*reps+r))
						var v float64
						switch {
						case !isEvent:
							v = ws.Out.Outcomes[col]
						case ws.Out.EventStep[col] >= 0:
							v = 1
						}
						if cond.Holds(v) {
							hits[i]++
						}
					}
					for j := range unc {
						x[j][i] = ws.Out.Params[j]
					}
				}
				n := done.Add(int64((end - c*chunk) * reps))
				if progress != nil {
					mu.Lock()
					progress(int(n), points*reps)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	params := make([]string, len(unc))
	all := m.Params()
	for j, i := range unc {
		params[j] = all[i].Path
	}
	return discover.NewData(params, x, hits, reps)
}

// discoveryPointsCSV renders points.csv: each parameter point with its runs and
// the runs meeting the condition.
// summaryLabels maps the uncertain parameters of a run's summary, by
// path and by runs.csv column name, to their labels.
func summaryLabels(s *output.Summary) map[string]string {
	out := map[string]string{}
	for _, u := range s.Uncertain {
		if u.Label != "" {
			l := inSentence(u.Path, u.Label)
			out[u.Path], out[sim.ColumnName(u.Path)] = l, l
		}
	}
	return out
}

// inSentence lower-cases the first letter of the labels of global,
// link, action and signal parameters ("Leverage of trade asymmetry"),
// which start with an ordinary word, for use inside a sentence; the
// others start with a name ("North Korea's …", "Ukraine ceasefire: …").
func inSentence(path, label string) string {
	for _, p := range []string{"model.", "link.", "action.", "signal."} {
		if strings.HasPrefix(path, p) {
			r := []rune(label)
			r[0] = unicode.ToLower(r[0])
			return string(r)
		}
	}
	return label
}

// modelLabels maps the model's uncertain parameters, by path and by
// column name, to their labels.
func modelLabels(m *sim.Model) map[string]string {
	out := map[string]string{}
	params := m.Params()
	for _, i := range m.Uncertain() {
		p := params[i].Path
		l := inSentence(p, m.ParamLabel(p).Text)
		out[p], out[sim.ColumnName(p)] = l, l
	}
	return out
}

// maxPointsBytes bounds a points.csv read back.
const maxPointsBytes = 1 << 30

// readPointsCSV reads the points.csv of a discovery folder back into the
// data its charts are drawn from.
func readPointsCSV(path string) (*discover.Data, error) {
	b, err := output.ReadLimited(path, maxPointsBytes)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	np := len(head) - 4
	if np < 1 || head[0] != "point" || head[np+1] != "runs" || head[np+2] != "hits" || head[np+3] != "rate" {
		return nil, fmt.Errorf("%s: not the points.csv of a geosim discovery (columns point, parameters…, runs, hits, rate)", path)
	}
	params := append([]string(nil), head[1:np+1]...)
	x := make([][]float64, np)
	var hits []int32
	runs := 0
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for j := 0; j < np; j++ {
			v, err := strconv.ParseFloat(rec[j+1], 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%s:%d: %s: %q is not a number", path, line, params[j], rec[j+1])
			}
			x[j] = append(x[j], v)
		}
		n, err1 := strconv.Atoi(rec[np+1])
		h, err2 := strconv.ParseInt(rec[np+2], 10, 32)
		if err1 != nil || err2 != nil || n < 1 || h < 0 || int(h) > n || runs != 0 && n != runs {
			return nil, fmt.Errorf("%s:%d: runs %q and hits %q: hits must be between 0 and the runs, the same runs on every line", path, line, rec[np+1], rec[np+2])
		}
		runs = n
		hits = append(hits, int32(h))
	}
	d, err := discover.NewData(params, x, hits, runs)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

func discoveryPointsCSV(d *discover.Data) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(append(append([]string{"point"}, d.Params...), "runs", "hits", "rate"))
	row := make([]string, 0, len(d.Params)+4)
	for i := 0; i < d.Points(); i++ {
		row = append(row[:0], strconv.Itoa(i))
		for j := range d.Params {
			row = append(row, strconv.FormatFloat(d.X[j][i], 'g', -1, 64)) // shortest exact form: geosim plot redraws from it
		}
		row = append(row, strconv.Itoa(d.Runs), strconv.Itoa(int(d.Hits[i])), strconv.FormatFloat(d.Y(i), 'g', 6, 64))
		w.Write(row)
	}
	w.Flush()
	return b.Bytes()
}

// writeDiscovery writes the discovery folder: boxes.json, boxes.csv,
// trajectory.csv, points.csv (the points analysed: what geosim plot
// draws the charts from again), the charts and report.html.
func writeDiscovery(ctx context.Context, target output.Target, rep *discover.Report, data *discover.Data, points []byte) (*DiscoverReport, error) {
	out := target.Dir
	err := output.Write(ctx, target, func(folder *output.Folder) error {
		if err := folder.WriteJSON("boxes.json", rep); err != nil {
			return err
		}
		if err := folder.WriteFile("boxes.csv", rep.BoxesCSV()); err != nil {
			return err
		}
		if err := folder.WriteFile("trajectory.csv", rep.TrajectoryCSV()); err != nil {
			return err
		}
		if points != nil {
			if err := folder.WriteFile("points.csv", points); err != nil {
				return err
			}
		}
		if err := plots.WriteDiscovery(ctx, folder, rep, data); err != nil {
			return err
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, err
	}
	return &DiscoverReport{Report: rep, Dir: out}, nil
}
