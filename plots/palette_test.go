package plots

import (
	"fmt"
	"image/color"
	"math"
	"testing"
)

// Colour-vision deficiency simulation: the matrices of Machado, Oliveira
// & Fernandes (2009), "A physiologically-based model for simulation of
// color vision deficiency", IEEE TVCG 15(6), severity 1.0, applied to
// linear RGB.
var (
	deuteranopia = [3][3]float64{{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}}
	protanopia   = [3][3]float64{{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.009216}, {-0.003882, -0.048116, 1.051998}}
)

func toLinear(c uint8) float64 {
	v := float64(c) / 255
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

// simulate returns the colour as seen with the deficiency m, in linear RGB.
func simulate(c color.NRGBA, m [3][3]float64) [3]float64 {
	l := [3]float64{toLinear(c.R), toLinear(c.G), toLinear(c.B)}
	var out [3]float64
	for i := range out {
		for j := range l {
			out[i] += m[i][j] * l[j]
		}
		out[i] = math.Min(math.Max(out[i], 0), 1)
	}
	return out
}

// lab converts linear RGB (sRGB primaries, D65) to CIELAB.
func lab(rgb [3]float64) [3]float64 {
	r, g, b := rgb[0], rgb[1], rgb[2]
	x := (0.4124*r + 0.3576*g + 0.1805*b) / 0.95047
	y := 0.2126*r + 0.7152*g + 0.0722*b
	z := (0.0193*r + 0.1192*g + 0.9505*b) / 1.08883
	f := func(t float64) float64 {
		if t > 0.008856 {
			return math.Cbrt(t)
		}
		return 7.787*t + 16.0/116
	}
	return [3]float64{116*f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))}
}

// deltaE is the CIE76 colour difference of two linear-RGB colours.
func deltaE(a, b [3]float64) float64 {
	la, lb := lab(a), lab(b)
	return math.Sqrt((la[0]-lb[0])*(la[0]-lb[0]) + (la[1]-lb[1])*(la[1]-lb[1]) + (la[2]-lb[2])*(la[2]-lb[2]))
}

// minDeltaE is the smallest difference a chart's colours keep under
// simulated deuteranopia and protanopia: well above the ~2.3 of a just
// noticeable difference, so that lines and bars stay apart when small.
const minDeltaE = 15

// TestPalettesUnderColourBlindness: every set of colours a chart uses
// side by side stays distinguishable for readers with deuteranopia or
// protanopia.
func TestPalettesUnderColourBlindness(t *testing.T) {
	sets := map[string][]color.NRGBA{
		"palette":     palette,
		"conditions":  conditionColors[:],
		"forecasters": forecasterColors,
		"horizons":    horizonColors,
		"events":      {accent, spreadColor, ink},
	}
	for name, set := range sets {
		for _, sim := range []struct {
			name string
			m    [3][3]float64
		}{{"deuteranopia", deuteranopia}, {"protanopia", protanopia}} {
			for i := range set {
				for j := i + 1; j < len(set); j++ {
					if d := deltaE(simulate(set[i], sim.m), simulate(set[j], sim.m)); d < minDeltaE {
						t.Errorf("%s under %s: colours %d %v and %d %v differ by ΔE %.1f < %d", name, sim.name, i, hex(set[i]), j, hex(set[j]), d, minDeltaE)
					}
				}
			}
		}
	}
}

// TestSimulationKnownAnswer: the simulation leaves greys alone and maps
// pure red and green, which deuteranopes confuse, close together.
func TestSimulationKnownAnswer(t *testing.T) {
	grey := color.NRGBA{R: 128, G: 128, B: 128, A: 255}
	g := simulate(grey, deuteranopia)
	if math.Abs(g[0]-g[1]) > 0.01 || math.Abs(g[1]-g[2]) > 0.01 {
		t.Errorf("grey becomes %v", g)
	}
	red, green := color.NRGBA{R: 200, G: 60, B: 40, A: 255}, color.NRGBA{R: 120, G: 140, B: 30, A: 255}
	normal := deltaE(simulate(red, [3][3]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}), simulate(green, [3][3]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}))
	seen := deltaE(simulate(red, deuteranopia), simulate(green, deuteranopia))
	if !(seen < normal/2) {
		t.Errorf("red and green differ by ΔE %.1f normally and %.1f under deuteranopia; the simulation should bring them together", normal, seen)
	}
}

func hex(c color.NRGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }
