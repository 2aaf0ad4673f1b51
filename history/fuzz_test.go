package history

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that no input makes the record loader panic or hang,
// and that what it accepts satisfies the contract. The seed corpus runs
// in every go test; go test -fuzz=FuzzParse ./history explores further.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.csv")
	shipped, _ := filepath.Glob("../scenarios/history/*.csv")
	for _, file := range append(files, shipped...) {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("date,actor,target,type,count,source,note\n\"2016-01-06\",DPRK,,nuclear_test,1,\"a \"\"quoted\"\" source\",\"multi\nline\"\n"))
	f.Add([]byte("date,actor,target,type,count,source,note"))
	f.Add([]byte("\ufeffdate,actor,target,type,count,source,note\r\n2016-01,DPRK,,nuclear_test,,s,\r\n"))
	f.Add([]byte("date,actor,target,type,count,source,note\n\"unterminated\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse("fuzz.csv", data, Options{})
		if err != nil {
			if r != nil {
				t.Fatal("a record and an error")
			}
			return
		}
		for _, e := range r.Events {
			if e.Count < 1 || e.Source == "" || e.Date.Before(RecordStart) || lastDay(e).After(DefaultCutoff) || !KnownType(e.Type) {
				t.Fatalf("accepted an invalid row: %+v", e)
			}
		}
	})
}
