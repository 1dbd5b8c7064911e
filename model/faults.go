package model

// FaultKind is an interruption bgsim explore injects into a run: a
// timeline step the scenario did not write, and for a fault that lasts,
// the step that ends it.
type FaultKind struct {
	Name string
	Do   ActionKind
	// Until is the step that ends the fault after each of explore's
	// durations (wifi-on after wifi-off); "" for a fault that does not
	// end. An outage ends by itself after its For.
	Until ActionKind
	// Default: the system causes it, not the user; explored when neither
	// the command line nor the scenario picks any.
	Default bool
	Doc     string
}

// Timed tells whether the fault lasts for a duration.
func (k FaultKind) Timed() bool { return k.Do == Outage || k.Until != "" }

// FaultKinds lists the faults, in the order explore enumerates them.
var FaultKinds = []FaultKind{
	{"purge", Purge, "", true, "the system terminates the app to reclaim memory (an app in the background or suspended; ignored otherwise)"},
	{"outage", Outage, "", true, "every path is cut for a while, then restored"},
	{"wifi-loss", WiFiOff, WiFiOn, true, "Wi-Fi loses its path for a while, then gets it back"},
	{"low-power", LowPowerOn, LowPowerOff, true, "Low Power Mode is on for a while, then off"},
	{"cellular-loss", CellularOff, CellularOn, false, "cellular loses its path for a while, then gets it back"},
	{"force-quit", ForceQuit, "", false, "the user swipes the app away in the app switcher"},
	{"user-launch", Launch, "", false, "the user opens the app (a new process if it is not running)"},
	{"user-leave", Leave, "", false, "the user leaves the app for the home screen (ignored if it is not in the foreground)"},
}

// FaultNames lists the faults' names, in FaultKinds' order.
func FaultNames() []string {
	out := make([]string, len(FaultKinds))
	for i, k := range FaultKinds {
		out[i] = k.Name
	}
	return out
}
