package report

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// SuiteCase is one scenario variant's outcome in a `bgsim test` run. The
// command fills it from the scenarios package, so that report depends on
// model only.
type SuiteCase struct {
	Scenario string
	Variant  string
	File     string
	Seeds    []uint64
	Failures []SuiteFailure
	Error    string // the run itself failed
	Duration time.Duration
}

// SuiteFailure is one expectation that did not hold.
type SuiteFailure struct {
	Seed        uint64
	Expectation string
	Expected    string
	Actual      string
	File        string
	Line        int
}

// Passed tells whether the case met every expectation on every seed.
func (c *SuiteCase) Passed() bool { return c.Error == "" && len(c.Failures) == 0 }

// Name is "scenario/variant", or the scenario alone.
func (c *SuiteCase) Name() string {
	if c.Variant == "" {
		return c.Scenario
	}
	return c.Scenario + "/" + c.Variant
}

func counts(cases []SuiteCase) (passed, failed int) {
	for i := range cases {
		if cases[i].Passed() {
			passed++
		} else {
			failed++
		}
	}
	return passed, failed
}

// SuiteText writes one line per case, then the failures in detail, then
// the closing line "N passed, N failed". The scenarios' text is made
// TerminalSafe.
func SuiteText(w io.Writer, cases []SuiteCase) error {
	width := 0
	for i := range cases {
		width = max(width, len([]rune(TerminalSafe(cases[i].Name()))))
	}
	for i := range cases {
		c := &cases[i]
		status := "ok  "
		if !c.Passed() {
			status = "FAIL"
		}
		seeds := ""
		if len(c.Seeds) > 1 {
			seeds = fmt.Sprintf("  %d seeds", len(c.Seeds))
		}
		fmt.Fprintf(w, "%s %-*s  %8s%s\n", status, width, TerminalSafe(c.Name()), c.Duration.Round(10*time.Microsecond), seeds)
	}
	for i := range cases {
		c := &cases[i]
		if c.Passed() {
			continue
		}
		fmt.Fprintf(w, "\n--- FAIL: %s (%s)\n", TerminalSafe(c.Name()), TerminalSafe(c.File))
		if c.Error != "" {
			fmt.Fprintf(w, "    the run failed: %s\n", TerminalSafe(c.Error))
		}
		for _, f := range c.Failures {
			seed := ""
			if len(c.Seeds) > 1 {
				seed = fmt.Sprintf(" [seed %d: replay with bgsim run --seed %d]", f.Seed, f.Seed)
			}
			fmt.Fprintf(w, "    %s:%d: %s: expected %s, got %s%s\n", TerminalSafe(f.File), f.Line, TerminalSafe(f.Expectation),
				TerminalSafe(f.Expected), TerminalSafe(f.Actual), seed)
		}
	}
	passed, failed := counts(cases)
	_, err := fmt.Fprintf(w, "\n%d passed, %d failed\n", passed, failed)
	return err
}

// SuiteJSON writes {"passed", "failed", "cases": [...]}.
func SuiteJSON(w io.Writer, cases []SuiteCase) error {
	type failure struct {
		Seed        uint64 `json:"seed"`
		Expectation string `json:"expectation"`
		Expected    string `json:"expected"`
		Actual      string `json:"actual"`
		File        string `json:"file"`
		Line        int    `json:"line"`
	}
	type jcase struct {
		Scenario  string    `json:"scenario"`
		Variant   string    `json:"variant"`
		File      string    `json:"file"`
		Passed    bool      `json:"passed"`
		Seeds     []uint64  `json:"seeds"`
		Error     string    `json:"error,omitempty"`
		Failures  []failure `json:"failures"`
		DurationS float64   `json:"duration_s"`
	}
	passed, failed := counts(cases)
	doc := struct {
		Passed int     `json:"passed"`
		Failed int     `json:"failed"`
		Cases  []jcase `json:"cases"`
	}{Passed: passed, Failed: failed, Cases: []jcase{}}
	for i := range cases {
		c := &cases[i]
		jc := jcase{Scenario: c.Scenario, Variant: c.Variant, File: c.File, Passed: c.Passed(), Seeds: c.Seeds,
			Error: c.Error, Failures: []failure{}, DurationS: c.Duration.Seconds()}
		for _, f := range c.Failures {
			jc.Failures = append(jc.Failures, failure(f))
		}
		doc.Cases = append(doc.Cases, jc)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// JUnit writes the cases as JUnit XML, one test suite per scenario, which
// CI systems display. encoding/xml keeps the document well-formed whatever
// the text (it writes U+FFFD for what XML forbids); the scenarios' text is
// made TerminalSafe as well, since CI logs are read on terminals.
func JUnit(w io.Writer, cases []SuiteCase) error {
	type failure struct {
		Message string `xml:"message,attr"`
		Text    string `xml:",chardata"`
	}
	type testcase struct {
		Name      string   `xml:"name,attr"`
		Classname string   `xml:"classname,attr"`
		Time      string   `xml:"time,attr"`
		Failure   *failure `xml:"failure,omitempty"`
	}
	type suite struct {
		Name     string     `xml:"name,attr"`
		Tests    int        `xml:"tests,attr"`
		Failures int        `xml:"failures,attr"`
		Time     string     `xml:"time,attr"`
		Cases    []testcase `xml:"testcase"`
	}
	type suites struct {
		XMLName  xml.Name `xml:"testsuites"`
		Name     string   `xml:"name,attr"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
		Suites   []suite  `xml:"testsuite"`
	}
	secs := func(d time.Duration) string { return fmt.Sprintf("%.6f", d.Seconds()) }
	doc := suites{Name: "bgsim"}
	for i := range cases {
		c := &cases[i]
		if len(doc.Suites) == 0 || doc.Suites[len(doc.Suites)-1].Name != c.Scenario {
			doc.Suites = append(doc.Suites, suite{Name: TerminalSafe(c.Scenario)})
		}
		s := &doc.Suites[len(doc.Suites)-1]
		name := c.Variant
		if name == "" {
			name = c.Scenario
		}
		tc := testcase{Name: TerminalSafe(name), Classname: TerminalSafe(c.Scenario), Time: secs(c.Duration)}
		if !c.Passed() {
			var lines []string
			if c.Error != "" {
				lines = append(lines, "the run failed: "+TerminalSafe(c.Error))
			}
			for _, f := range c.Failures {
				lines = append(lines, TerminalSafe(fmt.Sprintf("%s:%d: %s: expected %s, got %s (seed %d)", f.File, f.Line, f.Expectation, f.Expected, f.Actual, f.Seed)))
			}
			tc.Failure = &failure{Message: lines[0], Text: strings.Join(lines, "\n")}
			s.Failures++
			doc.Failures++
		}
		s.Tests++
		doc.Tests++
		s.Cases = append(s.Cases, tc)
	}
	for i := range doc.Suites {
		var total time.Duration
		for j := range cases {
			if TerminalSafe(cases[j].Scenario) == doc.Suites[i].Name {
				total += cases[j].Duration
			}
		}
		doc.Suites[i].Time = secs(total)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
