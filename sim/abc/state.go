package abc

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// settings are everything a generation's content depends on besides the
// previous generation: a state file is resumed only under the same
// settings. The stopping rules (Generations, MinTolerance, MinAcceptance,
// MaxSimulations) and Workers are not among them: a finished generation
// does not depend on them, so a calibration may be resumed with more
// generations or a lower tolerance floor and ends as if run that way
// from the start.
type settings struct {
	Format        int          `json:"format"`
	Params        []paramEntry `json:"params"`
	Stats         []string     `json:"stats"`
	Observed      []float64    `json:"observed"`
	Particles     int          `json:"particles"`
	PseudoSamples int          `json:"pseudo_samples,omitempty"` // 0 for 1
	Seed          uint64       `json:"seed"`
	Quantile      float64      `json:"quantile"`
	Kernel        Kernel       `json:"kernel"`
	Scale         Scale        `json:"scale"`
	Weights       []float64    `json:"weights"`
	ResampleBelow float64      `json:"resample_below"`
	SimulatorID   string       `json:"simulator_id"`
}

type paramEntry struct {
	Name  string `json:"name"`
	Prior string `json:"prior"`
}

// stateFormat is the version of the state file layout.
const stateFormat = 1

func newSettings(p *Problem, c Config) settings {
	s := settings{
		Format: stateFormat, Stats: p.statNames(), Observed: p.Observed,
		Particles: c.Particles, Seed: c.Seed, Quantile: c.Quantile, Kernel: c.Kernel, Scale: c.Scale,
		Weights: c.Weights, ResampleBelow: c.ResampleBelow, SimulatorID: c.SimulatorID,
	}
	if c.PseudoSamples > 1 {
		s.PseudoSamples = c.PseudoSamples
	}
	for _, par := range p.Params {
		s.Params = append(s.Params, paramEntry{Name: par.Name, Prior: par.Prior.String()})
	}
	return s
}

// state is what a calibration saves after each generation.
type state struct {
	Settings    settings     `json:"settings"`
	Scales      []float64    `json:"scales"`
	StatWeights []float64    `json:"stat_weights"`
	Warnings    []string     `json:"warnings"`
	Generations []Generation `json:"generations"`
	Particles   []Particle   `json:"particles"`
	Simulations int64        `json:"simulations"`
}

// stateMagic opens a state file; the SHA-256 of the JSON that follows the
// first line is written after it.
const stateMagic = "geosim-abc-state sha256="

// encodeState returns the file bytes: a header line with the SHA-256 of
// the body, then the body (JSON; floats in shortest round-trip form, so
// decoding gives back the exact values).
func encodeState(st *state) ([]byte, error) {
	body, err := json.Marshal(st)
	if err != nil {
		return nil, fmt.Errorf("abc: encoding the state: %w", err)
	}
	sum := sha256.Sum256(body)
	var b bytes.Buffer
	b.WriteString(stateMagic + hex.EncodeToString(sum[:]) + "\n")
	b.Write(body)
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// decodeState checks the content hash of a state file's bytes and
// decodes it. name is the file's name for messages.
func decodeState(name string, data []byte) (*state, error) {
	head, body, ok := bytes.Cut(data, []byte("\n"))
	if !ok || !bytes.HasPrefix(head, []byte(stateMagic)) {
		return nil, fmt.Errorf("%s: not a calibration state file (its first line should start %q)", name, stateMagic)
	}
	body = bytes.TrimSuffix(body, []byte("\n"))
	sum := sha256.Sum256(body)
	if got, want := hex.EncodeToString(sum[:]), string(head[len(stateMagic):]); got != want {
		return nil, fmt.Errorf("%s: content hash %s does not match the recorded %s: the file is damaged", name, got, want)
	}
	var st state
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(st.Generations) == 0 || len(st.Particles) == 0 {
		return nil, fmt.Errorf("%s: the state holds no generation", name)
	}
	return &st, nil
}

// loadState reads the state file at path, verifies it and checks that it
// was made with the settings want. It returns nil, nil when path is
// empty or the file does not exist.
func loadState(path string, want settings) (*state, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	st, err := decodeState(path, data)
	if err != nil {
		return nil, err
	}
	if diff := st.Settings.diff(want); diff != "" {
		return nil, fmt.Errorf("%s: the saved calibration was made with other settings (%s); remove the file to start afresh", path, diff)
	}
	return st, nil
}

// diff names the settings that differ between s and o.
func (s settings) diff(o settings) string {
	var out []string
	field := func(name string, a, b any) {
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if !bytes.Equal(ja, jb) {
			out = append(out, fmt.Sprintf("%s %s, now %s", name, abbreviate(ja), abbreviate(jb)))
		}
	}
	field("format", s.Format, o.Format)
	field("parameters", s.Params, o.Params)
	field("statistics", s.Stats, o.Stats)
	field("observed statistics", s.Observed, o.Observed)
	field("particles", s.Particles, o.Particles)
	field("pseudo-samples", max(s.PseudoSamples, 1), max(o.PseudoSamples, 1))
	field("seed", s.Seed, o.Seed)
	field("quantile", s.Quantile, o.Quantile)
	field("kernel", s.Kernel, o.Kernel)
	field("scale", s.Scale, o.Scale)
	field("statistic weights", s.Weights, o.Weights)
	field("resample threshold", s.ResampleBelow, o.ResampleBelow)
	field("simulator", s.SimulatorID, o.SimulatorID)
	return strings.Join(out, "; ")
}

func abbreviate(b []byte) string {
	if len(b) > 60 {
		return string(b[:57]) + "..."
	}
	return string(b)
}

// saveState writes the state to path through a temporary file renamed
// into place, so that a killed calibration leaves the previous state or
// the new one, never half a file. An empty path saves nothing.
func saveState(path string, st *state) error {
	if path == "" {
		return nil
	}
	data, err := encodeState(st)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	serr := tmp.Sync()
	cerr := tmp.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("abc: saving the state to %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
