package model

import (
	"errors"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/sim"
)

// checkErrors runs c and returns Check's problems by path; it fails the
// test if the run was not refused.
func checkErrors(t *testing.T, c Config) map[string]string {
	t.Helper()
	_, err := Run(c)
	var l FieldErrors
	if !errors.As(err, &l) {
		t.Fatalf("Run: %v; want the configuration refused", err)
	}
	got := map[string]string{}
	for _, e := range l {
		got[e.Path] = e.Msg
	}
	return got
}

func wantRefused(t *testing.T, c Config, want map[string]string) {
	t.Helper()
	got := checkErrors(t, c)
	for path, msg := range want {
		if got[path] != msg {
			t.Errorf("%s: got %q\nwant %q", path, got[path], msg)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d problems, want %d: %v", len(got), len(want), got)
	}
}

// earliestBeginDate is an API of iOS 11: code setting it on iOS 10 does
// not build, so the scenario is refused; on iOS 11 the task waits for it.
func TestRule_R_EARLIEST_BEGIN_DATE_VersionGate(t *testing.T) {
	c := base()
	c.IOS = 10
	c.App.Uploads[0].BeginAfter = 10 * sim.Minute
	wantRefused(t, c, map[string]string{
		"app.uploads.photo.begin_after": "earliestBeginDate exists from iOS 11; this device runs iOS 10",
	})
	c.IOS = 11
	r := mustRun(t, c)
	if u := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0); u.ServerReceivedAt < u.CreatedAt+10*sim.Minute {
		t.Errorf("iOS 11: received at %v, before earliestBeginDate", u.ServerReceivedAt)
	}
}

// allowsExpensiveNetworkAccess, allowsConstrainedNetworkAccess and Low
// Data Mode come with iOS 13: on iOS 12 a session or a request setting
// either flag (to true or false), or a network in Low Data Mode, is
// refused.
func TestRule_R_EXPENSIVE_CONSTRAINED_VersionGate(t *testing.T) {
	c := base()
	c.IOS = 12
	cellularOnly(&c)
	c.App.Sessions[0].Access.Expensive = Denied
	c.App.Uploads[0].Access.Constrained = Allowed
	c.Network.Interfaces[WiFi].Constrained = true
	wantRefused(t, c, map[string]string{
		"app.sessions.up.allows_expensive_network_access":     "allowsExpensiveNetworkAccess exists from iOS 13; this device runs iOS 12",
		"app.uploads.photo.allows_constrained_network_access": "allowsConstrainedNetworkAccess exists from iOS 13; this device runs iOS 12",
		"network.wifi.low_data_mode":                          "Low Data Mode exists from iOS 13; this device runs iOS 12",
	})
	// On iOS 13 the same scenario runs: the only path is expensive and
	// the session may not use it, so the task waits.
	c.IOS = 13
	r := mustRun(t, c)
	wantUpload(t, r, 0, Pending, RuleExpensiveConstrained, 0)
}

// Low Power Mode comes with iOS 9: a device on iOS 8 cannot start in it,
// nor can the user switch it on or off.
func TestRule_R_LOW_POWER_MODE_VersionGate(t *testing.T) {
	c := discretionaryBase()
	c.IOS = 8
	c.Power.Charging = true
	c.Power.LowPowerMode = true
	then(&c, at(5*sim.Minute, LowPowerOff), at(6*sim.Minute, LowPowerOn))
	wantRefused(t, c, map[string]string{
		"power.low_power_mode": "Low Power Mode exists from iOS 9; this device runs iOS 8",
		"timeline[2].do":       "Low Power Mode exists from iOS 9; this device runs iOS 8",
		"timeline[3].do":       "Low Power Mode exists from iOS 9; this device runs iOS 8",
	})
	// On iOS 9 Low Power Mode holds the discretionary task until it is
	// switched off.
	c.IOS = 9
	c.Timeline = c.Timeline[:3]
	r := mustRun(t, c)
	if u := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0); u.ServerReceivedAt < 5*sim.Minute {
		t.Errorf("iOS 9: received at %v, while Low Power Mode was on", u.ServerReceivedAt)
	}
}

// Since iOS 8 a task made discretionary because it was created in the
// background stops being discretionary when the user opens the app; on
// iOS 7 it stays discretionary, and waits for power.
func TestRule_R_BG_CREATED_IS_DISCRETIONARY_VersionGate(t *testing.T) {
	c := base()
	c.Power.Charging = false
	c.Horizon = sim.Hour
	c.Timeline = []Action{at(0, Launch), at(sim.Second, Leave), {At: 2 * sim.Second, Do: StartUpload, Upload: "photo"},
		at(10*sim.Minute, Return)}
	c.IOS = 8
	r := mustRun(t, c)
	wantCites(t, r, "task.not-discretionary", RuleBGCreatedIsDiscretionary)
	if u := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0); u.ServerReceivedAt < 10*sim.Minute || u.ServerReceivedAt > 10*sim.Minute+time60 {
		t.Errorf("iOS 8: the server got the body at %v; want soon after the user opened the app at 10m", u.ServerReceivedAt)
	}
	c.IOS = 7
	r = mustRun(t, c)
	if cites(r, "task.not-discretionary", RuleBGCreatedIsDiscretionary) {
		t.Errorf("iOS 7: the foreground made the task non-discretionary\n%s", dump(r))
	}
	if u := wantUpload(t, r, 0, Pending, RuleDiscretionaryFlag, 0); u.ServerReceivedAt != sim.Never {
		t.Errorf("iOS 7: the server got the body at %v, on battery", u.ServerReceivedAt)
	}
	// Plugged in, it goes.
	then(&c, at(20*sim.Minute, PlugIn))
	r = mustRun(t, c)
	if u := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0); u.ServerReceivedAt < 20*sim.Minute {
		t.Errorf("iOS 7: the server got the body at %v, before the phone was plugged in at 20m", u.ServerReceivedAt)
	}
}

