//go:build unix

package scenario

import (
	"path/filepath"
	"syscall"
	"testing"
)

// makeFIFO creates a named pipe in dir, or returns "" if it cannot.
func makeFIFO(t *testing.T, dir string) string {
	p := filepath.Join(dir, "fifo.toml")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Logf("no FIFO: %v", err)
		return ""
	}
	return p
}
