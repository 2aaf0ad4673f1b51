package plots

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// lookDir, when set (GEOSIM_LOOK=DIR), receives every chart the layout
// tests render, for looking at them.
func lookDir(t *testing.T, name string, png []byte) {
	if dir := os.Getenv("GEOSIM_LOOK"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLayoutCheckCatches: the check finds a subtitle cut off at the
// canvas edge and two labels drawn on top of each other, and passes
// text that fits.
func TestLayoutCheckCatches(t *testing.T) {
	long := strings.Repeat("a subtitle that runs on ", 20)
	draws := map[string]func(c draw.Canvas){
		"clipped subtitle": func(c draw.Canvas) {
			c.FillText(style(sans, 15, ink), vg.Point{X: 20, Y: 200}, long)
		},
		"overlapping labels": func(c draw.Canvas) {
			st := style(sans, 13, ink)
			c.FillText(st, vg.Point{X: 50, Y: 100}, "Kim–Putin summit")
			c.FillText(st, vg.Point{X: 60, Y: 104}, "Ukraine ceasefire")
		},
		"rotated label off the top": func(c draw.Canvas) {
			st := style(sans, 13, ink)
			st.Rotation = 1.5707963267948966
			c.FillText(st, vg.Point{X: 100, Y: 250}, "a long label written upward")
		},
	}
	for name, fn := range draws {
		_, err := render(400, 400, func(c draw.Canvas) error { fn(c); return nil })
		if err == nil || !strings.Contains(err.Error(), "layout") {
			t.Errorf("%s: got %v, want a layout error", name, err)
		}
	}
	_, err := render(400, 400, func(c draw.Canvas) error {
		st := style(sans, 13, ink)
		c.FillText(st, vg.Point{X: 20, Y: 100}, "one line")
		c.FillText(st, vg.Point{X: 20, Y: 100 - lineHeight(st)}, "the next line")
		c.FillText(style(sans, 13, ink), vg.Point{X: 200, Y: 100}, "beside")
		return nil
	})
	if err != nil {
		t.Errorf("text that fits: %v", err)
	}
	_ = font.Font{}
}
