package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/geosim/geosim/output"
)

// childEnv carries a geosim command line to the test binary run as a
// child process (see TestMain), separated by \x1f.
const childEnv = "GEOSIM_TEST_CHILD_ARGS"

func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv(childEnv); ok {
		os.Exit(cli(strings.Split(args, "\x1f"), os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// child is geosim running in a child process.
type child struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan struct{} // closed when it has ended
}

func startChild(t *testing.T, args ...string) *child {
	t.Helper()
	c := &child{cmd: exec.Command(os.Args[0], "-test.run=^$")}
	c.cmd.Env = append(os.Environ(), childEnv+"="+strings.Join(args, "\x1f"))
	c.cmd.Stdout, c.cmd.Stderr = &c.stdout, &c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c.done = make(chan struct{})
	go func() { c.cmd.Wait(); close(c.done) }()
	t.Cleanup(func() { c.cmd.Process.Kill(); <-c.done })
	return c
}

// wait waits for the child to end within limit and returns its exit
// status (-1 when a signal ended it).
func (c *child) wait(t *testing.T, limit time.Duration) int {
	t.Helper()
	select {
	case <-c.done:
		return c.cmd.ProcessState.ExitCode()
	case <-time.After(limit):
		c.cmd.Process.Kill()
		t.Fatalf("geosim did not stop within %v\nstderr: %s", limit, c.stderr.String())
		return 0
	}
}

// waitFor polls until cond holds, for at most a minute.
func (c *child) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
		select {
		case <-c.done:
			t.Fatalf("geosim ended before %s\nstderr: %s", what, c.stderr.String())
		default:
		}
	}
	t.Fatalf("gave up waiting for %s\nstderr: %s", what, c.stderr.String())
}

func globAny(pattern string) bool {
	m, _ := filepath.Glob(pattern)
	return len(m) > 0
}

// TestSignalStopsRun: SIGINT stops a long run promptly with status 130
// and leaves neither the folder nor a temporary one; SIGKILL leaves a
// temporary folder and the lock, which the next run cleans up.
func TestSignalStopsRun(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x")
	c := startChild(t, "run", "-runs", "50000000", "-workers", "1", "-max-output", "100TB", "-out", out, "-quiet")
	c.waitFor(t, "the run's temporary folder", func() bool { return globAny(filepath.Join(dir, ".x.tmp-*")) })
	c.cmd.Process.Signal(os.Interrupt)
	if code := c.wait(t, 10*time.Second); code != 130 || !strings.Contains(c.stderr.String(), "interrupted") {
		t.Fatalf("exit %d, stderr %q; want 130", code, c.stderr.String())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("an interrupted run left %v", entries)
	}

	k := startChild(t, "run", "-runs", "50000000", "-workers", "1", "-max-output", "100TB", "-out", out, "-quiet")
	k.waitFor(t, "the run's temporary folder", func() bool { return globAny(filepath.Join(dir, ".x.tmp-*")) })
	k.cmd.Process.Kill()
	k.wait(t, 10*time.Second)
	if !globAny(filepath.Join(dir, ".x.tmp-*")) || !globAny(filepath.Join(dir, ".x.lock")) {
		t.Fatal("SIGKILL left no temporary folder or lock: the test does not test the clean-up")
	}
	if code, _, stderr := geosim(t, "run", "../../batch/testdata/small.toml", "-runs", "200", "-out", out, "-quiet"); code != 0 {
		t.Fatalf("run after a killed one: exit %d: %s", code, stderr)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "x" {
		t.Errorf("after clean-up: %v", entries)
	}
}

// manyCharts writes a results folder whose summary has 300 time series:
// re-rendering it takes many seconds.
func manyCharts(t *testing.T, dir string) {
	t.Helper()
	b, err := os.ReadFile("../../plots/testdata/summary.json")
	if err != nil {
		t.Fatal(err)
	}
	var s output.Summary
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	base := s.Series[0]
	for i := 0; len(s.Series) < 300; i++ {
		sr := base
		sr.Name = fmt.Sprintf("copy_%d", i)
		s.Series = append(s.Series, sr)
	}
	err = output.Write(context.Background(), output.Target{Dir: dir, Kind: "run"}, func(f *output.Folder) error {
		return f.WriteJSON("summary.json", &s)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSignalStopsPlot: geosim plot once ignored SIGINT and SIGTERM (the
// signal context was never consulted). SIGTERM now stops it promptly
// with status 130, and the folder is left as it was.
func TestSignalStopsPlot(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "many")
	manyCharts(t, dir)
	before, _ := os.ReadFile(filepath.Join(dir, output.ManifestName))
	c := startChild(t, "plot", dir)
	c.waitFor(t, "plot's temporary folder", func() bool { return globAny(filepath.Join(filepath.Dir(dir), ".many.tmp-*")) })
	time.Sleep(300 * time.Millisecond) // into the rendering
	start := time.Now()
	c.cmd.Process.Signal(syscall.SIGTERM)
	if code := c.wait(t, 10*time.Second); code != 130 {
		t.Fatalf("exit %d, stderr %q; want 130", code, c.stderr.String())
	}
	t.Logf("stopped %v after SIGTERM", time.Since(start))
	after, _ := os.ReadFile(filepath.Join(dir, output.ManifestName))
	if !bytes.Equal(before, after) || globAny(filepath.Join(dir, "*.png")) {
		t.Error("an interrupted plot changed the folder")
	}
	if globAny(filepath.Join(filepath.Dir(dir), ".many.tmp-*")) {
		t.Error("an interrupted plot left its temporary folder")
	}
}

// slowExperiment writes an experiment over the flagship whose points
// take a noticeable time each.
func slowExperiment(t *testing.T, dir string) string {
	t.Helper()
	flagship, err := os.ReadFile("../../scenarios/beijing-parade-2025.toml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "flagship.toml"), flagship, 0o644)
	path := filepath.Join(dir, "slow.toml")
	text := "[experiment]\nname = \"slow\"\nscenario = \"flagship.toml\"\nruns = 4000\nseed = 2\n[factor.\"trade.DPRK.CHN\"]\nvalues = [0.5, 0.6, 0.7, 0.8, 0.9]\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSignalKeepsSweepResumable: SIGINT stops a sweep with status 130,
// keeping its finished points; the same command resumes from them. A
// second sweep started on the same folder meanwhile is refused (the two
// once shared the work folder and both exited 0).
func TestSignalKeepsSweepResumable(t *testing.T) {
	dir := t.TempDir()
	exp := slowExperiment(t, dir)
	out := filepath.Join(dir, "sw")
	c := startChild(t, "sweep", exp, "-out", out, "-workers", "1", "-quiet")
	c.waitFor(t, "the first point", func() bool { return globAny(filepath.Join(out+".partial", "points", "0000", "point.json")) })

	code, _, stderr := geosim(t, "sweep", exp, "-out", out, "-quiet")
	if code != 1 || !strings.Contains(stderr, "being written by another geosim process") {
		t.Errorf("concurrent sweep: exit %d, %q", code, stderr)
	}

	c.cmd.Process.Signal(os.Interrupt)
	if code := c.wait(t, 10*time.Second); code != 130 || !strings.Contains(c.stderr.String(), "run the same command to resume") {
		t.Fatalf("exit %d, stderr %q; want 130", code, c.stderr.String())
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatal("an interrupted sweep wrote its folder")
	}
	code, stdout, stderr := geosim(t, "sweep", exp, "-out", out, "-workers", "1")
	if code != 0 || !strings.Contains(stdout, "points resumed") {
		t.Fatalf("resume: exit %d\n%s%s", code, stdout, stderr)
	}
}
