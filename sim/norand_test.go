package sim_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// allowedRand are the math/rand/v2 names sim may use: constructors and
// types. Everything else at package level (rand.Float64, rand.IntN,
// rand.Shuffle, ...) draws from the global, unseedable generator and
// would break determinism.
var allowedRand = map[string]bool{"New": true, "NewPCG": true, "NewChaCha8": true, "Rand": true, "PCG": true, "ChaCha8": true, "Source": true}

// TestNoGlobalRand fails if any Go file under sim/ imports math/rand (v1)
// or calls a top-level math/rand/v2 function other than a constructor.
func TestNoGlobalRand(t *testing.T) {
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		checked++
		names := map[string]bool{}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p == "math/rand" {
				t.Errorf("%s imports math/rand; use math/rand/v2 with an explicit *rand.Rand", path)
			}
			if p == "math/rand/v2" {
				name := "rand"
				if imp.Name != nil {
					name = imp.Name.Name
				}
				names[name] = true
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && names[id.Name] && !allowedRand[sel.Sel.Name] {
				t.Errorf("%s: uses the global generator through %s.%s", fset.Position(sel.Pos()), id.Name, sel.Sel.Name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 10 {
		t.Fatalf("checked only %d files; is the test running in sim/?", checked)
	}
}
