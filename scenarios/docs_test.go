package scenarios

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// docsBase is what a partial example of docs/scenarios.md is laid over.
const docsBase = `name: docs-example
title: A partial example laid over a minimal scenario
app:
  sessions:
    uploads: {identifier: com.example.upload, delegate: UploadDelegate}
  uploads:
    photo: {session: uploads, size: 1MB}
timeline:
  - {at: 0s, do: launch}
  - {at: 1s, do: upload, upload: photo}
variants:
  individual-lte: {}
`

// Every example in docs/scenarios.md loads: complete scenarios as they
// are, partial ones (a network block, an app block, an expect block) laid
// over a minimal scenario the way a variant overlays its base. So the
// reference cannot drift from the loader. A complete example runs, and
// what it expects holds.
func TestDocExamplesLoad(t *testing.T) {
	doc, err := os.ReadFile("../docs/scenarios.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	complete, partial := 0, 0
	for _, b := range blocks {
		src := b[1]
		first := strings.SplitN(src, "\n", 2)[0]
		if strings.HasPrefix(src, "name:") {
			complete++
			sc, err := Load("docs/scenarios.md", []byte(src))
			if err != nil {
				t.Errorf("example %q does not load:\n%v", first, err)
				continue
			}
			rs, err := sc.Run(RunOptions{})
			if err != nil {
				t.Errorf("%s does not run: %v", sc.Name, err)
				continue
			}
			// What an example expects is what its run does.
			for _, f := range sc.Check(rs) {
				t.Errorf("example %s: %v", sc.Name, f)
			}
			continue
		}
		partial++
		var base, over yaml.Node
		if err := yaml.Unmarshal([]byte(docsBase), &base); err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal([]byte(src), &over); err != nil {
			t.Errorf("example %q is not YAML: %v", first, err)
			continue
		}
		merged, err := yaml.Marshal(merge(base.Content[0], over.Content[0]))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Load("docs/scenarios.md", merged); err != nil {
			t.Errorf("example %q does not load over a minimal scenario:\n%v", first, err)
		}
	}
	if complete < 2 || partial < 4 {
		t.Errorf("found %d complete and %d partial examples; the reference has more", complete, partial)
	}
}
