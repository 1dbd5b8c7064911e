package scenarios

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const expectDoc = `name: e
title: E
app:
  sessions:
    up: {identifier: com.x, delegate: D}
  uploads:
    photo: {session: up, size: 1MB}
timeline:
  - {at: 0s, do: launch}
  - {at: 1s, do: upload, upload: photo}
variants:
  a:
    expect:
      delivered: 1
  b:
    network: {wifi: {up: 200kbps}}
    expect:
      delivered: 2
      upload:
        u1: {fate: lost, rule: R-RATE-LIMITER, status: 500, settled_before: 1s, server_received: false}
        u2: {fate: delivered}
      crash:
        - {exception: NSGenericException}
      energy:
        joules: {value: 1000, tolerance: 5%}
        radio_active: {value: 1s, tolerance: 100ms}
        promotions: 7
        ratio: {to: a, below: 0.5}
      rules:
        fired: [R-FORCE-QUIT-CANCELS]
        not_fired: [R-OUT-OF-PROCESS]
`

func TestExpectationFailures(t *testing.T) {
	sc, err := Load("e.yaml", []byte(expectDoc))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := sc.Run(RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range sc.Check(rs) {
		got = append(got, f.String())
	}
	want := []string{
		"e.yaml:18: e/b: expect.delivered: expected 2, got 1",
		"e.yaml:20: e/b: expect.upload.u1.fate: expected lost, got delivered",
		"e.yaml:20: e/b: expect.upload.u1.rule: expected R-RATE-LIMITER, got R-UPLOAD-RESPONSE-DELIVERY",
		"e.yaml:20: e/b: expect.upload.u1.status: expected 500, got 200",
		"e.yaml:20: e/b: expect.upload.u1.server_received: expected false, got true",
		"e.yaml:20: e/b: expect.upload.u1.settled_before: expected settled before 1s, got settled ",
		"e.yaml:21: e/b: expect.upload.u2: expected an upload u2, got 1 uploads",
		"e.yaml:23: e/b: expect.crash[0]: expected a crash, got 0 crashes",
		"e.yaml:25: e/b: expect.energy.joules: expected 1000 J ± 50, got ",
		"e.yaml:26: e/b: expect.energy.radio_active: expected 1s ± 0.1s, got ",
		"e.yaml:27: e/b: expect.energy.promotions: expected 7, got ",
		"e.yaml:28: e/b: expect.energy.ratio.below: expected below 0.5 of a, got ",
		"e.yaml:30: e/b: expect.rules.fired: expected R-FORCE-QUIT-CANCELS cited, got not cited",
		"e.yaml:31: e/b: expect.rules.not_fired: expected R-OUT-OF-PROCESS not cited, got cited",
	}
	if len(got) != len(want) {
		t.Fatalf("%d failures, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("failure %d:\n got %s\nwant %s...", i+1, got[i], want[i])
		}
	}
}

func TestBadExpectationsAreLoadErrors(t *testing.T) {
	base := strings.SplitN(expectDoc, "variants:", 2)[0]
	tests := []struct{ expect, want string }{
		{"expect: {upload: {first: {fate: delivered}}}", `"first" is not an upload id`},
		{"expect: {upload: {u1: {fate: deliverd}}}", `"deliverd" is not one of delivered, failed, lost, pending, never_sent; did you mean "delivered"?`},
		{"expect: {rules: {fired: [R-RATE-LIMITR]}}", `no rule "R-RATE-LIMITR" in the catalog; did you mean "R-RATE-LIMITER"?`},
		{"expect: {energy: {ratio: {to: nope, below: 1}}}", `expect.energy.ratio.to: no variant "nope"`},
		{"expect: {energy: {joules: {value: 1, tolerance: lots}}}", `tolerance "lots"`},
		{"expect: {delivred: 1}", `unknown key "delivred"; did you mean "delivered"?`},
	}
	for _, tt := range tests {
		_, err := Load("x.yaml", []byte(base+tt.expect+"\n"))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want it to say %s", tt.expect, err, tt.want)
		}
	}
}

// checkEmbedded runs an embedded scenario (one variant of it, or the
// base) with its expectations replaced by expect, and returns the
// failures.
func checkEmbedded(t *testing.T, name, variant, expect string) []string {
	t.Helper()
	src, ok := Source(name)
	if !ok {
		t.Fatalf("no embedded scenario %s", name)
	}
	doc := string(WithoutExpectations(src, "")) + "\n" + expect
	sc, err := Load(name+".yaml", []byte(doc))
	if err != nil {
		t.Fatalf("%s with\n%s\ndoes not load: %v", name, expect, err)
	}
	rs, err := sc.Run(RunOptions{Variant: variant})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range sc.Check(rs) {
		got = append(got, f.What+": expected "+f.Expected+", got "+f.Actual)
	}
	return got
}

