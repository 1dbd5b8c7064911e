package model

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bgsim/bgsim/sim"
)

// Config is everything one run needs: the device, the behaviour parameters
// Apple does not pin down, the network, the server, the app's code and the
// timeline of what the user and the system do. Tests build it directly;
// the scenarios package builds it from YAML.
type Config struct {
	Scenario string // name, carried into the Result
	Variant  string // variant name, "" for the base scenario
	Title    string // the scenario's one-line title
	About    string // what the scenario (or the variant) teaches
	Seed     uint64

	// Horizon ends the run at this virtual time even if work is pending
	// (1ns to MaxHorizon: Check refuses a Config without one).
	Horizon sim.Time
	// EnergyWindow is the span, from time 0, over which every radio's
	// energy is integrated, the same for every variant: a radio's state
	// goes on past the run's last event (its tail ends, then it idles),
	// and a run that goes past the window is counted up to it. Zero means
	// the horizon. At most the horizon.
	EnergyWindow sim.Time
	// MaxEvents bounds the run; exceeding it is an error, never a hang
	// (1 to MaxEventsCeiling).
	MaxEvents uint64
	// KeepTrace keeps the trace records in the Result.
	KeepTrace bool
	// MaxRecords bounds the trace records KeepTrace keeps; a run that
	// would keep more fails with an error naming the limit. Zero means
	// no bound.
	MaxRecords int
	// NoTrace takes no trace at all: no records, no fingerprint, no radio
	// intervals. The run's outcome is the same; sweeps use it for speed.
	NoTrace bool

	// IOS is the major iOS version of the device (7 to 26).
	IOS int
	// BackgroundAppRefreshOff: the user switched Background App Refresh
	// off for the app (R-BG-APP-REFRESH); what that does to background
	// sessions is Params.RefreshOff. The zero value is the default, on.
	BackgroundAppRefreshOff bool

	Params   Params
	Network  Network
	Power    Power
	Server   Server
	App      App
	Timeline []Action
}

// Params are behaviours Apple does not document precisely. Some defaults
// come from ../shared/docs/ios-rules.md, others are bgsim's assumptions
// where no source gives a number: DefaultParams says which is which, and
// so does docs/scenarios.md's table; `bgsim rules` explains the rules
// behind them.
type Params struct {
	// XPCLatency is one hop between the app process and nsurlsessiond.
	XPCLatency sim.Time
	// LaunchLatency is how long iOS takes to launch the app's process, for
	// the user or in the background.
	LaunchLatency sim.Time
	// BackgroundGrace is how long an app the user left keeps running
	// before it is suspended.
	BackgroundGrace sim.Time
	// RelaunchAllowance is how long an app woken for session events may
	// run before iOS terminates it (R-RELAUNCH-TIME: 30 to 60 s).
	RelaunchAllowance sim.Time
	// RateLimiterFirst is the first request delay the resume rate limiter
	// sets (R-RATE-LIMITER, observed 60 s on iOS 12.4).
	RateLimiterFirst sim.Time
	// RateLimiterFactor multiplies the delay at each later background
	// wake (observed 2).
	RateLimiterFactor int64
	// RateLimiterCap bounds the delay; 0 means no cap (none was observed).
	RateLimiterCap sim.Time
	// RateLimiterResetAfter: the delay lapses when this many times the
	// delay has passed since it was set without a background wake. The
	// source says only that it resets "when a full delay period passes
	// without the daemon resuming the app"; whether that period counts
	// from when the delay was set (1) or from when it ran out (2) is not
	// said. The default, 2, is an assumption.
	RateLimiterResetAfter int64
	// ForceQuit is what happens to background tasks when the user force
	// quits the app (R-FORCE-QUIT-CANCELS).
	ForceQuit ForceQuitPolicy
	// ForceQuitContinueChance is, under ForceQuitCancel, the chance that
	// a force quit leaves the transfers going anyway, as reported on iOS
	// 17; drawn at each force quit from the run's "force-quit" stream.
	ForceQuitContinueChance float64
	// DataTaskDisconnect is how the app learns that a data task in a
	// background session failed with -997 because the app was suspended
	// or exited (R-DATA-TASK-IN-BG-SESSION): the source says such tasks
	// are marked for failure client-side when the app reconnects
	// (R-DAEMON-DISCONNECT), so by default no wake is made for it.
	DataTaskDisconnect DataTaskDisconnectPolicy
	// InProcessCutCode is the URL error code a shared-session task cut by
	// suspension fails with when the app comes back
	// (R-IN-PROCESS-TRANSFER). Apple documents the cut, not the code;
	// -1005 (NSURLErrorNetworkConnectionLost) is an assumption.
	InProcessCutCode int
	// HandshakeRTTs is how many round trips a new connection costs before
	// the request body flows (TCP and TLS).
	HandshakeRTTs int
	// MaxRedirects is how many redirects one attempt follows; a response
	// that would be one more fails the task with
	// NSURLErrorHTTPTooManyRedirects (-1007). Apple documents the
	// threshold as "currently 16" (URLError.httpTooManyRedirects); that
	// the 16th is followed and the 17th fails is the model's reading.
	MaxRedirects int
	// DiscretionaryRelaxAfter is the fraction of a task's resource timeout
	// after which its discretionary conditions (Wi-Fi, power) are lifted
	// (R-DISCRETIONARY-RELAXATION: Apple publishes no curve, so the
	// fraction is an assumption).
	DiscretionaryRelaxAfter float64
	// DiscretionaryRequires is what a discretionary task waits for
	// (R-DISCRETIONARY-FLAG): Apple says the system "typically" waits for
	// Wi-Fi and external power, so the default is both; the others relax
	// that guess.
	DiscretionaryRequires DiscretionaryRequirement
	// CriticalBatteryPercent: at or below it, and not charging,
	// discretionary work is held (R-CRITICAL-BATTERY).
	CriticalBatteryPercent int
	// WakeJoules is an optional fixed cost per background launch or
	// resume of the app, reported apart from the radios; 0 leaves it out.
	WakeJoules float64
	// WakeCPUWatts is the power the device draws, above its sleep power,
	// while the app is awake in a background wake: from the wake to the
	// completion handler's call, or to the suspension or termination
	// that ends it. An assumption: Apple publishes no figure (ios-rules.md
	// E2, E7); the default is DefaultWakeCPUWatts.
	WakeCPUWatts float64
	// RefreshOff is what Background App Refresh switched off does to
	// background sessions (R-BG-APP-REFRESH: undocumented).
	RefreshOff RefreshOffEffect
	// ResumableWait is how long an iOS 17 upload to a resumable server
	// waits, after losing its connection, for a path before it fails with
	// NSURLSessionUploadTaskResumeData (R-RESUMABLE-UPLOAD-17: "a short
	// blip" resumes by itself, "a longer outage" fails; Apple gives no
	// length, so this is an assumption).
	ResumableWait sim.Time
	// RewakeUnfinished (default true): when the process iOS woke for a
	// session's events ends or is suspended before it takes them, iOS
	// wakes the app for them again, as it launched it for them in the
	// first place (R-PURGED-APP-RELAUNCHED: events wait and the app is not
	// running). Apple is silent on this case, so both readings are
	// assumptions; false leaves the events waiting until a process creates
	// the identifier (R-RECONNECT-SAME-ID).
	RewakeUnfinished bool
	// UpdateCancelsTasks: installing an update of the app (do:
	// update_app) cancels its background tasks with -999, rather than
	// leaving them to the daemon (R-APP-UPDATE: Apple is silent; keeping
	// them, the default, is an assumption).
	UpdateCancelsTasks bool
}

