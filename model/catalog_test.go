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
	// The model cites rules by the constants of ruleids.go.
	consts, err := os.ReadFile("ruleids.go")
	if err != nil {
		t.Fatal(err)
	}
	idOf := map[string]RuleID{}
	for _, m := range regexp.MustCompile(`(?m)^\t(Rule\w+)\s+RuleID = "(R-[A-Z0-9-]+)"$`).FindAllStringSubmatch(string(consts), -1) {
		idOf[m[1]] = RuleID(m[2])
	}
	if len(idOf) != len(Catalog) {
		t.Errorf("ruleids.go has %d constants, the catalog %d rules", len(idOf), len(Catalog))
	}
	for _, r := range Catalog {
		if idOf[ruleConstName(r.ID)] != r.ID {
			t.Errorf("%s has no constant %s in ruleids.go", r.ID, ruleConstName(r.ID))
		}
	}
	idRe := regexp.MustCompile(`\b(Rule[A-Z]\w*)\b`)
	cited := map[RuleID]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "rules.go" || f == "ruleids.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range idRe.FindAllStringSubmatch(string(src), -1) {
			if id, ok := idOf[m[1]]; ok {
				cited[id] = true
			}
		}
	}
	var ids []RuleID
	for id := range cited {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if _, ok := LookupRule(string(id)); !ok {
			t.Errorf("the model cites %s, which is not in the catalog", id)
		}
	}
	seen := map[RuleID]bool{}
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
		name := "TestRule_" + strings.ReplaceAll(string(r.ID), "-", "_")
		if r.Modelled && !strings.Contains(src.String(), "func "+name+"(") {
			t.Errorf("%s is modelled but no *rules_test.go has %s", r.ID, name)
		}
	}
}

// ruleConstName is the Go constant for rule id: R-ID-DEFINES-SESSION is
// RuleIDDefinesSession.
func ruleConstName(id RuleID) string {
	upper := map[string]bool{"ID": true, "BG": true, "HTTP": true}
	var b strings.Builder
	b.WriteString("Rule")
	for _, p := range strings.Split(strings.TrimPrefix(string(id), "R-"), "-") {
		switch {
		case p == "HTTPBODY":
			b.WriteString("HTTPBody")
		case upper[p]:
			b.WriteString(p)
		default:
			b.WriteString(p[:1] + strings.ToLower(p[1:]))
		}
	}
	return b.String()
}
