package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The bash script is checked by bash itself: it parses, and completing
// real command lines gives the commands, flags and scenario names.
func TestCompletionBash(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash here")
	}
	code, script, stderr := bgsim(t, "completion", "bash")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "bgsim.bash")
	if err := os.WriteFile(p, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bash, "-n", p).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v\n%s", err, out)
	}
	for _, tt := range []struct {
		words []string
		want  []string
		not   []string
	}{
		{[]string{"bgsim", "ru"}, []string{"run", "rules"}, []string{"sweep"}},
		{[]string{"bgsim", "run", "--fo"}, []string{"--format"}, []string{"--seed"}},
		{[]string{"bgsim", "run", "app-p"}, []string{"app-purged-mid-upload"}, nil},
		{[]string{"bgsim", "sweep", "m"}, []string{"merge"}, nil},
		{[]string{"bgsim", "completion", ""}, []string{"bash", "zsh", "fish"}, nil},
		{[]string{"bgsim", "test", "--"}, []string{"--junit", "--strict"}, nil},
	} {
		line := "source " + p + "; COMP_WORDS=(" + strings.Join(quoteAll(tt.words), " ") + "); COMP_CWORD=" +
			itoa(len(tt.words)-1) + "; _bgsim; printf '%s\\n' \"${COMPREPLY[@]}\""
		cmd := exec.Command(bash, "-c", line)
		cmd.Dir = dir // no files to offer beside the script
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v\n%s", tt.words, err, out)
		}
		got := strings.Fields(string(out))
		for _, w := range tt.want {
			if !contains(got, w) {
				t.Errorf("%v: completions %v lack %q", tt.words, got, w)
			}
		}
		for _, w := range tt.not {
			if contains(got, w) {
				t.Errorf("%v: completions %v hold %q", tt.words, got, w)
			}
		}
	}
}

// zsh's script is bash's behind bashcompinit; fish's names every command
// and its flags. Each is parsed by its shell where the shell exists.
func TestCompletionZshFish(t *testing.T) {
	for _, sh := range []string{"zsh", "fish"} {
		code, script, stderr := bgsim(t, "completion", sh)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", sh, code, stderr)
		}
		flag := "--format"
		if sh == "fish" {
			flag = "-l format"
		}
		for _, want := range []string{"run", "sweep", flag, "app-purged-mid-upload"} {
			if !strings.Contains(script, want) {
				t.Errorf("%s script lacks %q", sh, want)
			}
		}
		if path, err := exec.LookPath(sh); err == nil {
			p := filepath.Join(t.TempDir(), "c."+sh)
			os.WriteFile(p, []byte(script), 0o644)
			if out, err := exec.Command(path, "-n", p).CombinedOutput(); err != nil {
				t.Errorf("%s -n: %v\n%s", sh, err, out)
			}
		} else {
			t.Logf("no %s here: the script is checked for content only", sh)
		}
	}
	if code, _, stderr := bgsim(t, "completion", "tcsh"); code != exitUsage || !strings.Contains(stderr, "want bash, zsh or fish") {
		t.Errorf("tcsh: exit %d, %s", code, stderr)
	}
}

func quoteAll(ws []string) []string {
	var out []string
	for _, w := range ws {
		out = append(out, "'"+w+"'")
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func itoa(i int) string { return strconv.Itoa(i) }
