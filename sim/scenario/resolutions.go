package scenario

import (
	"io/fs"
	"path/filepath"
	"time"
)

// Resolution says how a forecasting question resolved.
type Resolution struct {
	ID      string
	Outcome bool      // true: yes, the event occurred by the resolve-by date
	Date    time.Time // when it resolved
	Source  string    // public reporting that shows the outcome
	Line    int       // where it is written
}

// LoadResolutions reads a resolutions file:
//
//	[resolution.QUESTION_ID]
//	outcome = "yes"          # or "no"
//	date = 2018-06-12        # when it resolved
//	source = "NZ Herald, the Singapore joint statement"
//
// Every problem is reported at once, positioned like scenario errors.
func LoadResolutions(file string) ([]Resolution, error) {
	return loadResolutionsFS(osFS{}, filepath.ToSlash(file))
}

// ParseResolutions reads a resolutions file from memory; name is used in
// messages.
func ParseResolutions(name string, data []byte) ([]Resolution, error) {
	return loadResolutionsFS(mapFS{name: data}, name)
}

func loadResolutionsFS(fsys fs.FS, file string) ([]Resolution, error) {
	_, doc, ix, order, err := readDoc(fsys, file)
	if err != nil {
		return nil, err
	}
	w := &walker{order: order}
	w.checkKeys("", doc, "resolution")
	var out []Resolution
	w.each(doc, "resolution", func(path, id string, m map[string]any) {
		w.checkKeys(path, m, "outcome", "date", "source", "note")
		r := Resolution{ID: id, Line: ix.line(path)}
		if _, ok := m["outcome"]; !ok {
			w.add(path, "outcome is required (\"yes\" or \"no\")")
		} else if outcome, ok := m["outcome"].(string); !ok {
			w.add(join(path, "outcome"), "must be \"yes\" or \"no\", got %s", typeName(m["outcome"]))
		} else {
			switch outcome {
			case "yes":
				r.Outcome = true
			case "no":
			default:
				w.add(join(path, "outcome"), "must be \"yes\" or \"no\", got %q", outcome)
			}
		}
		if _, ok := m["date"]; !ok {
			w.add(path, "date is required (when the question resolved)")
		}
		w.optDate(path, m, "date", &r.Date)
		w.reqStr(path, m, "source", &r.Source)
		if _, ok := m["source"]; ok && r.Source == "" {
			w.add(join(path, "source"), "give the public reporting that shows the outcome")
		}
		out = append(out, r)
	})
	if len(out) == 0 && w.count() == 0 {
		w.add("resolution", `a resolutions file needs [resolution."question id"] tables`)
	}
	if w.count() > 0 {
		return nil, positioned(file, ix, w.all())
	}
	return out, nil
}
