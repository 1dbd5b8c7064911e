package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// Hostile text a stranger's scenario can carry in its free-text fields
// (issue 10, item 5). The loader accepts control characters in titles,
// abouts, identifiers, delegates and upload names; scenario and variant
// names it restricts, but a model.Config can be built directly.
const (
	hostileTitle      = "T\x1b]0;PWNED\x07\x1b[2J"
	hostileIdentifier = "id\r    Note over App: forged\n```\n<img src=x onerror=alert(1)>\x1b[2J"
	hostileDelegate   = "Del\x1b[31m;#59;%%%{init: {\"securityLevel\":\"loose\"}}%%"
	hostileUpload     = "msg\x01\x7f\u0085\ufffe\xff\t<br>"
	hostileScenario   = "sc\n```\n<b>raw</b>\x1b[2J"
	hostileAbout      = "first line\nsecond\x1b[2J\x00 line\r"
)

// hostileRun runs a small scenario whose free text is hostile. variant
// names the run; about is set only for variants, as the loader does.
func hostileRun(t testing.TB, scenario, variant, title, about, upload, identifier, delegate string) *model.Result {
	t.Helper()
	r, err := model.Run(hostileConfig(scenario, variant, title, about, upload, identifier, delegate))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func hostileConfig(scenario, variant, title, about, upload, identifier, delegate string) model.Config {
	return model.Config{
		Scenario: scenario, Variant: variant, Title: title, About: about,
		Seed: 1, Horizon: sim.Hour, MaxEvents: 10000, KeepTrace: true, IOS: model.DefaultIOS,
		Params: model.DefaultParams(), Network: model.DefaultNetwork(), Power: model.DefaultPower(), Server: model.DefaultServer(),
		App: model.App{
			Sessions: []model.Session{{Name: "s", Kind: model.Background, Identifier: identifier, Delegate: delegate,
				SendsLaunchEvents: true, ResourceTimeout: model.DefaultResourceTimeout}},
			Uploads:      []model.Upload{{Name: upload, Session: "s", API: model.UploadFromFile, Bytes: 1000}},
			HandleEvents: model.HandleEvents{Recreate: model.RecreateGiven, StoreCompletionHandler: true, CallCompletionHandler: true},
		},
		// The user force-quits mid-upload, so that the upload fails and
		// Explain has something to say (with the upload's name in it).
		Timeline: []model.Action{{At: 0, Do: model.Launch}, {At: sim.Second, Do: model.StartUpload, Upload: upload},
			{At: sim.Second + 10*sim.Millisecond, Do: model.ForceQuit}},
	}
}

func hostileRuns(t testing.TB) []*model.Result {
	return []*model.Result{
		hostileRun(t, hostileScenario, "v\x1b[2J\r", hostileTitle, hostileAbout, hostileUpload, hostileIdentifier, hostileDelegate),
		hostileRun(t, hostileScenario, "w\n## forged", hostileTitle, hostileAbout, hostileUpload, hostileIdentifier, hostileDelegate),
	}
}

// terminalClean reports the first byte or rune a terminal would act on:
// a C0 control other than newline, DEL, a C1 control, or invalid UTF-8.
func terminalClean(s string) (bad string, ok bool) {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && strings.HasPrefix(s[i:], "\xef\xbf\xbd") == false:
			return s[max(0, i-20):min(len(s), i+20)], false
		case r < 0x20 && r != '\n', r == 0x7f, r >= 0x80 && r <= 0x9f:
			return s[max(0, i-20):min(len(s), i+20)], false
		}
	}
	return "", true
}

func wantTerminalClean(t testing.TB, what, out string) {
	t.Helper()
	if bad, ok := terminalClean(out); !ok {
		t.Errorf("%s holds a control character near %q", what, bad)
	}
}

