package main

import (
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/report"
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
			for _, want := range []string{"<svg", "radio power", "virtual time since the start of each run", "delivered"} {
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
			for _, want := range []string{"<!DOCTYPE html>", `<h2 id="summary">Summary</h2>`, `<h2 id="why">Why</h2>`, "<svg", `<h2 id="timeline">Timeline</h2>`,
				`<table class="timeline">`, `<h2 id="sequence">Sequence</h2>`, `<a href="#rule-R-`, `<section id="rule-R-`, `<a href="https://`} {
				if !strings.Contains(page, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
			if strings.Contains(strings.ReplaceAll(page, `xmlns="http://www.w3.org/2000/svg"`, ""), "http://") || strings.Contains(page, "<script") ||
				strings.Contains(page, "<link") || strings.Contains(page, "<img") || strings.Contains(page, "src=") {
				t.Error("the page must be self-contained: no scripts, stylesheets or fetches (links to the sources are fine)")
			}
			// Issue 15: the summary opened with 22 rows, mostly zeros.
			for _, zero := range []string{">never_sent</td>", ">crashes</td>", ">background resumes</td>"} {
				if name != "attempt-2-completion-handler" && strings.Contains(page, zero) {
					t.Errorf("the summary keeps the all-zero row %s", zero)
				}
			}
			golden(t, filepath.Join("pages", name+".html"), page)
		})
	}
}

// svgPicture runs bgsim run --svg and returns the picture.
func svgPicture(t *testing.T, args ...string) string {
	t.Helper()
	svg := filepath.Join(t.TempDir(), "p.svg")
	if code, _, stderr := bgsim(t, append([]string{"run", "--svg", svg}, args...)...); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	wellFormed(t, "the SVG", string(data))
	return string(data)
}

var (
	fontSizes = regexp.MustCompile(`font-size="([0-9.]+)"`)
	svgHeight = regexp.MustCompile(`^<svg [^>]*height="([0-9.]+)"`)
)

// Issue 15, as a teacher saw it: both variants of launch-events-off on
// one 0-1 h axis, the whole user-never-returns run a few pixels at x = 0;
// no moment labelled; 13-15 px text; an hour of idle LTE in a Wi-Fi-only
// legend; batched-vs-individual 1712 px tall.
func TestRunPictureTellsTheStory(t *testing.T) {
	leo := svgPicture(t, "launch-events-off")
	for _, m := range fontSizes.FindAllStringSubmatch(leo, -1) {
		if n, _ := strconv.ParseFloat(m[1], 64); n < 18 {
			t.Fatalf("text of %s px; at least 18 at 1280 wide", m[1])
		}
	}
	panels := strings.Split(leo, "user-never-returns — ")
	if len(panels) != 2 {
		t.Fatal("no user-never-returns panel")
	}
	comes, never := panels[0], panels[1]
	// Each panel has its own axis: the short run's reaches +20s, the long
	// one cuts out its idle hour.
	if !strings.Contains(never, ">+20s<") || strings.Contains(never, "+1h") {
		t.Error("user-never-returns is not drawn on its own axis (want ticks up to +20s, none at +1h)")
	}
	if !strings.Contains(comes, "59m37s idle") || !strings.Contains(comes, ">+15s<") {
		t.Error("user-comes-back does not cut out its idle hour")
	}
	for _, want := range []string{"iOS purges the app", "the daemon holds the response: no relaunch", "R-SEND-LAUNCH-EVENTS-FALSE", "u1 still pending at the end", "the server has u1"} {
		if !strings.Contains(never, want) {
			t.Errorf("user-never-returns lacks the moment %q", want)
		}
	}
	if strings.Contains(leo, "cellular") || !strings.Contains(leo, "wifi: 14.03 J above idle") {
		t.Error("the legend should show Wi-Fi's energy above idle and no idle cellular radio")
	}

	apm := svgPicture(t, "app-purged-mid-upload")
	for _, want := range []string{"iOS purges the app", "iOS relaunches the app in the background", "the app recreates com.example.upload",
		"handleEventsForBackgroundURLSession", "the app calls the completion handler", "u1 delivered to the app", "R-PURGED-APP-RELAUNCHED"} {
		if !strings.Contains(apm, want) {
			t.Errorf("app-purged-mid-upload lacks the moment %q", want)
		}
	}
	if h, _ := strconv.ParseFloat(svgHeight.FindStringSubmatch(apm)[1], 64); h > 720 {
		t.Errorf("app-purged-mid-upload is %g px tall: the canvas should fit its content", h)
	}

	riu := svgPicture(t, "renamed-identifier-after-update")
	for _, want := range []string{"an app update ends the process", "R-APP-UPDATE", "the app recreates com.example.upload.v2, not com.example.upload"} {
		if !strings.Contains(riu, want) {
			t.Errorf("renamed-identifier-after-update lacks the moment %q", want)
		}
	}

	bvi := svgPicture(t, "batched-vs-individual")
	if strings.Count(bvi, ">u1-u30 ×30<") != 2 {
		t.Error("the thirty individual uploads should share one lane with their count")
	}
	if h, _ := strconv.ParseFloat(svgHeight.FindStringSubmatch(bvi)[1], 64); h >= 1712 {
		t.Errorf("batched-vs-individual is %g px tall", h)
	}
}

