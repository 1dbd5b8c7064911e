package main

import (
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"bgsim/report"
)

// wellFormed parses doc as strict XML, to the end.
func wellFormed(t *testing.T, name, doc string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	d.Strict = true
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("%s is not well-formed: %v", name, err)
		}
	}
}

func TestSVGAndHTML(t *testing.T) {
	for _, name := range []string{"app-purged-mid-upload", "batched-vs-individual", "attempt-2-completion-handler", "launch-events-off"} {
		t.Run(name, func(t *testing.T) {
			svg := filepath.Join(t.TempDir(), name+".svg")
			code, _, stderr := bgsim(t, "run", "--svg", svg, name)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			data, err := os.ReadFile(svg)
			if err != nil {
				t.Fatal(err)
			}
			wellFormed(t, "the SVG", string(data))
			for _, want := range []string{"<svg", "radio power", "virtual time since the start of the run", "delivered"} {
				if !strings.Contains(string(data), want) {
					t.Errorf("the SVG lacks %q", want)
				}
			}
			golden(t, filepath.Join("pictures", name+".svg"), string(data))

			code, page, _ := bgsim(t, "run", "--format", "html", name)
			if code != exitOK {
				t.Fatalf("html: exit %d", code)
			}
			wellFormed(t, "the HTML", page)
			for _, want := range []string{"<!DOCTYPE html>", "<h2>Summary</h2>", "<h2>Why</h2>", "<svg", "<h2>Timeline</h2>"} {
				if !strings.Contains(page, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
			if strings.Contains(page, "http://") && !strings.Contains(page, `xmlns="http://www.w3.org/2000/svg"`) || strings.Contains(page, "<script") || strings.Contains(page, "<link") {
				t.Error("the page must be self-contained: no scripts, links or fetches")
			}
			golden(t, filepath.Join("pages", name+".html"), page)
		})
	}
}

// The picture and the diagram in docs/ are bgsim's own output, kept up to
// date with go test ./cmd/bgsim -update.
func TestDocsPictures(t *testing.T) {
	svg := filepath.Join(t.TempDir(), "p.svg")
	if code, _, stderr := bgsim(t, "run", "--svg", svg, "app-purged-mid-upload"); code != exitOK {
		t.Fatal(stderr)
	}
	data, _ := os.ReadFile(svg)
	docFile(t, "../../docs/images/app-purged-mid-upload.svg", string(data))
	_, mermaid, _ := bgsim(t, "run", "--format", "mermaid", "app-purged-mid-upload")
	docs, err := os.ReadFile("../../docs/reports.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(docs), "```mermaid\n"+mermaid+"```") {
		t.Errorf("docs/reports.md does not hold the current Mermaid diagram of app-purged-mid-upload; paste the output of\n  bgsim run --format mermaid app-purged-mid-upload")
	}
}

func docFile(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil || string(want) != got {
		t.Errorf("%s is not bgsim's current output (go test ./cmd/bgsim -update rewrites it)", path)
	}
}

// docs/rules.md is the catalog as Markdown, kept equal to it.
func TestDocsRules(t *testing.T) {
	var b strings.Builder
	if err := report.RulesMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	docFile(t, "../../docs/rules.md", b.String())
}
