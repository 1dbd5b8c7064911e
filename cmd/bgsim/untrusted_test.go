package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostileYAML is a scenario from a stranger (issue 10, item 5): the loader
// accepts control characters in the title, the abouts, the identifier,
// the delegate and the names of sessions and uploads (scenario and
// variant names it restricts to lower-case words).
const hostileYAML = `name: hostile
title: "T\x1b]0;PWNED\x07\x1b[2J\r\x01"
about: "A\rB\x01"
seed: 1
horizon: 10m
app:
  sessions:
    "bg\rx":
      identifier: "id\r    Note over App: forged\n` + "```" + `\n<img src=x>\x1b[2J\x01\u0085"
      delegate: "Del\x1b[31m;#59;%%%{init}%%%"
  uploads:
    "msg\x01\r\x7f":
      session: "bg\rx"
      api: upload-from-file
      size: 14B
timeline:
  - {at: 0s, do: launch}
  - {at: 1s, do: upload, upload: "msg\x01\r\x7f"}
  - {at: 1010ms, do: force-quit}
variants:
  a: {about: "v\x1b[2J\nsecond line"}
  b: {}
expect:
  delivered: 1
`

// terminalBad returns what a terminal would act on in s: a C0 control
// other than newline, DEL, a C1 control.
func terminalBad(s string) string {
	for i, r := range s {
		if r < 0x20 && r != '\n' || r >= 0x7f && r <= 0x9f || r == utf8.RuneError && !strings.HasPrefix(s[i:], "\ufffd") {
			return s[max(0, i-30):min(len(s), i+30)]
		}
	}
	return ""
}

func TestUntrusted5_LoadedScenario(t *testing.T) {
	dir := t.TempDir()
	file := writeTestFile(t, dir, "hostile.yaml", hostileYAML)
	if code, _, stderr := bgsim(t, "validate", file); code != exitOK {
		t.Fatalf("the loader should accept the hostile text (the writers are what must cope): %s", stderr)
	}
	for _, args := range [][]string{
		{"run", file},
		{"run", "--explain", file},
		{"run", "--format", "timeline", "--explain", file},
		{"run", "--format", "mermaid", file},
		{"test", file},
	} {
		_, stdout, stderr := bgsim(t, args...)
		if bad := terminalBad(stdout + stderr); bad != "" {
			t.Errorf("%v: a control character reaches the terminal near %q", args, bad)
		}
		if args[len(args)-2] == "mermaid" && (strings.Contains(stdout, "\n```\n<") || strings.Contains(stdout, "\n    Note over App: forged")) {
			t.Errorf("%v: the scenario's text forged Markdown or a Mermaid statement:\n%s", args, stdout)
		}
	}
	svg := filepath.Join(dir, "p.svg")
	code, page, stderr := bgsim(t, "run", "--format", "html", "--svg", svg, file)
	if code != exitOK {
		t.Fatalf("html: exit %d: %s", code, stderr)
	}
	wellFormed(t, "the page", page)
	data, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	wellFormed(t, "the SVG", string(data))
	junit := filepath.Join(dir, "junit.xml")
	if code, _, stderr := bgsim(t, "test", "--junit", junit, file); code != exitFail {
		t.Fatalf("test: exit %d, want %d: %s", code, exitFail, stderr)
	}
	data, err = os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	wellFormed(t, "the JUnit XML", string(data))
	for _, args := range [][]string{{"run", "--format", "json", file}, {"test", "--format", "json", file}} {
		_, stdout, _ := bgsim(t, args...)
		if !json.Valid([]byte(stdout)) {
			t.Errorf("%v: not JSON", args)
		}
	}
}

// A scenario that does not load is reported with what it holds quoted,
// and the paths of its problems name its keys: those reach the terminal
// as visible escapes too.
func TestUntrusted5_LoadErrors(t *testing.T) {
	file := writeTestFile(t, t.TempDir(), "bad.yaml",
		"name: x\ntitle: t\nvariants:\n  \"v\\x1b]0;X\\x07\": 5\napp:\n  sessions:\n    \"s\\x1b[2J\": 3\n")
	for _, args := range [][]string{{"validate", file}, {"run", file}, {"test", file}} {
		code, stdout, stderr := bgsim(t, args...)
		// bgsim test reports a file that does not load as a failed test,
		// on stdout.
		want, where := exitUsage, stderr
		if args[0] == "test" {
			want, where = exitFail, stdout
		}
		if code != want {
			t.Errorf("%v: exit %d, want %d", args, code, want)
		}
		if bad := terminalBad(stdout + stderr); bad != "" {
			t.Errorf("%v: a control character reaches the terminal near %q", args, bad)
		}
		if !strings.Contains(where, `app.sessions.s\x1b[2J`) {
			t.Errorf("%v: the session's name should show escaped:\n%s", args, stderr)
		}
	}
}
