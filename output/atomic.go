package output

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
)

// Dir writes files into an existing folder, each through a temporary file
// (".NAME.tmp-*") renamed into place, so that a reader — or a resumed
// sweep — never sees half a file.
type Dir string

// WriteFile writes one file, creating its sub-folders.
func (d Dir) WriteFile(name string, data []byte) error {
	full := filepath.Join(string(d), name)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(full), "."+filepath.Base(full)+".tmp-")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), full)
}

// WriteJSON writes v as indented JSON with a final newline.
func (d Dir) WriteJSON(name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return d.WriteFile(name, append(b, '\n'))
}

// Write creates the folder final, lets fill write into it and moves it
// into place if fill succeeds; if fill fails, nothing is left behind.
func Write(final string, fill func(f *Folder) error) error {
	f, err := Create(final)
	if err != nil {
		return err
	}
	if err := fill(f); err != nil {
		f.Abort()
		return err
	}
	return f.Commit()
}
