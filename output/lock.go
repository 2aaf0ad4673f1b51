package output

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// ErrLocked is returned (wrapped, with who holds it) when another geosim
// process is writing the same output folder.
var ErrLocked = errors.New("output folder is being written by another geosim process")

// lockInfo is the content of a lock file: who holds it.
type lockInfo struct {
	PID       int      `json:"pid"`
	Host      string   `json:"host"`
	ProcStart string   `json:"proc_start,omitempty"` // the process's start time as the OS reports it, against PID reuse
	Nonce     string   `json:"nonce"`
	Started   string   `json:"started"`
	Command   []string `json:"command,omitempty"`
}

// lock is a held lock file.
type lock struct {
	path string
	info lockInfo
}

func self(command []string) lockInfo {
	host, _ := os.Hostname()
	nonce := make([]byte, 8)
	rand.Read(nonce)
	start, _ := procStart(os.Getpid())
	return lockInfo{PID: os.Getpid(), Host: host, ProcStart: start, Nonce: hex.EncodeToString(nonce),
		Started: time.Now().UTC().Format(time.RFC3339), Command: command}
}

// createExclusive creates path with content, failing if it exists
// (O_EXCL, which also holds on NFS v3 and later).
func createExclusive(path string, info lockInfo) error {
	b, _ := json.Marshal(info)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, werr := f.Write(append(b, '\n'))
	if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

// readLockInfo reads a lock file. A lock file is written right after it
// is created, so an empty or partial one is retried for a moment.
func readLockInfo(path string) (lockInfo, error) {
	var info lockInfo
	var err error
	for range 20 {
		var b []byte
		b, err = readLimited(path, 1<<16)
		if err != nil {
			return info, err
		}
		if err = json.Unmarshal(b, &info); err == nil && info.Nonce != "" {
			return info, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return info, fmt.Errorf("unreadable lock file: %v", err)
}

// stale reports whether a lock's holder is known to be gone: it ran on
// this host and its process no longer exists (or the PID now belongs to
// a process that started at another time).
func (l lockInfo) stale() bool {
	host, _ := os.Hostname()
	if l.Host != host || l.PID <= 0 {
		return false
	}
	if !alive(l.PID) {
		return true
	}
	if l.ProcStart == "" {
		return false
	}
	now, ok := procStart(l.PID)
	return ok && now != l.ProcStart
}

// acquireLock takes the lock file path for this process. A lock whose
// holder is gone (see stale) is broken safely: only under a second,
// short-lived lock (path+".break"), and only if it is still the same
// lock (same nonce) when re-read there — so two processes that both find
// the same stale lock cannot both end up holding the folder.
func acquireLock(path string, command []string) (*lock, error) {
	me := self(command)
	for attempt := 0; ; attempt++ {
		err := createExclusive(path, me)
		if err == nil {
			return &lock{path: path, info: me}, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("creating the lock file %s: %w", path, err)
		}
		held, rerr := readLockInfo(path)
		if errors.Is(rerr, fs.ErrNotExist) && attempt < 10 {
			continue // released in between
		}
		if rerr != nil {
			return nil, fmt.Errorf("%w: %s: %v; if no geosim process is writing there, delete the lock file", ErrLocked, path, rerr)
		}
		if !held.stale() || attempt >= 10 {
			return nil, fmt.Errorf("%w (pid %d on %s, started %s); wait for it to finish, or delete %s if that process is gone",
				ErrLocked, held.PID, held.Host, held.Started, path)
		}
		if err := breakLock(path, held, me); err != nil {
			return nil, err
		}
	}
}

// breakLock removes the stale lock held, if it is still that lock.
func breakLock(path string, held, me lockInfo) error {
	breaker := path + ".break"
	acquired := false
	for range 100 {
		err := createExclusive(breaker, me)
		if err == nil {
			acquired = true
			break
		}
		if !errors.Is(err, fs.ErrExist) {
			return err
		}
		// A breaker is held for microseconds; one left by a killed
		// process is itself stale.
		if b, err := readLockInfo(breaker); err == nil && b.stale() {
			os.Remove(breaker)
			continue
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !acquired {
		return fmt.Errorf("%w: could not take %s to remove the stale lock %s", ErrLocked, breaker, path)
	}
	defer os.Remove(breaker)
	now, err := readLockInfo(path)
	if err == nil && now.Nonce == held.Nonce {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// release removes the lock file if it is still this process's.
func (l *lock) release() error {
	if l == nil {
		return nil
	}
	now, err := readLockInfo(l.path)
	if err != nil || now.Nonce != l.info.Nonce {
		return nil
	}
	return os.Remove(l.path)
}
