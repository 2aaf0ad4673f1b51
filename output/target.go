package output

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Target is an output folder a command writes, and what may be replaced
// there. Every command that writes a folder goes through Open (or Write),
// which refuses to destroy anything geosim did not make:
//
//   - a folder that is the current folder or contains it, that contains
//     one of the command's inputs, or lies inside an input folder is never
//     replaced, not even with Force;
//   - a folder with a manifest (ManifestName) of the same Kind that holds
//     exactly the files listed there, unedited, is replaced;
//   - anything else that is not empty — a folder without a manifest, with
//     files geosim did not write or edited since, or of another kind — is
//     refused with a message naming the reason, unless Force.
//
// Writers of one folder exclude each other with a lock file beside it
// (".NAME.lock"); temporary folders left by killed processes are removed
// (and a folder caught between the two renames of a replacement restored)
// by the next writer.
type Target struct {
	Dir     string   // the folder to write
	Kind    string   // what it holds: run, run-shard, sweep, sweep-shard, sensitivity, sensitivity-shard, comparison, scores
	Command []string // the command line, recorded in the manifest
	Inputs  []string // files and folders the command reads (missing ones are ignored)
	Force   bool     // replace a non-empty folder geosim did not write, or of another kind
	Work    string   // optional persistent work folder beside Dir (a sweep's NAME.partial), checked like Dir
}

// ErrRefused marks a folder that Open will not replace.
var ErrRefused = errors.New("refusing to replace")

// Session is a Target held for writing: checked, locked and cleaned of
// stale temporaries. Close releases it.
type Session struct {
	t      Target
	final  string // absolute, parent symlinks resolved
	parent string
	base   string
	lock   *lock
	prior  *Manifest // the manifest of the folder that will be replaced
	tag    string    // host and process, in temporary names
}

const (
	tmpMark = ".tmp-"
	oldMark = ".old-"
)

// exchangeFunc is exchange, replaceable by tests of the two-rename path.
var exchangeFunc = exchange

