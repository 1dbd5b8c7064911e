package model

import (
	"strconv"
	"strings"
)

// The iOS versions at which a behaviour bgsim models begins, each from
// the sources of its rule (../shared/docs/ios-rules.md). VersionGates
// says what each one changes; Config.Check refuses an API or a device
// setting a version does not have, and the app and the daemon apply the
// behaviour of the version the device runs.
const (
	// R-DATA-TASK-IN-BG-SESSION: iOS 7 throws at the data task's creation.
	IOSDataTaskInBGSession = 8
	// R-BG-CREATED-IS-DISCRETIONARY: since iOS 8 the foreground makes a
	// background-created task non-discretionary.
	IOSForegroundUndoesDiscretionary = 8
	// R-DISCRETIONARY-RELAXATION: since iOS 8; on iOS 7 discretionary
	// transfers were Wi-Fi only.
	IOSDiscretionaryRelaxation = 8
	// R-LOW-POWER-MODE: ProcessInfo.isLowPowerModeEnabled is iOS 9.0+.
	IOSLowPowerMode = 9
	// R-EARLIEST-BEGIN-DATE: earliestBeginDate is iOS 11+.
	IOSEarliestBeginDate = 11
	// R-EXPENSIVE-CONSTRAINED: the two access flags and Low Data Mode
	// are iOS 13+.
	IOSExpensiveConstrained = 13
	// R-NO-PER-TASK-DELEGATE: task.delegate is iOS 15+.
	IOSTaskDelegate = 15
	// R-RESUMABLE-UPLOAD-17: uploads resume from iOS 17.
	IOSResumableUpload = 17
	// R-DUP-ID-SAME-PROCESS: the current behaviour is known for iOS 17
	// to 26; for older versions the sources disagree.
	IOSDupIDKnown = 17
	// R-FORCE-QUIT-CANCELS: transfers going on after a force quit, or
	// vanishing with no event, are reported on iOS 17 only.
	IOSForceQuitReports = 17
)

// GateKind is what bgsim does on a version before a gate.
type GateKind string

// The gate kinds.
const (
	// GateRefused: the API or the setting does not exist before the
	// version (code using it would not build against that SDK), or what
	// iOS did is not known; Config.Check refuses the scenario, at the
	// field.
	GateRefused GateKind = "refused"
	// GateBehaviour: iOS behaved otherwise before the version, and the
	// model applies that behaviour.
	GateBehaviour GateKind = "behaviour"
)

// VersionGate is an iOS version at which a rule's behaviour or API
// begins.
type VersionGate struct {
	Rule   RuleID
	Since  int    // the first major iOS version with it
	What   string // what begins at Since
	Before string // on earlier versions: what iOS did, or "bgsim refuses ..."
	Kind   GateKind
}

// VersionGates lists every gate, by version. `bgsim rules` and
// docs/rules.md show each rule's.
var VersionGates = []VersionGate{
	{RuleDataTaskInBGSession, IOSDataTaskInBGSession,
		"a data task in a background session is allowed, and runs while the app runs",
		"iOS throws NSGenericException when the task is created, and the app crashes", GateBehaviour},
	{RuleBGCreatedIsDiscretionary, IOSForegroundUndoesDiscretionary,
		"a task discretionary only because it was created in the background stops being discretionary when the user opens the app",
		"it stays discretionary", GateBehaviour},
	{RuleDiscretionaryRelaxation, IOSDiscretionaryRelaxation,
		"a waiting discretionary task's Wi-Fi and power conditions are lifted as its resource timeout nears",
		"they are never lifted: discretionary transfers wait for Wi-Fi and power", GateBehaviour},
	{RuleLowPowerMode, IOSLowPowerMode,
		"Low Power Mode (ProcessInfo.isLowPowerModeEnabled)",
		"bgsim refuses power.low_power_mode and the low-power-on and low-power-off steps (the device has no Low Power Mode)", GateRefused},
	{RuleEarliestBeginDate, IOSEarliestBeginDate,
		"the earliestBeginDate API",
		"bgsim refuses begin_after (the API does not exist)", GateRefused},
	{RuleExpensiveConstrained, IOSExpensiveConstrained,
		"allowsExpensiveNetworkAccess, allowsConstrainedNetworkAccess and Low Data Mode",
		"bgsim refuses allows_expensive_network_access, allows_constrained_network_access and low_data_mode (none of them exists)", GateRefused},
	{RuleNoPerTaskDelegate, IOSTaskDelegate,
		"the task.delegate API (which throws on a background session)",
		"bgsim refuses task_delegate (the API does not exist)", GateRefused},
	{RuleResumableUpload17, IOSResumableUpload,
		"an upload to a server that supports resumable uploads continues where it stopped",
		"an upload restarts from byte zero after a drop", GateBehaviour},
	{RuleResumableUpload17, IOSResumableUpload,
		"NSURLSessionUploadTaskResumeData, uploadTask(withResumeData:) and cancel(byProducingResumeData:)",
		"bgsim refuses on_failure: resume, do: resume and resume_data: true (the APIs do not exist)", GateRefused},
	{RuleDupIDSameProcess, IOSDupIDKnown,
		"a second session with an identifier the process has is the first one (known for iOS 17 to 26)",
		"bgsim refuses two background sessions with one identifier (Apple calls it undefined; some reports say it crashes)", GateRefused},
	{RuleForceQuitCancels, IOSForceQuitReports,
		"the outcomes developers reported after a force quit besides the documented cancellation: transfers going on (force_quit: continue, force_quit_continue_chance) or vanishing with no event (force_quit: vanish)",
		"bgsim refuses those settings: only the documented cancellation is known", GateRefused},
}

