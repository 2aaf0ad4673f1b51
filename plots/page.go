package plots

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"html"
	"html/template"
	"regexp"
	"strings"
)

// The shared report layer. Every command that writes a folder writes a
// report.html that can be mailed on its own: one style, the charts
// embedded as data URIs, and — after the title — a short bottom line and
// a table of contents of its sections. Each command's template writes
// the page's content (an h1, a meta line, h2 sections, images referred
// to by file name) and an empty <style></style> in its head, where
// finishPage puts pageCSS; finishPage makes it a report.

// pageCSS is the one style of every report, for screen and print.
const pageCSS = `body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; max-width: 1240px; margin: 2em auto; color: #222; line-height: 1.45; padding: 0 1em; }
h1 { font-size: 1.8em; margin-bottom: 0.2em; }
h2 { margin-top: 1.8em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
.meta { color: #666; }
.bottomline { background: #f5f8fb; border-left: 4px solid #1f5f99; padding: 0.6em 1.2em; margin: 1.2em 0; }
.bottomline h2 { border: none; margin: 0.2em 0 0.4em; font-size: 1.2em; }
.bottomline ul { margin: 0.3em 0; padding-left: 1.2em; }
.bottomline li { margin: 0.3em 0; }
nav.toc { font-size: 0.95em; margin: 1em 0 2em; }
nav.toc ol { columns: 2; column-gap: 2em; margin: 0.3em 0; }
table { border-collapse: collapse; margin: 1em 0 2em; width: 100%; font-size: 0.95em; }
th, td { text-align: left; padding: 0.35em 0.7em; border-bottom: 1px solid #ddd; vertical-align: top; }
th { background: #f3f3f3; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
img { width: 100%; height: auto; border: 1px solid #eee; margin: 0.5em 0 1.5em; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1.5em; }
.warn { background: #fff4e5; border-left: 4px solid #e69f00; padding: 0.5em 1em; }
.box { font-size: 1.1em; background: #f5f8fb; border-left: 4px solid #1f5f99; padding: 0.6em 1em; }
footer { color: #888; font-size: 0.85em; margin-top: 3em; }
code { font-size: 0.92em; }
@media print { body { max-width: none; } img { page-break-inside: avoid; } h2 { page-break-after: avoid; } nav.toc ol { columns: 1; } }`

var (
	styleBlock = regexp.MustCompile(`(?s)<style>.*?</style>`)
	h2Tag      = regexp.MustCompile(`(?s)<h2>(.*?)</h2>`)
	imgSrc     = regexp.MustCompile(`src="([A-Za-z0-9_.-]+\.png)"`)
)

// bottomLineMark is where a template wants the bottom line and table of
// contents (after its title and meta line): an element, since
// html/template drops comments.
const bottomLineMark = `<div class="bottom-line-here"></div>`

// finishPage turns a command's page into a report: the shared style, the
// bottom line (sentences, plain text) and a table of contents of its h2
// sections at bottomLineMark, and every image it refers to by file name
// embedded from images. An image it names but images lacks is an error:
// the report must stand alone.
func finishPage(page []byte, bottom []string, images map[string][]byte) ([]byte, error) {
	s := string(page)
	s = styleBlock.ReplaceAllLiteralString(s, "<style>\n"+pageCSS+"\n</style>")
	var toc strings.Builder
	n := 0
	s = h2Tag.ReplaceAllStringFunc(s, func(m string) string {
		n++
		title := h2Tag.FindStringSubmatch(m)[1]
		id := fmt.Sprintf("s%d", n)
		fmt.Fprintf(&toc, "<li><a href=\"#%s\">%s</a></li>\n", id, title)
		return fmt.Sprintf("<h2 id=\"%s\">%s</h2>", id, title)
	})
	var head strings.Builder
	if len(bottom) > 0 {
		head.WriteString("<div class=\"bottomline\">\n<h2 class=\"bl\">Bottom line</h2>\n<ul>\n")
		for _, b := range bottom {
			fmt.Fprintf(&head, "<li>%s</li>\n", html.EscapeString(b))
		}
		head.WriteString("</ul>\n</div>\n")
	}
	if n > 1 {
		fmt.Fprintf(&head, "<nav class=\"toc\"><strong>Contents</strong>\n<ol>\n%s</ol>\n</nav>\n", toc.String())
	}
	switch {
	case strings.Contains(s, bottomLineMark):
		s = strings.Replace(s, bottomLineMark, head.String(), 1)
	case strings.Contains(s, "</h1>"):
		s = strings.Replace(s, "</h1>", "</h1>\n"+head.String(), 1)
	}
	return embedImages(s, images)
}

// embedImages returns page with each src="NAME.png" replaced by the
// image's data URI. The page is written once into a buffer of its final
// size (5 MB for a flagship report): building it by repeated string
// replacement copied it several times over, serially after the charts.
func embedImages(page string, images map[string][]byte) ([]byte, error) {
	const prefix = `src="data:image/png;base64,`
	matches := imgSrc.FindAllStringSubmatchIndex(page, -1)
	var missing []string
	size := len(page)
	for _, m := range matches {
		data, ok := images[page[m[2]:m[3]]]
		if !ok {
			missing = append(missing, page[m[2]:m[3]])
			continue
		}
		size += len(prefix) + base64.StdEncoding.EncodedLen(len(data)) + 1 - (m[1] - m[0])
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("plots: the report refers to charts it does not have: %s", strings.Join(missing, ", "))
	}
	out := make([]byte, 0, size)
	last := 0
	for _, m := range matches {
		out = append(out, page[last:m[0]]...)
		out = append(out, prefix...)
		out = base64.StdEncoding.AppendEncode(out, images[page[m[2]:m[3]]])
		out = append(out, '"')
		last = m[1]
	}
	return append(out, page[last:]...), nil
}

// renderPage executes a command's template and finishes it.
func renderPage(t *template.Template, data any, bottom []string, images map[string][]byte) ([]byte, error) {
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return nil, err
	}
	return finishPage(b.Bytes(), bottom, images)
}

// writePage renders a command's page and writes it as report.html.
func writePage(w FileWriter, t *template.Template, data any, bottom []string, images map[string][]byte) error {
	page, err := renderPage(t, data, bottom, images)
	if err != nil {
		return err
	}
	return w.WriteFile("report.html", page)
}

// chartsOf lists the charts of jobs for a template.
func chartsOf(jobs []chartJob) []Chart {
	out := make([]Chart, len(jobs))
	for i, j := range jobs {
		out[i] = Chart{File: j.file, Title: j.title}
	}
	return out
}

// renderImages renders the charts of jobs (in parallel), writes them
// with w and returns them by file name, for embedding.
func renderImages(ctx context.Context, w FileWriter, jobs []chartJob) (map[string][]byte, error) {
	files := memFiles{}
	if err := renderAll(ctx, files, jobs); err != nil {
		return nil, err
	}
	for _, j := range jobs {
		if err := w.WriteFile(j.file, files[j.file]); err != nil {
			return nil, err
		}
	}
	return files, nil
}
