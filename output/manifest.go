package output

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/geosim/geosim/internal/version"
)

// ManifestName is the file that marks a folder as written by geosim: it
// lists what the folder holds, which command wrote it and every file
// with its size and SHA-256. geosim replaces a folder only if it has a
// manifest of the same kind and holds exactly the files listed, unedited
// (or with -force, see Target).
const ManifestName = ".geosim-manifest.json"

// Manifest format identifiers.
const (
	ManifestFormat        = "geosim-output"
	ManifestFormatVersion = 1
)

// Manifest is the content of ManifestName.
type Manifest struct {
	Format        string         `json:"format"`
	FormatVersion int            `json:"format_version"`
	Tool          string         `json:"tool"`
	Version       string         `json:"version"`
	Kind          string         `json:"kind"` // what the folder holds: run, run-shard, sweep, …
	Command       []string       `json:"command,omitempty"`
	Created       string         `json:"created"`
	Files         []ManifestFile `json:"files"`
}

// ManifestFile is one file of a manifest.
type ManifestFile struct {
	Name   string `json:"name"` // slash-separated, relative to the folder
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// maxManifestBytes bounds the manifest read back (a folder of a huge
// sweep lists some thousands of files).
const maxManifestBytes = 64 << 20

// ReadManifest reads the manifest of a folder. It fails when there is
// none or it is not a geosim manifest.
func ReadManifest(dir string) (*Manifest, error) {
	path := filepath.Join(dir, ManifestName)
	b, err := readLimited(path, maxManifestBytes)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil || m.Format != ManifestFormat {
		return nil, fmt.Errorf("%s is not a geosim manifest", path)
	}
	if m.FormatVersion != ManifestFormatVersion {
		return nil, fmt.Errorf("%s: manifest format version %d; this geosim reads version %d", path, m.FormatVersion, ManifestFormatVersion)
	}
	seen := map[string]bool{}
	for _, f := range m.Files {
		if checkName(f.Name) != nil || seen[f.Name] || f.Size < 0 || len(f.SHA256) != 64 {
			return nil, fmt.Errorf("%s is not a valid geosim manifest (file entry %q)", path, f.Name)
		}
		seen[f.Name] = true
	}
	return &m, nil
}

// File returns the entry of a file.
func (m *Manifest) File(name string) (ManifestFile, bool) {
	for _, f := range m.Files {
		if f.Name == name {
			return f, true
		}
	}
	return ManifestFile{}, false
}

func writeManifest(f *Folder, kind string, command []string) error {
	files, err := f.manifest()
	if err != nil {
		return err
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	m := Manifest{Format: ManifestFormat, FormatVersion: ManifestFormatVersion, Tool: "geosim", Version: version.Version,
		Kind: kind, Command: command, Created: time.Now().UTC().Format(time.RFC3339), Files: files}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	path := filepath.Join(f.dir, ManifestName)
	tmp := path + tmpMark + "m"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Differences lists how dir departs from its manifest: files it holds
// that the manifest does not list, and listed files whose size — or,
// when deep, content — changed. Files listed but missing are not
// differences (deleting them loses nothing). At most max are returned.
func (m *Manifest) Differences(dir string, deep bool, max int) ([]string, error) {
	listed := map[string]ManifestFile{}
	for _, f := range m.Files {
		listed[f.Name] = f
	}
	var diffs []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if len(diffs) >= max {
			return fs.SkipAll
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == "." || rel == ManifestName {
			return nil
		}
		if d.IsDir() {
			if !m.hasDir(rel) {
				diffs = append(diffs, rel+"/ (not written by geosim)")
				return fs.SkipDir
			}
			return nil
		}
		want, ok := listed[rel]
		if !ok || !d.Type().IsRegular() {
			diffs = append(diffs, rel+" (not written by geosim)")
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Size() != want.Size {
			diffs = append(diffs, rel+" (changed since geosim wrote it)")
			return nil
		}
		if deep {
			got, err := hashFile(path, rel)
			if err != nil {
				return err
			}
			if got.SHA256 != want.SHA256 {
				diffs = append(diffs, rel+" (changed since geosim wrote it)")
			}
		}
		return nil
	})
	return diffs, err
}

func (m *Manifest) hasDir(rel string) bool {
	for _, f := range m.Files {
		if strings.HasPrefix(f.Name, rel+"/") {
			return true
		}
	}
	return false
}

// readLimited reads a file of at most max bytes: it refuses anything
// larger, and anything that is not a regular file (a FIFO, a device).
func readLimited(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	if info.Size() > max {
		return nil, fmt.Errorf("%s is %d bytes, more than the %d this file may have", path, info.Size(), max)
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s grew beyond %d bytes while being read", path, max)
	}
	return b, nil
}

// ReadLimited reads a file that geosim wrote, refusing anything larger
// than max bytes and anything that is not a regular file.
func ReadLimited(path string, max int64) ([]byte, error) { return readLimited(path, max) }