// DefaultWakeCPUWatts is the default Params.WakeCPUWatts: 0.2 W, the
// awake-idle power of a phone with its screen off less its suspended
// power, 268.8 mW - 68.6 mW (Carroll and Heiser, "An Analysis of Power
// Consumption in a Smartphone", USENIX ATC 2010, Openmoko Freerunner).
// It is an assumption: no iPhone figure is published, the device is of
// 2008, and an app doing real work in its wake draws more (Apple's
// "high CPU energy" log, 80% CPU for a minute in the background, is about
// 1% of an iPhone 6s battery, several watts; ios-rules.md E7).
const DefaultWakeCPUWatts = 0.2

// RefreshOffEffect is what Background App Refresh switched off does to
// the app's background sessions. Apple documents a cancel reason for it
// (NSURLErrorCancelledReasonBackgroundUpdatesDisabled, 1) but not when it
// fires; secondary notes of WWDC20 10063 say the switch is not a factor
// for background sessions (R-BG-APP-REFRESH, confidence UNC).
type RefreshOffEffect string

// The effects of Background App Refresh switched off.
const (
	// RefreshOffNone: no effect on background URL sessions, as the
	// secondary notes of WWDC20 10063 say (the default).
	RefreshOffNone RefreshOffEffect = "none"
	// RefreshOffCancel: when the app leaves the running states (it is
	// suspended, or its process ends other than by force quit), the
	// daemon cancels its outstanding background tasks with -999, reason
	// 1; an assumption that gives the documented reason a trigger.
	RefreshOffCancel RefreshOffEffect = "cancel"
)

// ForceQuitPolicy chooses between the documented behaviour of force quit and
// the one developers report seeing sometimes on iOS 17.
type ForceQuitPolicy string

// The force-quit policies.
const (
	ForceQuitCancel   ForceQuitPolicy = "cancel"   // documented: tasks cancelled with -999, reason 0
	ForceQuitContinue ForceQuitPolicy = "continue" // reported on iOS 17: transfers carry on; still no relaunch
	// reported on iOS 17 (forum thread 740564): the tasks vanish, and no
	// event is ever delivered; still no relaunch
	ForceQuitVanish ForceQuitPolicy = "vanish"
)

// DataTaskDisconnectPolicy is how the app learns of a data task that
// failed with -997 because it was suspended or exited.
type DataTaskDisconnectPolicy string

// The data-task disconnect policies.
const (
	// DataTaskOnReconnect: the -997 is marked for the app's next
	// connection to the session (it reconnects, is resumed or relaunched
	// for another reason, or the user launches it); no wake, and so no
	// rate-limiter growth ([RE-CFN] failDisconnectedTasks).
	DataTaskOnReconnect DataTaskDisconnectPolicy = "on-reconnect"
	// DataTaskWake: the daemon wakes the just-suspended (or relaunches the
	// exited) app to deliver the -997, raising the rate limiter. No
	// source reports this; an assumption kept for comparison.
	DataTaskWake DataTaskDisconnectPolicy = "wake"
)

// DiscretionaryRequirement is what a discretionary task waits for before
// it starts (R-DISCRETIONARY-FLAG), until R-DISCRETIONARY-RELAXATION lifts it.
type DiscretionaryRequirement string

// The discretionary requirements.
const (
	DiscretionaryWiFiAndPower DiscretionaryRequirement = "wifi-and-power" // what Apple says the system "typically" waits for
	DiscretionaryWiFi         DiscretionaryRequirement = "wifi"           // Wi-Fi only (iOS 7's discretionary transfers: Wi-Fi only, power managed)
	DiscretionaryNone         DiscretionaryRequirement = "none"           // neither: only Low Power Mode and a critical battery hold it
)

