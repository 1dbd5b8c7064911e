package model

import (
	"strings"
	"testing"

	"github.com/bgsim/bgsim/sim"
)

// The ledger is an observer of facts: it refuses one that is not a legal
// transition of its upload when it comes, naming the upload, the fact and
// the time, and applies nothing after.
func TestLedgerRefusesIllegalFacts(t *testing.T) {
	bg := fact{kind: factCreated, up: 0, spec: "a", session: "s", bytes: 10, background: true}
	shared := fact{kind: factCreated, up: 0, spec: "a", session: "s", bytes: 10}
	handed := fact{kind: factHandedOff}
	attempt := fact{kind: factAttempt}
	settle := func(f Fate) fact { return fact{kind: factSettled, fate: f, rule: RuleOutOfProcess, reason: "r"} }
	reached := func(code int) fact {
		return fact{kind: factEventReached, status: 200, code: code, session: "s", delegate: "d", specDelegate: "d", rule: RuleUploadResponseDelivery}
	}
	ended := fact{kind: factProcessEnded, name: exitPurged}
	tests := []struct {
		name  string
		facts []fact
		ended bool   // the run is over before the last fact
		want  string // "" if every fact is legal
	}{
		{"a background upload's life", []fact{bg, handed, attempt, {kind: factBytesSent, bytes: 10}, {kind: factReceived},
			reached(0)}, false, ""},
		{"pending at the end of the run", []fact{bg, handed, settle(Pending)}, true, ""},
		{"lost at the end of the run", []fact{bg, handed, settle(Lost)}, true, ""},
		{"bytes after an in-process task was lost", []fact{shared, attempt, ended, {kind: factBytesSent, bytes: 3}}, false, ""},
		{"an in-process attempt after its process ended", []fact{shared, ended, attempt}, false, ""},
		{"the server has it after the app lost it", []fact{shared, attempt, ended, {kind: factReceived}}, false, ""},
		{"created out of order", []fact{{kind: factCreated, up: 1}}, false, "upload #1: fact created at 5s: the next upload is #0"},
		{"a fact for no upload", []fact{handed}, false, "upload #0: fact handed off at 5s: no such upload"},
		{"settled twice", []fact{bg, handed, reached(ErrTimedOut), settle(Pending)}, true,
			"upload u1: fact settled at 5s refused: settled twice (failed, then pending)"},
		{"the app learns an outcome twice", []fact{bg, handed, reached(ErrTimedOut), reached(0)}, false,
			"upload u1: fact event reached the app at 5s refused: its fate (failed) is final"},
		{"the app learns an outcome after the run", []fact{bg, handed, reached(0)}, true, "fact event reached the app at 5s refused: the run is over"},
		{"handed off twice", []fact{bg, handed, handed}, false, "upload u1: fact handed off at 5s refused: it was handed off at 5s already"},
		{"an in-process task handed off", []fact{shared, handed}, false, "fact handed off at 5s refused: an in-process task is never handed to the daemon"},
		{"an attempt the daemon cannot make", []fact{bg, attempt}, false, "fact attempt at 5s refused: the daemon does not have it"},
		{"a background attempt after the fate", []fact{bg, handed, reached(ErrTimedOut), attempt}, false, "fact attempt at 5s refused: its fate (failed) is final"},
		{"an outcome after the fate", []fact{bg, handed, reached(ErrTimedOut), {kind: factHeard}}, false, "fact outcome at 5s refused: its fate (failed) is final"},
		{"a verdict during the run", []fact{bg, settle(Pending)}, false, "fact settled at 5s refused: a verdict is for the end of the run"},
		{"delivered after the run", []fact{bg, handed, settle(Delivered)}, true, "refused: the run is over: its verdict is pending or lost"},
		{"delivered but never handed off", []fact{bg, reached(0)}, false, "refused: the daemon never had it"},
		{"bytes before any attempt", []fact{bg, {kind: factBytesSent, bytes: 1}}, false, "fact bytes sent at 5s refused: 1 bytes after 0 attempts"},
		{"received before any attempt", []fact{bg, {kind: factReceived}}, false, "fact received at 5s refused: no attempt sent it"},
		{"resumed from an upload that failed", []fact{bg, handed, reached(ErrNetworkConnectionLost),
			{kind: factCreated, up: 1, spec: "a", session: "s", bytes: 10, background: true, from: 1, offset: 4}}, false, ""},
		{"resumed from an upload that has not failed", []fact{bg, handed,
			{kind: factCreated, up: 1, spec: "a", session: "s", bytes: 10, background: true, from: 1, offset: 4}}, false,
			"upload #1: fact created at 5s refused: resumed from upload #0 at byte 4, which has no failure the app heard of"},
		{"a rate limiter hold as the daemon takes it", []fact{bg, handed, {kind: factDelayed, delay: sim.Minute}}, false, ""},
		{"a rate limiter hold before the daemon has it", []fact{bg, {kind: factDelayed, delay: sim.Minute}}, false,
			"fact rate limiter delay at 5s refused: the rate limiter holds a task only as the daemon takes it"},
		{"two rate limiter holds", []fact{bg, handed, {kind: factDelayed, delay: sim.Minute}, {kind: factDelayed, delay: sim.Minute}}, false,
			"refused: a hold of 1m0s after one of 1m0s"},
		{"bytes over no interface", []fact{bg, handed, attempt, {kind: factBytesSent, bytes: 1, iface: NumInterfaces}}, false,
			"fact bytes sent at 5s refused: bytes over interface 2"},
		{"resumed past the body", []fact{bg, handed, reached(ErrNetworkConnectionLost),
			{kind: factCreated, up: 1, spec: "a", session: "s", bytes: 10, background: true, from: 1, offset: 11}}, false,
			"resumed from upload #0 at byte 11"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l ledger
			at := 5 * sim.Second
			for i := range tt.facts {
				if tt.ended && i == len(tt.facts)-1 {
					l.ended = true
				}
				l.observe(at, &tt.facts[i])
			}
			switch {
			case tt.want == "" && l.err != nil:
				t.Fatalf("refused: %v", l.err)
			case tt.want != "" && (l.err == nil || !strings.Contains(l.err.Error(), tt.want)):
				t.Fatalf("error %v, want one containing %q", l.err, tt.want)
			}
		})
	}
}