// What --format json reports per upload and per run can be expected:
// each check passes on the run's value and fails, saying what it
// expected and what it got, on another.
func TestExpectMeasured(t *testing.T) {
	tests := []struct {
		name, scenario, variant string
		pass, fail              string
		want                    []string
	}{
		{
			name: "bytes, attempts, interface, start, wakes", scenario: "app-purged-mid-upload",
			pass: `expect:
  wakes_relaunch: 1
  wakes_resume: 0
  wakes: {com.example.upload: 1}
  upload:
    u1: {bytes_sent: 5000000, attempts: 1, interface: wifi, started_after: 1s, started_before: 2s, limiter_delay: 0s, resumed_from: ""}
`,
			fail: `expect:
  wakes_relaunch: 0
  wakes_resume: 1
  upload:
    u1: {bytes_sent: {value: 4MB, tolerance: 10%}, attempts: 2, started_before: 1s, started_after: 2s, interface: cellular, limiter_delay: 60s, resumed_from: u2, resume_offset: 1000}
  wakes: {com.example.uplaod: 1, com.example.upload: {count: 2, relaunch: 0, resume: 1}}
`,
			want: []string{
				"expect.wakes_relaunch: expected 0, got 1",
				"expect.wakes_resume: expected 1, got 0",
				"expect.upload.u1.bytes_sent: expected 4000000 ± 400000 bytes, got 5000000 bytes",
				"expect.upload.u1.attempts: expected 2, got 1",
				"expect.upload.u1.started_before: expected started before 1s, got started 1.002s",
				"expect.upload.u1.started_after: expected started after 2s, got started 1.002s",
				"expect.upload.u1.interface: expected cellular, got wifi",
				"expect.upload.u1.limiter_delay: expected 1m0s, got 0s",
				`expect.upload.u1.resumed_from: expected u2, got "" (none)`,
				"expect.upload.u1.resume_offset: expected 1000, got 0",
				`expect.wakes.com.example.uplaod: expected 1 wakes for com.example.uplaod, got 0 (wakes for com.example.upload; did you mean "com.example.upload"?)`,
				"expect.wakes.com.example.upload: expected 2 wakes for com.example.upload, got 1",
				"expect.wakes.com.example.upload.relaunch: expected 0, got 1",
				"expect.wakes.com.example.upload.resume: expected 1, got 0",
			},
		},
		{
			name: "the rate limiter's delay", scenario: "rate-limited-chain",
			pass: `expect:
  wakes: {com.example.upload: {count: 3, resume: 3, relaunch: 0}}
  upload:
    u2: {limiter_delay: 60s}
    u3: {limiter_delay: {value: 2m, tolerance: 1s}}
    u4: {limiter_delay: {value: 4m30s, tolerance: 15%}}
`,
			fail: `expect:
  upload:
    u2: {limiter_delay: 30s}
    u3: {limiter_delay: {value: 1m, tolerance: 10s}}
`,
			want: []string{
				"expect.upload.u2.limiter_delay: expected 30s, got 1m0s",
				"expect.upload.u3.limiter_delay: expected 1m0s ± 10s, got 2m0s",
			},
		},
		{
			name: "resume data", scenario: "resume-after-long-outage", variant: "resume-once",
			pass: `expect:
  upload:
    u1: {attempts: 2, bytes_sent: {value: 2189725, tolerance: 0%}}
    u2: {resumed_from: u1, resume_offset: 2179725, bytes_sent: 2820275, interface: wifi}
`,
			fail: `expect:
  upload:
    u1: {resumed_from: u2}
    u2: {bytes_sent: {value: 5MB, tolerance: 1KB}, resumed_from: u3, resume_offset: 0}
`,
			want: []string{
				`expect.upload.u1.resumed_from: expected u2, got "" (none)`,
				"expect.upload.u2.bytes_sent: expected 5000000 ± 1000 bytes, got 2820275 bytes",
				"expect.upload.u2.resumed_from: expected u3, got u1",
				"expect.upload.u2.resume_offset: expected 0, got 2179725",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := checkEmbedded(t, tt.scenario, tt.variant, tt.pass); len(got) > 0 {
				t.Errorf("the run's values fail:\n%s", strings.Join(got, "\n"))
			}
			got := checkEmbedded(t, tt.scenario, tt.variant, tt.fail)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("failures:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// The energy in each state is expected like the total, and a failure
// is at the state's line.
func TestExpectEnergyByState(t *testing.T) {
	sc, err := Resolve("app-purged-mid-upload")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := sc.Run(RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e := rs[0].Energy
	if e.Promotion <= 0 || e.Transfer <= 0 || e.Tail <= 0 || e.Idle <= 0 {
		t.Fatalf("energy %+v: want every state spent in", e)
	}
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
	pass := "expect:\n  energy:\n    by_state:\n" +
		"      promotion: {value: " + g(e.Promotion) + ", tolerance: 1%}\n" +
		"      transfer: {value: " + g(e.Transfer) + "}\n" +
		"      tail: {value: " + g(e.Tail) + ", tolerance: 0.001}\n" +
		"      idle: {value: " + g(e.Idle) + ", tolerance: 5%}\n"
	if got := checkEmbedded(t, "app-purged-mid-upload", "", pass); len(got) > 0 {
		t.Errorf("the run's energy fails:\n%s", strings.Join(got, "\n"))
	}
	fail := "expect:\n  energy:\n    by_state:\n" +
		"      transfer: {value: " + g(e.Transfer*2) + ", tolerance: 10%}\n" +
		"      idle: {value: 0, tolerance: 1}\n"
	want := []string{
		"expect.energy.by_state.transfer: expected " + fmt.Sprintf("%.4g J ± %.3g", e.Transfer*2, e.Transfer*0.2) + ", got " + fmt.Sprintf("%.4g J", e.Transfer),
		"expect.energy.by_state.idle: expected 0 J ± 1, got " + fmt.Sprintf("%.4g J", e.Idle),
	}
	if got := checkEmbedded(t, "app-purged-mid-upload", "", fail); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("failures:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A failure of a new check is positioned at its key's value.
func TestExpectMeasuredPositions(t *testing.T) {
	doc := expectDoc[:strings.Index(expectDoc, "variants:")] + `expect:
  upload:
    u1:
      attempts: 3
      bytes_sent:
        value: 1
  wakes:
    com.x: 2
  energy:
    by_state:
      tail: {value: 100}
`
	sc, err := Load("p.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := sc.Run(RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range sc.Check(rs) {
		got = append(got, fmt.Sprintf("%d:%d %s", f.Pos.Line, f.Pos.Col, f.What))
	}
	want := []string{"14:17 expect.upload.u1.attempts", "16:16 expect.upload.u1.bytes_sent", "18:12 expect.wakes.com.x", "21:13 expect.energy.by_state.tail"}
	slices.Sort(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("failures at:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestBadMeasuredExpectationsAreLoadErrors(t *testing.T) {
	base := strings.SplitN(expectDoc, "variants:", 2)[0]
	tests := []struct{ expect, want string }{
		{"expect: {upload: {u1: {interface: wfi}}}", `"wfi" is not one of wifi, cellular, both, none; did you mean "wifi"?`},
		{"expect: {upload: {u1: {bytes_sent: lots}}}", `expect.upload.u1.bytes_sent: expected a size like 5MB`},
		{"expect: {upload: {u1: {bytes_sent: {value: 5MB, tolerance: some}}}}", `expect.upload.u1.bytes_sent: tolerance "some": want a percentage like 5% or a size like 10KB`},
		{"expect: {upload: {u1: {bytes_sent: {tolerance: 1%}}}}", `missing required key "value"`},
		{"expect: {upload: {u1: {bytes_snt: 5}}}", `unknown key "bytes_snt"; did you mean "bytes_sent"?`},
		{"expect: {upload: {u1: {limiter_delay: soon}}}", `expected a duration like 90s`},
		{"expect: {upload: {u1: {limiter_delay: {value: 60s, tolerance: 1 parsec}}}}", `expect.upload.u1.limiter_delay: tolerance "1 parsec": want a percentage like 5% or a duration like 1s`},
		{"expect: {upload: {u1: {started_befor: 1s}}}", `did you mean "started_before"?`},
		{"expect: {upload: {u1: {resumed_from: first}}}", `expect.upload.u1.resumed_from: "first" is not an upload id`},
		{"expect: {wakes: {com.x: many}}", `expect.wakes.com.x: expected an integer`},
		{"expect: {wakes: {com.x: {cout: 1}}}", `unknown key "cout"; did you mean "count"?`},
		{"expect: {wakes_relauch: 1}", `did you mean "wakes_relaunch"?`},
		{"expect: {energy: {by_state: {tails: {value: 1}}}}", `unknown key "tails"; did you mean "tail"?`},
		{"expect: {energy: {by_state: {idle: {value: 1, tolerance: lots}}}}", `expect.energy.by_state.idle: tolerance "lots"`},
	}
	for _, tt := range tests {
		_, err := Load("x.yaml", []byte(base+tt.expect+"\n"))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want it to say %s", tt.expect, err, tt.want)
		}
	}
}
