package output

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func writeFolder(t *testing.T, tg Target, files map[string]string) {
	t.Helper()
	err := Write(context.Background(), tg, func(f *Folder) error {
		for name, text := range files {
			if err := f.WriteFile(name, []byte(text)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestTargetRefuses: a folder geosim did not write — or wrote for
// another kind of result, or that was edited since — is not replaced
// without -force; a folder holding an input, the current folder and an
// ancestor of an input are never replaced.
func TestTargetRefuses(t *testing.T) {
	dir := t.TempDir()
	user := filepath.Join(dir, "d")
	os.MkdirAll(user, 0o755)
	os.WriteFile(filepath.Join(user, "thesis.txt"), []byte("mine"), 0o644)

	geo := filepath.Join(dir, "geo")
	writeFolder(t, Target{Dir: geo, Kind: "run"}, map[string]string{"summary.json": "{}", "sub/x.csv": "1"})

	input := filepath.Join(dir, "proj", "s.toml")
	os.MkdirAll(filepath.Dir(input), 0o755)
	os.WriteFile(input, []byte("scenario"), 0o644)

	edited := filepath.Join(dir, "edited")
	writeFolder(t, Target{Dir: edited, Kind: "run"}, map[string]string{"report.html": "<p>geosim</p>"})
	os.WriteFile(filepath.Join(edited, "report.html"), []byte("<p>analyst</p>"), 0o644)

	added := filepath.Join(dir, "added")
	writeFolder(t, Target{Dir: added, Kind: "run"}, map[string]string{"summary.json": "{}"})
	os.WriteFile(filepath.Join(added, "notes.txt"), []byte("mine"), 0o644)

	file := filepath.Join(dir, "file")
	os.WriteFile(file, []byte("x"), 0o644)

	cwd, _ := os.Getwd()
	cases := []struct {
		name string
		t    Target
		want string
	}{
		{"user folder", Target{Dir: user, Kind: "run"}, "not written by geosim"},
		{"another kind", Target{Dir: geo, Kind: "sweep"}, "holds geosim run results, not sweep results"},
		{"edited file", Target{Dir: edited, Kind: "run"}, "report.html (changed since geosim wrote it)"},
		{"added file", Target{Dir: added, Kind: "run"}, "notes.txt (not written by geosim)"},
		{"not a folder", Target{Dir: file, Kind: "run", Force: true}, "not a folder"},
		{"holds an input", Target{Dir: filepath.Dir(input), Kind: "run", Inputs: []string{input}, Force: true}, "an input of this command"},
		{"ancestor of an input", Target{Dir: dir, Kind: "run", Inputs: []string{input}, Force: true}, "an input of this command"},
		{"inside an input folder", Target{Dir: filepath.Join(geo, "merged"), Kind: "run", Inputs: []string{geo}, Force: true}, "lies inside"},
		{"current folder", Target{Dir: cwd, Kind: "run", Force: true}, "current folder"},
		{"ancestor of the current folder", Target{Dir: filepath.Dir(cwd), Kind: "run", Force: true}, "current folder"},
	}
	for _, c := range cases {
		err := Write(context.Background(), c.t, func(f *Folder) error { return f.WriteFile("new.txt", []byte("new")) })
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want a refusal with %q", c.name, err, c.want)
		}
	}
	if mustRead(t, filepath.Join(user, "thesis.txt")) != "mine" || mustRead(t, input) != "scenario" || mustRead(t, filepath.Join(added, "notes.txt")) != "mine" {
		t.Fatal("a refused write touched the folder")
	}

	// geosim's own folder of the same kind is replaced; -force replaces
	// the others.
	writeFolder(t, Target{Dir: geo, Kind: "run"}, map[string]string{"b.txt": "b"})
	if _, err := os.Stat(filepath.Join(geo, "summary.json")); !os.IsNotExist(err) {
		t.Error("the replaced folder's files survived")
	}
	writeFolder(t, Target{Dir: user, Kind: "run", Force: true}, map[string]string{"b.txt": "b"})
	if mustRead(t, filepath.Join(user, "b.txt")) != "b" {
		t.Error("-force did not replace the folder")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left %s behind", e.Name())
		}
	}
}

// TestManifestRecordsFiles: the manifest lists every file with its size
// and SHA-256, and ReadManifest reads it back.
func TestManifestRecordsFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "x")
	writeFolder(t, Target{Dir: dir, Kind: "run", Command: []string{"geosim", "run"}}, map[string]string{"a.txt": "abc", "sub/b.txt": ""})
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Kind != "run" || len(m.Files) != 2 || m.Files[0].Name != "a.txt" || m.Files[0].Size != 3 ||
		m.Files[0].SHA256 != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" || m.Files[1].Name != "sub/b.txt" {
		t.Errorf("manifest %+v", m)
	}
	if diffs, err := m.Differences(dir, true, 5); err != nil || len(diffs) != 0 {
		t.Errorf("fresh folder differs from its manifest: %v %v", diffs, err)
	}
}

