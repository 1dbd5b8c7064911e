package main

import (
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/report"
	"github.com/bgsim/bgsim/scenarios"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ with the current output")

// golden compares got with testdata/name, or rewrites it with -update.
// Review the diff of a rewritten golden file before committing it.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/bgsim -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (rerun with -update and review the diff):\n--- got\n%s", path, got)
	}
}

func TestRunGolden(t *testing.T) {
	for _, tt := range []struct {
		file string
		args []string
	}{
		{"run-default.txt", []string{"run"}},
		{"run-launch-events-off.txt", []string{"run", "launch-events-off"}},
		{"run-attempt-2-completion-handler.txt", []string{"run", "attempt-2-completion-handler"}},
		{"run-wrong-identifier.json", []string{"run", "--format", "json", "wrong-identifier-on-recreate"}},
		{"run-default.timeline.txt", []string{"run", "--format", "timeline"}},
		{"run-launch-events-off.timeline.txt", []string{"run", "--format", "timeline", "launch-events-off"}},
		{"run-default.mermaid", []string{"run", "--format", "mermaid"}},
		{"run-network-outage.mermaid.md", []string{"run", "--format", "mermaid", "network-outage-mid-upload"}},
		{"run-wrong-identifier.explain.txt", []string{"run", "--explain", "wrong-identifier-on-recreate"}},
		{"run-seed-shared.explain.txt", []string{"run", "--explain", "--format", "timeline", "attempt-1-shared-data-task"}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			code, stdout, stderr := bgsim(t, tt.args...)
			if code != exitOK || stderr != "" {
				t.Fatalf("exit %d, stderr %s", code, stderr)
			}
			golden(t, tt.file, stdout)
		})
	}
}

// TestGoldenTraces keeps the trace of every embedded scenario under
// testdata/traces: a change in behaviour shows up as a reviewable diff.
// Regenerate with go test ./cmd/bgsim -update.
func TestGoldenTraces(t *testing.T) {
	for _, name := range scenarios.Names() {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := bgsim(t, "run", "--format", "trace", name)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			golden(t, filepath.Join("traces", name+".jsonl"), stdout)
		})
	}
}

// The JSON output is a contract: these fields must be there.
func TestRunJSONContract(t *testing.T) {
	for _, name := range scenarios.Names() {
		code, stdout, stderr := bgsim(t, "run", "--format", "json", name)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		var doc struct {
			Format *int
			Runs   []map[string]any
		}
		if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if doc.Format == nil || *doc.Format != report.JSONFormat {
			t.Errorf("%s: format %v, want %d", name, doc.Format, report.JSONFormat)
		}
		for _, run := range doc.Runs {
			for _, key := range []string{"scenario", "variant", "seed", "fingerprint", "ended_at_s", "summary", "uploads", "crashes", "energy", "items", "wakes"} {
				if _, ok := run[key]; !ok {
					t.Errorf("%s: run lacks %q", name, key)
				}
			}
			summary := run["summary"].(map[string]any)
			for _, key := range []string{"uploads", "delivered", "failed", "lost", "pending", "never_sent", "server_received",
				"crashes", "user_launches", "background_launches"} {
				if _, ok := summary[key]; !ok {
					t.Errorf("%s: summary lacks %q", name, key)
				}
			}
			energy := run["energy"].(map[string]any)
			for _, key := range []string{"joules", "radio_active_s", "promotions", "by_state", "interfaces"} {
				if _, ok := energy[key]; !ok {
					t.Errorf("%s: energy lacks %q", name, key)
				}
			}
			byState := energy["by_state"].(map[string]any)
			sum := 0.0
			for _, key := range []string{"promotion", "transfer", "tail", "idle"} {
				v, ok := byState[key].(float64)
				if !ok {
					t.Errorf("%s: energy.by_state lacks %q", name, key)
				}
				sum += v
			}
			if j := energy["joules"].(float64); math.Abs(j-sum) > 1e-9*math.Max(1, j) {
				t.Errorf("%s: energy.joules %v is not the sum of by_state %v", name, j, sum)
			}
			for _, u := range run["uploads"].([]any) {
				up := u.(map[string]any)
				for _, key := range []string{"id", "fate", "reason", "rule", "error_code", "created_at_s", "handed_off_at_s", "started_at_s",
					"server_received_at_s", "settled_at_s", "attempts", "interfaces", "limiter_delay_s"} {
					if _, ok := up[key]; !ok {
						t.Errorf("%s: upload lacks %q", name, key)
					}
				}
			}
		}
	}
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	bad := writeTestFile(t, dir, "bad.yaml", "name: bad\ntitle: Bad\nhorizn: 1h\napp:\n  sessions:\n    up: {identifier: x, delegate: D}\n")
	tests := []struct {
		name      string
		args      []string
		code      int
		stderrHas string
	}{
		{"malformed scenario", []string{"run", bad}, exitUsage, bad + `:3:1: scenario: unknown key "horizn"; did you mean "horizon"?`},
		{"unknown scenario", []string{"run", "app-purged"}, exitUsage, `"app-purged" is neither a file nor an embedded scenario`},
		{"misspelt scenario", []string{"run", "launch-event-off"}, exitUsage, `did you mean "launch-events-off"?`},
		{"unknown variant", []string{"run", "--variant", "nope", "launch-events-off"}, exitUsage, `has no variant "nope"`},
		{"unknown format", []string{"run", "--format", "xml"}, exitUsage, `unknown format "xml"`},
		{"bad seed", []string{"run", "--seed", "-3"}, exitUsage, `invalid value "-3" for flag -seed`},
		{"two scenarios", []string{"run", "a", "b"}, exitUsage, "one scenario at a time"},
		// Prose after JSON or a trace would break what a program parses.
		{"explain with json", []string{"run", "--explain", "--format", "json"}, exitUsage, "--explain goes with --format table or timeline, not json"},
		{"explain with trace", []string{"run", "--explain", "--format", "trace"}, exitUsage, "not trace"},
		{"explain with mermaid", []string{"run", "--explain", "--format", "mermaid"}, exitUsage, "not mermaid"},
		{"explain with html", []string{"run", "--explain", "--format", "html"}, exitUsage, "the page explains every upload already"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := bgsim(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderrHas) || stdout != "" {
				t.Errorf("exit %d (want %d), stdout %q\nstderr: %s\nwant it to contain: %s", code, tt.code, stdout, stderr, tt.stderrHas)
			}
		})
	}
}

