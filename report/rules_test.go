package report

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bgsim/bgsim/model"
)

// `bgsim rules R-...` fits 80 columns for every rule of the catalog: the
// title and the sources wrap too, and a source's URL stands whole on a line
// of its own (a URL cut in two cannot be opened).
func TestRuleFitsEightyColumns(t *testing.T) {
	for _, r := range model.Catalog {
		var b strings.Builder
		if err := Rule(&b, r); err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(b.String(), "\n") {
			url := strings.HasPrefix(strings.TrimSpace(l), "http")
			if url && strings.ContainsRune(strings.TrimSpace(l), ' ') {
				t.Errorf("%s: a URL shares its line: %q", r.ID, l)
			}
			if n := utf8.RuneCountInString(l); n > 80 && !url {
				t.Errorf("%s: %d columns: %q", r.ID, n, l)
			}
		}
		for _, k := range r.Sources {
			if _, u, ok := strings.Cut(model.Sources[k], " — http"); ok && !strings.Contains(b.String(), "http"+u+"\n") {
				t.Errorf("%s: source %s's URL is not whole on its line", r.ID, k)
			}
		}
	}
}
