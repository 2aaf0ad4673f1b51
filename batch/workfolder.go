package batch

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/geosim/geosim/output"
)

// workManifest is the manifest.json of a resumable work folder (a
// sweep's or a backtest's): comparable, so that equal manifests mean
// the same study, seed, run count and format.
type workManifest interface {
	comparable
	madeByGeosim() bool
}

func (m manifest) madeByGeosim() bool         { return m.Tool == "geosim" }
func (m backtestManifest) madeByGeosim() bool { return m.Tool == "geosim" }

// adoptFolder keeps a work folder left by an interrupted run of the same
// study (its manifest equals want), removes one of another study and
// returns why (from why, given the manifest found), and refuses a folder
// geosim did not make — kind names the study in that error — unless
// force. An absent or empty folder is kept as is.
func adoptFolder[M workManifest](work, kind string, want M, force bool, why func(got M) string) (discarded string, err error) {
	entries, err := os.ReadDir(work)
	if errors.Is(err, fs.ErrNotExist) || err == nil && len(entries) == 0 {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	var got M
	raw, err := output.ReadLimited(filepath.Join(work, "manifest.json"), 1<<20)
	if err == nil && json.Unmarshal(raw, &got) == nil && got.madeByGeosim() {
		if got == want {
			return "", nil
		}
		return why(got), os.RemoveAll(work)
	}
	if !force {
		return "", fmt.Errorf("%w %s: it is not the work folder of a geosim %s (no valid manifest.json); move it away, or use -force", output.ErrRefused, work, kind)
	}
	return "", os.RemoveAll(work)
}
