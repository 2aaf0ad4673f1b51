package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutputNames: names become output folders, so a missing name is
// derived from the file name only when that makes a safe, distinct
// name. An experiment file "..toml" once made the output folder "out"
// itself; a variant without a name once inherited its base's and
// overwrote the base's results.
func TestOutputNames(t *testing.T) {
	dir := t.TempDir()
	base, err := os.ReadFile("../../scenarios/beijing-parade-2025.toml")
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("beijing-parade-2025.toml", string(base))
	experiment := "[experiment]\nscenario = \"beijing-parade-2025.toml\"\n[factor.\"trade.DPRK.CHN\"]\nvalues = [0.5, 0.9]\n"

	if _, err := LoadExperiment(write("..toml", experiment)); err == nil || !strings.Contains(err.Error(), "does not make one") {
		t.Errorf("experiment ..toml: %v", err)
	}
	e, err := LoadExperiment(write("trade.toml", experiment))
	if err != nil || e.Name != "trade" {
		t.Errorf("experiment trade.toml: %v", err)
	}
	sub := filepath.Join(dir, "x")
	os.MkdirAll(sub, 0o755)
	e, err = LoadExperiment(write("x/beijing-parade-2025.toml", strings.Replace(experiment, `"beijing`, `"../beijing`, 1)))
	if err != nil || e.Name != "beijing-parade-2025-sweep" {
		t.Errorf("experiment named like its base: %v", err)
	}

	variant := "[scenario]\nbase = \"beijing-parade-2025.toml\"\n[override]\n\"trade.DPRK.CHN\" = 0.5\n"
	f, err := Load(write("low-trade.toml", variant))
	if err != nil || f.Model.Name() != "low-trade" {
		t.Errorf("unnamed variant: %v", err)
	}
	f, err = Load(write("x/beijing-parade-2025.toml", strings.Replace(variant, `"beijing`, `"../beijing`, 1)))
	if err != nil || f.Model.Name() != "beijing-parade-2025-variant" {
		t.Errorf("unnamed variant with its base's file name: %v", err)
	}
	if _, err := Load(write("...toml", variant)); err == nil || !strings.Contains(err.Error(), "scenario.name") {
		t.Errorf("unnamed variant ...toml: %v", err)
	}
	f, err = Load(write("named.toml", strings.Replace(variant, "[scenario]\n", "[scenario]\nname = \"chosen\"\n", 1)))
	if err != nil || f.Model.Name() != "chosen" {
		t.Errorf("named variant: %v", err)
	}
}
