package model

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bgsim/bgsim/sim"
)

// bodyStart returns when base()'s 5 MB body starts on its 2 Mbit/s
// uplink, alone: the server has it RTT/2 after its last byte, which
// leaves the device 20 s after its first.
func bodyStart(t *testing.T) sim.Time {
	t.Helper()
	r := mustRun(t, base())
	return r.Uploads[0].ServerReceivedAt - 40*sim.Millisecond - 20*sim.Second
}

// fired returns the trigger.fired records.
func fired(r *Result) []sim.Record { return recordsOf(r, string(KindTriggerFired)) }

func wantFiredAt(t *testing.T, r *Result, want sim.Time) {
	t.Helper()
	fs := fired(r)
	if len(fs) != 1 {
		t.Fatalf("%d trigger.fired records, want 1:\n%s", len(fs), dump(r))
	}
	if fs[0].At != want {
		t.Errorf("the trigger fired at %v, want %v:\n%s", fs[0].At, want, dump(r))
	}
	if len(r.Unfired) != 0 {
		t.Errorf("unfired steps %v, want none", r.Unfired)
	}
}

func TestTriggerSentFiresWhenTheShareIsOnTheAir(t *testing.T) {
	start := bodyStart(t)
	c := base()
	then(&c, at(2*sim.Second, Leave), Action{When: Trigger{Upload: "photo", Sent: 60}, Do: Purge})
	r := mustRun(t, c)
	// 60% of 5 MB is 3 MB, 24 Mbit: 12 s at 2 Mbit/s.
	wantFiredAt(t, r, start+12*sim.Second)
	if len(r.Terminations) != 1 || r.Terminations[0].At != start+12*sim.Second || r.Terminations[0].Reason != "purged" {
		t.Errorf("terminations %+v, want one purge at %v", r.Terminations, start+12*sim.Second)
	}
	// The daemon carries the task on; iOS relaunches the app for it.
	wantUpload(t, r, 0, Delivered, r.Uploads[0].Rule, 0)
	if r.BackgroundLaunches != 1 {
		t.Errorf("%d background launches, want 1", r.BackgroundLaunches)
	}
}

func TestTriggerSentFollowsARateChange(t *testing.T) {
	start := bodyStart(t)
	c := base()
	// 6 s at 2 Mbit/s carry 1.5 MB; the other 1.5 MB to 60% take 12 s
	// at 1 Mbit/s.
	then(&c, Action{When: Trigger{Upload: "photo", Sent: 60}, Do: PlugIn},
		Action{At: start + 6*sim.Second, Do: Bandwidth, Interface: WiFi, Up: 1_000_000})
	r := mustRun(t, c)
	wantFiredAt(t, r, start+18*sim.Second)
}

func TestTriggerSentFollowsAFlowJoining(t *testing.T) {
	start := bodyStart(t)
	c := base()
	c.App.Uploads = append(c.App.Uploads, Upload{Name: "other", Session: "up", API: UploadFromFile, Bytes: 50_000_000})
	then(&c, Action{At: 5 * sim.Second, Do: StartUpload, Upload: "other"},
		Action{When: Trigger{Upload: "photo", Sent: 60}, Do: PlugIn})
	r := mustRun(t, c)
	// The second body joins when its connection is up: from then each
	// body has 1 Mbit/s, 125000 B/s, where the first had 250000 B/s.
	conn := recordsOf(r, string(KindTransferConnecting))
	if len(conn) != 2 {
		t.Fatalf("%d connections, want 2", len(conn))
	}
	takes, err := time.ParseDuration(attr(conn[1], "takes"))
	if err != nil {
		t.Fatal(err)
	}
	join := conn[1].At + sim.Time(takes.Nanoseconds())
	alone := join - start
	before := int64(alone) * 250_000 / int64(sim.Second) // whole bytes by the join
	rest := (3_000_000 - before) * int64(sim.Second) / 125_000
	wantFiredAt(t, r, join+sim.Time(rest))
}

