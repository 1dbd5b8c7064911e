package main

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bgsim/bgsim/scenarios"
)

// bgsim sweep purge-anywhere at COLUMNS=80 printed table lines of 101
// columns and header lines of 94 to 99: a sweep's report fits the
// terminal as run's does, for every embedded scenario with a sweep.
func TestSweepFitsTheTerminal(t *testing.T) {
	t.Setenv("COLUMNS", "80")
	swept := 0
	for _, name := range scenarios.Names() {
		sc, err := scenarios.LoadEmbedded(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sc.Plan(0, nil); err != nil {
			continue // no sweep: block
		}
		swept++
		code, out, stderr := bgsim(t, "sweep", "--runs", "20", name)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		if !strings.Contains(out, "Fates, share of uploads") {
			t.Fatalf("%s: no report:\n%s", name, out)
		}
		for _, line := range strings.Split(out, "\n") {
			if n := utf8.RuneCountInString(line); n > 80 {
				t.Errorf("%s: %d columns: %q", name, n, line)
			}
		}
	}
	if swept == 0 {
		t.Fatal("no embedded scenario has a sweep")
	}
}
