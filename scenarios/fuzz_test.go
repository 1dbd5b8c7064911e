package scenarios

import (
	"errors"
	"testing"
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
