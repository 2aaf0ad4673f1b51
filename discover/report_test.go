package discover

import (
	"encoding/json"
	"testing"
)

// TestRestoreIndices: boxes.json does not carry a restriction's index
// among the parameters; read back, RestoreIndices finds it from the path
// (geosim plot once drew a discovery's pairs chart on parameter 0 for
// want of it), and an unknown path is an error.
func TestRestoreIndices(t *testing.T) {
	r := Report{Parameters: []Parameter{{Path: "a"}, {Path: "b"}, {Path: "c"}},
		Boxes: []BoxReport{{Restrictions: []Restriction{{Parameter: "c", Param: 2}, {Parameter: "b", Param: 1}}}},
		CART:  CARTReport{Leaves: []LeafReport{{Restrictions: []Restriction{{Parameter: "b", Param: 1}}}}}}
	raw, err := json.Marshal(&r)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if err := back.RestoreIndices(); err != nil {
		t.Fatal(err)
	}
	for b, want := range r.Boxes[0].Restrictions {
		if got := back.Boxes[0].Restrictions[b].Param; got != want.Param {
			t.Errorf("box restriction %s: index %d, want %d", want.Parameter, got, want.Param)
		}
	}
	if got := back.CART.Leaves[0].Restrictions[0].Param; got != 1 {
		t.Errorf("leaf restriction b: index %d, want 1", got)
	}
	back.Boxes[0].Restrictions[0].Parameter = "z"
	if err := back.RestoreIndices(); err == nil {
		t.Error("an unknown parameter path was accepted")
	}
}
