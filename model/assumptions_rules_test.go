package model

import (
	"strconv"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/sim"
)

// Tests for behaviours the sources leave open (issue 12, item 5): each is
// either what the sources say or a parameter whose default follows them.

// A data task cut by suspension fails with -997, and the app learns it when
// it next connects to the session: iOS makes no wake for it, so the rate
// limiter does not grow ([RE-CFN] failDisconnectedTasks: tasks marked for
// failure on reconnection).
func TestRule_R_DATA_TASK_IN_BG_SESSION_NoWake(t *testing.T) {
	dataTask := func() Config {
		c := base()
		c.App.Uploads[0].API = DataTask
		then(&c, at(3*sim.Second, Leave)) // suspended at 8 s, mid-body
		return c
	}
	t.Run("the -997 reaches the app at the next user launch", func(t *testing.T) {
		c := dataTask()
		then(&c, at(5*sim.Minute, Launch))
		r := mustRun(t, c)
		u := wantUpload(t, r, 0, Failed, RuleDataTaskInBGSession, ErrBackgroundSessionWasDisconnected)
		// The user's launch recreates the session; the daemon sends the
		// event (one XPC hop) and the delegate gets it (another).
		if want := 5*sim.Minute + 2*c.Params.XPCLatency; u.SettledAt != want {
			t.Errorf("settled at %v, want %v (the user's launch)\n%s", u.SettledAt, want, dump(r))
		}
		if r.BackgroundResumes != 0 || r.BackgroundLaunches != 0 {
			t.Errorf("%d background resumes, %d launches; want none\n%s", r.BackgroundResumes, r.BackgroundLaunches, dump(r))
		}
		if n := len(recordsOf(r, "rate-limiter.set")); n != 0 {
			t.Errorf("the rate limiter was raised %d times; no wake was made\n%s", n, dump(r))
		}
	})
	t.Run("without a launch it is still waiting at the end", func(t *testing.T) {
		r := mustRun(t, dataTask())
		if u := &r.Uploads[0]; u.Fate != Pending || u.ErrorCode != ErrBackgroundSessionWasDisconnected || r.BackgroundResumes != 0 {
			t.Errorf("fate %s, code %d, %d resumes; want pending with -997 held and no resume\n%s", u.Fate, u.ErrorCode, r.BackgroundResumes, dump(r))
		}
		wantCites(t, r, "events.held", RuleDataTaskInBGSession)
	})
	t.Run("a wake for another task of the session delivers it", func(t *testing.T) {
		c := base()
		c.App.Uploads = append(c.App.Uploads, Upload{Name: "msg", Session: "up", API: DataTask, Bytes: 5_000_000})
		c.Timeline = []Action{at(0, Launch), {At: sim.Second, Do: StartUpload, Upload: "msg"},
			{At: sim.Second, Do: StartUpload, Upload: "photo"}, at(2*sim.Second, Leave)}
		r := mustRun(t, c)
		msg := wantUpload(t, r, 0, Failed, RuleDataTaskInBGSession, ErrBackgroundSessionWasDisconnected)
		photo := wantUpload(t, r, 1, Delivered, RuleSuspendedAppResumed, 0)
		if r.BackgroundResumes != 1 {
			t.Errorf("%d background resumes, want 1 (for the photo)\n%s", r.BackgroundResumes, dump(r))
		}
		if msg.SettledAt != photo.SettledAt || msg.SettledAt < 20*sim.Second {
			t.Errorf("the -997 settled at %v, the photo at %v; want both at the photo's wake\n%s", msg.SettledAt, photo.SettledAt, dump(r))
		}
	})
	t.Run("data_task_disconnect: wake (an assumption) wakes the app at once", func(t *testing.T) {
		c := dataTask()
		c.Params.DataTaskDisconnect = DataTaskWake
		r := mustRun(t, c)
		u := wantUpload(t, r, 0, Failed, RuleDataTaskInBGSession, ErrBackgroundSessionWasDisconnected)
		if u.SettledAt > 9*sim.Second || r.BackgroundResumes != 1 {
			t.Errorf("settled at %v with %d resumes; want a resume right after the suspension at 8 s\n%s", u.SettledAt, r.BackgroundResumes, dump(r))
		}
		if n := len(recordsOf(r, "rate-limiter.set")); n != 1 {
			t.Errorf("the rate limiter was raised %d times, want 1", n)
		}
	})
}

