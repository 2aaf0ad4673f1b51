package output

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestFloatJSON(t *testing.T) {
	b, err := json.Marshal([]Float{1.5, Float(math.NaN()), Float(math.Inf(1)), 1e-7, 0.1})
	if err != nil || string(b) != "[1.5,null,null,1e-07,0.1]" {
		t.Fatalf("got %s, %v", b, err)
	}
	var back []Float
	if err := json.Unmarshal(b, &back); err != nil || back[0] != 1.5 || !math.IsNaN(float64(back[1])) {
		t.Errorf("round trip: %v %v", back, err)
	}
}

// TestFolderAtomic: files are invisible until Commit, which replaces an
// earlier folder of geosim's; a failed fill leaves nothing.
func TestFolderAtomic(t *testing.T) {
	dir := t.TempDir()
	final := filepath.Join(dir, "out", "x")
	target := Target{Dir: final, Kind: "test"}
	err := Write(context.Background(), target, func(f *Folder) error {
		f.WriteFile("a.txt", []byte("one"))
		if _, err := os.Stat(final); !os.IsNotExist(err) {
			t.Fatal("folder visible before Commit")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(context.Background(), target, func(f *Folder) error { return f.WriteFile("b.txt", []byte("two")) }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(final, "a.txt")); !os.IsNotExist(err) {
		t.Error("old folder's file survived the replacement")
	}
	if b, _ := os.ReadFile(filepath.Join(final, "b.txt")); string(b) != "two" {
		t.Error("new file missing")
	}
	err = Write(context.Background(), target, func(f *Folder) error {
		f.WriteFile("c.txt", []byte("three"))
		return errors.New("fill failed")
	})
	if err == nil {
		t.Fatal("a failed fill committed")
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "out"))
	if len(entries) != 1 || entries[0].Name() != "x" {
		t.Errorf("after a failed fill: %v", entries)
	}
	if b, _ := os.ReadFile(filepath.Join(final, "b.txt")); string(b) != "two" {
		t.Error("a failed fill touched the earlier folder")
	}
}

func TestTimeseriesCSV(t *testing.T) {
	s := &Summary{Series: []SeriesSummary{{Name: "a", Description: "A, b", Points: []SeriesPoint{
		{Month: 0, Date: "2025-09-01", Mean: 1, Quantiles: Quantiles{0.5, 0.75, 1, 1.25, 1.5}},
	}}}}
	want := "series,description,month,date,mean,p5,p25,p50,p75,p95\na,\"A, b\",0,2025-09-01,1,0.5,0.75,1,1.25,1.5\n"
	if got := string(TimeseriesCSV(s)); got != want {
		t.Errorf("got %q", got)
	}
}