// Open checks a Target (see Target for the rules), takes its lock and
// removes what killed writers left behind.
func Open(t Target) (*Session, error) {
	if t.Dir == "" || t.Kind == "" {
		return nil, errors.New("output: a target needs a folder and a kind")
	}
	s := &Session{t: t, tag: processTag()}
	var err error
	if s.final, err = resolve(t.Dir); err != nil {
		return nil, err
	}
	s.parent, s.base = filepath.Dir(s.final), filepath.Base(s.final)
	if s.parent == s.final || s.base == "." || s.base == ".." {
		return nil, fmt.Errorf("%w %s: not a folder an output can be written to", ErrRefused, t.Dir)
	}
	if err := s.checkPlace(s.final); err != nil {
		return nil, err
	}
	if t.Work != "" {
		if strings.ContainsAny(t.Work, `/\`) || t.Work == "." || t.Work == ".." {
			return nil, fmt.Errorf("output: work folder %q must be a plain name", t.Work)
		}
		if err := s.checkPlace(filepath.Join(s.parent, t.Work)); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(s.parent, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", filepath.Dir(t.Dir), err)
	}
	if s.lock, err = acquireLock(filepath.Join(s.parent, "."+s.base+".lock"), t.Command); err != nil {
		return nil, fmt.Errorf("%s: %w", t.Dir, err)
	}
	if err := s.cleanStale(); err != nil {
		s.Close()
		return nil, err
	}
	if s.prior, err = s.checkReplace(true); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// resolve makes dir absolute and resolves symbolic links in it, so that
// containment checks compare real places and a link to a folder is
// written through, not replaced.
func resolve(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real, nil
	}
	// The folder does not exist yet: resolve the deepest existing parent.
	parent, rest := abs, ""
	for {
		next := filepath.Dir(parent)
		rest = filepath.Join(filepath.Base(parent), rest)
		parent = next
		if real, err := filepath.EvalSymlinks(parent); err == nil {
			return filepath.Join(real, rest), nil
		}
		if next == filepath.Dir(next) {
			return abs, nil
		}
	}
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// checkPlace refuses, whatever Force says, a folder that is or contains
// the current folder or an input, or lies inside an input folder.
func (s *Session) checkPlace(dir string) error {
	if cwd, err := os.Getwd(); err == nil {
		if real, err := filepath.EvalSymlinks(cwd); err == nil {
			cwd = real
		}
		if within(cwd, dir) {
			return fmt.Errorf("%w %s: it is the current folder or contains it", ErrRefused, s.t.Dir)
		}
	}
	for _, in := range s.t.Inputs {
		abs, err := filepath.Abs(in)
		if err != nil {
			continue
		}
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			continue
		}
		if within(real, dir) {
			return fmt.Errorf("%w %s: it contains %s, an input of this command", ErrRefused, s.t.Dir, in)
		}
		if st, err := os.Stat(real); err == nil && st.IsDir() && within(dir, real) {
			return fmt.Errorf("%w %s: it lies inside %s, an input of this command", ErrRefused, s.t.Dir, in)
		}
	}
	return nil
}

// checkReplace decides whether the existing folder, if any, may be
// replaced, and returns its manifest. deep compares file contents, not
// only names and sizes.
func (s *Session) checkReplace(deep bool) (*Manifest, error) {
	st, err := os.Lstat(s.final)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%w %s: it %v", ErrRefused, s.t.Dir, errNotFolder)
	}
	entries, err := os.ReadDir(s.final)
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, nil
	}
	m, err := ReadManifest(s.final)
	if err != nil {
		if s.t.Force {
			return nil, nil
		}
		return nil, fmt.Errorf("%w %s: it is not empty and was not written by geosim (no valid %s); choose another output folder, or use -force to replace it", ErrRefused, s.t.Dir, ManifestName)
	}
	if m.Kind != s.t.Kind && !s.t.Force {
		return nil, fmt.Errorf("%w %s: it holds geosim %s results, not %s results; choose another output folder, or use -force to replace it", ErrRefused, s.t.Dir, m.Kind, s.t.Kind)
	}
	diffs, err := m.Differences(s.final, deep, 5)
	if err != nil {
		return nil, err
	}
	if len(diffs) > 0 && !s.t.Force {
		return nil, fmt.Errorf("%w %s: %s; move those files away, choose another output folder, or use -force to replace the folder", ErrRefused, s.t.Dir, strings.Join(diffs, ", "))
	}
	return m, nil
}

// Prior returns the manifest of the folder that will be replaced (nil
// if there is none, or it is replaced by force).
func (s *Session) Prior() *Manifest { return s.prior }

// Final returns the folder's resolved path.
func (s *Session) Final() string { return s.final }

// processTag names this process in temporary names: a short hash of the
// host name and the PID, so that the next writer can tell whether the
// process that made a temporary folder is gone.
func processTag() string {
	host, _ := os.Hostname()
	h := sha256.Sum256([]byte(host))
	return hex.EncodeToString(h[:4]) + "-" + strconv.Itoa(os.Getpid())
}

// parseTag reads the tag of a temporary name ("HOST-PID-RANDOM").
func parseTag(rest string) (host string, pid int, ok bool) {
	parts := strings.Split(rest, "-")
	if len(parts) != 3 || len(parts[0]) != 8 {
		return "", 0, false
	}
	if _, err := hex.DecodeString(parts[0]); err != nil {
		return "", 0, false
	}
	pid, err := strconv.Atoi(parts[1])
	if err != nil || pid <= 0 {
		return "", 0, false
	}
	if _, err := strconv.ParseUint(parts[2], 10, 64); err != nil {
		return "", 0, false
	}
	return parts[0], pid, true
}

// cleanStale removes the temporary folders of this target that killed
// writers left (".NAME.tmp-HOST-PID-*"), and deals with a replacement
// cut between its two renames (".NAME.old-HOST-PID-*"): if the folder is
// missing, the old one is put back; if it is there, the old one is
// removed when geosim wrote it. Only names geosim makes, of processes
// that are gone, are touched; the lock is held, so no live writer of
// this target has any.
func (s *Session) cleanStale() error {
	entries, err := os.ReadDir(s.parent)
	if err != nil {
		return err
	}
	myHost := strings.Split(s.tag, "-")[0]
	for _, e := range entries {
		name := e.Name()
		var kind string
		switch {
		case strings.HasPrefix(name, "."+s.base+tmpMark):
			kind = "tmp"
		case strings.HasPrefix(name, "."+s.base+oldMark):
			kind = "old"
		default:
			continue
		}
		host, pid, ok := parseTag(name[len(s.base)+1+len(tmpMark):])
		if !ok || !e.IsDir() {
			continue
		}
		if host == myHost && (pid == os.Getpid() || alive(pid)) {
			continue
		}
		path := filepath.Join(s.parent, name)
		if kind == "tmp" {
			if err := os.RemoveAll(path); err != nil {
				return fmt.Errorf("removing the stale temporary folder %s: %w", path, err)
			}
			continue
		}
		if _, err := os.Lstat(s.final); errors.Is(err, fs.ErrNotExist) {
			if err := os.Rename(path, s.final); err != nil {
				return fmt.Errorf("restoring %s from %s: %w", s.t.Dir, path, err)
			}
			continue
		}
		if _, err := ReadManifest(path); err == nil {
			if err := os.RemoveAll(path); err != nil {
				return fmt.Errorf("removing the replaced folder %s: %w", path, err)
			}
		}
	}
	return nil
}

// NewFolder starts a temporary folder beside the target, for Commit.
func (s *Session) NewFolder() (*Folder, error) {
	tmp, err := os.MkdirTemp(s.parent, "."+s.base+tmpMark+s.tag+"-")
	if err != nil {
		return nil, fmt.Errorf("creating a temporary folder in %s: %w", filepath.Dir(s.t.Dir), err)
	}
	return newFolder(tmp), nil
}

// Resume opens the target's persistent work folder (Target.Work),
// creating it if needed, and removes the half-written files a killed
// process left in it.
func (s *Session) Resume() (*Folder, error) {
	if s.t.Work == "" {
		return nil, errors.New("output: the target has no work folder")
	}
	dir := filepath.Join(s.parent, s.t.Work)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := removeTemporaries(dir); err != nil {
		return nil, err
	}
	return newFolder(dir), nil
}

// WorkPath returns the path of the work folder (Target.Work).
func (s *Session) WorkPath() string { return filepath.Join(s.parent, s.t.Work) }

// Discard removes a folder made by NewFolder or Resume.
func (s *Session) Discard(f *Folder) error { return os.RemoveAll(f.dir) }

// Commit writes the folder's manifest and moves it into place, replacing
// the earlier folder there (checked again: it must still be one Open
// accepted). The replacement is one atomic exchange where the system
// offers it; elsewhere it is two renames, and a crash between them
// leaves the old folder under a name the next writer restores.
func (s *Session) Commit(f *Folder) error {
	if err := writeManifest(f, s.t.Kind, s.t.Command); err != nil {
		return fmt.Errorf("writing the manifest of %s: %w", s.t.Dir, err)
	}
	if err := os.Chmod(f.dir, 0o755); err != nil {
		return err
	}
	if _, err := s.checkReplace(false); err != nil {
		return err
	}
	if _, err := os.Lstat(s.final); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(f.dir, s.final); err != nil {
			return fmt.Errorf("moving results into %s: %w", s.t.Dir, err)
		}
		return nil
	}
	if err := exchangeFunc(f.dir, s.final); err == nil {
		// f.dir now holds the old folder; if removing it is cut short,
		// its temporary name gets it cleaned by the next writer.
		os.RemoveAll(f.dir)
		return nil
	}
	old, err := os.MkdirTemp(s.parent, "."+s.base+oldMark+s.tag+"-")
	if err != nil {
		return err
	}
	if err := os.Remove(old); err != nil {
		return err
	}
	if err := os.Rename(s.final, old); err != nil {
		return fmt.Errorf("replacing %s: %w", s.t.Dir, err)
	}
	if err := os.Rename(f.dir, s.final); err != nil {
		if rerr := os.Rename(old, s.final); rerr != nil {
			return fmt.Errorf("moving results into %s: %w (the previous folder is in %s)", s.t.Dir, err, old)
		}
		return fmt.Errorf("moving results into %s: %w", s.t.Dir, err)
	}
	os.RemoveAll(old)
	return nil
}

// Close releases the target's lock.
func (s *Session) Close() error { return s.lock.release() }

// Write opens the target, lets fill write a fresh folder and commits it
// if fill succeeds and ctx is not done; otherwise nothing is left behind
// and the earlier folder, if any, is untouched.
func Write(ctx context.Context, t Target, fill func(f *Folder) error) error {
	s, err := Open(t)
	if err != nil {
		return err
	}
	defer s.Close()
	f, err := s.NewFolder()
	if err != nil {
		return err
	}
	err = fill(f)
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = s.Commit(f)
	}
	if err != nil {
		s.Discard(f)
	}
	return err
}
