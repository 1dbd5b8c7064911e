package scenarios

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// Every complete scenario in docs/scenarios.md (a yaml block with a name)
// loads without error, so the reference cannot drift from the loader.
func TestDocExamplesLoad(t *testing.T) {
	doc, err := os.ReadFile("../docs/scenarios.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	n := 0
	for _, b := range blocks {
		if !strings.HasPrefix(b[1], "name:") {
			continue
		}
		n++
		sc, err := Load("docs/scenarios.md", []byte(b[1]))
		if err != nil {
			t.Errorf("example %q does not load:\n%v", strings.SplitN(b[1], "\n", 2)[0], err)
			continue
		}
		if _, err := sc.Run(RunOptions{}); err != nil {
			t.Errorf("%s does not run: %v", sc.Name, err)
		}
	}
	if n < 2 {
		t.Errorf("found %d complete examples in docs/scenarios.md, want at least 2", n)
	}
}
