package model

import (
	"slices"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/sim"
)

// base returns the configuration most rule tests start from: one
// background session, its code done right (recreated at launch, completion
// handler stored and called), a 5 MB upload from a file that takes about
// 20 s on a 2 Mbit/s Wi-Fi uplink (no cellular), started one second after
// the user launches the app. The phone is charging, so discretionary
// scheduling holds nothing back unless a test says otherwise.
func base() Config {
	return Config{
		Scenario: "test", Seed: 1, Horizon: 24 * sim.Hour, MaxEvents: 100_000, KeepTrace: true, IOS: DefaultIOS,
		Params:  DefaultParams(),
		Network: wifiOnly(2_000_000, 20_000_000, 80*sim.Millisecond),
		Power:   Power{BatteryPercent: 80, Charging: true},
		Server:  DefaultServer(),
		App: App{
			Sessions: []Session{{Name: "up", Kind: Background, Identifier: "com.example.upload", Delegate: "UploadDelegate",
				SendsLaunchEvents: true, ResourceTimeout: DefaultResourceTimeout}},
			Uploads:      []Upload{{Name: "photo", Session: "up", API: UploadFromFile, Bytes: 5_000_000}},
			AtLaunch:     []string{"up"},
			HandleEvents: HandleEvents{Recreate: RecreateGiven, StoreCompletionHandler: true, CallCompletionHandler: true},
		},
		Timeline: []Action{{At: 0, Do: Launch}, {At: sim.Second, Do: StartUpload, Upload: "photo"}},
	}
}

// then appends timeline steps.
func then(c *Config, acts ...Action) { c.Timeline = append(c.Timeline, acts...) }

func at(t sim.Time, do ActionKind) Action { return Action{At: t, Do: do} }

func mustRun(t *testing.T, c Config) *Result {
	t.Helper()
	r, err := Run(c)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return r
}

// wantUpload checks one upload's fate, rule and error code.
func wantUpload(t *testing.T, r *Result, i int, fate Fate, rule RuleID, code int) *UploadRecord {
	t.Helper()
	if i >= len(r.Uploads) {
		t.Fatalf("no upload %d: the run has %d", i+1, len(r.Uploads))
	}
	u := &r.Uploads[i]
	if u.Fate != fate || u.Rule != rule || u.ErrorCode != code {
		t.Errorf("%s: fate %s, rule %s, code %d; want %s, %s, %d\nreason: %s\ntrace:\n%s",
			u.ID, u.Fate, u.Rule, u.ErrorCode, fate, rule, code, u.Reason, dump(r))
	}
	return u
}

// cites reports whether the trace has a record of kind citing rule.
func cites(r *Result, kind string, rule RuleID) bool {
	return slices.ContainsFunc(r.Trace, func(rec sim.Record) bool {
		return (kind == "" || rec.Kind == kind) && rec.Rule == string(rule)
	})
}

func wantCites(t *testing.T, r *Result, kind string, rule RuleID) {
	t.Helper()
	if !cites(r, kind, rule) {
		t.Errorf("no %q record citing %s in the trace:\n%s", kind, rule, dump(r))
	}
}

// recordsOf returns the trace records of one kind.
func recordsOf(r *Result, kind string) []sim.Record {
	var out []sim.Record
	for _, rec := range r.Trace {
		if rec.Kind == kind {
			out = append(out, rec)
		}
	}
	return out
}

func attr(rec sim.Record, key string) string {
	for _, a := range rec.Attrs {
		if a.Key == key {
			return a.Value()
		}
	}
	return ""
}

func dump(r *Result) string {
	var b strings.Builder
	for _, rec := range r.Trace {
		b.WriteString(rec.At.String() + " " + rec.Actor + " " + rec.Kind + " " + rec.Rule)
		for _, a := range rec.Attrs {
			b.WriteString(" " + a.Key + "=" + a.Value())
		}
		b.WriteString(" // " + rec.Note + "\n")
	}
	return b.String()
}

// wifiOnly is a network with one Wi-Fi path and cellular unavailable.
func wifiOnly(up, down int64, rtt sim.Time) Network {
	n := DefaultNetwork()
	n.Interfaces[WiFi].UpBitsPerSecond, n.Interfaces[WiFi].DownBitsPerSecond, n.Interfaces[WiFi].RTT = up, down, rtt
	n.Interfaces[Cellular].Available = false
	return n
}
