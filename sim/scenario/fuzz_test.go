package scenario

import (
	"fmt"
	"os"
	"testing"
	"time"
)

// FuzzParse checks that no input makes the loader panic: every input is
// either a compiled scenario or positioned errors. The seed corpus runs
// with go test; go test -fuzz=FuzzParse ./sim/scenario explores further
// (opt-in, not part of the default suite).
func FuzzParse(f *testing.F) {
	f.Add([]byte(validScenario))
	if b, err := os.ReadFile("../../scenarios/beijing-parade-2025.toml"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("[scenario]\nname = \"x\"\n[actor.A]\n[actor.B]\n[trade.A]\nB = { dist = \"beta\", alpha = 1, beta = 2 }\n"))
	f.Add([]byte("\x00\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// A hang becomes a crash that the fuzzer saves with its input.
		tm := time.AfterFunc(3*time.Second, func() { panic(fmt.Sprintf("hang on %q", data)) })
		defer tm.Stop()
		file, err := Parse("fuzz.toml", data)
		if err == nil && file.Model == nil {
			t.Fatal("no error and no model")
		}
		if err != nil {
			if _, ok := err.(ErrorList); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
		}
	})
}
