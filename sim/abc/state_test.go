package abc

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestResume(t *testing.T) {
	p, c := quick()
	want := outputs(t, run(t, p, c))

	dir := t.TempDir()
	c.StateFile = filepath.Join(dir, "state")
	short := c
	short.Generations = 2
	run(t, p, short)
	res := run(t, p, c)
	if res.Resumed != 3 {
		t.Errorf("resumed %d generations, want 3 (pilot and 2)", res.Resumed)
	}
	if got := outputs(t, res); got != want {
		t.Errorf("a calibration resumed after 2 generations ends differently from an uninterrupted one")
	}

	// Killed in the middle of generation 3 (here: cancelled), then
	// resumed.
	os.Remove(c.StateFile)
	ctx, cancel := context.WithCancel(context.Background())
	killed := c
	killed.Workers = 3
	killed.Progress = func(pr Progress) {
		if pr.Generation == 3 && pr.Simulations > 50 {
			cancel()
		}
	}
	if _, err := Run(ctx, p, killed); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled calibration returned %v, want context.Canceled", err)
	}
	res = run(t, p, c)
	// Generation 3 is lost unless the workers finished it before they saw
	// the cancellation (a loaded machine can let them): either way the
	// pilot and generations 1-2 were saved.
	if res.Resumed != 3 && res.Resumed != 4 {
		t.Errorf("after cancelling generation 3, resumed %d generations, want 3 (or 4 if generation 3 completed first)", res.Resumed)
	}
	if got := outputs(t, res); got != want {
		t.Errorf("a calibration cancelled in generation 3 and resumed ends differently from an uninterrupted one")
	}
	// Resuming a finished calibration computes nothing.
	res = run(t, p, c)
	if res.Resumed != len(res.Generations) || outputs(t, res) != want {
		t.Errorf("resuming a finished calibration: resumed %d of %d generations", res.Resumed, len(res.Generations))
	}
}

func TestResumeRefusesOtherSettings(t *testing.T) {
	p, c := quick()
	c.StateFile = filepath.Join(t.TempDir(), "state")
	c.Generations = 1
	run(t, p, c)
	other := c
	other.Seed = 6
	other.Particles = 100
	_, err := Run(context.Background(), p, other)
	if err == nil || !strings.Contains(err.Error(), "seed 5, now 6") || !strings.Contains(err.Error(), "particles 200, now 100") {
		t.Errorf("resuming with another seed and population size: %v", err)
	}

	data, _ := os.ReadFile(c.StateFile)
	i := bytes.Index(data, []byte(`"distance":`)) + len(`"distance":`)
	data[i+2] ^= 1 // damage one digit
	os.WriteFile(c.StateFile, data, 0o644)
	_, err = Run(context.Background(), p, c)
	if err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("resuming from a damaged state file: %v", err)
	}
}

func TestStateFileIsAtomicAndExact(t *testing.T) {
	p, c := quick()
	c.Generations = 1
	c.StateFile = filepath.Join(t.TempDir(), "sub", "state")
	res := run(t, p, c)
	entries, _ := os.ReadDir(filepath.Dir(c.StateFile))
	if len(entries) != 1 {
		t.Errorf("the state folder holds %d entries, want only the state file", len(entries))
	}
	data, err := os.ReadFile(c.StateFile)
	if err != nil {
		t.Fatal(err)
	}
	st, err := decodeState(c.StateFile, data)
	if err != nil {
		t.Fatal(err)
	}
	for i, pt := range st.Particles {
		want := res.Particles[i]
		for j := range pt.U {
			if pt.U[j] != want.U[j] || pt.Theta[j] != want.Theta[j] {
				t.Fatalf("particle %d read back inexactly", i)
			}
		}
		if pt.Weight != want.Weight || pt.Distance != want.Distance {
			t.Fatalf("particle %d weight or distance read back inexactly", i)
		}
	}
	if _, err := decodeState("x", []byte("{}")); err == nil || !strings.Contains(err.Error(), "not a calibration state file") {
		t.Errorf("decoding a non-state file: %v", err)
	}
}
