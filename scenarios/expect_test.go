package scenarios

import (
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
