package model

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestCatalog checks the catalog against the model's source: every rule id
// the model cites is in the catalog, every entry marked Modelled is cited
// somewhere in the model, and every entry is complete.
func TestCatalog(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	idRe := regexp.MustCompile(`"(R-[A-Z0-9-]+)"`)
	cited := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "rules.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range idRe.FindAllStringSubmatch(string(src), -1) {
			cited[m[1]] = true
		}
	}
	var ids []string
	for id := range cited {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if _, ok := LookupRule(id); !ok {
			t.Errorf("the model cites %s, which is not in the catalog", id)
		}
	}
	seen := map[string]bool{}
	for _, r := range Catalog {
		if seen[r.ID] {
			t.Errorf("%s is in the catalog twice", r.ID)
		}
		seen[r.ID] = true
		if r.Title == "" || r.Explanation == "" || len(r.Confidence) == 0 {
			t.Errorf("%s: title, explanation and confidence are required", r.ID)
		}
		if r.Modelled && !cited[r.ID] {
			t.Errorf("%s is marked Modelled but the model never cites it", r.ID)
		}
		if !r.Modelled && cited[r.ID] {
			t.Errorf("%s is cited by the model but marked as documentation only", r.ID)
		}
		for _, s := range r.Sources {
			if _, ok := Sources[s]; !ok {
				t.Errorf("%s: unknown source key %s", r.ID, s)
			}
		}
	}
}

// Every modelled rule has a test named after it, in a *rules_test.go file.
func TestEveryModelledRuleHasATest(t *testing.T) {
	files, err := filepath.Glob("*rules_test.go")
	if err != nil {
		t.Fatal(err)
	}
	var src strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(b)
	}
	for _, r := range Catalog {
		name := "TestRule_" + strings.ReplaceAll(r.ID, "-", "_")
		if r.Modelled && !strings.Contains(src.String(), "func "+name+"(") {
			t.Errorf("%s is modelled but no *rules_test.go has %s", r.ID, name)
		}
	}
}