func TestTriggerStateFiresAfterItsDelay(t *testing.T) {
	c := base()
	then(&c, Action{When: Trigger{Upload: "photo", State: UploadTransferring}, After: 2 * sim.Second, Do: Outage, For: 30 * sim.Second})
	r := mustRun(t, c)
	started := r.Uploads[0].StartedAt
	wantFiredAt(t, r, started)
	out := recordsOf(r, string(KindOutage))
	if len(out) != 1 || out[0].At != started+2*sim.Second {
		t.Errorf("outage records %v, want one at %v", out, started+2*sim.Second)
	}
	if r.Uploads[0].Attempts < 2 {
		t.Errorf("%d attempts, want the outage to cut the first", r.Uploads[0].Attempts)
	}
}

func TestTriggerOnEachState(t *testing.T) {
	for _, st := range UploadStates {
		c := base()
		then(&c, Action{When: Trigger{Upload: "photo", State: st}, Do: PlugIn})
		r := mustRun(t, c)
		u := r.Uploads[0]
		want := map[string]sim.Time{UploadCreated: u.CreatedAt, UploadHandedOff: u.HandedOffAt,
			UploadTransferring: u.StartedAt, UploadReceived: u.ServerReceivedAt}[st]
		t.Run(st, func(t *testing.T) { wantFiredAt(t, r, want) })
	}
}

func TestTriggerFateAndBackgroundLaunches(t *testing.T) {
	c := base()
	then(&c, at(2*sim.Second, Leave), at(5*sim.Second, Purge),
		Action{When: Trigger{BackgroundLaunches: 1}, After: 10 * sim.Second, Do: Launch},
		Action{When: Trigger{Upload: "photo", Fate: Delivered}, Do: Leave})
	r := mustRun(t, c)
	fs := fired(r)
	if len(fs) != 2 {
		t.Fatalf("%d trigger.fired records, want 2:\n%s", len(fs), dump(r))
	}
	if r.BackgroundLaunches != 1 {
		t.Fatalf("%d background launches; want one relaunch", r.BackgroundLaunches)
	}
	var relaunch, opened sim.Time = sim.Never, sim.Never
	for _, rec := range recordsOf(r, string(KindAppState)) {
		switch {
		case attr(rec, "to") == "background" && attr(rec, "from") == "not running":
			relaunch = rec.At
		case attr(rec, "to") == "foreground" && rec.At > 0:
			opened = rec.At
		}
	}
	if fs[0].At != relaunch || attr(fs[0], "action") != "launch" {
		t.Errorf("launch trigger fired at %v (%s), want the relaunch at %v", fs[0].At, attr(fs[0], "action"), relaunch)
	}
	if opened != relaunch+10*sim.Second {
		t.Errorf("the user opened the app at %v, want 10 s after the relaunch at %v", opened, relaunch)
	}
	if fs[1].At != r.Uploads[0].SettledAt || r.Uploads[0].Fate != Delivered || attr(fs[1], "action") != "background" {
		t.Errorf("fate trigger fired at %v, want when the upload was delivered, %v", fs[1].At, r.Uploads[0].SettledAt)
	}
}

func TestTriggerFiresOnce(t *testing.T) {
	c := base()
	// A second upload from the same spec: the trigger waits for the first.
	then(&c, at(40*sim.Second, StartUpload), Action{When: Trigger{Upload: "photo", State: UploadTransferring}, Do: PlugIn})
	c.Timeline[2].Upload = "photo"
	r := mustRun(t, c)
	wantFiredAt(t, r, r.Uploads[0].StartedAt)
	if len(r.Uploads) != 2 || r.Uploads[1].StartedAt == sim.Never {
		t.Fatalf("want two started uploads: %+v", r.Uploads)
	}
}

