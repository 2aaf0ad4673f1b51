package scenario

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/geosim/geosim/sim"
)

// TestScenarioDocExamples: the TOML examples of docs/SCENARIOS.md, from
// [scenario] to the outputs, form a valid scenario once the actors they
// mention are declared.
func TestScenarioDocExamples(t *testing.T) {
	doc, err := os.ReadFile("../../docs/SCENARIOS.md")
	if err != nil {
		t.Fatal(err)
	}
	scenarioPart, experimentPart, _ := strings.Cut(string(doc), "# Experiment files")
	var body strings.Builder
	for _, b := range tomlBlocks(scenarioPart) {
		if strings.Contains(b, "base = ") || !strings.Contains(b, "[") {
			continue // the variant and the parameter-forms snippet
		}
		body.WriteString(b + "\n")
	}
	body.WriteString("[actor.CHN]\n[actor.RUS]\n[actor.USA]\n")
	if _, err := Parse("SCENARIOS.md", []byte(body.String())); err != nil {
		t.Fatalf("the documented examples do not form a valid scenario:\n%v\n\n%s", err, body.String())
	}

	// Each experiment example is valid against the flagship.
	dir := t.TempDir()
	flagship, err := os.ReadFile("../../scenarios/beijing-parade-2025.toml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "beijing-parade-2025.toml"), flagship, 0o644)
	os.Mkdir(filepath.Join(dir, "experiments"), 0o755)
	blocks := tomlBlocks(experimentPart)
	if len(blocks) < 2 {
		t.Fatalf("found %d experiment examples", len(blocks))
	}
	for i, b := range blocks {
		p := filepath.Join(dir, "experiments", fmt.Sprintf("example%d.toml", i))
		os.WriteFile(p, []byte(b), 0o644)
		if _, err := LoadExperiment(p); err != nil {
			t.Errorf("experiment example %d: %v", i, err)
		}
	}
}

func tomlBlocks(doc string) []string {
	var blocks []string
	for _, part := range strings.Split(doc, "```toml\n")[1:] {
		block, _, _ := strings.Cut(part, "```")
		blocks = append(blocks, block)
	}
	return blocks
}

// TestModelDocParameters: docs/MODEL.md documents every actor, action
// and global parameter with its default and range, and the catalogue
// table matches the code.
func TestModelDocParameters(t *testing.T) {
	doc, err := os.ReadFile("../../docs/MODEL.md")
	if err != nil {
		t.Fatal(err)
	}
	row := func(key string) []string {
		for _, l := range strings.Split(string(doc), "\n") {
			if strings.HasPrefix(l, "| `"+key+"` |") {
				cells := strings.Split(strings.Trim(l, "|"), "|")
				for i := range cells {
					cells[i] = strings.TrimSpace(cells[i])
				}
				return cells
			}
		}
		return nil
	}
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	for _, fields := range [][]sim.Field{sim.ActorFields[:], sim.ActionFields[:], sim.ModelFields[:]} {
		for _, f := range fields {
			r := row(f.Name)
			if r == nil {
				t.Errorf("MODEL.md has no row for %s", f.Name)
				continue
			}
			line := strings.Join(r, "|")
			rng := fmt.Sprintf("[%s, %s]", strings.ReplaceAll(g(f.Min), "-", "−"), g(f.Max))
			if !strings.Contains(line, rng) {
				t.Errorf("MODEL.md row %s lacks the range %s: %s", f.Name, rng, line)
			}
			if f.Name != sim.FieldScale && !contains(r, g(f.Default)) {
				t.Errorf("MODEL.md row %s lacks the default %s: %s", f.Name, g(f.Default), line)
			}
		}
	}
	for _, a := range sim.Catalogue() {
		r := row(a.ID)
		if len(r) != 13 {
			t.Errorf("MODEL.md catalogue row for %s: %v", a.ID, r)
			continue
		}
		for i, k := range []string{sim.FieldScale, sim.FieldJointScale, sim.FieldCost, sim.FieldStatusValue, sim.FieldSecurityVal, sim.FieldCredibility, sim.FieldTradeEffect, sim.FieldRebuff} {
			v := a.Params[k].Mean()
			got, err := strconv.ParseFloat(strings.NewReplacer("−", "-", "+", "").Replace(r[2+i]), 64)
			if err != nil || got != v {
				t.Errorf("MODEL.md %s %s = %q, code %v", a.ID, k, r[2+i], v)
			}
		}
		broadcast := map[bool]string{true: "yes", false: "no"}[a.Broadcast]
		if r[10] != a.Channel || r[11] != a.Mode || r[12] != broadcast {
			t.Errorf("MODEL.md %s: channel, mode, broadcast = %v, code %s %s %s", a.ID, r[10:], a.Channel, a.Mode, broadcast)
		}
	}
}
