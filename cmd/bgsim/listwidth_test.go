package main

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// bgsim list was 138 columns wide and the command overview 93 (issue 15):
// both fit the terminal, wrapping titles and summaries between words
// under their own column.
func TestListAndHelpFitTheTerminal(t *testing.T) {
	for _, cols := range []string{"80", "60"} {
		t.Setenv("COLUMNS", cols)
		for _, args := range [][]string{{"list"}, {"help"}} {
			if cols != "80" && args[0] == "help" {
				continue // the overview's prose is written to 80 columns
			}
			code, out, stderr := bgsim(t, args...)
			if code != 0 {
				t.Fatalf("%v: exit %d: %s", args, code, stderr)
			}
			for _, line := range strings.Split(out, "\n") {
				if n := utf8.RuneCountInString(line); n > atoiOr(cols) {
					t.Errorf("COLUMNS=%s %v: %d columns: %q", cols, args, n, line)
				}
			}
		}
	}
	t.Setenv("COLUMNS", "80")
	_, out, _ := bgsim(t, "list")
	if !strings.Contains(out, "attempt-2-completion-handler     story  Attempt 2: an upload task with a\n                                        completion handler") {
		t.Errorf("a long title does not wrap under its column:\n%s", out)
	}
}

func atoiOr(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
