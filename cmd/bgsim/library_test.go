package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bgsim/bgsim/scenarios"
)

// bgsim list: teaching order (the article's attempts first, sweeps
// last), a kind column, --format json; no name reads like --seed.
func TestListTeachingOrder(t *testing.T) {
	code, stdout, _ := bgsim(t, "list")
	if code != exitOK {
		t.Fatal(code)
	}
	// One entry per scenario; a long title wraps onto indented lines.
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		if !strings.HasPrefix(l, " ") {
			lines = append(lines, l)
		}
	}
	if len(lines) != len(scenarios.Names()) {
		t.Fatalf("%d lines for %d scenarios", len(lines), len(scenarios.Names()))
	}
	for i, want := range []string{"attempt-1-", "attempt-2-", "attempt-3-", "attempt-4-"} {
		if !strings.HasPrefix(lines[i], want) {
			t.Errorf("line %d is %q, want the article's attempt %d", i, lines[i], i+1)
		}
	}
	if f := strings.Fields(lines[len(lines)-1]); f[1] != "sweep" || !strings.Contains(stdout, "app-purged-mid-upload            story  ") {
		t.Errorf("kinds:\n%s", stdout)
	}
	for _, n := range scenarios.Names() {
		if strings.HasPrefix(n, "seed-") {
			t.Errorf("%s reads like the --seed flag", n)
		}
	}
	code, stdout, _ = bgsim(t, "list", "--format", "json")
	var doc struct {
		Scenarios []struct{ Name, Kind, Title string }
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || code != exitOK || len(doc.Scenarios) != len(lines) ||
		doc.Scenarios[0].Name != "attempt-1-shared-data-task" || doc.Scenarios[0].Kind != "story" || doc.Scenarios[0].Title == "" {
		t.Errorf("list --format json: exit %d, %v\n%s", code, err, stdout)
	}
	sweeps := 0
	for _, s := range doc.Scenarios {
		src, _ := scenarios.Source(s.Name)
		if strings.Contains(string(src), "\nsweep:") != (s.Kind == "sweep") {
			t.Errorf("%s: kind %s", s.Name, s.Kind)
		}
		if s.Kind == "sweep" {
			sweeps++
		}
	}
	if sweeps == 0 {
		t.Error("no sweep marked")
	}
}

// The former seed-* names still work, with a note.
func TestRenamedScenarios(t *testing.T) {
	_, want, _ := bgsim(t, "run", "attempt-2-completion-handler")
	code, stdout, stderr := bgsim(t, "run", "seed-completion-handler")
	if code != exitOK || stdout != want || !strings.Contains(stderr, "seed-completion-handler is now called attempt-2-completion-handler") {
		t.Errorf("exit %d, stderr %q, same output %v", code, stderr, stdout == want)
	}
}

// bgsim rules WORD searches ids, titles and text; --format json.
func TestRulesSearch(t *testing.T) {
	code, stdout, _ := bgsim(t, "rules", "rate")
	if code != exitOK || !strings.Contains(stdout, "R-RATE-LIMITER ") {
		t.Errorf("rules rate: exit %d\n%s", code, stdout)
	}
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		id := strings.Fields(l)[0]
		_, search, _ := bgsim(t, "rules", "--format", "json", id)
		if !strings.Contains(strings.ToLower(search), "rate") {
			t.Errorf("%s does not mention rate", id)
		}
	}
	code, stdout, _ = bgsim(t, "rules", "RATE", "LIMITER", "wake")
	if code != exitOK || !strings.HasPrefix(stdout, "R-RATE-LIMITER — ") {
		t.Errorf("a search that finds one rule explains it: exit %d\n%.200s", code, stdout)
	}
	if code, _, stderr := bgsim(t, "rules", "zzzqqq"); code != exitUsage || !strings.Contains(stderr, "no rule matches") {
		t.Errorf("no match: exit %d, %s", code, stderr)
	}
	if code, _, stderr := bgsim(t, "rules", "R-RATE-LIMITR"); code != exitUsage || !strings.Contains(stderr, "did you mean R-RATE-LIMITER") {
		t.Errorf("a misspelt id: exit %d, %s", code, stderr)
	}
	code, stdout, _ = bgsim(t, "rules", "--format", "json")
	var doc struct {
		Rules []struct {
			ID, Title, Explanation string
			Modelled               bool
			Sources                []struct{ Key, Text string }
		}
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || code != exitOK || len(doc.Rules) < 10 ||
		!slices.ContainsFunc(doc.Rules, func(r struct {
			ID, Title, Explanation string
			Modelled               bool
			Sources                []struct{ Key, Text string }
		}) bool {
			return r.ID == "R-RATE-LIMITER" && r.Explanation != "" && len(r.Sources) > 0 && r.Sources[0].Text != ""
		}) {
		t.Errorf("rules --format json: exit %d, %v", code, err)
	}
}

// The progress line waits for enough runs before it guesses the time
// left: one slow first run out of 100 000 once read "7h55m left".
func TestProgressEstimate(t *testing.T) {
	tests := []struct {
		count, total int
		elapsed      time.Duration
		want         string
	}{
		{1, 100_000, 285 * time.Millisecond, "estimating the time left"},
		{500, 100_000, 100 * time.Millisecond, "estimating the time left"},
		{999, 100_000, time.Second, "estimating the time left"},
		{1000, 100_000, time.Second, "1000 runs/s, 1m39s left"},
		{20, 40, time.Second, "20 runs/s, 1s left"},
	}
	for _, tt := range tests {
		if got := estimate(tt.count, tt.total, tt.elapsed); got != tt.want {
			t.Errorf("estimate(%d, %d, %v) = %q, want %q", tt.count, tt.total, tt.elapsed, got, tt.want)
		}
	}
}
