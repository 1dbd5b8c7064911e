package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bgsim/bgsim/scenarios"
)

// The goldens are written at the width of a pipe (80 columns), whatever
// the terminal the tests run in exports.
func TestMain(m *testing.M) {
	os.Unsetenv("COLUMNS")
	os.Exit(m.Run())
}

func TestTermWidth(t *testing.T) {
	var buf bytes.Buffer
	for cols, want := range map[string]int{"": 80, "120": 120, " 60 ": 60, "0": 80, "-5": 80, "wide": 80} {
		t.Setenv("COLUMNS", cols)
		if got := termWidth(&buf); got != want {
			t.Errorf("COLUMNS=%q: width %d, want %d", cols, got, want)
		}
	}
}

// Issue 15: every embedded scenario's run output was wider than 80
// columns (91 to 202), and nothing read the terminal's width.
func TestRunFitsEightyColumns(t *testing.T) {
	t.Setenv("COLUMNS", "80")
	for _, name := range scenarios.Names() {
		for _, args := range [][]string{{"run", name}, {"run", "--explain", name}, {"run", "--format", "timeline", "--explain", name}} {
			code, out, stderr := bgsim(t, args...)
			if code != exitOK {
				t.Fatalf("%v: exit %d: %s", args, code, stderr)
			}
			for _, line := range strings.Split(out, "\n") {
				if n := utf8.RuneCountInString(line); n > 80 {
					t.Errorf("%v: a line of %d columns:\n%s", args, n, line)
					break
				}
			}
		}
	}
	t.Setenv("COLUMNS", "132")
	_, out, _ := bgsim(t, "run", "--format", "timeline", "launch-events-off")
	if !strings.Contains(out, strings.Repeat("─", 132)+"\n") {
		t.Error("the timeline does not use a 132-column terminal's width")
	}
}

// Issue 15: batched-vs-individual printed 60 identical "delivered" rows.
func TestIdenticalUploadsGrouped(t *testing.T) {
	_, out, _ := bgsim(t, "run", "batched-vs-individual")
	if n := strings.Count(out, "u1-u30 ×30 delivered:"); n != 2 {
		t.Errorf("%d grouped reasons, want 2 (the individual variants):\n%s", n, out)
	}
	if n := strings.Count(out, "\n"); n > 120 {
		t.Errorf("%d lines", n)
	}
}

func TestTimelineFilters(t *testing.T) {
	_, all, _ := bgsim(t, "run", "--format", "timeline", "--variant", "individual-wifi", "batched-vs-individual")
	code, out, stderr := bgsim(t, "run", "--format", "timeline", "--variant", "individual-wifi", "--upload", "u2", "batched-vs-individual")
	if code != exitOK {
		t.Fatal(stderr)
	}
	if !strings.Contains(out, "u2: ") || strings.Contains(out, "u3: ") || strings.Contains(out, "wifi: promotion") {
		t.Errorf("--upload u2 shows other uploads or the radio:\n%s", out)
	}
	if len(out) >= len(all)/5 {
		t.Errorf("--upload u2 kept %d of %d bytes", len(out), len(all))
	}
	_, out, _ = bgsim(t, "run", "--format", "timeline", "--actor", "server", "--from", "20s", "--to", "1m", "app-purged-mid-upload")
	body := strings.SplitN(out, "────\n", 2)[1]
	if strings.Count(body, "\n") != 1 || !strings.Contains(body, "+21.281s") {
		t.Errorf("--actor server --from 20s --to 1m:\n%s", out)
	}
	for _, bad := range [][]string{
		{"run", "--upload", "u1", "app-purged-mid-upload"},
		{"run", "--format", "timeline", "--actor", "kernel", "app-purged-mid-upload"},
		{"run", "--format", "timeline", "--from", "soon", "app-purged-mid-upload"},
		{"run", "--format", "timeline", "--from", "2m", "--to", "1m", "app-purged-mid-upload"},
	} {
		if code, _, _ := bgsim(t, bad...); code != exitUsage {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
}