// Since iOS 8 a waiting discretionary task is relaxed near its resource
// timeout; on iOS 7 discretionary transfers stay on Wi-Fi, so on cellular
// alone the task times out.
func TestRule_R_DISCRETIONARY_RELAXATION_VersionGate(t *testing.T) {
	c := discretionaryBase()
	cellularOnly(&c)
	c.App.Sessions[0].ResourceTimeout = sim.Hour
	c.Horizon = 2 * sim.Hour
	c.IOS = 8
	r := mustRun(t, c)
	wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0)
	c.IOS = 7
	r = mustRun(t, c)
	if cites(r, "task.relaxed", RuleDiscretionaryRelaxation) {
		t.Errorf("iOS 7 relaxed the discretionary conditions\n%s", dump(r))
	}
	u := wantUpload(t, r, 0, Failed, RuleResourceTimeout, ErrTimedOut)
	if u.SettledAt < u.HandedOffAt+sim.Hour || r.Radios[Cellular].BytesUp != 0 {
		t.Errorf("iOS 7: settled at %v with %d bytes on cellular; want the resource timeout at 1h and nothing sent", u.SettledAt, r.Radios[Cellular].BytesUp)
	}
}

// What a second session with an identifier the process already has does
// is known for iOS 17 and later (the first session is returned); before,
// Apple calls it undefined and some reports say it crashes, so bgsim
// refuses to guess.
func TestRule_R_DUP_ID_SAME_PROCESS_VersionGate(t *testing.T) {
	c := base()
	c.App.Sessions = append(c.App.Sessions, Session{Name: "second", Kind: Background, Identifier: "com.example.upload",
		Delegate: "SecondDelegate", SendsLaunchEvents: true})
	c.App.AtLaunch = []string{"up", "second"}
	c.App.Uploads[0].Session = "second"
	c.IOS = 16
	wantRefused(t, c, map[string]string{
		"app.sessions.second.identifier": `session "up" has the identifier com.example.upload too: what a second session with one identifier does is known from iOS 17 (the first session is returned); before, Apple calls it undefined and some reports say it crashes. This device runs iOS 16: give each session its own identifier, or run on iOS 17 or later`,
	})
	c.IOS = 17
	r := mustRun(t, c)
	if u := wantUpload(t, r, 0, Delivered, RuleDupIDSameProcess, 0); u.Delegate != "UploadDelegate" {
		t.Errorf("iOS 17: delivered to %s; the first delegate should get the events", u.Delegate)
	}
}

// Every gate names a rule of the catalog, and every rule a gate names
// shows it.
func TestVersionGatesNameRules(t *testing.T) {
	for _, g := range VersionGates {
		r, ok := LookupRule(string(g.Rule))
		if !ok {
			t.Errorf("gate %+v names no rule", g)
			continue
		}
		if g.Since < MinIOS || g.Since > MaxIOS || g.What == "" || g.Before == "" {
			t.Errorf("gate %+v: a version in %d..%d, what begins and what bgsim does before", g, MinIOS, MaxIOS)
		}
		found := false
		for _, v := range r.Versions() {
			found = found || v == g
		}
		if !found {
			t.Errorf("%s.Versions() lacks %+v", r.ID, g)
		}
		if g.Kind != GateRefused && g.Kind != GateBehaviour {
			t.Errorf("gate %+v: kind %q", g, g.Kind)
		}
		if strings.HasPrefix(g.Before, "bgsim refuses") != (g.Kind == GateRefused) {
			t.Errorf("gate %+v: a refused gate says what bgsim refuses, and only it", g)
		}
	}
}

// The force-quit outcomes besides the documented cancellation (transfers
// going on, tasks vanishing) were reported on iOS 17: on an older device
// bgsim refuses them; from iOS 17 they run. (Found in review:
// force_quit: vanish ran on iOS 12 and its verdict said "as reported on
// iOS 17".)
func TestRule_R_FORCE_QUIT_CANCELS_VersionGate(t *testing.T) {
	c := base()
	c.IOS = 16
	c.Params.ForceQuit = ForceQuitVanish
	c.Params.ForceQuitContinueChance = 0.5
	wantRefused(t, c, map[string]string{
		"params.force_quit":                 "force_quit: vanish is what developers reported on iOS 17 and later; this device runs iOS 16, where only the documented cancellation is known",
		"params.force_quit_continue_chance": "transfers going on after a force quit were reported on iOS 17 and later; this device runs iOS 16",
	})
	c.IOS = 17
	then(&c, at(5*sim.Second, ForceQuit))
	r := mustRun(t, c)
	wantUpload(t, r, 0, Lost, RuleForceQuitCancels, 0)
}