// wellFormedXML parses doc as strict XML, to the end.
func wellFormedXML(doc []byte) error {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// mermaidLine is every line bgsim's sequence diagrams are made of: the
// header, the participants, messages between them and notes over them,
// each text free of what ends a statement (";", a line break) or starts a
// comment, a directive or an entity ("%%", "#").
var mermaidLine = regexp.MustCompile(`^(sequenceDiagram|    participant (App|D as nsurlsessiond|N as Network|S as Server)|    (App->>D|D->>N|N->>S|S-->>D|D->>App|Note over (App|D|N|S)): [^;#\r\n<>]*)$`)

func checkMermaidLines(t testing.TB, lines []string) {
	t.Helper()
	for _, line := range lines {
		if !mermaidLine.MatchString(line) || strings.Contains(line, "%%") {
			t.Errorf("a line bgsim's grammar does not make: %q", line)
		}
		if bad, ok := terminalClean(line); !ok {
			t.Errorf("a control character in the diagram near %q", bad)
		}
	}
}

// checkMarkdown checks Mermaid's Markdown for several runs: outside the
// fences only headings and blank lines, inside only diagram lines, and
// every fence closed by bgsim.
func checkMarkdown(t testing.TB, doc string, runs int) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(doc, "\n"), "\n")
	fences := 0
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		switch {
		case line == "":
		case strings.HasPrefix(line, "## "):
			if strings.ContainsAny(line, "<>\r") {
				t.Errorf("raw markup in a heading: %q", line)
			}
		case strings.HasPrefix(line, "```") && strings.TrimLeft(line, "`") == "mermaid":
			fence := strings.TrimSuffix(line, "mermaid")
			j := i + 1
			for j < len(lines) && lines[j] != fence {
				j++
			}
			if j == len(lines) {
				t.Fatalf("fence %q at line %d never closed", fence, i+1)
			}
			// Nothing inside may close the fence early.
			for _, in := range lines[i+1 : j] {
				if strings.HasPrefix(strings.TrimLeft(in, " "), "```") {
					t.Errorf("a line inside the fence could close it: %q", in)
				}
			}
			checkMermaidLines(t, lines[i+1:j])
			fences++
			i = j
		default:
			t.Errorf("line %d outside the fences is not bgsim's: %q", i+1, line)
		}
	}
	if fences != runs {
		t.Errorf("%d fenced diagrams for %d runs", fences, runs)
	}
}