func TestTriggerThatNeverHoldsIsReported(t *testing.T) {
	c := base()
	c.Horizon = 10 * sim.Minute
	then(&c, Action{When: Trigger{Upload: "photo", Fate: Failed}, Do: Purge},
		Action{When: Trigger{Upload: "photo", State: UploadReceived}, After: sim.Hour, Do: Purge})
	r := mustRun(t, c)
	if len(r.Unfired) != 2 {
		t.Fatalf("unfired %+v, want 2", r.Unfired)
	}
	u := r.Unfired[0]
	if u.Step != 2 || u.Do != Purge || u.HeldAt != sim.Never || u.When != "{upload: photo, fate: failed}" {
		t.Errorf("unfired[0] = %+v", u)
	}
	if u := r.Unfired[1]; u.Step != 3 || u.HeldAt != r.Uploads[0].ServerReceivedAt {
		t.Errorf("unfired[1] = %+v, want held at the receipt, %v", u, r.Uploads[0].ServerReceivedAt)
	}
	recs := recordsOf(r, string(KindTriggerUnfired))
	if len(recs) != 2 || recs[0].At != r.EndedAt || !strings.Contains(recs[0].Note, "never held") {
		t.Errorf("trigger.unfired records %v", recs)
	}
	if len(r.Terminations) != 0 {
		t.Errorf("terminations %+v, want none", r.Terminations)
	}
}

func TestTriggerDeterministic(t *testing.T) {
	c := base()
	then(&c, Action{When: Trigger{Upload: "photo", Sent: 33}, After: sim.Second, Do: Purge})
	a, b := mustRun(t, c), mustRun(t, c)
	if a.Fingerprint != b.Fingerprint {
		t.Errorf("fingerprints differ: %v, %v", a.Fingerprint, b.Fingerprint)
	}
	var r Runner
	for range 2 {
		x, err := r.Run(c)
		if err != nil || x.Fingerprint != a.Fingerprint {
			t.Fatalf("a Runner's run: %v, fingerprint %v want %v", err, x.Fingerprint, a.Fingerprint)
		}
	}
}

func TestTriggerCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		act  Action
		path string
		msg  string
	}{
		{"unknown upload", Action{When: Trigger{Upload: "phot", Sent: 50}, Do: Purge}, "timeline[2].when.upload", `did you mean "photo"`},
		{"no upload", Action{When: Trigger{State: UploadCreated}, Do: Purge}, "timeline[2].when.upload", "add upload: NAME"},
		{"two conditions", Action{When: Trigger{Upload: "photo", Sent: 50, Fate: Delivered}, Do: Purge}, "timeline[2].when", "found 2"},
		{"bad state", Action{When: Trigger{Upload: "photo", State: "transfering"}, Do: Purge}, "timeline[2].when.state", `did you mean "transferring"`},
		{"pending", Action{When: Trigger{Upload: "photo", Fate: Pending}, Do: Purge}, "timeline[2].when.fate", "final during the run"},
		{"launches with upload", Action{When: Trigger{Upload: "photo", BackgroundLaunches: 2}, Do: Purge}, "timeline[2].when.upload", "takes no upload"},
		{"sent past 100", Action{When: Trigger{Upload: "photo", Sent: 150}, Do: Purge}, "timeline[2].when.sent", "100%"},
		{"after without when", Action{At: 5 * sim.Second, After: sim.Second, Do: Purge}, "timeline[2].after", "only to a step with when"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := base()
			then(&c, tc.act)
			err := c.Check()
			var fes FieldErrors
			if !errors.As(err, &fes) {
				t.Fatalf("Check: %v, want FieldErrors", err)
			}
			for _, fe := range fes {
				if fe.Path == tc.path && strings.Contains(fe.Msg, tc.msg) {
					return
				}
			}
			t.Errorf("Check: %v; want %s: …%s…", err, tc.path, tc.msg)
		})
	}
	// A step with a trigger is in no time order; the at: steps around it
	// keep theirs.
	c := base()
	then(&c, Action{When: Trigger{Upload: "photo", Sent: 50}, Do: Purge}, at(2*sim.Second, Leave))
	if err := c.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
	then(&c, at(sim.Second/2, Return))
	if err := c.Check(); err == nil || !strings.Contains(err.Error(), "timeline[4].at") || !strings.Contains(err.Error(), "before the step above it at 2s") {
		t.Errorf("Check: %v, want timeline[4].at out of order after the step at 2s", err)
	}
}
