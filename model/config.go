package model

import (
	"errors"
	"fmt"
	"slices"
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

	// Horizon ends the run at this virtual time even if work is pending.
	Horizon sim.Time
	// MaxEvents bounds the run; exceeding it is an error, never a hang.
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
	// ForceQuit is what happens to background tasks when the user force
	// quits the app (R-FORCE-QUIT-CANCELS).
	ForceQuit ForceQuitPolicy
	// ForceQuitContinueChance is, under ForceQuitCancel, the chance that
	// a force quit leaves the transfers going anyway, as reported on iOS
	// 17; drawn at each force quit from the run's "force-quit" stream.
	ForceQuitContinueChance float64
	// HandshakeRTTs is how many round trips a new connection costs before
	// the request body flows (TCP and TLS).
	HandshakeRTTs int
	// DiscretionaryRelaxAfter is the fraction of a task's resource timeout
	// after which its discretionary conditions (Wi-Fi, power) are lifted
	// (R-DISCRETIONARY-RELAXATION: Apple publishes no curve).
	DiscretionaryRelaxAfter float64
	// CriticalBatteryPercent: at or below it, and not charging,
	// discretionary work is held (R-CRITICAL-BATTERY).
	CriticalBatteryPercent int
	// WakeJoules is an optional CPU cost per background launch or resume
	// of the app, reported apart from the radios; 0 leaves it out.
	WakeJoules float64
}

// ForceQuitPolicy chooses between the documented behaviour of force quit and
// the one developers report seeing sometimes on iOS 17.
type ForceQuitPolicy string

// The force-quit policies.
const (
	ForceQuitCancel   ForceQuitPolicy = "cancel"   // documented: tasks cancelled with -999, reason 0
	ForceQuitContinue ForceQuitPolicy = "continue" // reported on iOS 17: transfers carry on; still no relaunch
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
//     seen in that measurement; none is documented.
//   - ForceQuit cancel: R-FORCE-QUIT-CANCELS, the documented behaviour;
//     ForceQuitContinueChance 0, since the iOS 17 reports of transfers
//     going on give no rate.
//   - DiscretionaryRelaxAfter 0.9 is an assumption: R-DISCRETIONARY-
//     RELAXATION says only that the limits relax near the resource
//     timeout; no curve is published.
//   - CriticalBatteryPercent 20: R-CRITICAL-BATTERY, from secondary notes
//     on a WWDC 2020 session.
//   - WakeJoules 0: no wake cost is counted unless a scenario sets one.
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
		HandshakeRTTs:     2,

		DiscretionaryRelaxAfter: 0.9,
		CriticalBatteryPercent:  20,
	}
}

// DefaultIOS is the iOS version a scenario runs on unless it says otherwise.
const DefaultIOS = 26

// The device's network interfaces, by index.
const (
	WiFi     = 0
	Cellular = 1
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
}

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
	Name       string // how the app's code refers to it
	Kind       SessionKind
	Identifier string // background sessions only
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
}

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
	// background, in didFinishLaunching.
	AtLaunch     []string
	HandleEvents HandleEvents
	Workload     *Workload
}

// ActionKind is something the user or the system does.
type ActionKind string

// The timeline actions.
const (
	Launch      ActionKind = "launch"        // the user opens the app (launches it if needed)
	Leave       ActionKind = "background"    // the user leaves the app for the home screen
	Return      ActionKind = "foreground"    // the user comes back to the app
	ForceQuit   ActionKind = "force-quit"    // the user swipes the app away
	Purge       ActionKind = "purge"         // the system terminates the app for memory
	StartUpload ActionKind = "upload"        // the app's code starts an upload
	WiFiOff     ActionKind = "wifi-off"      // Wi-Fi loses its path
	WiFiOn      ActionKind = "wifi-on"       // Wi-Fi gets a path back
	CellularOff ActionKind = "cellular-off"  // cellular loses its path
	CellularOn  ActionKind = "cellular-on"   // cellular gets a path back
	Outage      ActionKind = "outage"        // every path is cut for a while (For)
	Bandwidth   ActionKind = "bandwidth"     // an interface's bandwidth changes (Interface, Up, Down)
	PlugIn      ActionKind = "plug-in"       // the device starts charging
	Unplug      ActionKind = "unplug"        // the device stops charging
	LowPowerOn  ActionKind = "low-power-on"  // the user turns Low Power Mode on
	LowPowerOff ActionKind = "low-power-off" // and off
)

// Action is one timeline step.
type Action struct {
	At        sim.Time
	Do        ActionKind
	Upload    string   // for StartUpload: an Upload.Name
	For       sim.Time // for Outage: how long
	Interface int      // for Bandwidth: WiFi or Cellular
	Up, Down  int64    // for Bandwidth: new bit rates; 0 leaves one as it is
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
	return nil
}

