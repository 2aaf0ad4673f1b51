// Command shotcheck checks screenshots of geosim's reports taken by a
// headless browser (scripts/report-screenshots.sh): each PNG is a real
// page — not blank, not an error page — with the report's style applied
// (the bottom line's tinted box in the first screen) and charts drawn
// (saturated pixels, which the page's text and background are not: a
// missing image shows none).
//
//	go run ./scripts/shotcheck SHOT.png...
package main

import (
	"fmt"
	"image"
	"image/png"
	"os"
)

func main() {
	bad := 0
	for _, f := range os.Args[1:] {
		if err := check(f); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", f, err)
			bad++
			continue
		}
		fmt.Printf("%s: OK\n", f)
	}
	if bad > 0 || len(os.Args) < 2 {
		os.Exit(1)
	}
}

// bottomLine is the tint of the report's bottom-line box (pageCSS's
// .bottomline background, #f5f8fb).
var bottomLine = [3]uint32{0xf5, 0xf8, 0xfb}

// minColoured is the fewest saturated pixels (of every second row and
// column) a page with one chart shows: a chart's bars, bands and dots
// give thousands.
const minColoured = 400

func check(file string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return err
	}
	b := img.Bounds()
	if b.Dx() < 800 || b.Dy() < 600 {
		return fmt.Errorf("only %d×%d pixels", b.Dx(), b.Dy())
	}
	var tinted, coloured, total int
	firstScreen := min(b.Max.Y, b.Min.Y+1400)
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl := rgb(img, x, y)
			total++
			if y < firstScreen && r == bottomLine[0] && g == bottomLine[1] && bl == bottomLine[2] {
				tinted++
			}
			// Chart colours: saturated pixels, which text (grey and
			// black) and the page (white) are not.
			if max(r, g, bl)-min(r, g, bl) > 60 {
				coloured++
			}
		}
	}
	if tinted < 500 {
		return fmt.Errorf("no bottom-line box in the first screen (%d tinted pixels): the report's style or bottom line is missing", tinted)
	}
	if coloured < minColoured {
		return fmt.Errorf("only %d coloured pixels (of %d sampled): no chart was drawn", coloured, total)
	}
	return nil
}

func rgb(img image.Image, x, y int) (uint32, uint32, uint32) {
	r, g, b, _ := img.At(x, y).RGBA()
	return r >> 8, g >> 8, b >> 8
}