// Versions returns the rule's version gates, in VersionGates' order.
func (r Rule) Versions() []VersionGate {
	var out []VersionGate
	for _, g := range VersionGates {
		if g.Rule == r.ID {
			out = append(out, g)
		}
	}
	return out
}

// String says the gate in two sentences: "From iOS 11: what. Before
// iOS 11, before."
func (g VersionGate) String() string {
	v := strconv.Itoa(g.Since)
	return "From iOS " + v + ": " + g.What + ". Before iOS " + v + ", " + g.Before + "."
}

// checkVersions refuses what the device's iOS version does not have
// (the GateRefused gates), each at its field. A version out of range is
// reported by its row of ParamTable; the gates would only repeat it.
func (c *Config) checkVersions(k *checker) {
	ios := c.IOS
	if ios < MinIOS || ios > MaxIOS {
		return
	}
	// Paths are built only for a problem found: checking a valid Config
	// allocates nothing here.
	missing := func(what string, since int, path ...string) {
		k.add(strings.Join(path, ""), "%s exists from iOS %d; this device runs iOS %d", what, since, ios)
	}
	access := func(kind, name string, a Access) {
		if a.Expensive != Inherit && ios < IOSExpensiveConstrained {
			missing("allowsExpensiveNetworkAccess", IOSExpensiveConstrained, kind, name, ".allows_expensive_network_access")
		}
		if a.Constrained != Inherit && ios < IOSExpensiveConstrained {
			missing("allowsConstrainedNetworkAccess", IOSExpensiveConstrained, kind, name, ".allows_constrained_network_access")
		}
	}
	for i, f := range c.Network.Interfaces {
		if f.Constrained && ios < IOSExpensiveConstrained {
			missing("Low Data Mode", IOSExpensiveConstrained, "network.", InterfaceName(i), ".low_data_mode")
		}
	}
	if c.Power.LowPowerMode && ios < IOSLowPowerMode {
		missing("Low Power Mode", IOSLowPowerMode, "power.low_power_mode")
	}
	a := &c.App
	for i, s := range a.Sessions {
		access("app.sessions.", s.Name, s.Access)
		if ios >= IOSDupIDKnown || s.Kind != Background || s.Identifier == "" {
			continue
		}
		for _, t := range a.Sessions[:i] {
			if t.Kind == Background && t.Identifier == s.Identifier && t.Name != s.Name {
				k.add("app.sessions."+s.Name+".identifier", "session %q has the identifier %s too: what a second session with one identifier does is known from iOS %d (the first session is returned); before, Apple calls it undefined and some reports say it crashes. This device runs iOS %d: give each session its own identifier, or run on iOS %d or later",
					t.Name, s.Identifier, IOSDupIDKnown, ios, IOSDupIDKnown)
				break
			}
		}
	}
	for _, u := range a.Uploads {
		if u.BeginAfter > 0 && ios < IOSEarliestBeginDate {
			missing("earliestBeginDate", IOSEarliestBeginDate, "app.uploads.", u.Name, ".begin_after")
		}
		if u.TaskDelegate && ios < IOSTaskDelegate {
			missing("task.delegate", IOSTaskDelegate, "app.uploads.", u.Name, ".task_delegate")
		}
		access("app.uploads.", u.Name, u.Access)
	}
	if ios < IOSForceQuitReports {
		if p := c.Params.ForceQuit; p == ForceQuitContinue || p == ForceQuitVanish {
			k.add("params.force_quit", "force_quit: %s is what developers reported on iOS %d and later; this device runs iOS %d, where only the documented cancellation is known", p, IOSForceQuitReports, ios)
		}
		if c.Params.ForceQuitContinueChance > 0 {
			k.add("params.force_quit_continue_chance", "transfers going on after a force quit were reported on iOS %d and later; this device runs iOS %d", IOSForceQuitReports, ios)
		}
	}
	for i, s := range c.Timeline {
		if (s.Do == LowPowerOn || s.Do == LowPowerOff) && ios < IOSLowPowerMode {
			missing("Low Power Mode", IOSLowPowerMode, "timeline[", strconv.Itoa(i), "].do")
		}
	}
}
