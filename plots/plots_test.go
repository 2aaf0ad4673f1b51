package plots

import (
	"bytes"
	"context"
	"encoding/json"
	"image/color"
	"image/png"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/geosim/geosim/output"
)

// fixture is the summary of 2,000 runs of the flagship (seed 1), written
// by geosim run; regenerate it with
// go run ./cmd/geosim run -runs 2000 -seed 1 -out /tmp/f && cp /tmp/f/summary.json plots/testdata/
func fixture(t testing.TB) *output.Summary {
	t.Helper()
	b, err := os.ReadFile("testdata/summary.json")
	if err != nil {
		t.Fatal(err)
	}
	var s output.Summary
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

type memWriter map[string][]byte

func (m memWriter) WriteFile(name string, data []byte) error {
	m[name] = append([]byte(nil), data...)
	return nil
}

// checkPNG decodes a chart and checks its size, that it is not blank
// (at least 3% of pixels drawn, at least 8 distinct colours) and that it
// has a white background.
func checkPNG(t *testing.T, name string, data []byte, w, h int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Errorf("%s: %dx%d, want %dx%d", name, b.Dx(), b.Dy(), w, h)
	}
	drawn, colours := 0, map[color.RGBA]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			c := color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), 255}
			colours[c] = true
			if c != (color.RGBA{255, 255, 255, 255}) {
				drawn++
			}
		}
	}
	if frac := float64(drawn) / float64(b.Dx()*b.Dy()/4); frac < 0.03 {
		t.Errorf("%s: only %.1f%% of pixels drawn: blank?", name, 100*frac)
	}
	if len(colours) < 8 {
		t.Errorf("%s: only %d colours", name, len(colours))
	}
	if r, g, bl, _ := img.At(1, 1).RGBA(); r>>8 != 255 || g>>8 != 255 || bl>>8 != 255 {
		t.Errorf("%s: background is not white", name)
	}
}

// TestWriteReport renders every chart of the flagship's summary — under
// the layout check (TestMain): no text leaves its canvas or runs into
// other text — and the report, which embeds them.
func TestWriteReport(t *testing.T) {
	s := fixture(t)
	files := memWriter{}
	if err := WriteReport(context.Background(), files, s); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, c := range Charts(s) {
		kinds[c.Kind] = true
		w, h := ChartWidth, ChartHeight
		if c.Kind == "dashboard" {
			w, h = DashboardWidth, DashboardHeight
		}
		checkPNG(t, c.File, files[c.File], w, h)
		lookDir(t, c.File, files[c.File])
	}
	for _, k := range []string{"dashboard", "events", "time-to-event", "fan", "distribution"} {
		if !kinds[k] {
			t.Errorf("no %s chart", k)
		}
	}
	html := string(files["report.html"])
	for _, want := range []string{s.Scenario.Title, "Bottom line", "Likeliest events", "Contents", `<h2 id="s1">Dashboard</h2>`, "What changes when shocks fire",
		"Kim–Trump summit by 2026-12-31", "Monte Carlo 95% interval", "Across assumptions", s.Provenance.ScenarioSHA256} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	checkSelfContained(t, "report.html", html, len(Charts(s)))
}

// checkSelfContained: a report refers to no file — every image is
// embedded — and embeds at least n images.
func checkSelfContained(t *testing.T, name, html string, n int) {
	t.Helper()
	if m := regexp.MustCompile(`(src|href)="[^"#d][^"]*"`).FindString(html); m != "" {
		t.Errorf("%s refers to a file: %s", name, m)
	}
	if got := strings.Count(html, `src="data:image/png;base64,`); got < n {
		t.Errorf("%s embeds %d images, want at least %d", name, got, n)
	}
}

// TestReportNamesPosterior: a run whose scenario draws its parameters
// from a calibration posterior names the posterior's file and SHA-256
// in the report's meta line and footer; a run without one says nothing
// of a posterior.
func TestReportNamesPosterior(t *testing.T) {
	s := fixture(t)
	plain := memWriter{}
	if err := WriteReport(context.Background(), plain, s); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(plain["report.html"]), "posterior") {
		t.Error("the report of a run without a posterior mentions one")
	}
	const sha = "24fb901102245a67373cf366e7a2f6e87c3af6b48ccee0a8e88d91b0f9b0f868"
	s.Provenance.PosteriorFile, s.Provenance.PosteriorSHA256 = "scenarios/calibration/posterior.csv", sha
	files := memWriter{}
	if err := WriteReport(context.Background(), files, s); err != nil {
		t.Fatal(err)
	}
	html := string(files["report.html"])
	meta := regexp.MustCompile(`<p class="meta">.*</p>`).FindString(html)
	for _, want := range []string{"calibration posterior <code>scenarios/calibration/posterior.csv</code>", "SHA-256 <code>" + sha + "</code>"} {
		if !strings.Contains(meta, want) {
			t.Errorf("the meta line lacks %q: %s", want, meta)
		}
	}
	if footer := regexp.MustCompile(`<footer>.*</footer>`).FindString(html); !strings.Contains(footer, sha) {
		t.Errorf("the footer lacks the posterior's SHA-256: %s", footer)
	}
}

// TestWriteReportDeterministic: the same summary gives the same bytes.
func TestWriteReportDeterministic(t *testing.T) {
	s := fixture(t)
	a, b := memWriter{}, memWriter{}
	if err := WriteReport(context.Background(), a, s); err != nil {
		t.Fatal(err)
	}
	if err := WriteReport(context.Background(), b, s); err != nil {
		t.Fatal(err)
	}
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between two renderings", name)
		}
	}
}

func TestMonthTicks(t *testing.T) {
	start := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
	var labels []string
	for _, tk := range (monthTicks{start: start}).Ticks(0, 24) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	want := "Oct 2025 Jan 2026 Apr 2026 Jul 2026 Oct 2026 Jan 2027 Apr 2027 Jul 2027"
	if got := strings.Join(labels, " "); got != want {
		t.Errorf("labels %q, want %q", got, want)
	}
	if x := monthsAfter(start, "2025-09-03"); x < 0.06 || x > 0.07 {
		t.Errorf("monthsAfter = %v", x)
	}
}

func TestNiceTicks(t *testing.T) {
	var labels []string
	for _, tk := range (niceTicks{}).Ticks(2.3, 5.6) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if got := strings.Join(labels, " "); got != "2.5 3 3.5 4 4.5 5 5.5" {
		t.Errorf("labels %q", got)
	}
}

func TestColorsConsistent(t *testing.T) {
	c := NewColors([]output.ActorInfo{{ID: "DPRK"}, {ID: "CHN"}, {ID: "RUS"}})
	if c.Pair([]string{"DPRK", "CHN"}) != c.Pair([]string{"RUS", "CHN"}) {
		t.Error("pairs with the same partner differ in colour")
	}
	if c.Pair([]string{"DPRK", "CHN"}) == c.Pair([]string{"DPRK", "RUS"}) {
		t.Error("different partners share a colour")
	}
}

// BenchmarkWriteReport renders every chart of the flagship (13 PNGs and
// the HTML report), in parallel as geosim run does.
func BenchmarkWriteReport(b *testing.B) {
	s := fixture(b)
	for i := 0; i < b.N; i++ {
		if err := WriteReport(context.Background(), memWriter{}, s); err != nil {
			b.Fatal(err)
		}
	}
}
