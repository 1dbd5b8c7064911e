package model

import (
	"testing"

	"github.com/bgsim/bgsim/sim"
)

// challenged is base() with a server that challenges every request
// without a credential, the session answering with auth, and the app
// purged at 3 s, while the 20 s body is going out: the challenge comes at
// about 21 s, with no process to answer it.
func challenged(auth AuthAnswer) Config {
	c := base()
	c.Server.AuthChallenge = true
	c.App.Sessions[0].Auth = auth
	then(&c, at(2*sim.Second, Leave), at(3*sim.Second, Purge))
	return c
}

// challengeAt returns when the device had the first challenge (the
// request timeout counts from there): the daemon's record of it, or the
// network's for an in-process task. The server's, 140 ms earlier, when
// the daemon answered at once.
func challengeAt(t *testing.T, r *Result) sim.Time {
	t.Helper()
	recs := recordsOf(r, string(KindAuthChallenge))
	for _, rec := range recs {
		if rec.Actor != "server" {
			return rec.At
		}
	}
	if len(recs) > 0 {
		return recs[0].At
	}
	t.Fatalf("the server sent no challenge:\n%s", dump(r))
	return 0
}

func TestRule_R_AUTH_WAKE(t *testing.T) {
	t.Run("the delegate answers after a background launch", func(t *testing.T) {
		r := mustRun(t, challenged(AuthDelegate))
		// The response comes when the app, suspended after answering, is
		// resumed for it.
		u := wantUpload(t, r, 0, Delivered, RuleSuspendedAppResumed, 0)
		if r.BackgroundLaunches < 1 || len(r.Wakes) < 1 || r.Wakes[0].Cause != WakeRelaunch {
			t.Fatalf("background launches %d, wakes %+v: want a relaunch for the challenge", r.BackgroundLaunches, r.Wakes)
		}
		w := r.Wakes[0]
		if w.Delay != c60 {
			t.Errorf("the challenge's wake set the rate limiter to %v, want the first delay %v", w.Delay, c60)
		}
		if w.At < challengeAt(t, r) || w.At-challengeAt(t, r) > sim.Second {
			t.Errorf("wake at %v, challenge at %v: want the wake right after the challenge", w.At, challengeAt(t, r))
		}
		wantCites(t, r, string(KindAppWake), RuleAuthWake)
		wantCites(t, r, string(KindAuthAnswered), RuleAuthWake)
		// The answered request goes again with the body: 20 s more.
		if u.BytesSent != 2*u.Bytes || u.ServerReceipts != 1 || u.Attempts != 1 {
			t.Errorf("bytes sent %d of %d, receipts %d, attempts %d: want the body twice in one attempt, received once",
				u.BytesSent, u.Bytes, u.ServerReceipts, u.Attempts)
		}
		if u.ServerReceivedAt-challengeAt(t, r) < 20*sim.Second {
			t.Errorf("received %v after the challenge, want at least the 20 s of the body again", u.ServerReceivedAt-challengeAt(t, r))
		}
	})

	t.Run("launch events off: no wake, -1001 after the request timeout", func(t *testing.T) {
		c := challenged(AuthDelegate)
		c.App.Sessions[0].SendsLaunchEvents = false
		then(&c, at(10*sim.Minute, Launch))
		r := mustRun(t, c)
		u := wantUpload(t, r, 0, Failed, RuleAuthWake, ErrTimedOut)
		if r.BackgroundLaunches != 0 {
			t.Errorf("%d background launches, want none: launch events are off", r.BackgroundLaunches)
		}
		failed := recordsOf(r, string(KindTaskFailed))
		if len(failed) != 1 || failed[0].At-challengeAt(t, r) != DefaultRequestTimeout {
			t.Fatalf("want the task to fail %v after the challenge:\n%s", DefaultRequestTimeout, dump(r))
		}
		if u.ServerReceipts != 0 || u.SettledAt < 10*sim.Minute {
			t.Errorf("receipts %d, settled at %v: want nothing received, the failure heard at the user's launch", u.ServerReceipts, u.SettledAt)
		}
	})

	t.Run("the run ends while the challenge waits: pending under R-AUTH-WAKE", func(t *testing.T) {
		c := challenged(AuthDelegate)
		c.App.Sessions[0].SendsLaunchEvents = false
		c.Horizon = 50 * sim.Second // the challenge came at about 21 s
		r := mustRun(t, c)
		wantUpload(t, r, 0, Pending, RuleAuthWake, 0)
	})

	t.Run("code that does not answer: woken, then -1001", func(t *testing.T) {
		r := mustRun(t, challenged(AuthNone))
		u := wantUpload(t, r, 0, Failed, RuleAuthWake, ErrTimedOut)
		if r.BackgroundLaunches < 1 {
			t.Error("the app was not launched for the challenge")
		}
		wantCites(t, r, string(KindAuthUnanswered), RuleAuthWake)
		failed := recordsOf(r, string(KindTaskFailed))
		if len(failed) != 1 || failed[0].At-challengeAt(t, r) != DefaultRequestTimeout {
			t.Errorf("want the task to fail %v after the challenge:\n%s", DefaultRequestTimeout, dump(r))
		}
		if u.ServerReceipts != 0 {
			t.Errorf("receipts %d, want none", u.ServerReceipts)
		}
	})

	t.Run("credentials in storage: the daemon answers, no wake for it", func(t *testing.T) {
		r := mustRun(t, challenged(AuthCredentialStorage))
		u := wantUpload(t, r, 0, Delivered, RulePurgedAppRelaunched, 0)
		if cites(r, string(KindAppWake), RuleAuthWake) {
			t.Error("the app was woken for a challenge its credential storage answers")
		}
		// The one wake is for the finished task, after the body went again.
		if len(r.Wakes) != 1 || r.Wakes[0].At < u.ServerReceivedAt {
			t.Errorf("wakes %+v; want one, after the server had the upload at %v", r.Wakes, u.ServerReceivedAt)
		}
		if u.BytesSent != 2*u.Bytes || u.ServerReceipts != 1 {
			t.Errorf("bytes sent %d, receipts %d", u.BytesSent, u.ServerReceipts)
		}
		// No wake, no app: the answer takes no launch latency.
		if u.ServerReceivedAt-challengeAt(t, r) > 21*sim.Second {
			t.Errorf("received %v after the challenge, want the body's 20 s and a handshake", u.ServerReceivedAt-challengeAt(t, r))
		}
	})

	t.Run("a running app answers without a wake", func(t *testing.T) {
		c := base()
		c.Server.AuthChallenge = true
		c.App.Sessions[0].Auth = AuthDelegate
		r := mustRun(t, c)
		wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0)
		if len(r.Wakes) != 0 || r.BackgroundLaunches != 0 {
			t.Errorf("wakes %d, background launches %d: the foreground app answers as it is", len(r.Wakes), r.BackgroundLaunches)
		}
	})

	t.Run("in-process", func(t *testing.T) {
		for _, tt := range []struct {
			auth AuthAnswer
			fate Fate
			code int
		}{{AuthDelegate, Delivered, 0}, {AuthNone, Failed, ErrTimedOut}} {
			c := base()
			c.Server.AuthChallenge = true
			c.App.Sessions = append(c.App.Sessions, Session{Name: "sh", Kind: Shared, Delegate: "D", Auth: tt.auth})
			c.App.Uploads = append(c.App.Uploads, Upload{Name: "s", Session: "sh", API: UploadFromData, Bytes: 10_000})
			c.Timeline = []Action{{At: 0, Do: Launch}, {At: sim.Second, Do: StartUpload, Upload: "s"}}
			r := mustRun(t, c)
			u := wantUpload(t, r, 0, tt.fate, RuleInProcessTransfer, tt.code)
			if tt.fate == Failed && u.SettledAt-challengeAt(t, r) < DefaultRequestTimeout {
				t.Errorf("%s: failed %v after the challenge, want the request timeout", tt.auth, u.SettledAt-challengeAt(t, r))
			}
		}
	})
}

const c60 = 60 * sim.Second