// DefaultParams returns the defaults. Where each comes from:
//
//   - XPCLatency 2ms, LaunchLatency 400ms, BackgroundGrace 5s and
//     HandshakeRTTs 2 are assumptions: no source in ios-rules.md gives a
//     number. (Two round trips: one for TCP, one for TLS 1.3.)
//   - RelaunchAllowance 30s: R-RELAUNCH-TIME, "around 30 to 60 seconds"
//     (an Apple engineer, 2014); 30 s is the low end.
//   - RateLimiterFirst 60s, RateLimiterFactor 2: R-RATE-LIMITER, one
//     developer measurement on iOS 12.4. RateLimiterCap 0 (none): none was
//     seen in that measurement; none is documented. RateLimiterResetAfter
//     2 is an assumption: the source says a full delay period passes
//     without a wake, not from when.
//   - ForceQuit cancel: R-FORCE-QUIT-CANCELS, the documented behaviour;
//     ForceQuitContinueChance 0, since the iOS 17 reports of transfers
//     going on give no rate.
//   - DiscretionaryRelaxAfter 0.9 is an assumption: R-DISCRETIONARY-
//     RELAXATION says only that the limits relax near the resource
//     timeout; no curve is published.
//   - CriticalBatteryPercent 20: R-CRITICAL-BATTERY, from secondary notes
//     on a WWDC 2020 session.
//   - WakeJoules 0: no wake cost is counted unless a scenario sets one.
//   - DataTaskDisconnect on-reconnect: R-DATA-TASK-IN-BG-SESSION, [RE-CFN]
//     (the -997 is marked for the app's next connection).
//   - InProcessCutCode -1005 is an assumption: R-IN-PROCESS-TRANSFER's
//     sources document the cut, not the code.
//   - DiscretionaryRequires wifi-and-power: R-DISCRETIONARY-FLAG, what
//     Apple says the system "typically" waits for.
//   - WakeCPUWatts 0.2 is an assumption: no Apple source gives a power;
//     DefaultWakeCPUWatts says where the figure comes from (not an iPhone).
//   - RefreshOff none: R-BG-APP-REFRESH, secondary notes of WWDC20 10063
//     (the switch is not a factor for background sessions).
//   - ResumableWait 5m is an assumption: R-RESUMABLE-UPLOAD-17 says a short
//     blip resumes and a longer outage fails, with no length.
func DefaultParams() Params {
	return Params{
		XPCLatency:        2 * sim.Millisecond,
		LaunchLatency:     400 * sim.Millisecond,
		BackgroundGrace:   5 * sim.Second,
		RelaunchAllowance: 30 * sim.Second,
		RateLimiterFirst:  60 * sim.Second,
		RateLimiterFactor: 2,
		RateLimiterCap:    0,
		ForceQuit:         ForceQuitCancel,
		RewakeUnfinished:  true,
		HandshakeRTTs:     2,
		MaxRedirects:      16,

		RateLimiterResetAfter: 2,
		DataTaskDisconnect:    DataTaskOnReconnect,
		InProcessCutCode:      ErrNetworkConnectionLost,

		DiscretionaryRelaxAfter: 0.9,
		DiscretionaryRequires:   DiscretionaryWiFiAndPower,
		CriticalBatteryPercent:  20,
		WakeCPUWatts:            DefaultWakeCPUWatts,
		RefreshOff:              RefreshOffNone,
		ResumableWait:           DefaultResumableWait,
	}
}

// DefaultResumableWait is params.resumable_wait's default: an assumption,
// since the sources say only that a short blip resumes and a longer
// outage fails. Five minutes is longer than every outage in the embedded
// scenarios written before the failure was modelled.
const DefaultResumableWait = 5 * 60 * sim.Second

// DefaultIOS is the iOS version a scenario runs on unless it says otherwise.
const DefaultIOS = 26

// The device's network interfaces, by index.
const (
	WiFi     = 0
	Cellular = 1
	// NumInterfaces is how many there are.
	NumInterfaces = 2
)

var ifaceNames = [...]string{"wifi", "cellular"}

// InterfaceName returns "wifi" or "cellular".
func InterfaceName(i int) string { return ifaceNames[i] }

// Interface is one of the device's network interfaces.
type Interface struct {
	// Available says whether the interface has a path at the start of
	// the run; the timeline can change it.
	Available         bool
	UpBitsPerSecond   int64
	DownBitsPerSecond int64
	RTT               sim.Time
	// Expensive: iOS counts the path as expensive (cellular, Personal
	// Hotspot). Constrained: Low Data Mode is on for it.
	Expensive   bool
	Constrained bool
	Radio       RadioProfile
}

// Network is the device's Wi-Fi and cellular interfaces.
type Network struct {
	Interfaces [2]Interface // by WiFi and Cellular
}

// DefaultNetwork is a modest Wi-Fi link and an LTE link, both available.
func DefaultNetwork() Network {
	wifi, _ := LookupProfile("wifi")
	lte, _ := LookupProfile("lte")
	return Network{Interfaces: [2]Interface{
		{Available: true, UpBitsPerSecond: 10_000_000, DownBitsPerSecond: 50_000_000, RTT: 50 * sim.Millisecond, Radio: wifi},
		{Available: true, UpBitsPerSecond: 5_000_000, DownBitsPerSecond: 20_000_000, RTT: 70 * sim.Millisecond, Expensive: true, Radio: lte},
	}}
}

// Power is the device's power state (R-DISCRETIONARY-FLAG, R-LOW-POWER-MODE).
type Power struct {
	BatteryPercent int
	Charging       bool
	LowPowerMode   bool
}

// DefaultPower is a phone on battery, 80% charged.
func DefaultPower() Power { return Power{BatteryPercent: 80} }

// Server answers every upload it receives.
type Server struct {
	// Latency is the time between the last byte of a request and the
	// first byte of the response.
	Latency sim.Time
	// Status is the HTTP status of every response. A 5xx is a response
	// like any other: the task completes without a transport error.
	Status int
	// ResponseBytes is the size of each response body.
	ResponseBytes int64
	// Resumable: the server implements resumable uploads, so iOS 17 and
	// later resume an interrupted upload (R-RESUMABLE-UPLOAD-17).
	Resumable bool
	// UnresponsiveUntil: requests whose body arrives before this time get
	// no answer (a stalled backend), so the request times out.
	UnresponsiveUntil sim.Time
	// Redirect makes the server answer the first requests of each attempt
	// with a redirect (R-REDIRECTS-ALWAYS-FOLLOWED).
	Redirect Redirect
	// AuthChallenge: the server answers every request that carries no
	// credential with an authentication challenge (R-AUTH-WAKE).
	AuthChallenge bool
}

// Redirect is how the server redirects: the first Times requests of every
// attempt of an upload (the request to the upload's URL and the follow-ups
// to each new location) are answered with Status after Latency; the next
// one gets the server's Status.
type Redirect struct {
	// Status is 301, 302, 303, 307 or 308; 0 means no redirects.
	Status int
	// Times is how many redirects each attempt meets.
	Times int
	// Latency is the server's time to answer with the redirect.
	Latency sim.Time
}

