package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/scenarios"
)

// writeTestFile writes body to dir/name and returns the path; a failure ends the test.
func writeTestFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const wrongExpectation = `name: wrong
title: An expectation that does not hold
app:
  sessions:
    up: {identifier: com.x, delegate: D}
  uploads:
    photo: {session: up, size: 1MB}
timeline:
  - {at: 0s, do: launch}
  - {at: 1s, do: upload, upload: photo}
expect:
  delivered: 1
  lost: 1
`

func TestTestCommandPassesOnTheLibrary(t *testing.T) {
	code, stdout, stderr := bgsim(t, "test")
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if got := lines[len(lines)-1]; !regexp.MustCompile(`^\d+ passed, 0 failed$`).MatchString(got) {
		t.Errorf("closing line %q", got)
	}
	for _, n := range scenarios.Names() {
		if !strings.Contains(stdout, "ok   "+n) {
			t.Errorf("no line for %s", n)
		}
	}
}

func TestTestCommandFails(t *testing.T) {
	dir := t.TempDir()
	p := writeTestFile(t, dir, "wrong.yaml", wrongExpectation)
	code, stdout, _ := bgsim(t, "test", p, "attempt-4-upload-from-file")
	if code != exitFail {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{
		"FAIL wrong ",
		"ok   attempt-4-upload-from-file",
		"--- FAIL: wrong (" + p + ")",
		p + ":13: expect.lost: expected 1, got 0",
		"\n1 passed, 1 failed\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestTestCommandInputErrors(t *testing.T) {
	dir := t.TempDir()
	bad := writeTestFile(t, dir, "bad.yaml", "name: bad\ntitle: B\nap: {}\n")
	// A file that does not load is a failed test, with its problems.
	code, stdout, stderr := bgsim(t, "test", bad)
	if code != exitFail || stderr != "" || !strings.Contains(stdout, "    "+bad+`:3:1: scenario: unknown key "ap"; did you mean "app"?`) {
		t.Errorf("exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}
	for _, args := range [][]string{{"test", "--seeds", "0"}, {"test", "--format", "xml"}, {"test", "no-such-scenario"}, {"test", "--workers", "0"}} {
		if code, _, _ := bgsim(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestTestCommandDirectoryJUnitAndJSON(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, dir, "wrong.yaml", wrongExpectation)
	src, _ := scenarios.Source("duplicate-identifier")
	writeTestFile(t, dir, "dup.yaml", string(src))
	writeTestFile(t, dir, "notes.txt", "not a scenario")
	junit := filepath.Join(dir, "out.xml")
	code, stdout, _ := bgsim(t, "test", "--junit", junit, "--format", "json", dir)
	if code != exitFail {
		t.Errorf("exit %d, want 1", code)
	}
	var doc struct {
		Passed, Failed int
		Cases          []struct {
			Scenario string
			Passed   bool
			Failures []struct {
				Expectation string
				Line        int
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("JSON: %v\n%s", err, stdout)
	}
	if doc.Passed != 1 || doc.Failed != 1 || len(doc.Cases) != 2 || doc.Cases[0].Scenario != "duplicate-identifier" ||
		doc.Cases[1].Failures[0].Expectation != "expect.lost" || doc.Cases[1].Failures[0].Line != 13 {
		t.Errorf("JSON %+v", doc)
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var x struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(data, &x); err != nil {
		t.Fatalf("JUnit is not XML: %v\n%s", err, data)
	}
	if x.Tests != 2 || x.Failures != 1 || len(x.Suites) != 2 || x.Suites[1].Cases[0].Failure == nil ||
		!strings.Contains(x.Suites[1].Cases[0].Failure.Message, "expect.lost: expected 1, got 0") {
		t.Errorf("JUnit %+v\n%s", x, data)
	}
}

// A scenario whose outcome depends on the seed: the failing seeds are
// printed, and replaying one with bgsim run shows the same outcome.
func TestTestCommandSeeds(t *testing.T) {
	dir := t.TempDir()
	p := writeTestFile(t, dir, "random.yaml", `name: random
title: Random spacing
app:
  sessions:
    up: {identifier: com.x, delegate: D}
  workload: {items: 2, size: 1KB, every: 1m, random: true, session: up, strategy: individual}
timeline:
  - {at: 0s, do: launch}
expect:
  upload:
    u2: {settled_before: 1m}
`)
	code, stdout, _ := bgsim(t, "test", "--seeds", "20", p)
	if code != exitFail || !strings.Contains(stdout, "20 seeds") {
		t.Fatalf("exit %d; some of 20 exponential gaps exceed their mean\n%s", code, stdout)
	}
	m := regexp.MustCompile(`replay with bgsim run --seed (\d+)`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no failing seed printed:\n%s", stdout)
	}
	code, out, _ := bgsim(t, "run", "--format", "json", "--seed", m[1], p)
	var doc struct {
		Runs []struct {
			Uploads []struct {
				SettledAtS float64 `json:"settled_at_s"`
			}
		}
	}
	json.Unmarshal([]byte(out), &doc)
	if code != exitOK || doc.Runs[0].Uploads[1].SettledAtS < 60 {
		t.Errorf("replaying seed %s: exit %d, u2 settled at %v s; want the failure again (after 60 s)", m[1], code, doc.Runs[0].Uploads[1].SettledAtS)
	}
}

// The report does not depend on how many workers ran it (durations aside).
func TestTestCommandWorkersDeterministic(t *testing.T) {
	strip := regexp.MustCompile(`\s+[0-9.]+(µs|ms|s|ns)`)
	_, one, _ := bgsim(t, "test", "--workers", "1")
	_, four, _ := bgsim(t, "test", "--workers", "4")
	if strip.ReplaceAllString(one, "") != strip.ReplaceAllString(four, "") {
		t.Errorf("1 and 4 workers differ:\n%s\n---\n%s", one, four)
	}
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	good := writeTestFile(t, dir, "good.yaml", wrongExpectation)
	bad := writeTestFile(t, dir, "bad.yaml", `name: Bad Name
title: Several mistakes
horizn: 1h
app:
  sessions:
    up: {identifier: com.x, delegte: D}
  uploads:
    photo: {session: upp, size: 5 megs}
timeline:
  - {at: -1s, do: launch}
  - {at: 2s, do: upload, upload: photo}
`)
	code, stdout, stderr := bgsim(t, "validate", good, bad)
	if code != exitUsage {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.Contains(stdout, "ok "+good+": wrong, 1 run") {
		t.Errorf("stdout:\n%s", stdout)
	}
	for _, want := range []string{
		bad + `:1:7: name: "Bad Name" is not a valid name`,
		bad + `:3:1: scenario: unknown key "horizn"; did you mean "horizon"?`,
		bad + `:6:29: app.sessions.up: unknown key "delegte"; did you mean "delegate"?`,
		bad + `:8:22: app.uploads.photo.session: no session named "upp"; did you mean "up"? (its sessions: "up")`,
		bad + `:8:33: app.uploads.photo.size: expected a size like 5MB`,
		bad + `:10:10: timeline[0].at: 0s to 3650d, found -1s`,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if code, _, _ := bgsim(t, "validate"); code != exitUsage {
		t.Error("validate with no file should be a usage error")
	}
}

func TestSchemaCommand(t *testing.T) {
	code, stdout, _ := bgsim(t, "schema")
	var v map[string]any
	if code != exitOK || json.Unmarshal([]byte(stdout), &v) != nil || v["$schema"] == nil || stdout != string(scenarios.Schema()) {
		t.Errorf("exit %d; want the schema as JSON:\n%.300s", code, stdout)
	}
}

// A valid scenario whose upload is still on its way to the daemon at the
// horizon crashed `bgsim test DIR` and `bgsim run` (issue 10, item 1).
// Both now finish: the upload is pending, next to a file that passes.
func TestUntrusted1_TestDirWithHandOffPastHorizon(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, dir, "xpc.yaml", `name: xpc
title: The hand-off outlasts the run
horizon: 1m
params: {xpc_latency: 1m}
app:
  sessions:
    up: {identifier: com.x, delegate: D}
  uploads:
    photo: {session: up, size: 1MB}
timeline:
  - {at: 0s, do: launch}
  - {at: 1s, do: upload, upload: photo}
expect:
  pending: 1
`)
	src, _ := scenarios.Source("attempt-4-upload-from-file")
	writeTestFile(t, dir, "fine.yaml", string(src))
	code, stdout, stderr := bgsim(t, "test", dir)
	if code != exitOK || !strings.Contains(stdout, "2 passed, 0 failed") {
		t.Errorf("bgsim test DIR: exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, stderr = bgsim(t, "run", filepath.Join(dir, "xpc.yaml"))
	if code != exitOK || !strings.Contains(stdout, "pending") {
		t.Errorf("bgsim run: exit %d\n%s\n%s", code, stdout, stderr)
	}
}
