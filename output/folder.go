package output

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Folder is an output folder being written. Files go to a hidden
// temporary folder beside the destination; Commit renames it into place,
// replacing an earlier folder of the same name, so readers see the old
// folder or the new one, complete, never a mix or a partial one. Abort
// removes the temporary folder.
type Folder struct {
	final string
	tmp   string
}

// Create starts writing the folder final, creating its parent folders.
func Create(final string) (*Folder, error) {
	final = filepath.Clean(final)
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", parent, err)
	}
	if st, err := os.Stat(final); err == nil && !st.IsDir() {
		return nil, fmt.Errorf("%s exists and is not a folder", final)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(final)+".tmp-")
	if err != nil {
		return nil, fmt.Errorf("creating a temporary folder in %s: %w", parent, err)
	}
	return &Folder{final: final, tmp: tmp}, nil
}

// Final returns the folder's destination path.
func (f *Folder) Final() string { return f.final }

// Path returns where a file of the folder is written before Commit.
func (f *Folder) Path(name string) string { return filepath.Join(f.tmp, name) }

// WriteFile writes a file into the folder.
func (f *Folder) WriteFile(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(f.Path(name)), 0o755); err != nil {
		return err
	}
	return os.WriteFile(f.Path(name), data, 0o644)
}

// WriteJSON writes v as indented JSON with a final newline.
func (f *Folder) WriteJSON(name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding %s: %w", name, err)
	}
	return f.WriteFile(name, append(b, '\n'))
}

// Commit moves the finished folder into place.
func (f *Folder) Commit() error {
	if err := os.Chmod(f.tmp, 0o755); err != nil {
		return err
	}
	var old string
	if _, err := os.Stat(f.final); err == nil {
		old = f.tmp + ".old"
		if err := os.Rename(f.final, old); err != nil {
			return fmt.Errorf("replacing %s: %w", f.final, err)
		}
	}
	if err := os.Rename(f.tmp, f.final); err != nil {
		if old != "" {
			os.Rename(old, f.final)
		}
		return fmt.Errorf("moving results into %s: %w", f.final, err)
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// Abort discards everything written.
func (f *Folder) Abort() { os.RemoveAll(f.tmp) }
