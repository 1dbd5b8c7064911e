package model

// FaultKind is an interruption bgsim explore injects into a run: a
// timeline step the scenario did not write.
type FaultKind struct {
	Name string
	Do   ActionKind
	// Default: the system causes it, not the user; explored when neither
	// the command line nor the scenario picks any.
	Default bool
	Doc     string
}

// FaultKinds lists the faults, in the order explore enumerates them.
var FaultKinds = []FaultKind{
	{"purge", Purge, true, "the system terminates the app to reclaim memory (an app in the background or suspended; ignored otherwise)"},
	{"outage", Outage, true, "every path is cut for a while (each outage duration), then restored"},
	{"wifi-loss", WiFiOff, true, "Wi-Fi loses its path for the rest of the run"},
	{"low-power", LowPowerOn, true, "Low Power Mode turns on"},
	{"cellular-loss", CellularOff, false, "cellular loses its path for the rest of the run"},
	{"force-quit", ForceQuit, false, "the user swipes the app away in the app switcher"},
	{"user-launch", Launch, false, "the user opens the app (a new process if it is not running)"},
	{"user-leave", Leave, false, "the user leaves the app for the home screen (ignored if it is not in the foreground)"},
}

// FaultNames lists the faults' names, in FaultKinds' order.
func FaultNames() []string {
	out := make([]string, len(FaultKinds))
	for i, k := range FaultKinds {
		out[i] = k.Name
	}
	return out
}
