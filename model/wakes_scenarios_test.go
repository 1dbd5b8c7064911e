package model_test

import (
	"slices"
	"strconv"
	"testing"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/scenarios"
	"github.com/bgsim/bgsim/sim"
)

// The wake log of two embedded scenarios, checked against the trace the
// same run wrote: the daemon says why it woke the app (relaunch or resume),
// when, for how many events and with which rate limiter delay, and the
// app's report names the identifiers its code created on that wake, the
// same as the trace's session.created records.

func runEmbedded(t *testing.T, name string) *model.Result {
	t.Helper()
	sc, err := scenarios.LoadEmbedded(name)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := sc.Run(scenarios.RunOptions{KeepTrace: true})
	if err != nil {
		t.Fatal(err)
	}
	return rs[0]
}

func records(r *model.Result, kind string) []sim.Record {
	var out []sim.Record
	for _, rec := range r.Trace {
		if rec.Kind == kind {
			out = append(out, rec)
		}
	}
	return out
}

func attrOf(rec sim.Record, key string) string {
	for _, a := range rec.Attrs {
		if a.Key == key {
			return a.Value()
		}
	}
	return ""
}

// createdAt returns the identifiers the app's code created at instant at,
// by the trace.
func createdAt(r *model.Result, at sim.Time) []string {
	var ids []string
	for _, rec := range records(r, "session.created") {
		if rec.At == at {
			ids = append(ids, attrOf(rec, "identifier"))
		}
	}
	return ids
}

// checkWakes checks r's wake log against its trace: one wake per app.wake
// record, at its time, with its cause; each reached the app, which
// recreated what the trace says and called its completion handler when
// the trace says.
func checkWakes(t *testing.T, r *model.Result, cause model.WakeCause, delays []sim.Time) {
	t.Helper()
	wakeRecs, delayRecs := records(r, "app.wake"), records(r, "rate-limiter.set")
	called := records(r, "completion-handler.called")
	if len(r.Wakes) != len(delays) || len(wakeRecs) != len(delays) || len(called) != len(delays) {
		t.Fatalf("%d wakes in the log, %d app.wake and %d completion-handler.called records; want %d each",
			len(r.Wakes), len(wakeRecs), len(called), len(delays))
	}
	xpc := model.DefaultParams().XPCLatency
	for i, w := range r.Wakes {
		rec := wakeRecs[i]
		if w.At != rec.At || w.Session != attrOf(rec, "identifier") || string(w.Cause) != attrOf(rec, "how") || w.Cause != cause {
			t.Errorf("wake %d: at %v for %s, cause %s; the trace says %v for %s, %s; want cause %s",
				i+1, w.At, w.Session, w.Cause, rec.At, attrOf(rec, "identifier"), attrOf(rec, "how"), cause)
		}
		if w.Rule != cause.Rule() || w.Events != 1 || w.Delay != delays[i] || delayRecs[i].At != w.At {
			t.Errorf("wake %d: rule %s, %d events, delay %v; want %s, 1 event, %v", i+1, w.Rule, w.Events, w.Delay, cause.Rule(), delays[i])
		}
		a := w.App
		if a == nil {
			t.Fatalf("wake %d: no report from the app", i+1)
		}
		state := records(r, "app.state")
		j := slices.IndexFunc(state, func(s sim.Record) bool { return s.At > w.At && s.Rule == string(cause.Rule()) })
		if j < 0 {
			t.Fatalf("wake %d: no app.state record citing %s after it", i+1, cause.Rule())
		}
		up := state[j]
		if a.At != up.At || attrOf(up, "pid") != itoa(a.Pid) || a.Found != attrOf(up, "from") {
			t.Errorf("wake %d: the app reports it at %v, pid %d, found %s; the trace says %v, pid %s, from %s",
				i+1, a.At, a.Pid, a.Found, up.At, attrOf(up, "pid"), attrOf(up, "from"))
		}
		// The daemon learns the process is up one XPC hop later, and
		// sends urlSessionDidFinishEvents as the events go.
		if w.Came != cause || w.Pid != a.Pid || w.UpAt != a.At+xpc || w.End != "finished" || w.EndAt != w.UpAt {
			t.Errorf("wake %d: came %s, pid %d, up at %v, %s at %v; want %s, pid %d, up and finished at %v",
				i+1, w.Came, w.Pid, w.UpAt, w.End, w.EndAt, cause, a.Pid, a.At+xpc)
		}
		if !slices.Equal(a.Recreated, createdAt(r, a.At)) {
			t.Errorf("wake %d: the app reports it created %v; the trace says %v", i+1, a.Recreated, createdAt(r, a.At))
		}
		if !a.StoredHandler || a.HandlerCalledAt != called[i].At || a.WrongID {
			t.Errorf("wake %d: handler stored %v, called at %v, wrong identifier %v; the trace says called at %v",
				i+1, a.StoredHandler, a.HandlerCalledAt, a.WrongID, called[i].At)
		}
	}
}

func itoa(n int32) string { return strconv.Itoa(int(n)) }

// Purged mid-upload: one relaunch, whose launch code recreates the
// identifier.
func TestWakeLog_AppPurgedMidUpload(t *testing.T) {
	r := runEmbedded(t, "app-purged-mid-upload")
	checkWakes(t, r, model.WakeRelaunch, []sim.Time{sim.Minute})
	w := r.Wakes[0]
	if w.Pid != 2 || w.App.Found != "not running" || !slices.Equal(w.App.Recreated, []string{"com.example.upload"}) {
		t.Errorf("pid %d, found %s, created %v; want pid 2 launched, com.example.upload created at launch", w.Pid, w.App.Found, w.App.Recreated)
	}
	if u := r.Uploads[0]; u.Rule != model.RulePurgedAppRelaunched || u.SettledAt <= w.UpAt {
		t.Errorf("u1: %s settled at %v; want R-PURGED-APP-RELAUNCHED after the process came up at %v", u.Rule, u.SettledAt, w.UpAt)
	}
}

// One upload at a time from the background: three resumes of the suspended
// app, the rate limiter's delay doubling at each; the process had the
// identifier, so no wake created one.
func TestWakeLog_RateLimitedChain(t *testing.T) {
	r := runEmbedded(t, "rate-limited-chain")
	checkWakes(t, r, model.WakeResume, []sim.Time{sim.Minute, 2 * sim.Minute, 4 * sim.Minute})
	for i, w := range r.Wakes {
		if w.Pid != 1 || w.App.Found != "suspended" || len(w.App.Recreated) != 0 {
			t.Errorf("wake %d: pid %d, found %s, created %v; want the suspended pid 1, nothing created", i+1, w.Pid, w.App.Found, w.App.Recreated)
		}
	}
}

// Without a trace, no wake log reaches the Result.
func TestWakeLog_NotKeptWithoutTrace(t *testing.T) {
	sc, err := scenarios.LoadEmbedded("app-purged-mid-upload")
	if err != nil {
		t.Fatal(err)
	}
	cfg := sc.Variants[0].Config
	cfg.KeepTrace, cfg.NoTrace = false, true
	r, err := model.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if r.Wakes != nil || r.BackgroundLaunches != 1 {
		t.Errorf("wakes %v, background launches %d; want no log, 1 launch", r.Wakes, r.BackgroundLaunches)
	}
}
