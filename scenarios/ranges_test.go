package scenarios

import (
	"os"
	"strings"
	"testing"
)

// docs/scenarios.md prints the range table the loader and sweeps use,
// exactly: one source of truth for every bound.
func TestRangeTableInDocs(t *testing.T) {
	doc, err := os.ReadFile("../docs/scenarios.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), rangeTable()) {
		t.Errorf("docs/scenarios.md does not have the current range table; paste this under ## Limits:\n%s", rangeTable())
	}
}
