package plots

import (
	"encoding/base64"
	"strings"
	"testing"
)

// embedImages replaces each src="NAME.png" by its data URI, leaves the
// rest of the page as it was, and names every image it lacks.
func TestEmbedImages(t *testing.T) {
	images := map[string][]byte{"a.png": {1, 2, 3, 4, 5}, "b-c_d.png": {0xff}}
	page := `<h1>x</h1><img src="a.png" alt="A"><p>text</p><img src="b-c_d.png"><img src="a.png">tail`
	got, err := embedImages(page, images)
	if err != nil {
		t.Fatal(err)
	}
	uri := func(name string) string {
		return `src="data:image/png;base64,` + base64.StdEncoding.EncodeToString(images[name]) + `"`
	}
	want := `<h1>x</h1><img ` + uri("a.png") + ` alt="A"><p>text</p><img ` + uri("b-c_d.png") + `><img ` + uri("a.png") + `>tail`
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if len(got) != cap(got) {
		t.Errorf("page of %d bytes in a buffer of %d: its size was mis-counted", len(got), cap(got))
	}
	if got, err := embedImages("no images", images); err != nil || string(got) != "no images" {
		t.Errorf("page without images: %q, %v", got, err)
	}
	_, err = embedImages(`<img src="a.png"><img src="x.png"><img src="y.png">`, images)
	if err == nil || !strings.Contains(err.Error(), "x.png, y.png") {
		t.Errorf("missing images: error %v, want one naming x.png, y.png", err)
	}
}
