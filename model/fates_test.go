package model

import (
	"strings"
	"testing"
)

// The one query of the app's code: which paths, if any, create an
// identifier in a process after a given one.
func TestAppCreates(t *testing.T) {
	sessions := []Session{
		{Name: "main", Kind: Background, Identifier: "com.main"},
		{Name: "other", Kind: Background, Identifier: "com.other"},
		{Name: "shared", Kind: Shared},
		{Name: "fresh", Kind: Background, Identifier: "com.fresh." + LaunchToken},
	}
	uploads := []Upload{{Name: "photo", Session: "main"}, {Name: "clip", Session: "fresh"}}
	launch := codeUse{launch: true}
	events := codeUse{handleEvents: true}
	tests := []struct {
		atLaunch []string
		recreate string
		uploads  []Upload
		id       string
		after    int32
		want     codeUse
	}{
		{[]string{"main"}, RecreateNone, nil, "com.main", 1, launch},
		{[]string{"shared"}, RecreateNone, nil, "com.main", 1, codeUse{}},
		{nil, RecreateGiven, nil, "com.main", 1, events},
		{nil, RecreateGiven, nil, "com.unknown", 1, codeUse{}},
		{nil, "other", nil, "com.main", 1, codeUse{}},
		{nil, "other", nil, "com.other", 1, events},
		{[]string{"other"}, "main", nil, "com.other", 1, launch},
		{nil, "shared", nil, "com.main", 1, codeUse{}},
		// The upload code creates its session when it starts.
		{nil, RecreateNone, uploads, "com.main", 1, codeUse{upload: "photo"}},
		{[]string{"main"}, RecreateGiven, uploads, "com.main", 3, codeUse{launch: true, handleEvents: true, upload: "photo"}},
		// A fresh identifier at each launch: process 2 made com.fresh.2;
		// only a later process makes com.fresh.3, none com.fresh.2 again.
		{[]string{"fresh"}, "fresh", uploads, "com.fresh.2", 2, codeUse{}},
		{[]string{"fresh"}, "fresh", uploads, "com.fresh.3", 2, codeUse{launch: true, handleEvents: true, upload: "clip"}},
		{[]string{"fresh"}, "fresh", uploads, "com.fresh.02", 1, codeUse{}},
		{[]string{"fresh"}, "fresh", uploads, "com.fresh.", 0, codeUse{}},
		// handleEvents that uses the identifier it is given creates it.
		{nil, RecreateGiven, nil, "com.fresh.2", 2, events},
	}
	for _, tt := range tests {
		code := App{Sessions: sessions, Uploads: tt.uploads, AtLaunch: tt.atLaunch, HandleEvents: HandleEvents{Recreate: tt.recreate}}
		if got := code.creates(tt.id, tt.after); got != tt.want {
			t.Errorf("at launch %v, handleEvents recreates %q, uploads %v: creates(%q, after %d) = %+v, want %+v",
				tt.atLaunch, tt.recreate, tt.uploads, tt.id, tt.after, got, tt.want)
		}
	}
}

