package main

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bgsim/bgsim/scenarios"
)

// Issue 16: bgsim test tried as a CI team would.

const passing = `name: passing
title: An expectation that holds
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
`

const noExpectations = `name: unchecked
title: No expect block
app:
  sessions:
    up: {identifier: com.x, delegate: D}
  uploads:
    photo: {session: up, size: 1MB}
timeline:
  - {at: 0s, do: launch}
  - {at: 1s, do: upload, upload: photo}
`

// repoTree builds what a team's repository looks like: scenarios in a
// folder, a workflow in a hidden folder, ignored folders, a malformed
// file, a .yml scenario, one without expectations, two copies of the
// same scenario.
func repoTree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, d := range []string{".github/workflows", "lifecycle/team-a", "lifecycle/team-b", "lifecycle/_drafts", "lifecycle/testdata"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	src, _ := scenarios.Source("app-purged-mid-upload")
	writeTestFile(t, root, ".github/workflows/ci.yaml", "name: ci\non: [push]\njobs: {}\n")
	writeTestFile(t, root, "lifecycle/_drafts/draft.yaml", "this is not a scenario: [")
	writeTestFile(t, root, "lifecycle/testdata/fixture.yaml", "neither: is this\n")
	writeTestFile(t, root, "lifecycle/broken.yaml", "name: broken\ntitle: B\nap: {}\n")
	writeTestFile(t, root, "lifecycle/passing.yml", passing)
	writeTestFile(t, root, "lifecycle/unchecked.yaml", noExpectations)
	writeTestFile(t, root, "lifecycle/team-a/purged.yaml", string(src))
	writeTestFile(t, root, "lifecycle/team-b/purged.yaml", strings.Replace(string(src), "delivered: 1", "delivered: 2", 1))
	return root
}

