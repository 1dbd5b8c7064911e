package scenarios

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the parameter table in docs/scenarios.md from model.ParamTable")

// docs/scenarios.md prints the parameter table (model.ParamTable) the
// loader, sweeps and the schema use, exactly: one source of truth for
// every bound. `go test ./scenarios -run TestRangeTableInDocs -update`
// rewrites it.
func TestRangeTableInDocs(t *testing.T) {
	const file = "../docs/scenarios.md"
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	start := strings.Index(doc, "| parameter | valid values |")
	if start < 0 {
		t.Fatalf("%s has no parameter table (a line starting \"| parameter | valid values |\")", file)
	}
	end := start
	for end < len(doc) && strings.HasPrefix(doc[end:], "|") {
		nl := strings.IndexByte(doc[end:], '\n')
		if nl < 0 {
			end = len(doc)
			break
		}
		end += nl + 1
	}
	if doc[start:end] == rangeTable() {
		return
	}
	if *update {
		if err := os.WriteFile(file, []byte(doc[:start]+rangeTable()+doc[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s does not have the current parameter table; run go test ./scenarios -run TestRangeTableInDocs -update, or paste this under ## Limits:\n%s", file, rangeTable())
}