// The end-of-run verdict of a background upload, from recorded causes.
func TestVerdict(t *testing.T) {
	code := App{Sessions: []Session{{Name: "main", Kind: Background, Identifier: "com.main"}, {Name: "other", Kind: Background, Identifier: "com.other"}}}
	launch := code
	launch.AtLaunch = []string{"main"}
	given := code
	given.HandleEvents.Recreate = RecreateGiven
	wrong := code
	wrong.HandleEvents.Recreate = "other"
	uploads := code
	uploads.Uploads = []Upload{{Name: "photo", Session: "main"}}
	userLaunch := code
	userLaunch.AtUserLaunch = []string{"main"}
	bgLaunch := code
	bgLaunch.AtBackgroundLaunch = []string{"main"}
	bgUploads := bgLaunch
	bgUploads.Uploads = []Upload{{Name: "photo", Session: "main"}}
	wrongUploads := wrong
	wrongUploads.Uploads = uploads.Uploads
	held := func(announced bool) taskReport {
		return taskReport{known: true, state: done, session: "com.main", launchEvents: true, held: &event{status: 200, announced: announced}}
	}
	quit := held(false)
	quit.forceQuit = true
	off := held(false)
	off.launchEvents = false
	wrongWake := []wakeReport{{id: "com.main", wrongID: true}}
	waking := held(true)
	waking.wake = WakeRelaunch
	tests := []struct {
		name    string
		t       taskReport
		netWait RuleID
		code    App
		wakes   []wakeReport
		fate    Fate
		rule    RuleID
		live    bool
		running bool // a process runs (without the session unless live)
	}{
		{"not at the daemon yet", taskReport{}, "", code, nil, Pending, RuleOutOfProcess, false, false},
		{"held by the rate limiter", taskReport{known: true, state: waiting, holdRule: RuleRateLimiter}, "", code, nil, Pending, RuleRateLimiter, false, false},
		{"about to start", taskReport{known: true, state: waiting}, "", code, nil, Pending, RuleOutOfProcess, false, false},
		{"waiting for a path", taskReport{known: true, state: transferring}, RuleCellularDisallowed, code, nil, Pending, RuleCellularDisallowed, false, false},
		{"transferring", taskReport{known: true, state: transferring}, "", code, nil, Pending, RuleOutOfProcess, false, false},
		{"outcome on its way", taskReport{known: true, state: done}, "", code, nil, Pending, RuleUploadResponseDelivery, false, false},
		{"held, the launch code recreates it", held(true), "", launch, nil, Pending, RuleReconnectSameID, false, false},
		{"held, a wake is due and handleEvents recreates it", held(false), "", given, nil, Pending, RuleReconnectSameID, false, false},
		{"held, announced already: handleEvents will not run again", held(true), "", given, nil, Lost, RuleReconnectSameID, false, false},
		{"held, announced by a wake under way, handleEvents recreates it", waking, "", given, nil, Pending, RulePurgedAppRelaunched, false, false},
		{"held, a wake under way, but no code recreates it", waking, "", code, nil, Lost, RuleReconnectSameID, false, false},
		{"held after a force quit, the launch code recreates it", quit, "", launch, nil, Pending, RuleForceQuitCancels, false, false},
		{"held after a force quit, only handleEvents would", quit, "", given, nil, Lost, RuleReconnectSameID, false, false},
		{"held without launch events, the launch code recreates it", off, "", launch, nil, Pending, RuleSendLaunchEventsFalse, false, false},
		{"held, the woken app recreated another identifier", held(true), "", wrong, wrongWake, Lost, RuleWrongIDOnRecreate, false, false},
		{"held, no code recreates it", held(true), "", code, nil, Lost, RuleReconnectSameID, false, false},
		// Lost means lost: the upload code creates its session lazily.
		{"held, only the upload code recreates it", held(true), "", uploads, nil, Pending, RuleReconnectSameID, false, false},
		{"held, another identifier recreated, the upload code recreates it", held(true), "", wrongUploads, wrongWake, Pending, RuleWrongIDOnRecreate, false, false},
		{"held without launch events, only the upload code recreates it", off, "", uploads, nil, Pending, RuleSendLaunchEventsFalse, false, false},
		// The process is alive (suspended) and still has the session.
		{"held, no code recreates it, but the live process has the session", held(true), "", code, nil, Pending, RuleReconnectSameID, true, false},
		{"held without launch events, the live process has the session", off, "", code, nil, Pending, RuleSendLaunchEventsFalse, true, false},
		// Launch code by kind: a user launch comes when the user wants;
		// a background launch only when a wake finds no process.
		{"held, the user launch code recreates it", held(true), "", userLaunch, nil, Pending, RuleReconnectSameID, false, false},
		{"held without launch events, the user launch code recreates it", off, "", userLaunch, nil, Pending, RuleSendLaunchEventsFalse, false, false},
		{"held, a wake is due to launch the app, whose background launch code recreates it", held(false), "", bgLaunch, nil, Pending, RuleReconnectSameID, false, false},
		{"held, a wake is due but resumes the running app: background launch code does not run", held(false), "", bgLaunch, nil, Lost, RuleReconnectSameID, false, true},
		{"held, announced already: only background launch code would recreate it", held(true), "", bgLaunch, nil, Lost, RuleReconnectSameID, false, false},
		{"held, a wake under way launches the app, whose background launch code recreates it", waking, "", bgLaunch, nil, Pending, RulePurgedAppRelaunched, false, false},
		{"held without launch events, only background launch code would recreate it", off, "", bgLaunch, nil, Lost, RuleSendLaunchEventsFalse, false, false},
		{"held without launch events, background launch code and the upload code", off, "", bgUploads, nil, Pending, RuleSendLaunchEventsFalse, false, false},
	}
	for _, tt := range tests {
		fate, rule, _ := verdict(tt.t, tt.netWait, &tt.code, 1, tt.live, tt.running || tt.live, tt.wakes)
		if fate != tt.fate || rule != tt.rule {
			t.Errorf("%s: %s %s, want %s %s", tt.name, fate, rule, tt.fate, tt.rule)
		}
	}
}