func (a *App) upload(name string) *Upload {
	for i := range a.Uploads {
		if a.Uploads[i].Name == name {
			return &a.Uploads[i]
		}
	}
	return nil
}

// Check reports the first inconsistency in c that would make a run
// meaningless: references to sessions or uploads that do not exist, values
// out of range. The scenarios package reports these with positions before
// they get here; Check is the model's own guard for Configs built in Go.
func (c *Config) Check() error {
	if err := c.check(); err != nil {
		var fe *FieldError
		if !errors.As(err, &fe) {
			fe = &FieldError{Msg: err.Error()}
		}
		return FieldErrors{fe}
	}
	return nil
}

// FieldError is a problem with one field of a Config. Path names the
// field as the scenario schema does, counting from 0: device.ios,
// network.wifi.up, app.uploads.photo.size, timeline[3].at; it is "" when
// the problem has no one field.
type FieldError struct {
	Path string
	Msg  string
}

func (e *FieldError) Error() string { return e.Msg }

// FieldErrors is what Check returns: today the first problem it finds.
type FieldErrors []*FieldError

func (l FieldErrors) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Msg
	}
	return strings.Join(msgs, "; ")
}

// fieldAt gives err the field path it is about.
func fieldAt(path string, err error) error { return &FieldError{Path: path, Msg: err.Error()} }

