package sim

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// paramWriters are the functions of package sim allowed to change a
// field named p (Workspace.p, and the copies in drawCache and
// startCache) or to hold it under another name. Each writer of
// Workspace.p must keep Workspace.pGen right: restoreStart and
// SampleDraw trust it instead of comparing or copying the vector, so a
// write that left it unchanged would restore a start saved for other
// parameters.
var paramWriters = map[string]string{
	"SampleDraw":     "sets pGen to the draw it copies or samples",
	"SetParams":      "sets pGen to 0",
	"Use":            "sets pGen to 0",
	"fireShocks":     "sets pGen to 0",
	"saveStart":      "writes the start cache's copy, recording pGen with it",
	"derive":         "only reads the action fields through a subslice",
	"restoreStart":   "only compares it with the start cache's copy",
	"NewWorkspace":   "passes it to newCalRefs, which takes addresses to read occasion values through",
	"newStateShocks": "takes the addresses of shocks' base rates, which stateShocks only reads",
	"newEtaTerms":    "takes the addresses of covariates' coefficients, which boundEta only reads",
	"newHazardRefs":  "takes the addresses of hazards' base rates, which decide only reads",
}

// readsOnly are the functions of paramWriters that do not change
// Workspace.p, and so need not mention pGen.
var readsOnly = map[string]bool{"saveStart": true, "derive": true, "restoreStart": true, "NewWorkspace": true, "newStateShocks": true, "newEtaTerms": true, "newHazardRefs": true}

// TestParamWriters fails when a function not listed in paramWriters
// assigns to a field named p (whole, by index or slice), passes it as
// the destination of copy or clear, takes an element's address, or
// gives it another name (q := w.p), and when a listed writer of
// Workspace.p no longer mentions pGen.
func TestParamWriters(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	seen := map[string]bool{}
	checked := 0
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name.Name != "sim" {
			continue
		}
		checked++
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			name := fn.Name.Name
			bad := func(at ast.Node, what string) {
				if _, ok := paramWriters[name]; !ok {
					t.Errorf("%s: %s %s a field named p; add it to paramWriters if it keeps Workspace.pGen right", fset.Position(at.Pos()), name, what)
				}
				seen[name] = true
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.AssignStmt:
					for _, l := range n.Lhs {
						if rootedAtP(l) {
							bad(l, "assigns to")
						}
					}
					for _, r := range n.Rhs {
						if aliasOfP(r) {
							bad(r, "renames")
						}
					}
				case *ast.ValueSpec:
					for _, r := range n.Values {
						if aliasOfP(r) {
							bad(r, "renames")
						}
					}
				case *ast.IncDecStmt:
					if rootedAtP(n.X) {
						bad(n.X, "increments")
					}
				case *ast.UnaryExpr:
					if n.Op == token.AND && rootedAtP(n.X) {
						bad(n, "takes the address of")
					}
				case *ast.CallExpr:
					id, _ := n.Fun.(*ast.Ident)
					switch {
					case id != nil && (id.Name == "copy" || id.Name == "clear"):
						if len(n.Args) > 0 && rootedAtP(n.Args[0]) {
							bad(n, "overwrites")
						}
					case id != nil && (id.Name == "len" || id.Name == "cap"):
					default:
						for _, a := range n.Args {
							if aliasOfP(a) {
								bad(a, "passes on")
							}
						}
					}
				}
				return true
			})
			body := string(src[fset.Position(fn.Body.Pos()).Offset:fset.Position(fn.Body.End()).Offset])
			if seen[name] && !readsOnly[name] && !strings.Contains(body, "pGen") && !strings.Contains(body, "touchParam") {
				t.Errorf("%s writes p but does not mention pGen or touchParam", name)
			}
		}
	}
	if checked < 10 {
		t.Fatalf("checked only %d files; is the test running in sim/?", checked)
	}
	for name := range paramWriters {
		if !seen[name] {
			t.Errorf("paramWriters lists %s, which no longer touches p: remove it", name)
		}
	}
}

// rootedAtP reports whether e is x.p, or an index or slice expression
// of it (x.p[i], x.p[a:b], possibly parenthesised).
func rootedAtP(e ast.Expr) bool { return atP(e, true) }

// aliasOfP reports whether e is x.p or a slice of it: another name for
// its elements.
func aliasOfP(e ast.Expr) bool { return atP(e, false) }

// atP reports whether e is x.p under parentheses and slice expressions,
// and index expressions too if index.
func atP(e ast.Expr, index bool) bool {
	for {
		switch x := e.(type) {
		case *ast.ParenExpr:
			e = x.X
		case *ast.IndexExpr:
			if !index {
				return false
			}
			e = x.X
		case *ast.SliceExpr:
			e = x.X
		case *ast.SelectorExpr:
			return x.Sel.Name == "p"
		default:
			return false
		}
	}
}
