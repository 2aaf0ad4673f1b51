package output

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// deadPID returns the PID of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip("cannot start a process:", err)
	}
	return cmd.Process.Pid
}

// TestLock: a second writer of a folder is refused while the first holds
// it; a lock left by a process that is gone is broken; a lock of another
// host is respected.
func TestLock(t *testing.T) {
	dir := t.TempDir()
	tg := Target{Dir: filepath.Join(dir, "x"), Kind: "run"}
	first, err := Open(tg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(tg); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "pid "+strconv.Itoa(os.Getpid())) {
		t.Errorf("second writer: %v", err)
	}
	first.Close()
	second, err := Open(tg)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	second.Close()

	lockPath := filepath.Join(dir, ".x.lock")
	host, _ := os.Hostname()
	stale := lockInfo{PID: deadPID(t), Host: host, Nonce: "dead", Started: "then"}
	if err := createExclusive(lockPath, stale); err != nil {
		t.Fatal(err)
	}
	s, err := Open(tg)
	if err != nil {
		t.Fatalf("stale lock not broken: %v", err)
	}
	s.Close()

	remote := lockInfo{PID: 1, Host: host + "-elsewhere", Nonce: "remote", Started: "then"}
	if err := createExclusive(lockPath, remote); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(tg); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "elsewhere") {
		t.Errorf("lock of another host: %v", err)
	}
	os.Remove(lockPath)
	if err := createExclusive(lockPath, lockInfo{}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(lockPath, []byte("garbage"), 0o644)
	if _, err := Open(tg); !errors.Is(err, ErrLocked) {
		t.Errorf("unreadable lock: %v", err)
	}
}