// fateOf draws a fate from each fact of what the app learnt.
func TestFateOf(t *testing.T) {
	reached := func(code int, delegate, specDelegate string) *fact {
		return &fact{kind: factEventReached, status: 200, code: code, rule: RuleResourceTimeout, reason: "r", session: "com.example",
			delegate: delegate, specDelegate: specDelegate}
	}
	tests := []struct {
		name   string
		f      *fact
		fate   Fate
		rule   RuleID
		reason string // a part of the reason
	}{
		{"delivered to its delegate", reached(0, "D", "D"), Delivered, RuleResourceTimeout, "r"},
		{"failed, told its delegate", reached(ErrTimedOut, "D", "D"), Failed, RuleResourceTimeout, "r"},
		{"no delegate", reached(0, "", ""), Lost, RuleDelegateRequired, "the session com.example has no delegate"},
		{"delivered to the first session's delegate", reached(0, "First", "Second"), Delivered, RuleDupIDSameProcess,
			"it went to First, the delegate of the first session with identifier com.example, not to Second"},
		{"failed, told the first session's delegate", reached(ErrTimedOut, "First", ""), Failed, RuleDupIDSameProcess, "not to none"},
		{"an in-process response", &fact{kind: factInProcessResponse, status: 200, delegate: "completion handler"}, Delivered,
			RuleInProcessTransfer, "the response reached the running app's completion handler"},
		{"an in-process error", &fact{kind: factInProcessError, code: ErrNotConnectedToInternet}, Failed, RuleInProcessTransfer,
			"it failed with -1009 NSURLErrorNotConnectedToInternet"},
		{"a cut", &fact{kind: factCut, code: ErrNetworkConnectionLost}, Failed, RuleInProcessTransfer,
			"the task failed with NSURLErrorNetworkConnectionLost (-1005) when the app came back"},
		{"the process ended", &fact{kind: factProcessEnded, name: exitPurged}, Lost, RuleInProcessTransfer, "the app's process ended (purged)"},
		{"a crash at creation", &fact{kind: factCrash, name: "NSGenericException", reason: "no", rule: RuleUploadFromFile}, NeverSent,
			RuleUploadFromFile, `creating the task threw NSGenericException ("no")`},
		{"not running", &fact{kind: factNotRunning, name: "suspended"}, NeverSent, "", "the app was suspended"},
	}
	for _, tt := range tests {
		r := fateOf(tt.f)
		if r.fate != tt.fate || r.rule != tt.rule || !strings.Contains(r.reason, tt.reason) {
			t.Errorf("%s: %s %s %q, want %s %s and a reason with %q", tt.name, r.fate, r.rule, r.reason, tt.fate, tt.rule, tt.reason)
		}
	}
}
