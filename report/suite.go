package report

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// SuiteCase is one scenario variant's outcome in a `bgsim test` run, or
// a scenario file that did not load. The command fills it from the
// scenarios package, so that report depends on model only.
type SuiteCase struct {
	// Test is the name the case is reported under: the scenario's name,
	// or its path when two scenarios share a name or the file did not
	// load. Scenario is used when it is "".
	Test     string
	Scenario string
	Variant  string
	File     string
	// Line is where the scenario or variant starts in File.
	Line     int
	Seeds    []uint64
	Failures []SuiteFailure
	Error    string // the run itself failed
	// LoadError is every problem of a file that did not load, one per
	// line, each "file:line:col: problem".
	LoadError string
	// NoExpectations says the scenario has no expect: block: it ran, and
	// nothing was checked.
	NoExpectations bool
	Duration       time.Duration
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

// Passed tells whether the case loaded, ran and met every expectation on
// every seed. A case without expectations passes, and is Skipped too.
func (c *SuiteCase) Passed() bool { return c.Error == "" && c.LoadError == "" && len(c.Failures) == 0 }

// Errored tells whether the case could not be checked at all: the file
// did not load, or the run did not finish.
func (c *SuiteCase) Errored() bool { return c.Error != "" || c.LoadError != "" }

// Skipped tells whether the case passed only because it checks nothing.
func (c *SuiteCase) Skipped() bool { return c.Passed() && c.NoExpectations }

// Status is "passed", "failed", "error" or "skipped".
func (c *SuiteCase) Status() string {
	switch {
	case c.Errored():
		return "error"
	case !c.Passed():
		return "failed"
	case c.Skipped():
		return "skipped"
	}
	return "passed"
}

// Name is "test/variant", or the test alone.
func (c *SuiteCase) Name() string {
	t := c.Test
	if t == "" {
		t = c.Scenario
	}
	if c.Variant == "" {
		return t
	}
	return t + "/" + c.Variant
}

func (c *SuiteCase) suite() string {
	if c.Test != "" {
		return c.Test
	}
	return c.Scenario
}

// where is the file and line to point at for the case: the first
// problem's, else the scenario's.
func (c *SuiteCase) where() (string, int) {
	if c.LoadError != "" {
		if f, l, ok := positionOf(strings.SplitN(c.LoadError, "\n", 2)[0], c.File); ok {
			return f, l
		}
	}
	if len(c.Failures) > 0 && c.Failures[0].Line > 0 {
		return c.Failures[0].File, c.Failures[0].Line
	}
	return c.File, max(c.Line, 1)
}

// positionOf reads "file:line:col: ..." or "file:line: ..." at the start
// of a problem about file.
func positionOf(problem, file string) (string, int, bool) {
	rest, ok := strings.CutPrefix(problem, file+":")
	if !ok {
		return "", 0, false
	}
	n := 0
	for _, r := range rest {
		if r < '0' || r > '9' {
			break
		}
		n = n*10 + int(r-'0')
		if n > 1<<30 {
			return "", 0, false
		}
	}
	if n == 0 {
		return file, 1, true
	}
	return file, n, true
}

// failureLines is what went wrong in the case, one line each.
func (c *SuiteCase) failureLines() []string {
	var lines []string
	if c.LoadError != "" {
		lines = append(lines, strings.Split(c.LoadError, "\n")...)
	}
	if c.Error != "" {
		lines = append(lines, "the run failed: "+c.Error)
	}
	for _, f := range c.Failures {
		seed := ""
		if len(c.Seeds) > 1 {
			seed = fmt.Sprintf(" (seed %d)", f.Seed)
		}
		lines = append(lines, fmt.Sprintf("%s:%d: %s: expected %s, got %s%s", f.File, f.Line, f.Expectation, f.Expected, f.Actual, seed))
	}
	return lines
}

func counts(cases []SuiteCase) (passed, failed, skipped int) {
	for i := range cases {
		switch {
		case cases[i].Skipped():
			skipped++
		case cases[i].Passed():
			passed++
		default:
			failed++
		}
	}
	return passed, failed, skipped
}

func closing(cases []SuiteCase) string {
	passed, failed, skipped := counts(cases)
	s := fmt.Sprintf("%d passed, %d failed", passed, failed)
	if skipped > 0 {
		s += fmt.Sprintf(", %d without expectations", skipped)
	}
	return s
}

// SuiteText writes one line per case (ok, FAIL, or SKIP for a scenario
// without expectations), then the failures in detail, then the closing
// line "N passed, N failed", with ", N without expectations" when there
// are any. The scenarios' text is made TerminalSafe.
func SuiteText(w io.Writer, cases []SuiteCase) error {
	width := 0
	for i := range cases {
		width = max(width, len([]rune(TerminalSafe(cases[i].Name()))))
	}
	for i := range cases {
		c := &cases[i]
		status := "ok  "
		switch {
		case !c.Passed():
			status = "FAIL"
		case c.Skipped():
			status = "SKIP"
		}
		note := ""
		switch {
		case c.LoadError != "":
			note = "  does not load"
		case c.Skipped():
			note = "  no expectations"
		case len(c.Seeds) > 1:
			note = fmt.Sprintf("  %d seeds", len(c.Seeds))
		}
		fmt.Fprintf(w, "%s %-*s  %8s%s\n", status, width, TerminalSafe(c.Name()), c.Duration.Round(10*time.Microsecond), note)
	}
	for i := range cases {
		c := &cases[i]
		if c.Passed() {
			continue
		}
		if c.Name() == c.File {
			fmt.Fprintf(w, "\n--- FAIL: %s\n", TerminalSafe(c.Name()))
		} else {
			fmt.Fprintf(w, "\n--- FAIL: %s (%s)\n", TerminalSafe(c.Name()), TerminalSafe(c.File))
		}
		for _, l := range strings.Split(c.LoadError, "\n") {
			if l != "" {
				fmt.Fprintf(w, "    %s\n", TerminalSafe(l))
			}
		}
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
	_, err := fmt.Fprintf(w, "\n%s\n", closing(cases))
	return err
}

// SuiteJSON writes {"passed", "failed", "skipped", "cases": [...]}; each
// case has its status: passed, failed, error (the file did not load or
// the run did not finish) or skipped (no expectations).
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
		Name      string    `json:"name"`
		Scenario  string    `json:"scenario"`
		Variant   string    `json:"variant"`
		File      string    `json:"file"`
		Line      int       `json:"line"`
		Passed    bool      `json:"passed"`
		Status    string    `json:"status"`
		Seeds     []uint64  `json:"seeds"`
		Error     string    `json:"error,omitempty"`
		LoadError []string  `json:"load_errors,omitempty"`
		Failures  []failure `json:"failures"`
		DurationS float64   `json:"duration_s"`
	}
	passed, failed, skipped := counts(cases)
	doc := struct {
		Passed  int     `json:"passed"`
		Failed  int     `json:"failed"`
		Skipped int     `json:"skipped"`
		Cases   []jcase `json:"cases"`
	}{Passed: passed, Failed: failed, Skipped: skipped, Cases: []jcase{}}
	for i := range cases {
		c := &cases[i]
		jc := jcase{Name: c.Name(), Scenario: c.Scenario, Variant: c.Variant, File: c.File, Line: max(c.Line, 1), Passed: c.Passed(),
			Status: c.Status(), Seeds: c.Seeds, Error: c.Error, Failures: []failure{}, DurationS: c.Duration.Seconds()}
		if jc.Seeds == nil {
			jc.Seeds = []uint64{}
		}
		if c.LoadError != "" {
			jc.LoadError = strings.Split(c.LoadError, "\n")
		}
		for _, f := range c.Failures {
			jc.Failures = append(jc.Failures, failure(f))
		}
		doc.Cases = append(doc.Cases, jc)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// JUnitTimestamp is the form of the timestamp attribute in the Jenkins
// JUnit schema: ISO 8601 without a zone, in UTC here.
const JUnitTimestamp = "2006-01-02T15:04:05"

// JUnit writes the cases as JUnit XML in the shape Jenkins, GitLab and
// GitHub's test reporters read: one testsuite per scenario (name, tests,
// failures, errors, skipped, time, timestamp), one testcase per variant
// (name, classname, time, file, line) holding a failure (an expectation
// did not hold), an error (the file did not load, or the run did not
// finish) or skipped (no expectations). start is when the run began.
// encoding/xml keeps the document well-formed whatever the text (it
// writes U+FFFD for what XML forbids); the scenarios' text is made
// TerminalSafe as well, since CI logs are read on terminals.
func JUnit(w io.Writer, cases []SuiteCase, start time.Time) error {
	type outcome struct {
		XMLName xml.Name
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr,omitempty"`
		Text    string `xml:",chardata"`
	}
	type testcase struct {
		Name      string   `xml:"name,attr"`
		Classname string   `xml:"classname,attr"`
		Time      string   `xml:"time,attr"`
		File      string   `xml:"file,attr"`
		Line      int      `xml:"line,attr"`
		Outcome   *outcome `xml:",omitempty"`
	}
	type suite struct {
		Name      string     `xml:"name,attr"`
		Tests     int        `xml:"tests,attr"`
		Failures  int        `xml:"failures,attr"`
		Errors    int        `xml:"errors,attr"`
		Skipped   int        `xml:"skipped,attr"`
		Time      string     `xml:"time,attr"`
		Timestamp string     `xml:"timestamp,attr"`
		File      string     `xml:"file,attr,omitempty"`
		Cases     []testcase `xml:"testcase"`
		total     time.Duration
	}
	type suites struct {
		XMLName  xml.Name `xml:"testsuites"`
		Name     string   `xml:"name,attr"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
		Errors   int      `xml:"errors,attr"`
		Skipped  int      `xml:"skipped,attr"`
		Time     string   `xml:"time,attr"`
		Suites   []suite  `xml:"testsuite"`
	}
	secs := func(d time.Duration) string { return fmt.Sprintf("%.6f", d.Seconds()) }
	stamp := start.UTC().Format(JUnitTimestamp)
	doc := suites{Name: "bgsim"}
	var total time.Duration
	for i := range cases {
		c := &cases[i]
		name := TerminalSafe(c.suite())
		if len(doc.Suites) == 0 || doc.Suites[len(doc.Suites)-1].Name != name {
			doc.Suites = append(doc.Suites, suite{Name: name, Timestamp: stamp, File: TerminalSafe(c.File)})
		}
		s := &doc.Suites[len(doc.Suites)-1]
		caseName := c.Variant
		if caseName == "" {
			caseName = c.suite()
		}
		file, line := c.where()
		tc := testcase{Name: TerminalSafe(caseName), Classname: name, Time: secs(c.Duration), File: TerminalSafe(file), Line: line}
		switch {
		case c.Errored():
			lines := c.failureLines()
			typ := "run"
			if c.LoadError != "" {
				typ = "load"
			}
			tc.Outcome = &outcome{XMLName: xml.Name{Local: "error"}, Message: TerminalSafe(lines[0]), Type: typ, Text: safeJoin(lines)}
			s.Errors++
			doc.Errors++
		case !c.Passed():
			lines := c.failureLines()
			tc.Outcome = &outcome{XMLName: xml.Name{Local: "failure"}, Message: TerminalSafe(lines[0]), Type: "expectation", Text: safeJoin(lines)}
			s.Failures++
			doc.Failures++
		case c.Skipped():
			tc.Outcome = &outcome{XMLName: xml.Name{Local: "skipped"}, Message: "no expectations: the scenario has no expect: block"}
			s.Skipped++
			doc.Skipped++
		}
		s.Tests++
		doc.Tests++
		s.total += c.Duration
		total += c.Duration
		s.Cases = append(s.Cases, tc)
	}
	for i := range doc.Suites {
		doc.Suites[i].Time = secs(doc.Suites[i].total)
	}
	doc.Time = secs(total)
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

func safeJoin(lines []string) string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = TerminalSafe(l)
	}
	return strings.Join(out, "\n")
}

// SuiteGitHub writes a GitHub Actions workflow command for every case
// that did not pass, so that the failures appear as annotations on the
// files and lines of the pull request: "::error file=F,line=N,title=T::
// message", and a warning for a scenario without expectations.
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions
func SuiteGitHub(w io.Writer, cases []SuiteCase) error {
	for i := range cases {
		c := &cases[i]
		var lines []string
		kind := "error"
		switch {
		case !c.Passed():
			lines = c.failureLines()
		case c.Skipped():
			kind = "warning"
			lines = []string{"no expectations: the scenario has no expect: block, so bgsim test checks nothing (bgsim expect prints one to paste)"}
		default:
			continue
		}
		file, line := c.where()
		for j, l := range lines {
			// Each failure of a case points at its own line when it has one.
			f, n := file, line
			if j < len(c.Failures) && c.LoadError == "" && c.Error == "" && c.Failures[j].Line > 0 {
				f, n = c.Failures[j].File, c.Failures[j].Line
			} else if c.LoadError != "" {
				if pf, pn, ok := positionOf(l, c.File); ok {
					f, n = pf, pn
				}
			}
			_, err := fmt.Fprintf(w, "::%s file=%s,line=%d,title=%s::%s\n", kind, GitHubProperty(TerminalSafe(f)), n,
				GitHubProperty("bgsim test: "+TerminalSafe(c.Name())), GitHubMessage(TerminalSafe(l)))
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// GitHubMessage escapes the message of a workflow command: %, CR and LF,
// as the Actions runner unescapes them.
func GitHubMessage(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// GitHubProperty escapes a property value of a workflow command: as a
// message, and the : and , that separate properties.
func GitHubProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
