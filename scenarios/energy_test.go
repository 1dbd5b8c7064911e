package scenarios

import (
	"strings"
	"testing"

	"github.com/bgsim/bgsim/sim"
)

// energy.window: read, range-checked and refused past the horizon, with
// positions; a variant cannot change it.
func TestEnergyWindowKey(t *testing.T) {
	sc, err := Load("w.yaml", []byte("horizon: 2h\nenergy: {window: 90m}\n"+limitsBase))
	if err != nil {
		t.Fatal(err)
	}
	if w := sc.Variants[0].Config.EnergyWindow; w != 90*sim.Minute {
		t.Errorf("window %v, want 90m", w)
	}
	for _, tt := range []struct{ doc, want string }{
		{"horizon: 1h\nenergy: {window: 2h}\n" + limitsBase, "w.yaml:2:18: energy.window: 2h0m0s is past the horizon, 1h0m0s"},
		{"energy: {window: 0s}\n" + limitsBase, "w.yaml:1:18: energy.window: positive, at most 365d"},
		{"energy: {windw: 10m}\n" + limitsBase, `w.yaml:1:10: energy: unknown key "windw"; did you mean "window"?`},
		{limitsBase + "variants:\n  a:\n    energy: {window: 10m}\n", `w.yaml:12:5: variants.a: a variant cannot change "energy"`},
	} {
		_, err := Load("w.yaml", []byte(tt.doc))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("got %v, want %q", err, tt.want)
		}
	}
}

// Variants with horizons of their own are integrated over the shortest,
// so that their energies compare on equal terms.
func TestVariantsShareTheEnergyWindow(t *testing.T) {
	sc, err := Load("w.yaml", []byte("horizon: 2h\n"+limitsBase+"variants:\n  short:\n    horizon: 30m\n  long: {}\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range sc.Variants {
		c := v.Config
		w := c.EnergyWindow
		if w == 0 {
			w = c.Horizon
		}
		if w != 30*sim.Minute {
			t.Errorf("%s: horizon %v, energy window %v; want every variant's window 30m", v.Name, c.Horizon, w)
		}
	}
}
