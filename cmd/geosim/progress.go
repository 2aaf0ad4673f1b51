package main

import (
	"io"
	"os"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress shows runs done, runs/s and the time left on stderr when it
// is a terminal. progressbar redraws with \r even off a terminal, so
// nothing of it is created unless stderr is one.
type progress struct {
	bar *progressbar.ProgressBar
}

// newProgress shows the progress of total items of the given unit
// ("runs", "points", "origins").
func newProgress(stderr io.Writer, total int, quiet bool, unit string) *progress {
	f, ok := stderr.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return &progress{}
	}
	return &progress{bar: progressbar.NewOptions(total,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription(unit),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString(unit),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
	)}
}

func (p *progress) set(done int) {
	if p.bar != nil {
		p.bar.Set(done)
	}
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}

// restart starts the bar again from 0 with a new description: a new
// stage of a long job (a calibration's next generation).
func (p *progress) restart(description string) {
	if p.bar != nil {
		p.bar.Reset()
		p.bar.Describe(description)
	}
}
