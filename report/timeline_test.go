package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/model"
)

func TestTimelineWidthAndColour(t *testing.T) {
	r := sampleRun(t)
	var plain, colour bytes.Buffer
	if err := Timeline(&plain, []*model.Result{r}, false); err != nil {
		t.Fatal(err)
	}
	Timeline(&colour, []*model.Result{r}, true)
	for _, line := range strings.Split(plain.String(), "\n") {
		if n := len([]rune(line)); n > Width {
			t.Errorf("line of %d columns: %q", n, line)
		}
	}
	if strings.Contains(plain.String(), "\x1b[") {
		t.Error("colour codes without colour")
	}
	if !strings.Contains(colour.String(), ansiGreen) || !strings.Contains(colour.String(), ansiDim) {
		t.Error("no colour when asked for it")
	}
	// Each event appears in its actor's column.
	for _, want := range []string{"daemon", "network", "server", "radio"} {
		if !strings.Contains(plain.String(), want) {
			t.Errorf("no %s column", want)
		}
	}
}

func TestWrapAt(t *testing.T) {
	lines := wrapAt("a b c d e f g", "[R-LONG-RULE-ID]", 10)
	if lines[len(lines)-1] != "[R-LONG-RULE-ID]" {
		t.Errorf("the rule id must stay whole: %q", lines)
	}
	for _, l := range lines[:len(lines)-1] {
		if len(l) > 10 {
			t.Errorf("line %q longer than 10", l)
		}
	}
}
