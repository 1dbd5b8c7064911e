package report

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bgsim/bgsim/model"
)

// The writers' fuzz targets take arbitrary text for every free-text field
// a scenario carries (scenario, variant, title, about, upload name,
// session identifier, delegate), run a small scenario with it, and check
// that the output stays well-formed in its syntax: terminal text without
// a control character, XML that parses, JSON that parses, Mermaid made of
// bgsim's statements only, Markdown whose fences only bgsim closes.
// Inputs the fuzzer finds are kept under testdata/fuzz/<target>.

// fuzzSeeds adds the hostile strings seen in issue 10 as the corpus.
func fuzzSeeds(f *testing.F) {
	f.Add("sample", "", "", "", "u", "com.example.upload", "D")
	f.Add(hostileScenario, "v\x1b[2J\r", hostileTitle, hostileAbout, hostileUpload, hostileIdentifier, hostileDelegate)
	f.Add("sc", "w\n## forged", "\x1b]0;PWNED\x07\x1b[2J", "a\rb", "msg\x01", "id\r    Note over App: forged", "D;#%%")
	f.Add("x\n```\n<script>", "````", "\ufffe\uffff\xff", "\u2028\u202e", "u````", "id ``` ````` x", "%%{init}%%")
	f.Add("", "", "", "", "", "", "")
}

// fuzzRuns runs the fields as two variants of one scenario (the second
// named after the first), or nothing when the model refuses the config.
func fuzzRuns(t *testing.T, scenario, variant, title, about, upload, identifier, delegate string) []*model.Result {
	t.Helper()
	var runs []*model.Result
	for _, v := range []string{variant, variant + "-2"} {
		r, err := model.Run(hostileConfig(scenario, v, title, about, upload, identifier, delegate))
		if err != nil {
			return nil
		}
		runs = append(runs, r)
	}
	return runs
}

// fuzzCases turns the fields into suite cases, one failing.
func fuzzCases(scenario, variant, title, about, upload, identifier, delegate string) []SuiteCase {
	return []SuiteCase{
		{Scenario: scenario, Variant: variant, File: title, Seeds: []uint64{1, 2}, Error: about},
		{Scenario: scenario, Variant: upload, File: "f.yaml", Seeds: []uint64{1},
			Failures: []SuiteFailure{{Seed: 1, Expectation: identifier, Expected: delegate, Actual: about, File: title, Line: 3}}},
		{Scenario: identifier, Seeds: []uint64{1}},
	}
}

func write(t *testing.T, fn func(io.Writer) error) string {
	t.Helper()
	var buf bytes.Buffer
	if err := fn(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func FuzzTable(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, scenario, variant, title, about, upload, identifier, delegate string) {
		runs := fuzzRuns(t, scenario, variant, title, about, upload, identifier, delegate)
		if runs == nil {
			return
		}
		wantTerminalClean(t, "the table", write(t, func(w io.Writer) error { return Table(w, runs) }))
		wantTerminalClean(t, "the one-run table", write(t, func(w io.Writer) error { return Table(w, runs[:1]) }))
	})
}

func FuzzTimeline(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, scenario, variant, title, about, upload, identifier, delegate string) {
		runs := fuzzRuns(t, scenario, variant, title, about, upload, identifier, delegate)
		if runs == nil {
			return
		}
		wantTerminalClean(t, "the timeline", write(t, func(w io.Writer) error { return Timeline(w, runs, false) }))
		wantTerminalClean(t, "the coloured timeline", write(t, func(w io.Writer) error { return colouredTimeline(w, runs) }))
	})
}

func FuzzExplain(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, scenario, variant, title, about, upload, identifier, delegate string) {
		runs := fuzzRuns(t, scenario, variant, title, about, upload, identifier, delegate)
		if runs == nil {
			return
		}
		wantTerminalClean(t, "the explanation", write(t, func(w io.Writer) error { return Explain(w, runs) }))
	})
}

