package output

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Folder is an output folder being written: a hidden temporary folder
// beside the destination (or, for a resumable command, a persistent work
// folder) that Session.Commit moves into place. Every file is written
// through a temporary file renamed into place, so that a reader — or a
// resumed sweep — never sees half a file, and its SHA-256 is recorded for
// the folder's manifest as it is written.
type Folder struct {
	dir string

	mu     sync.Mutex
	hashes map[string]ManifestFile // by slash-separated name
}

func newFolder(dir string) *Folder {
	return &Folder{dir: dir, hashes: map[string]ManifestFile{}}
}

// Dir returns where the folder's files are before Commit.
func (f *Folder) Dir() string { return f.dir }

// Path returns where a file of the folder is before Commit.
func (f *Folder) Path(name string) string { return filepath.Join(f.dir, filepath.FromSlash(name)) }

// checkName refuses names that would leave the folder or collide with
// its bookkeeping.
func checkName(name string) error {
	clean := filepath.ToSlash(filepath.Clean(filepath.FromSlash(name)))
	if name == "" || clean != name || filepath.IsAbs(name) || clean == "." || clean == ".." || strings.HasPrefix(clean, "../") {
		return fmt.Errorf("output: file name %q is not a plain relative path", name)
	}
	if clean == ManifestName || strings.HasSuffix(clean, "/"+ManifestName) {
		return fmt.Errorf("output: %s is reserved", ManifestName)
	}
	return nil
}

// WriteFile writes one file, creating its sub-folders.
func (f *Folder) WriteFile(name string, data []byte) error {
	w, err := f.Create(name)
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		w.Abort()
		return err
	}
	return w.Close()
}

// WriteJSON writes v as indented JSON with a final newline.
func (f *Folder) WriteJSON(name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding %s: %w", name, err)
	}
	return f.WriteFile(name, append(b, '\n'))
}

// File is a file of a Folder being written. It appears under its name,
// complete, on Close; Abort discards it.
type File struct {
	f      *Folder
	name   string
	tmp    *os.File
	sum    hash.Hash
	size   int64
	closed bool
}

// Create starts writing a file of the folder, creating its sub-folders.
// Data written to it is hashed on the way, so that large files (runs.csv)
// need not be read again for the manifest.
func (f *Folder) Create(name string) (*File, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	full := f.Path(name)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(full), "."+filepath.Base(full)+tmpMark)
	if err != nil {
		return nil, err
	}
	return &File{f: f, name: name, tmp: tmp, sum: sha256.New()}, nil
}

// Write implements io.Writer.
func (w *File) Write(p []byte) (int, error) {
	n, err := w.tmp.Write(p)
	w.sum.Write(p[:n])
	w.size += int64(n)
	return n, err
}

// Close finishes the file and moves it into place.
func (w *File) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if err := w.tmp.Close(); err != nil {
		os.Remove(w.tmp.Name())
		return err
	}
	if err := os.Chmod(w.tmp.Name(), 0o644); err != nil {
		os.Remove(w.tmp.Name())
		return err
	}
	if err := os.Rename(w.tmp.Name(), w.f.Path(w.name)); err != nil {
		os.Remove(w.tmp.Name())
		return err
	}
	w.f.mu.Lock()
	w.f.hashes[w.name] = ManifestFile{Name: w.name, Size: w.size, SHA256: hex.EncodeToString(w.sum.Sum(nil))}
	w.f.mu.Unlock()
	return nil
}

// Abort discards the file.
func (w *File) Abort() {
	if w.closed {
		return
	}
	w.closed = true
	w.tmp.Close()
	os.Remove(w.tmp.Name())
}

// Link puts an existing file into the folder under name — a hard link
// when the file system allows, a copy otherwise — and records the hash
// it is known to have (checked by the caller against its manifest), or
// computes it when known is nil.
func (f *Folder) Link(src, name string, known *ManifestFile) error {
	if err := checkName(name); err != nil {
		return err
	}
	dst := f.Path(name)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := os.Link(src, dst); err != nil {
		in, err := os.Open(src)
		if err != nil {
			return err
		}
		defer in.Close()
		w, err := f.Create(name)
		if err != nil {
			return err
		}
		if _, err := io.Copy(w, in); err != nil {
			w.Abort()
			return err
		}
		return w.Close()
	}
	entry, err := hashFile(dst, name)
	if known != nil {
		entry, err = *known, nil
		entry.Name = name
	}
	if err != nil {
		return err
	}
	f.mu.Lock()
	f.hashes[name] = entry
	f.mu.Unlock()
	return nil
}

// removeTemporaries deletes half-written files that a killed process
// left in a resumable folder (Create's ".NAME.tmp-*" files).
func removeTemporaries(dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasPrefix(d.Name(), ".") && strings.Contains(d.Name(), tmpMark) {
			return os.Remove(path)
		}
		return nil
	})
}

// manifest lists every file of the folder with its size and SHA-256:
// recorded when written through the folder, computed otherwise (files
// written by an earlier, interrupted process of a resumable command).
func (f *Folder) manifest() ([]ManifestFile, error) {
	var files []ManifestFile
	err := filepath.WalkDir(f.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(f.dir, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			return nil
		case rel == ManifestName:
			return nil
		case !d.Type().IsRegular():
			return fmt.Errorf("%s: %s is not a regular file", f.dir, rel)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		f.mu.Lock()
		known, ok := f.hashes[rel]
		f.mu.Unlock()
		if !ok || known.Size != info.Size() {
			if known, err = hashFile(path, rel); err != nil {
				return err
			}
		}
		files = append(files, known)
		return nil
	})
	return files, err
}

func hashFile(path, name string) (ManifestFile, error) {
	in, err := os.Open(path)
	if err != nil {
		return ManifestFile{}, err
	}
	defer in.Close()
	h := sha256.New()
	n, err := io.Copy(h, in)
	if err != nil {
		return ManifestFile{}, err
	}
	return ManifestFile{Name: name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// errNotFolder marks a destination that exists and is not a folder.
var errNotFolder = errors.New("exists and is not a folder")

// SHA256 returns the hex SHA-256 of what was written (after Close).
func (w *File) SHA256() string { return hex.EncodeToString(w.sum.Sum(nil)) }
