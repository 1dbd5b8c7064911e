package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/scenarios"
)

// What bgsim expect prints is valid scenario language that the run
// meets: pasted in place of each embedded scenario's expect: blocks,
// bgsim test passes.
func TestExpectPastedPasses(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for _, name := range scenarios.Names() {
		src, _ := scenarios.Source(name)
		code, block, stderr := bgsim(t, "expect", name)
		if code != exitOK {
			t.Fatalf("expect %s: exit %d: %s", name, code, stderr)
		}
		bare := string(scenarios.WithoutExpectations(src, ""))
		if strings.Contains(bare, "\nexpect:") || strings.Contains(bare, "    expect:") {
			t.Fatalf("%s: expectations left:\n%s", name, bare)
		}
		var pasted string
		if strings.HasPrefix(block, "expect:") {
			pasted = bare + "\n" + block
		} else {
			// One block per variant, under the variant's key.
			lines := strings.Split(bare, "\n")
			ok := true
			var variant string
			var body []string
			paste := func() {
				if variant == "" {
					return
				}
				i := indexOfLine(lines, "  "+variant+":")
				if i < 0 {
					ok = false
					return
				}
				lines = append(lines[:i+1], append(body, lines[i+1:]...)...)
			}
			for _, l := range strings.Split(strings.TrimRight(block, "\n"), "\n")[2:] {
				if !strings.HasPrefix(l, "   ") {
					paste()
					variant, body = strings.TrimSuffix(strings.TrimSpace(l), ":"), nil
					continue
				}
				body = append(body, l)
			}
			paste()
			if !ok {
				t.Logf("%s: a variant is not a block mapping; not pasted", name)
				continue
			}
			pasted = strings.Join(lines, "\n")
		}
		files = append(files, writeTestFile(t, dir, name+".yaml", pasted))
	}
	if len(files) < len(scenarios.Names())-2 {
		t.Errorf("pasted into %d scenarios of %d", len(files), len(scenarios.Names()))
	}
	code, stdout, stderr := bgsim(t, append([]string{"test", "--strict"}, files...)...)
	if code != exitOK {
		t.Errorf("bgsim test on the pasted expectations: exit %d\n%s\n%s", code, stdout, stderr)
	}
}

func indexOfLine(lines []string, want string) int {
	for i, l := range lines {
		if l == want {
			return i
		}
	}
	return -1
}

// A copy made with show --as has its own name, no expectations of the
// original, and the schema line first; bgsim test tells it from the
// original.
func TestShowAs(t *testing.T) {
	code, stdout, stderr := bgsim(t, "show", "app-purged-mid-upload", "--as", "my-purge")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "# yaml-language-server: $schema=") {
		t.Errorf("the copy does not start with the schema line:\n%.200s", stdout)
	}
	sc, err := scenarios.Load("copy.yaml", []byte(stdout))
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "my-purge" || sc.Variants[0].Expect != nil {
		t.Errorf("name %q, expect %v", sc.Name, sc.Variants[0].Expect)
	}
	dir := t.TempDir()
	copyFile := writeTestFile(t, dir, "my-purge.yaml", stdout)
	_, out, _ := bgsim(t, "test", "app-purged-mid-upload", copyFile)
	if !strings.Contains(out, "ok   app-purged-mid-upload ") || !strings.Contains(out, "SKIP my-purge ") {
		t.Errorf("bgsim test on the original and the copy:\n%s", out)
	}
	for _, args := range [][]string{{"show", "app-purged-mid-upload", "--as", "Bad Name"}, {"expect"}, {"expect", "--tolerance", "x", "app-purged-mid-upload"}} {
		if code, _, _ := bgsim(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	// The copy with its own expectations passes.
	_, block, _ := bgsim(t, "expect", copyFile)
	if err := os.WriteFile(copyFile, []byte(stdout+block), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := bgsim(t, "test", "--strict", filepath.Clean(copyFile)); code != exitOK {
		t.Errorf("the copy with its expectations: exit %d\n%s", code, out)
	}
}