func TestRunSeedAndVariant(t *testing.T) {
	code, stdout, _ := bgsim(t, "run", "--seed", "42", "--variant", "user-never-returns", "--format", "json", "launch-events-off")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Runs []struct {
			Variant string
			Seed    uint64
		}
	}
	json.Unmarshal([]byte(stdout), &doc)
	if len(doc.Runs) != 1 || doc.Runs[0].Variant != "user-never-returns" || doc.Runs[0].Seed != 42 {
		t.Errorf("runs %+v, want one run of user-never-returns with seed 42", doc.Runs)
	}
}

func TestListShowRules(t *testing.T) {
	code, stdout, _ := bgsim(t, "list")
	for _, n := range scenarios.Names() {
		if !strings.Contains(stdout, n+" ") {
			t.Errorf("list lacks %s", n)
		}
	}
	if code != exitOK {
		t.Errorf("list: exit %d", code)
	}
	code, stdout, _ = bgsim(t, "show", "duplicate-identifier")
	src, _ := scenarios.Source("duplicate-identifier")
	if code != exitOK || stdout != string(src) {
		t.Errorf("show: exit %d, output is not the scenario's YAML", code)
	}
	code, _, stderr := bgsim(t, "show", "duplicate-identifer")
	if code != exitUsage || !strings.Contains(stderr, `did you mean "duplicate-identifier"?`) {
		t.Errorf("show with a typo: exit %d, %s", code, stderr)
	}
	code, stdout, _ = bgsim(t, "rules")
	if code != exitOK || !strings.Contains(stdout, "R-RATE-LIMITER") || !strings.Contains(stdout, "modelled") {
		t.Errorf("rules: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = bgsim(t, "rules", "r-rate-limiter")
	if code != exitOK || !strings.Contains(stdout, "R-RATE-LIMITER — ") || !strings.Contains(stdout, "https://developer.apple.com/forums/thread/14854") {
		t.Errorf("rules R-RATE-LIMITER: exit %d\n%s", code, stdout)
	}
	code, _, stderr = bgsim(t, "rules", "R-RATE-LIMITR")
	if code != exitUsage || !strings.Contains(stderr, "did you mean R-RATE-LIMITER?") {
		t.Errorf("rules with a typo: exit %d, %s", code, stderr)
	}
}
