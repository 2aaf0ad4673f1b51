// Package scenario reads geosim scenario files (TOML) into sim.Scenario
// and compiles them into runnable models.
//
// Decoding is strict: an unknown key is an error with a did-you-mean
// hint, a value of the wrong type is an error, and every problem in a
// file is reported at once as "file:line: key.path: message". Semantic
// checks (shares in [0, 1], references to actors, actions and shocks,
// dates inside the horizon, distribution parameters) come from
// sim.Compile, located by key path; this package turns the paths into
// lines with an index of where each key is written.
//
// A variant scenario names a base file and overrides parameters by path:
//
//	[scenario]
//	base = "beijing-parade-2025.toml"
//	name = "early-ceasefire"
//
//	[override]
//	"shock.ukraine_ceasefire.hazard" = 0.15
//
// This package is the only importer of BurntSushi/toml.
package scenario

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/abc"
	"github.com/geosim/geosim/sim/dist"
)

// File is a loaded and compiled scenario.
type File struct {
	Path     string        // the path it was loaded from
	Source   []byte        // the file's bytes
	Hash     string        // hex SHA-256 of the file's bytes (for a variant: of the file, then its base's hash)
	Base     *File         // the base scenario of a variant, or nil
	Scenario *sim.Scenario // the scenario as written (for a variant: the base's, with the variant's header)
	Model    *sim.Model    // compiled, with a variant's overrides applied
	// Overrides are a variant's [override] values, with those of the
	// variants it is built on (the nearer variant wins); nil for a
	// complete scenario. Model is Scenario compiled with them.
	Overrides map[string]dist.Dist
	// Attached holds the files the scenario reads besides itself and its
	// bases (a [posterior] table's file), by path, for Sources.
	Attached map[string][]byte
}

// Load reads, validates and compiles the scenario file at path. A
// variant's base is resolved relative to the variant's folder, which may
// be anywhere (including a parent folder).
func Load(file string) (*File, error) {
	return loadFS(osFS{}, filepath.ToSlash(file), 0)
}

// Sources returns the bytes of the file and of its bases, keyed by the
// path each was loaded from: enough to load it again with LoadSources
// (shards carry their scenario this way).
func (f *File) Sources() map[string][]byte {
	out := map[string][]byte{}
	for g := f; g != nil; g = g.Base {
		out[g.Path] = g.Source
		for k, v := range g.Attached {
			out[k] = v
		}
	}
	return out
}

// LoadSources loads the scenario at path from in-memory sources as
// returned by Sources.
func LoadSources(path string, sources map[string][]byte) (*File, error) {
	return loadFS(mapFS(sources), path, 0)
}

// mapFS serves files from memory by any path string.
type mapFS map[string][]byte

func (m mapFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
}