// The ledger keeps the first attempt's time, the bytes by interface and
// the rate limiter's hold from the facts it observes.
func TestLedgerRecordsStartInterfacesAndDelay(t *testing.T) {
	var l ledger
	facts := []struct {
		at sim.Time
		f  fact
	}{
		{1 * sim.Second, fact{kind: factCreated, up: 0, spec: "a", session: "s", bytes: 10, background: true}},
		{2 * sim.Second, fact{kind: factHandedOff}},
		{2 * sim.Second, fact{kind: factDelayed, delay: sim.Minute}},
		{62 * sim.Second, fact{kind: factAttempt}},
		{70 * sim.Second, fact{kind: factBytesSent, bytes: 4, iface: WiFi}},
		{80 * sim.Second, fact{kind: factAttempt}},
		{90 * sim.Second, fact{kind: factBytesSent, bytes: 10, iface: Cellular}},
		{91 * sim.Second, fact{kind: factAttempt}},
		{92 * sim.Second, fact{kind: factBytesSent, bytes: 0, iface: Cellular}},
	}
	for i := range facts {
		l.observe(facts[i].at, &facts[i].f)
	}
	if l.err != nil {
		t.Fatal(l.err)
	}
	u := l.uploads[0]
	if u.StartedAt != 62*sim.Second || u.LimiterDelay != sim.Minute || u.Attempts != 3 {
		t.Errorf("started %v, delay %v, attempts %d; want 1m2s, 1m0s, 3", u.StartedAt, u.LimiterDelay, u.Attempts)
	}
	if u.BytesOn != [NumInterfaces]int64{4, 10} || u.UsedOn != [NumInterfaces]bool{true, true} || u.BytesSent != 14 {
		t.Errorf("bytes on %v, used on %v, sent %d; want [4 10], [true true], 14", u.BytesOn, u.UsedOn, u.BytesSent)
	}
}

// An in-process task started at the instant its process is force quit: the
// timeline's force quit comes before the network takes the request, so the
// attempt follows the fate (lost). The ledger takes it, as the world did
// before it was an observer.
func TestInProcessStartAtForceQuit(t *testing.T) {
	c := base()
	c.App.Sessions = append(c.App.Sessions, Session{Name: "sh", Kind: Shared, Delegate: "D"})
	c.App.Uploads = append(c.App.Uploads, Upload{Name: "s", Session: "sh", API: DataTask, Bytes: 1000})
	then(&c, Action{At: 5 * sim.Second, Do: StartUpload, Upload: "s"}, at(5*sim.Second, ForceQuit))
	r := mustRun(t, c)
	if u := wantUpload(t, r, 1, Lost, RuleInProcessTransfer, 0); u.Attempts != 1 {
		t.Errorf("attempts %d, want 1", u.Attempts)
	}
}