// IsRedirect tells whether an HTTP status is a redirect the URL loading
// system follows (RFC 9110 §15.4: 301, 302, 303, 307, 308).
func IsRedirect(status int) bool {
	switch status {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}

// RedirectKeepsBody tells whether the request that follows a redirect
// with this status sends the body again: 307 and 308 keep the method and
// the body (RFC 9110 §15.4.8, §15.4.9); after 303 the follow-up is a GET
// (§15.4.4), and after 301 and 302 a POST becomes a GET (§15.4.2,
// §15.4.3: "a user agent MAY change the request method from POST to GET";
// the model assumes the upload is a POST and that iOS does so).
func RedirectKeepsBody(status int) bool { return status == 307 || status == 308 }

// DefaultServer answers 200 with a small body after 100 ms.
func DefaultServer() Server {
	return Server{Latency: 100 * sim.Millisecond, Status: 200, ResponseBytes: 512}
}

// SessionKind says where a session's tasks run.
type SessionKind string

// The session kinds.
const (
	// Shared is an in-process session (URLSession.shared or a default
	// configuration): its tasks live and die with the app's process.
	Shared SessionKind = "shared"
	// Background is URLSessionConfiguration.background(withIdentifier:):
	// nsurlsessiond runs its tasks.
	Background SessionKind = "background"
)

// Session is a session the app's code knows how to create.
type Session struct {
	Name string // how the app's code refers to it
	Kind SessionKind
	// Identifier is a background session's identifier. LaunchToken in it
	// stands for the number of the process that creates the session: code
	// that builds a fresh identifier at each launch.
	Identifier string
	// Delegate names the session delegate; "" means the session is created
	// without one.
	Delegate          string
	SendsLaunchEvents bool
	Discretionary     bool
	// ResourceTimeout is timeoutIntervalForResource (default 7 days).
	ResourceTimeout sim.Time
	// RequestTimeout is timeoutIntervalForRequest (default 60 s).
	RequestTimeout sim.Time
	Access         Access
	// Auth is how the app's code answers an authentication challenge on
	// the session's tasks (R-AUTH-WAKE); "" is AuthNone.
	Auth AuthAnswer
	// SharedContainer is sharedContainerIdentifier (an app group): an
	// extension's background session needs one (R-ONE-PROCESS-PER-SESSION,
	// -995 without); for the app's own sessions it changes nothing.
	SharedContainer string
}

// AuthAnswer is what answers a task's authentication challenge.
type AuthAnswer string

// The answers to a challenge.
const (
	// AuthNone: the code does not answer (no delegate method, or one that
	// never calls its completion handler).
	AuthNone AuthAnswer = "none"
	// AuthDelegate: the session delegate's
	// urlSession(_:task:didReceive:completionHandler:) answers with a
	// credential; a background task needs the app running for it.
	AuthDelegate AuthAnswer = "delegate"
	// AuthCredentialStorage: the credential is in the session's
	// URLCredentialStorage, which nsurlsessiond uses without the app.
	AuthCredentialStorage AuthAnswer = "credential-storage"
)

// answers tells whether the session's code answers a challenge (its
// delegate, or its credential storage) when it gets one.
func (s *Session) answers() bool {
	return s.Auth == AuthCredentialStorage || (s.Auth == AuthDelegate && s.Delegate != "")
}

// DefaultRequestTimeout is timeoutIntervalForRequest's default.
const DefaultRequestTimeout = 60 * sim.Second

// Permit is a tri-state access setting: unset (inherit), allowed, denied.
type Permit uint8

// The permits.
const (
	Inherit Permit = iota
	Allowed
	Denied
)

// Access is allowsCellularAccess, allowsExpensiveNetworkAccess and
// allowsConstrainedNetworkAccess. A request's settings override its
// session's; unset means allowed.
type Access struct {
	Cellular, Expensive, Constrained Permit
}

// over returns a with unset fields taken from b.
func (a Access) over(b Access) Access {
	pick := func(x, y Permit) Permit {
		if x != Inherit {
			return x
		}
		return y
	}
	return Access{pick(a.Cellular, b.Cellular), pick(a.Expensive, b.Expensive), pick(a.Constrained, b.Constrained)}
}

// DefaultResourceTimeout is timeoutIntervalForResource's default.
const DefaultResourceTimeout = 7 * 24 * sim.Hour

// TaskAPI is the URLSession call the app's code makes.
type TaskAPI string

// The task APIs the model knows.
const (
	DataTask       TaskAPI = "data-task"        // dataTask(with: request) with httpBody set
	UploadFromData TaskAPI = "upload-from-data" // uploadTask(with:from: Data)
	UploadFromFile TaskAPI = "upload-from-file" // uploadTask(with:fromFile:)
	StreamTask     TaskAPI = "stream-task"      // streamTask(withHostName:port:)
)

// Upload is one kind of upload the app's code starts.
type Upload struct {
	Name    string
	Session string // a Session.Name
	API     TaskAPI
	// CompletionHandler: the task is created with a completion handler
	// block rather than relying on the session delegate.
	CompletionHandler bool
	// TaskDelegate: the code sets task.delegate (iOS 15+).
	TaskDelegate bool
	// RequestClass, if set, is a custom NSURLRequest subclass the request
	// is an instance of.
	RequestClass string
	Bytes        int64
	// DeleteFile: the code deletes its file right after handing it off.
	DeleteFile bool
	// Chain: after this upload's response reaches the app, its code starts
	// the same upload again, up to Chain more times.
	Chain int
	// BeginAfter sets earliestBeginDate this long after the task's
	// creation (R-EARLIEST-BEGIN-DATE); 0 for none.
	BeginAfter sim.Time
	Access     Access
	// OnFailure is what the delegate's didCompleteWithError code does with
	// a failure: OnFailureNone (nothing), or OnFailureResume (iOS 17+: if
	// the error carries NSURLSessionUploadTaskResumeData, call
	// uploadTask(withResumeData:) once).
	OnFailure OnFailure
	// OnComplete and OnError are code hooks (hooks.go): what the
	// delegate's didCompleteWithError code does after a 2xx response, and
	// after an error or another status.
	OnComplete, OnError []HookStep
}

// OnFailure is what an upload's didCompleteWithError code does.
type OnFailure string

// The failure handlers.
const (
	OnFailureNone   OnFailure = ""
	OnFailureResume OnFailure = "resume"
)

// Strategy decides when a workload's items are uploaded.
type Strategy string

// The strategies.
const (
	Individual    Strategy = "individual"    // each item as it is produced
	Batched       Strategy = "batched"       // items gathered and sent as one upload
	Discretionary Strategy = "discretionary" // batches handed to the system as discretionary tasks
)

// Workload is items the app produces over time and how it uploads them.
type Workload struct {
	Items int
	Bytes int64    // per item
	Start sim.Time // the first item
	Every sim.Time // spacing, or the mean spacing when Random
	// Random draws exponential spacings with mean Every from the
	// "workload" stream.
	Random   bool
	Session  string
	Strategy Strategy
	// Batching (batched and discretionary): a batch goes when it holds
	// BatchCount items, when BatchWindow has passed since its first item,
	// or when the user brings the app to the foreground (OnForeground).
	BatchCount   int
	BatchWindow  sim.Time
	OnForeground bool
}

// HandleEvents is what the app's
// application(_:handleEventsForBackgroundURLSession:completionHandler:) does.
type HandleEvents struct {
	// Recreate is the session the code creates there: RecreateGiven for
	// the identifier iOS passes, RecreateNone for none, or a Session.Name.
	Recreate string
	// StoreCompletionHandler: the code keeps the completion handler.
	StoreCompletionHandler bool
	// CallCompletionHandler: the code calls the stored handler from
	// urlSessionDidFinishEvents(forBackgroundURLSession:).
	CallCompletionHandler bool
	// Then is a code hook (hooks.go): what the code does after
	// recreating the session.
	Then []HookStep
}

// Special values of HandleEvents.Recreate.
const (
	RecreateGiven = "given"
	RecreateNone  = "none"
)

// App is the app's code, described as data.
type App struct {
	Sessions []Session
	Uploads  []Upload
	// AtLaunch are the sessions the code creates at every launch, user or
	// background, in didFinishLaunching; AtUserLaunch only at a user
	// launch, AtBackgroundLaunch only when iOS launches the app in the
	// background for a wake (after AtLaunch's, in that order).
	AtLaunch           []string
	AtUserLaunch       []string
	AtBackgroundLaunch []string
	HandleEvents       HandleEvents
	Workload           *Workload
	// OnFinishEvents is a code hook (hooks.go): what
	// urlSessionDidFinishEvents(forBackgroundURLSession:) does before it
	// calls the stored completion handler.
	OnFinishEvents []HookStep
	// Extensions are the app's extensions, each a process of its own
	// with its own code (model/extension.go).
	Extensions []Extension
}

// ActionKind is something the user or the system does.
type ActionKind string

// The timeline actions.
const (
	Launch        ActionKind = "launch"         // the user opens the app (launches it if needed)
	Leave         ActionKind = "background"     // the user leaves the app for the home screen
	Return        ActionKind = "foreground"     // the user comes back to the app
	ForceQuit     ActionKind = "force-quit"     // the user swipes the app away
	Purge         ActionKind = "purge"          // the system terminates the app for memory
	StartUpload   ActionKind = "upload"         // the app's code starts an upload
	WiFiOff       ActionKind = "wifi-off"       // Wi-Fi loses its path
	WiFiOn        ActionKind = "wifi-on"        // Wi-Fi gets a path back
	CellularOff   ActionKind = "cellular-off"   // cellular loses its path
	CellularOn    ActionKind = "cellular-on"    // cellular gets a path back
	Outage        ActionKind = "outage"         // every path is cut for a while (For)
	Bandwidth     ActionKind = "bandwidth"      // an interface's bandwidth changes (Interface, Up, Down)
	PlugIn        ActionKind = "plug-in"        // the device starts charging
	Unplug        ActionKind = "unplug"         // the device stops charging
	LowPowerOn    ActionKind = "low-power-on"   // the user turns Low Power Mode on
	LowPowerOff   ActionKind = "low-power-off"  // and off
	Cancel        ActionKind = "cancel"         // the app's code cancels an upload's task (ResumeData: cancel(byProducingResumeData:))
	Resume        ActionKind = "resume"         // the app's code calls uploadTask(withResumeData:) with the resume data it holds for an upload
	Invalidate    ActionKind = "invalidate"     // the app's code invalidates a session (CancelTasks: invalidateAndCancel, else finishTasksAndInvalidate)
	CreateSession ActionKind = "create_session" // the app's code creates a session (Session)
	UpdateApp     ActionKind = "update_app"     // a new version of the app's code is installed (App; update.go)
)

// Action is one timeline step. It happens at At, or, when When is set,
// After past the instant When first holds (At is then unused).
type Action struct {
	At        sim.Time
	When      Trigger
	After     sim.Time
	Do        ActionKind
	Upload    string   // for StartUpload: an Upload.Name
	For       sim.Time // for Outage: how long
	Interface int      // for Bandwidth: WiFi or Cellular
	Up, Down  int64    // for Bandwidth: new bit rates; 0 leaves one as it is
	// ResumeData, for Cancel: the code calls cancel(byProducingResumeData:)
	// rather than cancel().
	ResumeData bool
	// Session, for Invalidate and CreateSession: a Session.Name; CancelTasks: the code calls
	// invalidateAndCancel() rather than finishTasksAndInvalidate().
	Session     string
	CancelTasks bool

	// App, for UpdateApp, is the whole code of the new version: every
	// session and upload of the code before it, and any it adds.
	App *App
	// Extension, for ExtensionOpen and ExtensionClose: an Extension.Name.
	Extension string
}

// Trigger is what a timeline step may wait for instead of a time: one
// condition, on an upload (the first task created from the Upload spec
// named Upload) or on the app's background launches. It holds from the
// instant it first becomes true; the step fires once, then.
type Trigger struct {
	Upload string
	// Sent is a whole percentage (1 to 100): the upload's body has reached
	// this share of its bytes on the air (the attempt's resume offset plus
	// what the uplink has carried of it, restarts included).
	Sent int
	// State is UploadCreated, UploadHandedOff, UploadTransferring or
	// UploadReceived.
	State string
	// Fate is the upload's fate, final during the run (delivered, failed,
	// lost or never_sent); a fate drawn at the run's end fires nothing.
	Fate Fate
	// BackgroundLaunches: iOS has launched the app into the background
	// this many times.
	BackgroundLaunches int
}

// The upload states a trigger can wait for, each the ledger's fact.
const (
	UploadCreated      = "created"      // the app's code created the task
	UploadHandedOff    = "handed_off"   // the daemon has the task
	UploadTransferring = "transferring" // the first transfer attempt began
	UploadReceived     = "received"     // the server has the whole body
)

// UploadStates lists the states a trigger can wait for, in order.
var UploadStates = []string{UploadCreated, UploadHandedOff, UploadTransferring, UploadReceived}

// Set reports whether the trigger has a condition.
func (t *Trigger) Set() bool {
	return t.Upload != "" || t.Sent != 0 || t.State != "" || t.Fate != "" || t.BackgroundLaunches != 0
}

// String writes the condition as the scenario language does.
func (t *Trigger) String() string {
	var parts []string
	if t.Upload != "" {
		parts = append(parts, "upload: "+t.Upload)
	}
	if t.Sent != 0 {
		parts = append(parts, "sent: "+strconv.Itoa(t.Sent)+"%")
	}
	if t.State != "" {
		parts = append(parts, "state: "+t.State)
	}
	if t.Fate != "" {
		parts = append(parts, "fate: "+string(t.Fate))
	}
	if t.BackgroundLaunches != 0 {
		parts = append(parts, "background_launches: "+strconv.Itoa(t.BackgroundLaunches))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// owner returns the actor a timeline step is for.
func (a ActionKind) owner() actor {
	switch a {
	case WiFiOff, WiFiOn, CellularOff, CellularOn, Outage, Bandwidth:
		return toNetwork
	case PlugIn, Unplug, LowPowerOn, LowPowerOff:
		return toDaemon
	}
	return toApp
}

// session returns the session spec called name, or nil.
func (a *App) session(name string) *Session {
	for i := range a.Sessions {
		if a.Sessions[i].Name == name {
			return &a.Sessions[i]
		}
	}
	return a.extSession(name)
}

func (a *App) upload(name string) *Upload {
	for i := range a.Uploads {
		if a.Uploads[i].Name == name {
			return &a.Uploads[i]
		}
	}
	return a.extUpload(name)
}

// energyWindow is the end of the energy window, or 0 when neither it nor
// the horizon is set.
func (c *Config) energyWindow() sim.Time {
	if c.EnergyWindow > 0 {
		return c.EnergyWindow
	}
	return c.Horizon
}

// MaxCheckErrors bounds the problems Check lists; past it, one last
// FieldError counts the rest.
const MaxCheckErrors = 200

// Check reports every inconsistency in c that would make a run
// meaningless (at most MaxCheckErrors of them): values outside their
// range in ParamTable, references to sessions or uploads that do not
// exist, settings that contradict each other or the iOS version. The
// error is a FieldErrors. The scenarios package runs it on every Config
// it builds and reports each problem where its field is written; for a
// Config built in Go it is the model's guard.
func (c *Config) Check() error {
	var k checker
	for i := range ParamTable {
		ParamTable[i].check(c, &k)
	}
	if c.Horizon > 0 && c.EnergyWindow > c.Horizon {
		k.add("energy.window", "%v is past the horizon, %v; a run's radios are not known after it (make the horizon longer)", c.EnergyWindow, c.Horizon)
	}
	for i := range c.App.Sessions {
		switch c.App.Sessions[i].Auth {
		case "", AuthNone, AuthDelegate, AuthCredentialStorage:
		default:
			k.add("app.sessions."+c.App.Sessions[i].Name+".auth", "none, delegate or credential-storage, found %q", c.App.Sessions[i].Auth)
		}
	}
	// One problem, one error: a status outside 301 to 308 is the
	// parameter table's; inside, 304 to 306 are not redirects.
	if r := c.Server.Redirect; r.Status >= 301 && r.Status <= 308 && !IsRedirect(r.Status) {
		k.add("server.redirect.status", "301, 302, 303, 307 or 308, found %d", r.Status)
	}
	c.checkApp(&k)
	c.checkHooks(&k)
	c.checkTimeline(&k)
	c.checkExtensions(&k)
	c.checkVersions(&k)
	if len(k.list) == 0 {
		return nil
	}
	if k.more > 0 {
		return append(k.list, &FieldError{Msg: fmt.Sprintf("%d more problems not shown (at most %d are listed)", k.more, MaxCheckErrors)})
	}
	return k.list
}

// FieldError is a problem with one field of a Config. Path names the
// field as the scenario schema does, counting from 0: device.ios,
// network.wifi.up, app.uploads.photo.size, timeline[3].at; it is "" when
// the problem has no one field.
type FieldError struct {
	Path string
	Msg  string
}

func (e *FieldError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// FieldErrors is what Check returns: every problem it found.
type FieldErrors []*FieldError

func (l FieldErrors) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// checker collects Check's problems; paths and messages are built only
// for a problem found, so checking a valid Config allocates only the
// checker.
type checker struct {
	list FieldErrors
	more int
}

func (k *checker) add(path, format string, args ...any) {
	if len(k.list) >= MaxCheckErrors {
		k.more++
		return
	}
	k.list = append(k.list, &FieldError{Path: path, Msg: fmt.Sprintf(format, args...)})
}

// sessionChoices follows an error naming a session that does not exist:
// the nearest name if one is close, then the sessions c has (after the
// words in also, such as given and none).
func (a *App) sessionChoices(s string, also ...string) string {
	names := make([]string, 0, len(also)+len(a.Sessions))
	names = append(names, also...)
	for _, x := range a.Sessions {
		names = append(names, x.Name)
	}
	out := didYouMean(s, names)
	if len(a.Sessions) == 0 {
		return out + " (this scenario has no sessions)"
	}
	q := make([]string, len(a.Sessions))
	for i, x := range a.Sessions {
		q[i] = strconv.Quote(x.Name)
	}
	return out + " (its sessions: " + strings.Join(q, ", ") + ")"
}

func (c *Config) checkApp(k *checker) {
	a := &c.App
	if w := a.Workload; w != nil {
		const path = "app.workload"
		if a.upload(workloadUpload) != nil {
			k.add("app.uploads."+workloadUpload, "the name %s is the workload's own; choose another", workloadUpload)
		}
		switch s := a.session(w.Session); {
		case s == nil:
			k.add(path+".session", "no session named %q%s", w.Session, a.sessionChoices(w.Session))
		case s.Kind == Shared:
			k.add(path+".session", "the workload uploads on a background session; %q is shared", w.Session)
		}
		if w.Items >= 1 && w.Items <= MaxItems && w.Bytes >= 1 && w.Bytes <= MaxUploadBytes && int64(w.Items)*w.Bytes > MaxUploadBytes {
			k.add(path+".size", "at most %s for all items together, found %d items of %s", UnitSize.Text(MaxUploadBytes), w.Items, UnitSize.textInt(w.Bytes))
		}
		switch w.Strategy {
		case Individual:
		case Batched, Discretionary:
			if w.BatchCount <= 0 && w.BatchWindow <= 0 && !w.OnForeground {
				k.add(path+".strategy", "a %s strategy needs batch.count, batch.window or batch.on_foreground", w.Strategy)
			}
		default:
			k.add(path+".strategy", "%q is not one of %s, %s, %s", w.Strategy, Individual, Batched, Discretionary)
		}
	}
	for _, u := range a.Uploads {
		switch u.OnFailure {
		case OnFailureNone:
		case OnFailureResume:
			c.checkResumeData(k, "app.uploads."+u.Name+".on_failure", &u, "on_failure: resume")
		default:
			k.add("app.uploads."+u.Name+".on_failure", "%q is not %s", u.OnFailure, OnFailureResume)
		}
	}
	if p := c.Params.ForceQuit; p != ForceQuitCancel && p != ForceQuitContinue && p != ForceQuitVanish {
		k.add("params.force_quit", "%q is not one of %s, %s, %s", p, ForceQuitCancel, ForceQuitContinue, ForceQuitVanish)
	}
	if p := c.Params.RefreshOff; p != "" && p != RefreshOffNone && p != RefreshOffCancel {
		k.add("params.refresh_off", "%q is not one of %s, %s", p, RefreshOffNone, RefreshOffCancel)
	}
	if p := c.Params.DataTaskDisconnect; p != DataTaskOnReconnect && p != DataTaskWake {
		k.add("params.data_task_disconnect", "%q is not one of %s, %s", p, DataTaskOnReconnect, DataTaskWake)
	}
	switch c.Params.DiscretionaryRequires {
	case DiscretionaryWiFiAndPower, DiscretionaryWiFi, DiscretionaryNone:
	default:
		k.add("params.discretionary_requires", "%q is not one of %s, %s, %s", c.Params.DiscretionaryRequires,
			DiscretionaryWiFiAndPower, DiscretionaryWiFi, DiscretionaryNone)
	}
	for i, s := range a.Sessions {
		switch s.Kind {
		case Background:
			if s.Identifier == "" {
				k.add("app.sessions."+s.Name+".identifier", "a background session needs an identifier")
			} else if rest := strings.Replace(s.Identifier, LaunchToken, "", 1); strings.ContainsAny(rest, "{}") {
				k.add("app.sessions."+s.Name+".identifier", "%q: the only thing an identifier may hold in braces is %s, once (the number of the process that creates it)", s.Identifier, LaunchToken)
			}
		case Shared:
			if s.Identifier != "" {
				k.add("app.sessions."+s.Name+".identifier", "a shared session has no identifier")
			}
		default:
			k.add("app.sessions."+s.Name+".kind", "%q is not one of %s, %s", s.Kind, Background, Shared)
		}
		for _, t := range a.Sessions[:i] {
			if t.Name == s.Name {
				k.add("app.sessions."+s.Name, "two sessions are called %q", s.Name)
				break
			}
		}
	}
	for i, u := range a.Uploads {
		s := a.session(u.Session)
		if s == nil {
			k.add("app.uploads."+u.Name+".session", "no session named %q%s", u.Session, a.sessionChoices(u.Session))
		}
		switch u.API {
		case DataTask, UploadFromData, UploadFromFile, StreamTask:
		default:
			k.add("app.uploads."+u.Name+".api", "%q is not one of %s, %s, %s, %s", u.API, UploadFromFile, UploadFromData, DataTask, StreamTask)
		}
		if s != nil && s.Kind == Shared {
			if u.API == StreamTask {
				k.add("app.uploads."+u.Name+".api", "bgsim models stream tasks only on background sessions")
			}
			if !u.CompletionHandler && s.Delegate == "" {
				k.add("app.uploads."+u.Name, "on a shared session the code needs completion_handler: true or a session delegate to see the response")
			}
		}
		for _, v := range a.Uploads[:i] {
			if v.Name == u.Name {
				k.add("app.uploads."+u.Name, "two uploads are called %q", u.Name)
				break
			}
		}
	}
	for _, l := range []struct {
		path  string
		names []string
	}{{"app.at_launch", a.AtLaunch}, {"app.at_user_launch", a.AtUserLaunch}, {"app.at_background_launch", a.AtBackgroundLaunch}} {
		for i, n := range l.names {
			if a.session(n) == nil {
				k.add(l.path+"["+strconv.Itoa(i)+"]", "no session named %q%s", n, a.sessionChoices(n))
			}
		}
	}
	switch r := a.HandleEvents.Recreate; r {
	case RecreateGiven, RecreateNone:
	default:
		if a.session(r) == nil {
			k.add("app.handle_events.recreate", "%q is not given, none or a session name%s", r, a.sessionChoices(r, RecreateGiven, RecreateNone))
		}
	}
}

func (c *Config) checkTimeline(k *checker) {
	prev := -1 // the last step with a time
	for i, a := range c.Timeline {
		step := func(field string) string { return "timeline[" + strconv.Itoa(i) + "]." + field }
		if a.When.Set() {
			// A step with a trigger has no time: it is in no order.
			c.checkTrigger(k, &a.When, step)
		} else {
			if a.After != 0 {
				k.add(step("after"), "after: applies only to a step with when:")
			}
			// A negative time is out of range already; "out of order"
			// would only hide it.
			if prev >= 0 && a.At >= 0 && c.Timeline[prev].At >= 0 && a.At < c.Timeline[prev].At {
				k.add(step("at"), "this step at %v comes before the step above it at %v; list the steps in time order", a.At, c.Timeline[prev].At)
			}
			prev = i
		}
		switch a.Do {
		case Launch, Leave, Return, ForceQuit, Purge, WiFiOff, WiFiOn, CellularOff, CellularOn, PlugIn, Unplug, LowPowerOn, LowPowerOff, Outage:
		case Bandwidth:
			if a.Interface != WiFi && a.Interface != Cellular {
				k.add(step("interface"), "no interface %d", a.Interface)
			}
		case Cancel, Resume:
			u := c.App.upload(a.Upload)
			if u == nil {
				c.noUpload(k, step("upload"), a.Upload)
				break
			}
			if s := c.App.session(u.Session); s != nil && s.Kind != Background {
				k.add(step("upload"), "do: %s is modelled for background sessions only; %q uploads on the shared session %q", a.Do, u.Name, u.Session)
			}
			switch {
			case a.Do == Resume:
				c.checkResumeData(k, step("do"), u, "do: resume")
			case a.ResumeData:
				c.checkResumeData(k, step("resume_data"), u, "resume_data: true")
			}
		case ExtensionOpen, ExtensionClose: // checkExtensions
		case CreateSession:
			if c.App.session(a.Session) == nil {
				k.add(step("session"), "no session named %q%s%s", a.Session, c.App.sessionChoices(a.Session), c.updateAdds(a.Session))
			}
		case Invalidate:
			switch s := c.App.session(a.Session); {
			case s == nil:
				k.add(step("session"), "no session named %q%s%s", a.Session, c.App.sessionChoices(a.Session), c.updateAdds(a.Session))
			case s.Kind != Background:
				k.add(step("session"), "do: invalidate is modelled for background sessions only; %q is shared", a.Session)
			}
		case UpdateApp:
			c.checkUpdate(k, i, &a)
		case StartUpload:
			if c.App.upload(a.Upload) == nil {
				names := make([]string, len(c.App.Uploads))
				for j, u := range c.App.Uploads {
					names[j] = u.Name
				}
				k.add(step("upload"), "no upload named %q%s%s", a.Upload, didYouMean(a.Upload, names), c.updateAdds(a.Upload))
			}
		default:
			k.add(step("do"), "%q is not an action", a.Do)
		}
	}
}

// noUpload reports that a step names no upload.
// checkTrigger checks a step's condition: one of sent, state, fate (each
// on an upload) or background_launches (on none).
func (c *Config) checkTrigger(k *checker, t *Trigger, step func(string) string) {
	n := 0
	for _, set := range []bool{t.Sent != 0, t.State != "", t.Fate != "", t.BackgroundLaunches != 0} {
		if set {
			n++
		}
	}
	if n != 1 {
		k.add(step("when"), "a trigger has one condition: sent, state, fate or background_launches; found %d in %s", n, t.String())
		return
	}
	if t.BackgroundLaunches != 0 {
		if t.Upload != "" {
			k.add(step("when.upload"), "background_launches counts the app's launches; it takes no upload")
		}
		return
	}
	if t.Upload == "" {
		k.add(step("when.upload"), "sent, state and fate wait for an upload: add upload: NAME, one of the uploads under app.uploads")
	} else if c.App.upload(t.Upload) == nil {
		c.noUpload(k, step("when.upload"), t.Upload)
	}
	if t.State != "" && !slices.Contains(UploadStates, t.State) {
		k.add(step("when.state"), "%q is not one of %s%s", t.State, strings.Join(UploadStates, ", "), didYouMean(t.State, UploadStates))
	}
	if t.Fate != "" && (t.Fate == Pending || !slices.Contains(Fates, t.Fate)) {
		k.add(step("when.fate"), "%q is not one of delivered, failed, lost, never_sent (a fate final during the run)", t.Fate)
	}
}

func (c *Config) noUpload(k *checker, path, name string) {
	names := make([]string, len(c.App.Uploads))
	for j, u := range c.App.Uploads {
		names[j] = u.Name
	}
	hint := ""
	if strings.HasPrefix(path, "timeline[") {
		hint = c.updateAdds(name)
	}
	k.add(path, "no upload named %q%s%s", name, didYouMean(name, names), hint)
}

// updateAdds is the hint for a timeline step naming an upload, a session
// or an extension the scenario's app: lacks: the first do: update_app
// step whose code has one of that name ("" if none). Timeline steps name
// what the scenario's own app: has (an update cannot remove it, so it is
// there for every step).
func (c *Config) updateAdds(name string) string {
	for i, a := range c.Timeline {
		if a.Do != UpdateApp || a.App == nil {
			continue
		}
		if a.App.upload(name) != nil || a.App.session(name) != nil || a.App.extension(name) != nil {
			return fmt.Sprintf("; timeline steps name what the scenario's own app: has, and %q is added by the update_app at timeline[%d]: add it to app: as well", name, i)
		}
	}
	return ""
}

// checkResumeData refuses what needs upload resume data where there is
// none: before iOS 17, and for a task that is not an upload task
// (R-RESUMABLE-UPLOAD-17).
func (c *Config) checkResumeData(k *checker, path string, u *Upload, what string) {
	switch {
	case c.IOS < IOSResumableUpload:
		k.add(path, "%s needs NSURLSessionUploadTaskResumeData, which iOS %d introduced; this is iOS %d (R-RESUMABLE-UPLOAD-17)", what, IOSResumableUpload, c.IOS)
	case u.API != UploadFromFile && u.API != "":
		k.add(path, "%s: only upload tasks have upload resume data; %q is a %s", what, u.Name, u.API)
	}
}

// Clone returns a deep copy of c: every slice and pointer it holds is its
// own, so that the copy can be changed (a sweep's setters, its outages)
// without touching c. Strings are immutable and shared.
func (c *Config) Clone() Config {
	d := *c
	for i := range d.Network.Interfaces {
		d.Network.Interfaces[i].Radio.Tail = slices.Clone(d.Network.Interfaces[i].Radio.Tail)
	}
	d.App = *c.App.clone()
	d.Timeline = slices.Clone(d.Timeline)
	for i := range d.Timeline {
		if u := d.Timeline[i].App; u != nil {
			d.Timeline[i].App = u.clone()
		}
	}
	return d
}

// LaunchToken, written in a background session's identifier, stands for
// the number of the app's process that creates the session (1 at the
// first launch, 2 at the next, whether the user or iOS launched it): the
// code builds a fresh identifier at each launch, as with a UUID or a
// timestamp in it. R-ID-DEFINES-SESSION: the identifier is the session,
// and most apps need one fixed string.
const LaunchToken = "{launch}"

// identifierIn returns the identifier the code creates for s in process
// pid.
func (s *Session) identifierIn(pid int32) string {
	if !strings.Contains(s.Identifier, LaunchToken) {
		return s.Identifier
	}
	return strings.Replace(s.Identifier, LaunchToken, strconv.Itoa(int(pid)), 1)
}

// yieldsAfter reports whether the code creating s in a process numbered
// after pid (any process if pid is 0) creates identifier id.
func (s *Session) yieldsAfter(id string, pid int32) bool {
	pre, suf, templ := strings.Cut(s.Identifier, LaunchToken)
	if !templ {
		return s.Identifier == id
	}
	if len(id) <= len(pre)+len(suf) || !strings.HasPrefix(id, pre) || !strings.HasSuffix(id, suf) {
		return false
	}
	num := id[len(pre) : len(id)-len(suf)]
	n, err := strconv.ParseInt(num, 10, 32)
	return err == nil && strconv.FormatInt(n, 10) == num && n > int64(pid)
}
