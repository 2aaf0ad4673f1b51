package scenario

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/geosim/geosim/sim"
)

// TestFileLimits: files that are not regular (a FIFO hung the loader; a
// variant or experiment based on /dev/zero ran out of memory), too large
// or too deeply nested are refused before decoding, with the file named
// and, where it helps, the line.
func TestFileLimits(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("base.toml", validScenario)
	big := write("big.toml", validScenario+strings.Repeat("# padding\n", MaxFileSize/10))
	deepInline := write("deep-inline.toml", "x = "+strings.Repeat("{a = ", 40)+"1"+strings.Repeat("}", 40)+"\n")
	deepDotted := write("deep-dotted.toml", "[scenario]\nname = \"x\"\n"+strings.Repeat("a.", 40)+"a = 1\n")
	deepHeader := write("deep-header.toml", "\n\n["+strings.Repeat("a.", 40)+"a]\n")
	deepArray := write("deep-array.toml", "x = "+strings.Repeat("[", 40)+"1"+strings.Repeat("]", 40)+"\n")
	cases := []struct {
		load func() error
		want string
	}{
		{func() error { _, err := Load(big); return err }, big + ": the file is 4 MiB; input files are limited to 4 MiB"},
		{func() error { _, err := Load(dir); return err }, dir + ": is a folder, not a regular file"},
		{func() error { _, err := Load(deepInline); return err }, deepInline + ":1: nested more than 32 levels deep"},
		{func() error { _, err := Load(deepDotted); return err }, deepDotted + ":3: nested more than 32 levels deep"},
		{func() error { _, err := Load(deepHeader); return err }, deepHeader + ":3: nested more than 32 levels deep"},
		{func() error { _, err := Load(deepArray); return err }, deepArray + ":1: nested more than 32 levels deep"},
		{func() error { _, err := LoadResolutions(big); return err }, big + ": the file is 4 MiB"},
		{func() error { _, err := LoadExperiment(deepInline); return err }, deepInline + ":1: nested more than 32 levels deep"},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		rel, _ := filepath.Rel(dir, "/dev/zero")
		variant := write("v.toml", "[scenario]\nbase = \""+filepath.ToSlash(rel)+"\"\nname = \"v\"\n")
		exp := write("e.toml", "[experiment]\nscenario = \""+filepath.ToSlash(rel)+"\"\n\n[factor.\"model.leverage\"]\nvalues = [1]\n")
		cases = append(cases,
			struct {
				load func() error
				want string
			}{func() error { _, err := Load(variant); return err }, variant + ":2: scenario.base: is a device, not a regular file"},
			struct {
				load func() error
				want string
			}{func() error { _, err := LoadExperiment(exp); return err }, exp + ":2: experiment.scenario: is a device, not a regular file"})
	}
	if fifo := makeFIFO(t, dir); fifo != "" {
		cases = append(cases, struct {
			load func() error
			want string
		}{func() error { _, err := Load(fifo); return err }, fifo + ": is a named pipe (FIFO), not a regular file"})
	}
	for _, c := range cases {
		done := make(chan error, 1)
		go func() { done <- c.load() }()
		select {
		case err := <-done:
			var list ErrorList
			if !errors.As(err, &list) || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("got %v, want an ErrorList starting %q", err, c.want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("loading hangs; want %q", c.want)
		}
	}
}

// TestNestingDepth: the pre-scan counts brackets, braces and key dots,
// and ignores what is inside strings and comments.
func TestNestingDepth(t *testing.T) {
	cases := []struct {
		text        string
		depth, line int
	}{
		{"a = 1\n", 0, 0},
		{"[a.b.c]\nx = 1\n", 3, 1},
		{"x = [[1], [2]]\n", 2, 1},
		{"x = 1.5\n", 1, 1},
		{"s = \"[[[[{{{{....\"\n", 0, 0},
		{"s = '[[[[....'\n", 0, 0},
		{"# [[[[[[ ......\n", 0, 0},
		{"s = \"\"\"\n[[[[\n....\"\"\"\n\n[a]\n", 1, 5},
		{"s = '''\n[[[[\n''' \n[a.b]\n", 2, 4},
		{"\"a.b.c.d\".e = 1\n", 1, 1},
		{"x = {a = {b = {c = 1}}}\n", 3, 1},
		{"x = \"esc \\\" [[[\"\n", 0, 0},
	}
	for _, c := range cases {
		if d, l := nestingDepth([]byte(c.text)); d != c.depth || l != c.line {
			t.Errorf("%q: depth %d at line %d, want %d at %d", c.text, d, l, c.depth, c.line)
		}
	}
	files, _ := filepath.Glob("../../scenarios/*.toml")
	more, _ := filepath.Glob("../../scenarios/*/*.toml")
	for _, f := range append(files, more...) {
		b, _ := os.ReadFile(f)
		if d, _ := nestingDepth(b); d > 8 {
			t.Errorf("%s: depth %d, far more than expected", f, d)
		}
	}
}

// TestSizeLimits: counts above the documented limits are refused at
// their section, before compiling further (262,000 actors used 16 GB).
func TestSizeLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString(validScenario)
	for i := 0; i <= sim.MaxSeries; i++ {
		fmt.Fprintf(&b, "\n[series.s%d]\nactors = [\"DPRK\", \"CHN\"]\n", i)
	}
	for i := 0; i <= sim.MaxActors; i++ {
		fmt.Fprintf(&b, "\n[actor.A%d]\n", i)
	}
	_, err := Parse("big.toml", []byte(b.String()))
	for _, want := range []string{
		fmt.Sprintf("big.toml:6: actor: %d actors; a scenario may have at most 32", sim.MaxActors+4),
		fmt.Sprintf(": series: %d series; a scenario may have at most %d", sim.MaxSeries+1, sim.MaxSeries),
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want %q", err, want)
		}
	}
}

// TestProblemsCapped: beyond sim.MaxProblems problems are counted, not
// listed.
func TestProblemsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString(validScenario)
	for i := 0; i < 150; i++ {
		fmt.Fprintf(&b, "[signal.x%d]\nfrom = \"DPRK\"\n", i)
	}
	_, err := Parse("many.toml", []byte(b.String()))
	var list ErrorList
	if !errors.As(err, &list) || len(list) != sim.MaxProblems+1 {
		t.Fatalf("got %d errors, want %d:\n%v", len(list), sim.MaxProblems+1, err)
	}
	if last := list[len(list)-1].Error(); !strings.HasPrefix(last, "many.toml: … and ") || !strings.Contains(last, "more problems not shown") {
		t.Errorf("last line %q", last)
	}
}