func (m mapFS) ReadFile(name string) ([]byte, error) {
	if b, ok := m[name]; ok {
		return b, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// osFS reads files by operating-system path, relative to the working
// folder; unlike os.DirFS it accepts ".." in paths.
type osFS struct{}

func (osFS) Open(name string) (fs.File, error)    { return os.Open(filepath.FromSlash(name)) }
func (osFS) ReadFile(name string) ([]byte, error) { return os.ReadFile(filepath.FromSlash(name)) }

// maxBaseDepth bounds chains of variants (and catches cycles).
const maxBaseDepth = 4

// LoadFS reads, validates and compiles the scenario file name in fsys.
// A variant's base is resolved relative to the variant's directory.
func LoadFS(fsys fs.FS, name string) (*File, error) {
	return loadFS(fsys, name, 0)
}

func loadFS(fsys fs.FS, name string, depth int) (*File, error) {
	data, doc, ix, order, err := readDoc(fsys, name)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	f := &File{Path: name, Source: data, Hash: hex.EncodeToString(sum[:])}
	if head, ok := doc["scenario"].(map[string]any); ok {
		if base, ok := head["base"].(string); ok {
			return loadVariant(fsys, f, doc, ix, order, base, depth)
		}
	}
	w := &walker{order: order}
	sc := &sim.Scenario{}
	w.scenario(doc, sc)
	if _, ok := doc["override"]; ok {
		w.add("override", "[override] is only allowed in a variant (a file whose [scenario] names a base)")
	}
	w.posterior(fsys, f, doc, sc)
	probs := w.all()
	m, err := sim.Compile(sc)
	probs = append(probs, besides(w.probs, sim.AsProblems(err))...)
	if len(probs) > 0 {
		return nil, positioned(name, ix, probs)
	}
	f.Scenario, f.Model = sc, m
	f.hashAttached()
	return f, nil
}

// hashAttached folds the attached files into the file's hash, so that a
// new posterior changes the provenance of every result.
func (f *File) hashAttached() {
	if len(f.Attached) == 0 {
		return
	}
	h := sha256.New()
	h.Write([]byte(f.Hash))
	for _, k := range sortedKeys(f.Attached) {
		fmt.Fprintf(h, "\x00%s\x00", k)
		h.Write(f.Attached[k])
	}
	f.Hash = hex.EncodeToString(h.Sum(nil))
}

// posterior reads a [posterior] table — file (a posterior.csv written by
// geosim calibrate, relative to the scenario's folder) and source — into
// sc.Posterior, attaching the file's bytes to f.
func (w *walker) posterior(fsys fs.FS, f *File, doc map[string]any, sc *sim.Scenario) {
	m, ok := w.sub(doc, "", "posterior")
	if !ok {
		return
	}
	w.checkKeys("posterior", m, "file", "source")
	var file string
	w.reqStr("posterior", m, "file", &file)
	if file == "" {
		return
	}
	full := path.Join(path.Dir(f.Path), file)
	data, err := fs.ReadFile(fsys, full)
	if err != nil {
		w.add("posterior.file", "%s: cannot read: %s", file, unwrapPathError(err))
		return
	}
	post, err := abc.ReadPosterior(bytes.NewReader(data), full)
	if err != nil {
		w.add("posterior.file", "%v", err)
		return
	}
	if f.Attached == nil {
		f.Attached = map[string][]byte{}
	}
	f.Attached[full] = data
	sc.Posterior = &sim.Posterior{File: full, SHA256: post.SHA256, Params: post.Params, Rows: post.Rows, Weights: post.Weights}
}

// Parse reads, validates and compiles a scenario from memory; name is
// used in messages. A variant (one with a base) cannot be parsed this
// way: use Load or LoadFS.
func Parse(name string, data []byte) (*File, error) {
	return loadFS(mapFS{name: data}, name, 0)
}

func loadVariant(fsys fs.FS, f *File, doc map[string]any, ix lineIndex, order map[string][]string, base string, depth int) (*File, error) {
	name := f.Path
	if depth >= maxBaseDepth {
		return nil, ErrorList{{File: name, Line: ix.line("scenario.base"), Path: "scenario.base", Msg: "variants nest too deeply (or form a cycle)"}}
	}
	w := &walker{order: order}
	w.checkKeys("", doc, "scenario", "override", "posterior")
	head, _ := doc["scenario"].(map[string]any)
	w.checkKeys("scenario", head, variantKeys...)
	basePath := path.Join(path.Dir(name), base)
	b, err := loadFS(fsys, basePath, depth+1)
	if err != nil {
		var list ErrorList
		if errors.As(err, &list) && len(list) == 1 && list[0].Line == 0 && list[0].File == basePath {
			return nil, ErrorList{{File: name, Line: ix.line("scenario.base"), Path: "scenario.base", Msg: list[0].Msg}}
		}
		return nil, err
	}
	sc := *b.Scenario
	w.headerFields(head, &sc)
	w.posterior(fsys, f, doc, &sc)
	if _, named := head["name"]; !named {
		// A variant's name becomes its output folder: inheriting the
		// base's would overwrite the base's results.
		stem := strings.TrimSuffix(path.Base(name), ".toml")
		switch {
		case !idName(stem):
			w.add("scenario.name", "a variant needs its own name, and the file name %q does not make one: set name = \"...\"", path.Base(name))
		case stem == b.Scenario.Name:
			sc.Name = stem + "-variant"
		default:
			sc.Name = stem
		}
	}
	overrides := map[string]dist.Dist{}
	for k, v := range b.Overrides { // a variant of a variant keeps its base's overrides
		overrides[k] = v
	}
	if ov, ok := w.sub(doc, "", "override"); ok {
		for _, p := range w.keys("override", ov) {
			if d := w.param(join("override", p), ov[p]); d != nil {
				overrides[p] = d
			}
		}
	}
	probs := w.all()
	m, err := sim.Compile(&sc)
	if err == nil {
		m, err = m.With(overrides)
		for _, p := range sim.AsProblems(err) {
			p.Path = overridePath(p.Path, overrides)
		}
	}
	probs = append(probs, besides(w.probs, sim.AsProblems(err))...)
	if len(probs) > 0 {
		return nil, positioned(name, ix, probs)
	}
	h := sha256.New()
	h.Write([]byte(f.Hash))
	h.Write([]byte(b.Hash))
	f.Hash = hex.EncodeToString(h.Sum(nil))
	f.Base, f.Scenario, f.Model, f.Overrides = b, &sc, m, overrides
	f.hashAttached()
	return f, nil
}

// besides returns the problems of compiled that concern keys the walker
// has no problem with: a key the walker could not read (start =
// 10:00:00) needs no second message from Compile ("needs a start date").
func besides(walked, compiled sim.Problems) sim.Problems {
	bad := map[string]bool{}
	for _, p := range walked {
		bad[p.Path] = true
	}
	var out sim.Problems
	for _, p := range compiled {
		if !bad[p.Path] {
			out = append(out, p)
		}
	}
	return out
}

// overridePath maps a parameter path from Model.With to the key that set
// it in the variant's [override] table.
func overridePath(p string, overrides map[string]dist.Dist) string {
	for k := range overrides {
		if p == k || strings.HasPrefix(p, k+".") {
			return "override." + sim.PathKey(k) + p[len(k):]
		}
	}
	return p
}

// readDoc reads and decodes a TOML file: its bytes, the document, where
// each key is written and each table's keys in document order.
func readDoc(fsys fs.FS, name string) ([]byte, map[string]any, lineIndex, map[string][]string, error) {
	data, err := readFile(fsys, name)
	if errors.Is(err, errLimit) {
		return nil, nil, nil, nil, ErrorList{{File: name, Msg: err.Error()}}
	}
	if err != nil {
		return nil, nil, nil, nil, ErrorList{{File: name, Msg: "cannot read: " + unwrapPathError(err)}}
	}
	doc, ix, order, err := decode(name, data)
	return data, doc, ix, order, err
}

// decode parses TOML into a generic document, rejecting empty and binary
// files with a clear message. It also returns where each key is written
// and, for every table, its keys in document order.
func decode(name string, data []byte) (map[string]any, lineIndex, map[string][]string, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil, nil, ErrorList{{File: name, Msg: "the file is empty; a scenario needs at least [scenario], actors and trade"}}
	}
	if bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) {
		return nil, nil, nil, ErrorList{{File: name, Msg: "not a text file (a scenario is UTF-8 TOML)"}}
	}
	if len(data) > MaxFileSize {
		return nil, nil, nil, ErrorList{{File: name, Msg: tooLarge(int64(len(data))).Error()}}
	}
	if depth, line := nestingDepth(data); depth > MaxDepth {
		return nil, nil, nil, ErrorList{{File: name, Line: line, Msg: fmt.Sprintf("nested more than %d levels deep (tables, arrays, inline tables and dotted keys); a scenario needs about five", MaxDepth)}}
	}
	var doc map[string]any
	md, err := toml.Decode(string(data), &doc)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, nil, nil, ErrorList{{File: name, Line: pe.Position.Line, Msg: "TOML syntax: " + pe.Message}}
		}
		return nil, nil, nil, ErrorList{{File: name, Msg: "TOML: " + err.Error()}}
	}
	order := map[string][]string{}
	seen := map[string]bool{}
	for _, k := range md.Keys() {
		parent := ""
		if len(k) > 1 {
			parent = sim.PathKey(k[:len(k)-1]...)
		}
		if full := sim.PathKey(k...); !seen[full] {
			seen[full] = true
			order[parent] = append(order[parent], k[len(k)-1])
		}
	}
	return doc, indexLines(string(data)), order, nil
}

func unwrapPathError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, fs.ErrNotExist) {
			return "no such file"
		}
		return pe.Err.Error()
	}
	return err.Error()
}

func sortStrings(s []string) { sort.Strings(s) }