// Issue 15: the sequence diagram, the clearest picture of all, was
// available only as Mermaid text.
func TestSequenceSVG(t *testing.T) {
	code, svg, stderr := bgsim(t, "run", "--format", "sequence-svg", "app-purged-mid-upload")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	wellFormed(t, "the sequence diagram", svg)
	for _, want := range []string{">App<", ">nsurlsessiond<", ">Server<", "marker-end=\"url(#arrow)\"",
		"relaunch the app for", "handleEventsForBackgroundURLSession", "u1: DELIVERED", "R-PURGED-APP-RELAUNCHED"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the sequence diagram lacks %q", want)
		}
	}
	if strings.Contains(svg, "<script") {
		t.Error("the sequence diagram must not need a script")
	}
	for _, m := range fontSizes.FindAllStringSubmatch(svg, -1) {
		if n, _ := strconv.ParseFloat(m[1], 64); n < 18 {
			t.Fatalf("text of %s px", m[1])
		}
	}
	_, help, _ := bgsim(t, "run", "-h")
	if !strings.Contains(help, "sequence-svg") {
		t.Error("run -h does not name sequence-svg")
	}
	_, both, _ := bgsim(t, "run", "--format", "sequence-svg", "launch-events-off")
	if !strings.Contains(both, ">user-comes-back<") || !strings.Contains(both, ">user-never-returns<") {
		t.Error("each variant should have its diagram")
	}
}

// The picture and the diagram in docs/ are bgsim's own output, kept up to
// date with go test ./cmd/bgsim -update.
func TestDocsPictures(t *testing.T) {
	docs, err := os.ReadFile("../../docs/reports.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"app-purged-mid-upload", "launch-events-off", "batched-vs-individual"} {
		docFile(t, "../../docs/images/"+name+".svg", svgPicture(t, name))
		if !strings.Contains(string(docs), "(images/"+name+".svg)") {
			t.Errorf("docs/reports.md does not show images/%s.svg", name)
		}
	}
	for _, name := range []string{"purge-anywhere", "batching-window"} {
		docFile(t, "../../docs/images/"+name+".svg", sweepPicture(t, name))
		if !strings.Contains(string(docs), "(images/"+name+".svg)") {
			t.Errorf("docs/reports.md does not show images/%s.svg", name)
		}
	}
	_, seq, _ := bgsim(t, "run", "--format", "sequence-svg", "app-purged-mid-upload")
	docFile(t, "../../docs/images/app-purged-mid-upload.sequence.svg", seq)
	_, mermaid, _ := bgsim(t, "run", "--format", "mermaid", "app-purged-mid-upload")
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

// sweepPicture runs bgsim sweep --svg and returns the picture.
func sweepPicture(t *testing.T, args ...string) string {
	t.Helper()
	svg := filepath.Join(t.TempDir(), "s.svg")
	if code, _, stderr := bgsim(t, append([]string{"sweep", "--svg", svg}, args...)...); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	wellFormed(t, "the sweep SVG", string(data))
	for _, m := range fontSizes.FindAllStringSubmatch(string(data), -1) {
		if n, _ := strconv.ParseFloat(m[1], 64); n < 18 {
			t.Fatalf("text of %s px", m[1])
		}
	}
	return string(data)
}

// Issue 15: purge-anywhere's time-to-fate chart left out the 28% still
// pending, so both curves reached 100%; the two energy curves coincided
// and hid each other; there was no chart of fate shares. batching-window
// drew upload time, not item wait, and its grid as five overlaid curves.
func TestSweepPicturesShowTheHeadline(t *testing.T) {
	pa := sweepPicture(t, "purge-anywhere")
	for _, want := range []string{
		"Fates: share of uploads, with the 95% interval", "70.0% (67.1–72.8)", "30.0% (27.2–32.9)",
		"launch-events-off: never", "reaches 100%: 30.0% pending", "launch-events-on: all settle",
		"launch-events-on =", // the coinciding energy curves, named together
	} {
		if !strings.Contains(pa, want) {
			t.Errorf("purge-anywhere's picture lacks %q", want)
		}
	}
	bw := sweepPicture(t, "batching-window")
	for _, want := range []string{"Freshness: how long an item waited", "against app.workload.batch.window", ">1m0s<", ">1h0m0s<", ">median<", ">mean<"} {
		if !strings.Contains(bw, want) {
			t.Errorf("batching-window's picture lacks %q", want)
		}
	}
	if strings.Contains(bw, "Time to fate") {
		t.Error("batching-window should draw its grid as the x-axis, not a time-to-fate curve per point")
	}
}