func (c *Config) check() error {
	if err := c.checkBounds(); err != nil {
		return err
	}
	for i, n := range c.Network.Interfaces {
		if err := n.Radio.check(); err != nil {
			return fieldAt("network."+ifaceNames[i]+".radio", fmt.Errorf("%s radio: %w", ifaceNames[i], err))
		}
	}
	if w := c.App.Workload; w != nil {
		if c.App.upload(workloadUpload) != nil {
			return fieldAt("app.uploads."+workloadUpload, fmt.Errorf("an upload is called %q, the name the workload's tasks use", workloadUpload))
		}
		if c.App.session(w.Session) == nil || c.App.session(w.Session).Kind != Background {
			return fieldAt("app.workload.session", fmt.Errorf("workload: %q is not a background session", w.Session))
		}
		if w.Items <= 0 || w.Bytes <= 0 || w.Bytes > MaxUploadBytes || int64(w.Items)*w.Bytes > MaxUploadBytes {
			return fieldAt("app.workload.size", fmt.Errorf("workload: items and their size must be positive, at most 100 GB in all"))
		}
		if w.Every <= 0 || w.Start < 0 {
			return fieldAt("app.workload.every", fmt.Errorf("workload: spacing must be positive and the start not negative"))
		}
		switch w.Strategy {
		case Individual:
		case Batched, Discretionary:
			if w.BatchCount <= 0 && w.BatchWindow <= 0 && !w.OnForeground {
				return fieldAt("app.workload.strategy", fmt.Errorf("workload: a %s strategy needs a batch count, a window or on-foreground", w.Strategy))
			}
		default:
			return fieldAt("app.workload.strategy", fmt.Errorf("workload: unknown strategy %q", w.Strategy))
		}
	}
	if c.Params.RateLimiterFactor < 1 {
		return fieldAt("params.rate_limiter.factor", fmt.Errorf("rate limiter factor must be at least 1"))
	}
	if c.Params.ForceQuit != ForceQuitCancel && c.Params.ForceQuit != ForceQuitContinue {
		return fieldAt("params.force_quit", fmt.Errorf("force-quit policy %q: want %q or %q", c.Params.ForceQuit, ForceQuitCancel, ForceQuitContinue))
	}
	if c.Server.ResponseBytes < 0 || c.Server.ResponseBytes > MaxUploadBytes {
		return fieldAt("server.response_size", fmt.Errorf("server response size must be between 0 and %d bytes", int64(MaxUploadBytes)))
	}
	for i, s := range c.App.Sessions {
		if s.Kind != Shared && s.Kind != Background {
			return fieldAt("app.sessions."+s.Name+".kind", fmt.Errorf("session %q: kind %q", s.Name, s.Kind))
		}
		if s.Kind == Background && s.Identifier == "" {
			return fieldAt("app.sessions."+s.Name+".identifier", fmt.Errorf("session %q: a background session needs an identifier", s.Name))
		}
		for _, t := range c.App.Sessions[:i] {
			if t.Name == s.Name {
				return fieldAt("app.sessions."+s.Name, fmt.Errorf("two sessions are called %q", s.Name))
			}
		}
	}
	for i, u := range c.App.Uploads {
		s := c.App.session(u.Session)
		if s == nil {
			return fieldAt("app.uploads."+u.Name+".session", fmt.Errorf("upload %q: no session %q", u.Name, u.Session))
		}
		switch u.API {
		case DataTask, UploadFromData, UploadFromFile, StreamTask:
		default:
			return fieldAt("app.uploads."+u.Name+".api", fmt.Errorf("upload %q: unknown API %q", u.Name, u.API))
		}
		if (u.Bytes <= 0 && u.API != StreamTask) || u.Bytes > MaxUploadBytes {
			return fieldAt("app.uploads."+u.Name+".size", fmt.Errorf("upload %q: size must be between 1 byte and %d bytes", u.Name, int64(MaxUploadBytes)))
		}
		if u.TaskDelegate && c.IOS < 15 {
			return fieldAt("app.uploads."+u.Name+".task_delegate", fmt.Errorf("upload %q: task.delegate exists from iOS 15", u.Name))
		}
		if s.Kind == Shared && !u.CompletionHandler && s.Delegate == "" {
			return fieldAt("app.uploads."+u.Name, fmt.Errorf("upload %q: on a shared session the code needs a completion handler or a session delegate to see the response", u.Name))
		}
		for _, v := range c.App.Uploads[:i] {
			if v.Name == u.Name {
				return fieldAt("app.uploads."+u.Name, fmt.Errorf("two uploads are called %q", u.Name))
			}
		}
	}
	for i, n := range c.App.AtLaunch {
		if c.App.session(n) == nil {
			return fieldAt(fmt.Sprintf("app.at_launch[%d]", i), fmt.Errorf("at_launch: no session %q", n))
		}
	}
	switch r := c.App.HandleEvents.Recreate; r {
	case RecreateGiven, RecreateNone:
	default:
		if c.App.session(r) == nil {
			return fieldAt("app.handle_events.recreate", fmt.Errorf("handle_events.recreate: no session %q", r))
		}
	}
	var last sim.Time
	for i, a := range c.Timeline {
		step := func(field string) string { return fmt.Sprintf("timeline[%d].%s", i, field) }
		if a.At < 0 {
			return fieldAt(step("at"), fmt.Errorf("timeline step %d: negative time %v", i+1, a.At))
		}
		if a.At < last {
			return fieldAt(step("at"), fmt.Errorf("timeline step %d at %v comes before the step above it at %v", i+1, a.At, last))
		}
		last = a.At
		switch a.Do {
		case Launch, Leave, Return, ForceQuit, Purge, WiFiOff, WiFiOn, CellularOff, CellularOn, PlugIn, Unplug, LowPowerOn, LowPowerOff:
		case Outage:
			if a.For <= 0 {
				return fieldAt(step("for"), fmt.Errorf("timeline step %d: an outage needs a positive duration", i+1))
			}
		case Bandwidth:
			if a.Interface != WiFi && a.Interface != Cellular {
				return fieldAt(step("interface"), fmt.Errorf("timeline step %d: no interface %d", i+1, a.Interface))
			}
			if (a.Up != 0 && a.Up < MinBitsPerSecond) || (a.Down != 0 && a.Down < MinBitsPerSecond) {
				field := "down"
				if a.Up != 0 && a.Up < MinBitsPerSecond {
					field = "up"
				}
				return fieldAt(step(field), fmt.Errorf("timeline step %d: bandwidth must be at least %d bit/s", i+1, MinBitsPerSecond))
			}
		case StartUpload:
			if c.App.upload(a.Upload) == nil {
				return fieldAt(step("upload"), fmt.Errorf("timeline step %d: no upload %q", i+1, a.Upload))
			}
		default:
			return fieldAt(step("do"), fmt.Errorf("timeline step %d: unknown action %q", i+1, a.Do))
		}
	}
	return nil
}

// Clone returns a deep copy of c: every slice and pointer it holds is its
// own, so that the copy can be changed (a sweep's setters, its outages)
// without touching c. Strings are immutable and shared.
func (c *Config) Clone() Config {
	d := *c
	for i := range d.Network.Interfaces {
		d.Network.Interfaces[i].Radio.Tail = slices.Clone(d.Network.Interfaces[i].Radio.Tail)
	}
	d.App.Sessions = slices.Clone(d.App.Sessions)
	d.App.Uploads = slices.Clone(d.App.Uploads)
	d.App.AtLaunch = slices.Clone(d.App.AtLaunch)
	if w := d.App.Workload; w != nil {
		w2 := *w
		d.App.Workload = &w2
	}
	d.Timeline = slices.Clone(d.Timeline)
	return d
}