func TestTestRepositoryTree(t *testing.T) {
	root := repoTree(t)
	junit := filepath.Join(t.TempDir(), "junit.xml")
	code, stdout, stderr := bgsim(t, "test", "--junit", junit, root)
	if code != exitFail {
		t.Errorf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"FAIL lifecycle/broken.yaml ",
		"ok   passing ",
		"SKIP unchecked ",
		"ok   lifecycle/team-a/purged.yaml ",
		"FAIL lifecycle/team-b/purged.yaml ",
		`lifecycle/broken.yaml:3:1: scenario: unknown key "ap"; did you mean "app"?`,
		"\n2 passed, 2 failed, 1 without expectations\n",
	} {
		if !strings.Contains(stdout, strings.ReplaceAll(want, "lifecycle/broken.yaml:", filepath.Join(root, "lifecycle/broken.yaml")+":")) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	for _, not := range []string{"ci.yaml", "draft", "fixture"} {
		if strings.Contains(stdout+stderr, not) {
			t.Errorf("an ignored file was read (%s):\n%s\n%s", not, stdout, stderr)
		}
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatalf("no JUnit file: %v", err)
	}
	if err := checkJUnit(data); err != nil {
		t.Errorf("JUnit: %v\n%s", err, data)
	}
	var x junitDoc
	if err := xml.Unmarshal(data, &x); err != nil {
		t.Fatal(err)
	}
	if x.Tests != 5 || x.Failures != 1 || x.Errors != 1 || x.Skipped != 1 {
		t.Errorf("testsuites tests=%d failures=%d errors=%d skipped=%d, want 5 1 1 1", x.Tests, x.Failures, x.Errors, x.Skipped)
	}
	seen := map[string]bool{}
	for _, s := range x.Suites {
		if seen[s.Name] {
			t.Errorf("two suites named %q", s.Name)
		}
		seen[s.Name] = true
		for _, c := range s.Cases {
			if c.File == "" || c.Line == "" || c.Line == "0" {
				t.Errorf("case %s/%s: file %q line %q", s.Name, c.Name, c.File, c.Line)
			}
		}
	}
	// --strict: a scenario that checks nothing fails.
	code, stdout, _ = bgsim(t, "test", "--strict", filepath.Join(root, "lifecycle/unchecked.yaml"))
	if code != exitFail || !strings.Contains(stdout, "FAIL unchecked") || !strings.Contains(stdout, "no expect: block") {
		t.Errorf("--strict: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = bgsim(t, "test", filepath.Join(root, "lifecycle/unchecked.yaml"))
	if code != exitOK || !strings.Contains(stdout, "0 passed, 0 failed, 1 without expectations") {
		t.Errorf("no expectations, not strict: exit %d\n%s", code, stdout)
	}
}

type junitDoc struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Skipped  int `xml:"skipped,attr"`
	Suites   []struct {
		Name  string `xml:"name,attr"`
		Cases []struct {
			Name string `xml:"name,attr"`
			File string `xml:"file,attr"`
			Line string `xml:"line,attr"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// checkJUnit checks a JUnit document against what the common Jenkins
// JUnit XSD (jenkinsci/xunit-plugin junit-10.xsd) requires, and the
// counts against the cases: testsuites > testsuite(name, tests,
// failures, errors, skipped, time, timestamp) > testcase(name,
// classname, time, file, line) > at most one of failure, error, skipped
// (failure and error with a message).
func checkJUnit(data []byte) error {
	type elem struct {
		XMLName xml.Name
		Attrs   []xml.Attr `xml:",any,attr"`
		Kids    []elem     `xml:",any"`
		Text    string     `xml:",chardata"`
	}
	var root elem
	if err := xml.Unmarshal(data, &root); err != nil {
		return fmt.Errorf("not XML: %v", err)
	}
	attr := func(e elem, name string) (string, bool) {
		for _, a := range e.Attrs {
			if a.Name.Local == name {
				return a.Value, true
			}
		}
		return "", false
	}
	need := func(e elem, names ...string) error {
		for _, n := range names {
			if _, ok := attr(e, n); !ok {
				return fmt.Errorf("<%s> lacks %s", e.XMLName.Local, n)
			}
		}
		return nil
	}
	integer := func(e elem, name string) (int, error) {
		v, _ := attr(e, name)
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("<%s %s=%q>: not a count", e.XMLName.Local, name, v)
		}
		return n, nil
	}
	decimal := func(e elem, name string) error {
		v, _ := attr(e, name)
		if f, err := strconv.ParseFloat(v, 64); err != nil || f < 0 || strings.ContainsAny(v, "eE,") {
			return fmt.Errorf("<%s %s=%q>: not a decimal", e.XMLName.Local, name, v)
		}
		return nil
	}
	if root.XMLName.Local != "testsuites" {
		return fmt.Errorf("root is <%s>, want <testsuites>", root.XMLName.Local)
	}
	var total [4]int
	for _, s := range root.Kids {
		if s.XMLName.Local != "testsuite" {
			return fmt.Errorf("<testsuites> holds <%s>", s.XMLName.Local)
		}
		if err := need(s, "name", "tests", "failures", "errors", "skipped", "time", "timestamp"); err != nil {
			return err
		}
		if err := decimal(s, "time"); err != nil {
			return err
		}
		ts, _ := attr(s, "timestamp")
		if _, err := time.Parse("2006-01-02T15:04:05", ts); err != nil {
			return fmt.Errorf("testsuite timestamp %q: want the XSD's ISO 8601 form without a zone", ts)
		}
		var got [4]int
		for _, c := range s.Kids {
			switch c.XMLName.Local {
			case "properties", "system-out", "system-err":
				continue
			case "testcase":
			default:
				return fmt.Errorf("<testsuite> holds <%s>", c.XMLName.Local)
			}
			if err := need(c, "name", "classname", "time", "file", "line"); err != nil {
				return err
			}
			if err := decimal(c, "time"); err != nil {
				return err
			}
			if _, err := integer(c, "line"); err != nil {
				return err
			}
			got[0]++
			if len(c.Kids) > 1 {
				return fmt.Errorf("testcase %v holds %d outcomes", c.Attrs, len(c.Kids))
			}
			for _, o := range c.Kids {
				switch o.XMLName.Local {
				case "failure":
					got[1]++
				case "error":
					got[2]++
				case "skipped":
					got[3]++
				default:
					return fmt.Errorf("<testcase> holds <%s>", o.XMLName.Local)
				}
				if o.XMLName.Local != "skipped" {
					if err := need(o, "message", "type"); err != nil {
						return err
					}
				}
			}
		}
		for i, a := range []string{"tests", "failures", "errors", "skipped"} {
			n, err := integer(s, a)
			if err != nil {
				return err
			}
			if n != got[i] {
				name, _ := attr(s, "name")
				return fmt.Errorf("testsuite %s: %s=%d, counted %d", name, a, n, got[i])
			}
			total[i] += n
		}
	}
	for i, a := range []string{"tests", "failures", "errors", "skipped"} {
		if v, ok := attr(root, a); ok {
			if n, err := strconv.Atoi(v); err != nil || n != total[i] {
				return fmt.Errorf("testsuites %s=%q, the suites add up to %d", a, v, total[i])
			}
		}
	}
	return nil
}

func TestTestGitHubFormat(t *testing.T) {
	dir := t.TempDir()
	wrong := writeTestFile(t, dir, "wrong.yaml", wrongExpectation)
	bad := writeTestFile(t, dir, "bad.yaml", "name: bad\ntitle: B\nap: {}\n")
	code, stdout, _ := bgsim(t, "test", "--format", "github", dir)
	if code != exitFail {
		t.Errorf("exit %d", code)
	}
	for _, want := range []string{
		"\n0 passed, 2 failed\n" + "::error file=" + bad + ",line=1,title=bgsim test%3A bad.yaml::" + bad + `:1:1: scenario: missing required key "app"` + "\n",
		"::error file=" + bad + ",line=3,title=bgsim test%3A bad.yaml::" + bad + `:3:1: scenario: unknown key "ap"; did you mean "app"?` + "\n",
		"::error file=" + wrong + ",line=13,title=bgsim test%3A wrong::" + wrong + ":13: expect.lost: expected 1, got 0\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

// bgsim validate takes directories as bgsim test does.
func TestValidateDirectory(t *testing.T) {
	root := repoTree(t)
	code, stdout, stderr := bgsim(t, "validate", filepath.Join(root, "lifecycle"))
	if code != exitUsage {
		t.Errorf("exit %d, want 2 (broken.yaml)", code)
	}
	for _, want := range []string{"ok " + filepath.Join(root, "lifecycle/passing.yml"), "ok " + filepath.Join(root, "lifecycle/team-b/purged.yaml")} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "broken.yaml:3:1") || strings.Contains(stdout+stderr, "is a directory") || strings.Contains(stdout+stderr, "draft") {
		t.Errorf("stderr:\n%s", stderr)
	}
	code, _, stderr = bgsim(t, "validate", filepath.Join(root, "lifecycle/team-a"))
	if code != exitOK {
		t.Errorf("a valid directory: exit %d: %s", code, stderr)
	}
}

// bgsim run keeps its exit code when the scenario's expectations fail,
// and says so on stderr in one line.
func TestRunHintsFailingExpectations(t *testing.T) {
	p := writeTestFile(t, t.TempDir(), "wrong.yaml", wrongExpectation)
	code, stdout, stderr := bgsim(t, "run", p)
	if code != exitOK || !strings.Contains(stdout, "delivered") {
		t.Errorf("exit %d", code)
	}
	want := "bgsim run: 1 expectation of this scenario does not hold; bgsim test " + p + " shows which\n"
	if stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
	if _, _, stderr := bgsim(t, "run", "app-purged-mid-upload"); stderr != "" {
		t.Errorf("a scenario whose expectations hold: stderr %q", stderr)
	}
}

// Colour follows the conventions: NO_COLOR only when non-empty
// (https://no-color.org), none for TERM=dumb.
func TestColorConventions(t *testing.T) {
	tty := &stdio{outTTY: true}
	tests := []struct {
		noColor, term string
		unset         bool
		want          bool
	}{
		{unset: true, term: "xterm-256color", want: true},
		{noColor: "", term: "xterm-256color", want: true},
		{noColor: "1", term: "xterm-256color", want: false},
		{unset: true, term: "dumb", want: false},
	}
	for _, tt := range tests {
		t.Setenv("TERM", tt.term)
		if tt.unset {
			t.Setenv("NO_COLOR", "x")
			os.Unsetenv("NO_COLOR")
		} else {
			t.Setenv("NO_COLOR", tt.noColor)
		}
		if got := colorWanted(tty); got != tt.want {
			t.Errorf("NO_COLOR=%q (unset %v) TERM=%q: colour %v, want %v", tt.noColor, tt.unset, tt.term, got, tt.want)
		}
	}
	if colorWanted(&stdio{}) {
		t.Error("colour on a stream that is not a terminal")
	}
}

func TestVersionFlag(t *testing.T) {
	_, want, _ := bgsim(t, "version")
	for _, flag := range []string{"--version", "-version"} {
		code, stdout, stderr := bgsim(t, flag)
		if code != exitOK || stdout != want {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want %q", flag, code, stdout, stderr, want)
		}
	}
}
