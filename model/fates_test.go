package model

import "testing"

// The one query of the app's code: which path, if any, creates an
// identifier.
func TestAppCreates(t *testing.T) {
	sessions := []Session{
		{Name: "main", Kind: Background, Identifier: "com.main"},
		{Name: "other", Kind: Background, Identifier: "com.other"},
		{Name: "shared", Kind: Shared},
	}
	tests := []struct {
		atLaunch []string
		recreate string
		id       string
		want     codePath
	}{
		{[]string{"main"}, RecreateNone, "com.main", pathLaunch},
		{[]string{"shared"}, RecreateNone, "com.main", pathNone},
		{nil, RecreateGiven, "com.main", pathHandleEvents},
		{nil, RecreateGiven, "com.unknown", pathNone},
		{nil, "other", "com.main", pathNone},
		{nil, "other", "com.other", pathHandleEvents},
		{[]string{"other"}, "main", "com.other", pathLaunch},
		{nil, "shared", "com.main", pathNone},
	}
	for _, tt := range tests {
		code := App{Sessions: sessions, AtLaunch: tt.atLaunch, HandleEvents: HandleEvents{Recreate: tt.recreate}}
		if got := code.creates(tt.id); got != tt.want {
			t.Errorf("at launch %v, handleEvents recreates %q: creates(%q) = %v, want %v", tt.atLaunch, tt.recreate, tt.id, got, tt.want)
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
	held := func(announced bool) taskReport {
		return taskReport{known: true, state: done, session: "com.main", launchEvents: true, held: &event{status: 200, announced: announced}}
	}
	quit := held(false)
	quit.forceQuit = true
	off := held(false)
	off.launchEvents = false
	wrongWake := []wakeReport{{id: "com.main", recreated: "com.other", wrongID: true}}
	tests := []struct {
		name    string
		t       taskReport
		netWait RuleID
		code    App
		wakes   []wakeReport
		fate    Fate
		rule    RuleID
	}{
		{"not at the daemon yet", taskReport{}, "", code, nil, Pending, RuleOutOfProcess},
		{"held by the rate limiter", taskReport{known: true, state: waiting, holdRule: RuleRateLimiter}, "", code, nil, Pending, RuleRateLimiter},
		{"about to start", taskReport{known: true, state: waiting}, "", code, nil, Pending, RuleOutOfProcess},
		{"waiting for a path", taskReport{known: true, state: transferring}, RuleCellularDisallowed, code, nil, Pending, RuleCellularDisallowed},
		{"transferring", taskReport{known: true, state: transferring}, "", code, nil, Pending, RuleOutOfProcess},
		{"outcome on its way", taskReport{known: true, state: done}, "", code, nil, Pending, RuleUploadResponseDelivery},
		{"held, the launch code recreates it", held(true), "", launch, nil, Pending, RuleReconnectSameID},
		{"held, a wake is due and handleEvents recreates it", held(false), "", given, nil, Pending, RuleReconnectSameID},
		{"held, announced already: handleEvents will not run again", held(true), "", given, nil, Lost, RuleReconnectSameID},
		{"held after a force quit, the launch code recreates it", quit, "", launch, nil, Pending, RuleForceQuitCancels},
		{"held after a force quit, only handleEvents would", quit, "", given, nil, Lost, RuleReconnectSameID},
		{"held without launch events, the launch code recreates it", off, "", launch, nil, Pending, RuleSendLaunchEventsFalse},
		{"held, the woken app recreated another identifier", held(true), "", wrong, wrongWake, Lost, RuleWrongIDOnRecreate},
		{"held, no code recreates it", held(true), "", code, nil, Lost, RuleReconnectSameID},
	}
	for _, tt := range tests {
		fate, rule, _ := verdict(tt.t, tt.netWait, &tt.code, tt.wakes)
		if fate != tt.fate || rule != tt.rule {
			t.Errorf("%s: %s %s, want %s %s", tt.name, fate, rule, tt.fate, tt.rule)
		}
	}
}

// The ruling on a background task's outcome reaching the app.
func TestEventRuling(t *testing.T) {
	ok := event{status: 200, rule: RuleUploadResponseDelivery, reason: "delivered"}
	failed := event{code: ErrTimedOut, rule: RuleResourceTimeout, reason: "timed out"}
	tests := []struct {
		name                   string
		ev                     event
		delegate, specDelegate string
		fate                   Fate
		rule                   RuleID
	}{
		{"delivered to its delegate", ok, "D", "D", Delivered, RuleUploadResponseDelivery},
		{"failed, told its delegate", failed, "D", "D", Failed, RuleResourceTimeout},
		{"no delegate", ok, "", "", Lost, RuleDelegateRequired},
		{"delivered to the first session's delegate", ok, "First", "Second", Delivered, RuleDupIDSameProcess},
		{"failed, told the first session's delegate", failed, "First", "", Failed, RuleDupIDSameProcess},
	}
	for _, tt := range tests {
		r := eventRuling(tt.ev, "com.example", tt.delegate, tt.specDelegate)
		if r.fate != tt.fate || r.rule != tt.rule {
			t.Errorf("%s: %s %s, want %s %s", tt.name, r.fate, r.rule, tt.fate, tt.rule)
		}
	}
}