func FuzzMermaid(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, scenario, variant, title, about, upload, identifier, delegate string) {
		runs := fuzzRuns(t, scenario, variant, title, about, upload, identifier, delegate)
		if runs == nil {
			return
		}
		one := write(t, func(w io.Writer) error { return Mermaid(w, runs[:1]) })
		checkMermaidLines(t, strings.Split(strings.TrimSuffix(one, "\n"), "\n"))
		checkMarkdown(t, write(t, func(w io.Writer) error { return Mermaid(w, runs) }), len(runs))
	})
}

func FuzzSVG(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, scenario, variant, title, about, upload, identifier, delegate string) {
		runs := fuzzRuns(t, scenario, variant, title, about, upload, identifier, delegate)
		if runs == nil {
			return
		}
		if err := wellFormedXML([]byte(write(t, func(w io.Writer) error { return SVG(w, runs) }))); err != nil {
			t.Errorf("the SVG is not well-formed: %v", err)
		}
		if err := wellFormedXML([]byte(write(t, func(w io.Writer) error { return SequenceSVG(w, runs) }))); err != nil {
			t.Errorf("the sequence diagram is not well-formed: %v", err)
		}
		// The sweep's picture, with the same text as its names.
		s := NewSweepStats(SweepMeta{Scenario: scenario, Title: title, Runs: 1, Variants: []string{variant, upload}, Points: []string{""}})
		for v := range 2 {
			if err := s.Add(model.RunRecord{Variant: v, Fates: [5]int{1}, Settle: []float64{1.5}, Joules: 0.5}); err != nil {
				t.Fatal(err)
			}
		}
		if err := wellFormedXML([]byte(write(t, s.SVG))); err != nil {
			t.Errorf("the sweep's SVG is not well-formed: %v", err)
		}
	})
}

func FuzzHTML(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, scenario, variant, title, about, upload, identifier, delegate string) {
		runs := fuzzRuns(t, scenario, variant, title, about, upload, identifier, delegate)
		if runs == nil {
			return
		}
		for _, rs := range [][]*model.Result{runs[:1], runs} {
			if err := wellFormedXML([]byte(write(t, func(w io.Writer) error { return HTML(w, rs) }))); err != nil {
				t.Errorf("the page of %d runs is not well-formed: %v", len(rs), err)
			}
		}
	})
}

func FuzzJUnit(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, scenario, variant, title, about, upload, identifier, delegate string) {
		cases := fuzzCases(scenario, variant, title, about, upload, identifier, delegate)
		if err := wellFormedXML([]byte(write(t, func(w io.Writer) error { return JUnit(w, cases, time.Time{}) }))); err != nil {
			t.Errorf("the JUnit XML is not well-formed: %v", err)
		}
		wantTerminalClean(t, "the suite's text", write(t, func(w io.Writer) error { return SuiteText(w, cases) }))
		if out := write(t, func(w io.Writer) error { return SuiteJSON(w, cases) }); !json.Valid([]byte(out)) || !utf8.ValidString(out) {
			t.Errorf("the suite's JSON is not valid:\n%s", out)
		}
	})
}

func FuzzJSON(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, scenario, variant, title, about, upload, identifier, delegate string) {
		runs := fuzzRuns(t, scenario, variant, title, about, upload, identifier, delegate)
		if runs == nil {
			return
		}
		out := write(t, func(w io.Writer) error { return JSON(w, runs) })
		var doc Document
		if err := json.Unmarshal([]byte(out), &doc); err != nil || !utf8.ValidString(out) || len(doc.Runs) != len(runs) {
			t.Errorf("the JSON does not parse back: %v\n%s", err, out)
		}
		for _, line := range strings.Split(strings.TrimSuffix(write(t, func(w io.Writer) error { return Trace(w, runs) }), "\n"), "\n") {
			if !json.Valid([]byte(line)) || !utf8.ValidString(line) {
				t.Errorf("a trace line is not valid JSON: %q", line)
			}
		}
	})
}