// TestStaleTemporaries: temporary folders of a killed writer are removed
// by the next one; a folder caught between the two renames of a
// replacement is restored; a live process's temporaries are left alone.
func TestStaleTemporaries(t *testing.T) {
	dir := t.TempDir()
	final := filepath.Join(dir, "x")
	tg := Target{Dir: final, Kind: "run"}
	writeFolder(t, tg, map[string]string{"v.txt": "1"})

	dead := processTag()[:8] + "-" + strconv.Itoa(deadPID(t))
	live := processTag()
	mk := func(name string) string {
		p := filepath.Join(dir, name)
		os.MkdirAll(p, 0o755)
		os.WriteFile(filepath.Join(p, "f"), []byte("half"), 0o644)
		return p
	}
	deadTmp := mk(".x.tmp-" + dead + "-123")
	liveTmp := mk(".x.tmp-" + live + "-456")
	foreign := mk(".x.tmp-123456") // an older geosim's name: unknown owner
	writeFolder(t, tg, map[string]string{"v.txt": "2"})
	if _, err := os.Stat(deadTmp); !os.IsNotExist(err) {
		t.Error("a dead writer's temporary folder survived")
	}
	for _, p := range []string{liveTmp, foreign} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed", filepath.Base(p))
		}
	}

	// A crash between the two renames: the folder is missing, the old
	// one sits under its temporary name.
	old := filepath.Join(dir, ".x.old-"+dead+"-789")
	if err := os.Rename(final, old); err != nil {
		t.Fatal(err)
	}
	s, err := Open(tg)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if mustRead(t, filepath.Join(final, "v.txt")) != "2" {
		t.Error("the folder was not restored")
	}
	// A crash after both renames: the old one is left over.
	writeFolder(t, Target{Dir: old, Kind: "run"}, map[string]string{"v.txt": "1"})
	writeFolder(t, tg, map[string]string{"v.txt": "3"})
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Error("a replaced folder left over by a crash survived")
	}
}

// TestCommitWithoutExchange: where the system cannot exchange two
// folders atomically, the two-rename replacement gives the same result.
func TestCommitWithoutExchange(t *testing.T) {
	exchangeFunc = func(a, b string) error { return errors.ErrUnsupported }
	defer func() { exchangeFunc = exchange }()
	final := filepath.Join(t.TempDir(), "x")
	tg := Target{Dir: final, Kind: "run"}
	writeFolder(t, tg, map[string]string{"v.txt": "1"})
	writeFolder(t, tg, map[string]string{"w.txt": "2"})
	if _, err := os.Stat(filepath.Join(final, "v.txt")); !os.IsNotExist(err) || mustRead(t, filepath.Join(final, "w.txt")) != "2" {
		t.Error("replacement by two renames failed")
	}
	entries, _ := os.ReadDir(filepath.Dir(final))
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

// TestFolderNames: files may not escape the folder or overwrite the
// manifest.
func TestFolderNames(t *testing.T) {
	err := Write(context.Background(), Target{Dir: filepath.Join(t.TempDir(), "x"), Kind: "run"}, func(f *Folder) error {
		for _, bad := range []string{"../escape", "/abs", ManifestName, "a/../../b", ""} {
			if f.WriteFile(bad, nil) == nil {
				t.Errorf("wrote %q", bad)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
