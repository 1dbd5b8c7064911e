package scenarios

import (
	"errors"
	"strings"
	"testing"

	"bgsim/model"
)

// FuzzLoad feeds the loader arbitrary bytes: it must return a scenario or
// positioned errors, never panic. Seeded with the embedded library; inputs
// the fuzzer finds are kept under testdata/fuzz/FuzzLoad.
func FuzzLoad(f *testing.F) {
	for _, n := range Names() {
		src, _ := Source(n)
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Load("fuzz.yaml", data)
		if err != nil {
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error is not a list of positioned errors: %v", err)
			}
			return
		}
		if len(sc.Variants) == 0 {
			t.Fatal("a loaded scenario has no runs")
		}
	})
}

// FuzzLoadRun loads and runs arbitrary bytes: whatever loads must run to
// an outcome or to an error that names a limit, with the ledger
// conserved, never a panic or a hang. Runs are capped at 20000 events to
// keep each input quick; exceeding the cap is the budget error.
func FuzzLoadRun(f *testing.F) {
	for _, n := range Names() {
		src, _ := Source(n)
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Load("fuzz.yaml", data)
		if err != nil {
			return
		}
		for i := range sc.Variants {
			sc.Variants[i].Config.MaxEvents = min(sc.Variants[i].Config.MaxEvents, 20_000)
		}
		results, err := sc.Run(RunOptions{})
		if err != nil {
			if !strings.Contains(err.Error(), "event budget") && !strings.Contains(err.Error(), "sim: more than") {
				t.Fatalf("a loaded scenario failed to run: %v", err)
			}
			return
		}
		for _, r := range results {
			n := 0
			for _, fate := range model.Fates {
				n += r.Count(fate)
			}
			if n != len(r.Uploads) {
				t.Fatalf("fates do not add up: %d of %d", n, len(r.Uploads))
			}
		}
		sc.Check(results)
	})
}