// Apple says a discretionary task "typically" waits for Wi-Fi and external
// power; params.discretionary_requires chooses, defaulting to both.
func TestRule_R_DISCRETIONARY_FLAG_Requires(t *testing.T) {
	t.Run("default: Wi-Fi and power", func(t *testing.T) {
		r := mustRun(t, discretionaryBase()) // on Wi-Fi, on battery
		wantUpload(t, r, 0, Pending, RuleDiscretionaryFlag, 0)
	})
	t.Run("wifi: runs on battery at once", func(t *testing.T) {
		c := discretionaryBase()
		c.Params.DiscretionaryRequires = DiscretionaryWiFi
		r := mustRun(t, c)
		if u := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0); u.ServerReceivedAt > time60 {
			t.Errorf("received at %v; nothing should hold it", u.ServerReceivedAt)
		}
		cellularOnly(&c)
		c.Power.Charging = true
		r = mustRun(t, c)
		wantUpload(t, r, 0, Pending, RuleDiscretionaryFlag, 0)
	})
	t.Run("none: runs on cellular and battery at once", func(t *testing.T) {
		c := discretionaryBase()
		c.Params.DiscretionaryRequires = DiscretionaryNone
		cellularOnly(&c)
		r := mustRun(t, c)
		if u := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0); u.ServerReceivedAt > time60 || r.Radios[Cellular].BytesUp == 0 {
			t.Errorf("received at %v, %d bytes up on cellular; want it sent over cellular at once", u.ServerReceivedAt, r.Radios[Cellular].BytesUp)
		}
		// A critically low battery and Low Power Mode still hold it.
		c.Power.BatteryPercent = 10
		r = mustRun(t, c)
		wantUpload(t, r, 0, Pending, RuleCriticalBattery, 0)
		c.Power.BatteryPercent, c.Power.LowPowerMode = 80, true
		r = mustRun(t, c)
		wantUpload(t, r, 0, Pending, RuleLowPowerMode, 0)
	})
	t.Run("a background chain on battery", func(t *testing.T) {
		// Each next upload is created in the background, so discretionary
		// (R-BG-CREATED-IS-DISCRETIONARY): by default the chain stops on
		// battery; needing Wi-Fi only, it goes on at the rate limiter's pace.
		c := base()
		c.Power.Charging = false
		c.Horizon = sim.Hour
		c.App.Uploads[0].Chain = 3
		then(&c, at(2*sim.Second, Leave))
		r := mustRun(t, c)
		if n, d := len(r.Uploads), r.Count(Delivered); n != 2 || d != 1 {
			t.Errorf("default: %d uploads, %d delivered; want the second held\n%s", n, d, dump(r))
		}
		c.Params.DiscretionaryRequires = DiscretionaryWiFi
		r = mustRun(t, c)
		if n, d := len(r.Uploads), r.Count(Delivered); n != 4 || d != 4 {
			t.Errorf("wifi: %d uploads, %d delivered; want all 4\n%s", n, d, dump(r))
		}
	})
}

// The source: the delay resets "when a full delay period passes without
// the daemon resuming the app". Where the period starts is
// params.rate_limiter.reset_after: 2 (default) counts it from when the
// delay ran out, 1 from when it was set.
func TestRule_R_RATE_LIMITER_ResetAfter(t *testing.T) {
	// Wake 1 at ~21 s sets 60 s; the chained upload waits it out, runs
	// ~20 s and wake 2 comes ~81 s after wake 1: past one delay, short of
	// two.
	delays := func(resetAfter int64) []string {
		c := base()
		c.App.Uploads[0].Chain = 2
		c.Params.RateLimiterResetAfter = resetAfter
		then(&c, at(2*sim.Second, Leave))
		r := mustRun(t, c)
		var got []string
		for _, rec := range recordsOf(r, "task.delayed") {
			got = append(got, attr(rec, "delay"))
		}
		if r.Count(Delivered) != 3 {
			t.Errorf("reset_after %d: %d delivered, want 3\n%s", resetAfter, r.Count(Delivered), dump(r))
		}
		if lapsed := cites(r, "rate-limiter.reset", RuleRateLimiter); lapsed != (resetAfter == 1) {
			t.Errorf("reset_after %d: a lapse was noted: %v", resetAfter, lapsed)
		}
		return got
	}
	if got := strings.Join(delays(2), " "); got != "1m0s 2m0s" {
		t.Errorf("reset_after 2: delays %s, want 1m0s 2m0s (the delay doubled)", got)
	}
	if got := strings.Join(delays(1), " "); got != "1m0s 1m0s" {
		t.Errorf("reset_after 1: delays %s, want 1m0s 1m0s (the delay lapsed, then started again)", got)
	}
}

// Apple documents that suspension stops an in-process task; the error the
// app then gets is not documented: params.in_process_cut_code, default
// -1005 (NSURLErrorNetworkConnectionLost), is an assumption.
func TestRule_R_IN_PROCESS_TRANSFER_CutCode(t *testing.T) {
	shared := func(code int) Config {
		c := base()
		c.App.Sessions = []Session{{Name: "shared", Kind: Shared}}
		c.App.AtLaunch = nil
		c.App.Uploads = []Upload{{Name: "message", Session: "shared", API: DataTask, CompletionHandler: true, Bytes: 5_000_000}}
		c.Timeline = []Action{at(0, Launch), {At: sim.Second, Do: StartUpload, Upload: "message"}, at(2*sim.Second, Leave)}
		c.Params.InProcessCutCode = code
		return c
	}
	for _, code := range []int{ErrNetworkConnectionLost, ErrTimedOut} {
		c := shared(code)
		then(&c, at(time60, Return))
		r := mustRun(t, c)
		if u := wantUpload(t, r, 0, Failed, RuleInProcessTransfer, code); u.SettledAt != time60 {
			t.Errorf("code %d: settled at %v, want when the app came back (%v)", code, u.SettledAt, time60)
		}
		// Not back by the end: pending, and the verdict names the code.
		r = mustRun(t, shared(code))
		if u := &r.Uploads[0]; u.Fate != Pending || !strings.Contains(u.Reason, strconv.Itoa(code)) {
			t.Errorf("code %d, never back: fate %s, reason %q", code, u.Fate, u.Reason)
		}
	}
}