func TestUntrusted5_MermaidNewlineInIdentifier(t *testing.T) {
	r := hostileRun(t, "sample", "", "", "", hostileUpload, hostileIdentifier, hostileDelegate)
	var buf bytes.Buffer
	if err := Mermaid(&buf, []*model.Result{r}); err != nil {
		t.Fatal(err)
	}
	checkMermaidLines(t, strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n"))
	if !strings.Contains(buf.String(), "creates session id") {
		t.Errorf("the identifier is gone from the diagram:\n%s", buf.String())
	}
}

func TestUntrusted5_MarkdownFence(t *testing.T) {
	runs := hostileRuns(t)
	var buf bytes.Buffer
	if err := Mermaid(&buf, runs); err != nil {
		t.Fatal(err)
	}
	checkMarkdown(t, buf.String(), len(runs))
	// A run that holds backticks itself gets a longer fence.
	runs[0] = hostileRun(t, "sc", "a", "", "", "u````", "id ``` ````` x", "D")
	buf.Reset()
	if err := Mermaid(&buf, runs); err != nil {
		t.Fatal(err)
	}
	checkMarkdown(t, buf.String(), len(runs))
}

func hostileCases() []SuiteCase {
	return []SuiteCase{
		{Scenario: hostileScenario, Variant: "v\x1b[2J", File: "f\x1b]0;x\x07.yaml", Seeds: []uint64{1, 2}, Error: "boom\x00\r\n<x>"},
		{Scenario: hostileScenario, Variant: hostileUpload, File: "f.yaml", Seeds: []uint64{1},
			Failures: []SuiteFailure{{Seed: 1, Expectation: "upload " + hostileIdentifier, Expected: hostileTitle, Actual: "\ufffe\uffff]]>", File: "f\x01", Line: 3}}},
		{Scenario: "ok", Seeds: []uint64{1}},
	}
}

func TestUntrusted5_SVGControlCharsWellFormed(t *testing.T) {
	runs := hostileRuns(t)
	var buf bytes.Buffer
	if err := SVG(&buf, runs); err != nil {
		t.Fatal(err)
	}
	if err := wellFormedXML(buf.Bytes()); err != nil {
		t.Errorf("the SVG is not well-formed: %v", err)
	}
	// The sweep's picture labels its curves with variant names.
	s := NewSweepStats(SweepMeta{Scenario: hostileScenario, Title: hostileTitle, Runs: 1, Variants: []string{"a\x01", hostileUpload}, Points: []string{""}})
	for v := range 2 {
		if err := s.Add(model.RunRecord{Variant: v, Fates: [5]int{1}, Settle: []float64{1.5}, Joules: 0.5}); err != nil {
			t.Fatal(err)
		}
	}
	buf.Reset()
	if err := s.SVG(&buf); err != nil {
		t.Fatal(err)
	}
	if err := wellFormedXML(buf.Bytes()); err != nil {
		t.Errorf("the sweep's SVG is not well-formed: %v", err)
	}
}

func TestUntrusted5_HTMLWellFormed(t *testing.T) {
	runs := hostileRuns(t)
	for _, rs := range [][]*model.Result{runs, runs[:1]} {
		var buf bytes.Buffer
		if err := HTML(&buf, rs); err != nil {
			t.Fatal(err)
		}
		if err := wellFormedXML(buf.Bytes()); err != nil {
			t.Errorf("the page of %d runs is not well-formed: %v", len(rs), err)
		}
		if strings.Contains(buf.String(), "<img") || strings.Contains(buf.String(), "<b>raw") {
			t.Error("markup from the scenario reached the page")
		}
	}
}

func TestUntrusted5_JUnitWellFormed(t *testing.T) {
	var buf bytes.Buffer
	if err := JUnit(&buf, hostileCases(), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := wellFormedXML(buf.Bytes()); err != nil {
		t.Errorf("the JUnit XML is not well-formed: %v", err)
	}
}

func TestUntrusted5_JSONValid(t *testing.T) {
	runs := hostileRuns(t)
	for name, write := range map[string]func(io.Writer) error{
		"json":       func(w io.Writer) error { return JSON(w, runs) },
		"suite json": func(w io.Writer) error { return SuiteJSON(w, hostileCases()) },
	} {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			t.Fatal(err)
		}
		if !json.Valid(buf.Bytes()) || !utf8.Valid(buf.Bytes()) {
			t.Errorf("%s is not valid JSON in UTF-8", name)
		}
	}
	var buf bytes.Buffer
	if err := Trace(&buf, runs); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		if !json.Valid([]byte(line)) || !utf8.ValidString(line) {
			t.Errorf("a trace line is not valid JSON: %q", line)
		}
	}
}

// A sweep's description comes from a shard file, which a stranger may
// have written: its text is made safe for the terminal, and its CSV cells
// cannot start a spreadsheet formula.
func TestUntrusted5_SweepTableAndCSV(t *testing.T) {
	meta := SweepMeta{Scenario: "s\x1b]0;PWNED\a", Title: "t\x1b[2J", Runs: 1, Seed: 1,
		Variants: []string{"=HYPERLINK(\"http://x\")", "v\x1b[31m"}, Points: []string{"@SUM(A1)"}, Params: []string{"p\r\x1b[1A"}}
	st := NewSweepStats(meta)
	for v := range 2 {
		if err := st.Add(model.RunRecord{Variant: v, Uploads: 1, Fates: [5]int{1}, Settle: []float64{1}, Joules: 1}); err != nil {
			t.Fatal(err)
		}
	}
	var tb, cb strings.Builder
	if err := st.Table(&tb); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(tb.String(), "\x1b\a\r") {
		t.Errorf("table holds raw controls:\n%q", tb.String())
	}
	if err := st.CSV(&cb); err != nil {
		t.Fatal(err)
	}
	for _, cell := range []string{`"'=HYPERLINK(""http://x"")"`, "'@SUM(A1)"} {
		if !strings.Contains(cb.String(), cell) {
			t.Errorf("CSV lacks %s:\n%s", cell, cb.String())
		}
	}
}
