package batch

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/geosim/geosim/backtest"
)

// An origin file far larger than geosim writes is not read (the hang
// rule): readOrigin treats it as missing, so the origin is simulated
// again instead.
func TestReadOriginRefusesHugeFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "origin-2018-01.json")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(maxOriginBytes + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if y := readOrigin(file, &backtest.Origin{}, 100, 1); y != nil {
		t.Fatalf("read %d tallies from a %d-byte file", len(y), maxOriginBytes+1)
	}
}
