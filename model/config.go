package model

import (
	"fmt"

	"bgsim/sim"
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

	// IOS is the major iOS version of the device (7 to 26).
	IOS int

	Params   Params
	Network  Network
	Server   Server
	App      App
	Timeline []Action
}

// Params are behaviours Apple does not document precisely, each with a
// default taken from ../shared/docs/ios-rules.md; docs/scenarios.md lists
// them and `bgsim rules` explains the rules behind them.
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
	// HandshakeRTTs is how many round trips a new connection costs before
	// the request body flows (TCP and TLS).
	HandshakeRTTs int
}

// ForceQuitPolicy chooses between the documented behaviour of force quit and
// the one developers report seeing sometimes on iOS 17.
type ForceQuitPolicy string

// The force-quit policies.
const (
	ForceQuitCancel   ForceQuitPolicy = "cancel"   // documented: tasks cancelled with -999, reason 0
	ForceQuitContinue ForceQuitPolicy = "continue" // reported on iOS 17: transfers carry on; still no relaunch
)

// DefaultParams returns the documented defaults.
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
	}
}

// Limits that keep transfer times within the kernel's clock.
const (
	MaxUploadBytes   = 100e9 // 100 GB
	MinBitsPerSecond = 1000  // 1 kbit/s
)

// DefaultIOS is the iOS version a scenario runs on unless it says otherwise.
const DefaultIOS = 26

// Network is the one path between the device and the server.
type Network struct {
	UpBitsPerSecond   int64
	DownBitsPerSecond int64
	RTT               sim.Time
}

// DefaultNetwork is a modest Wi-Fi link.
func DefaultNetwork() Network {
	return Network{UpBitsPerSecond: 10_000_000, DownBitsPerSecond: 50_000_000, RTT: 50 * sim.Millisecond}
}

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
}

// ActionKind is something the user or the system does.
type ActionKind string

// The timeline actions.
const (
	Launch      ActionKind = "launch"     // the user opens the app (launches it if needed)
	Leave       ActionKind = "background" // the user leaves the app for the home screen
	Return      ActionKind = "foreground" // the user comes back to the app
	ForceQuit   ActionKind = "force-quit" // the user swipes the app away
	Purge       ActionKind = "purge"      // the system terminates the app for memory
	StartUpload ActionKind = "upload"     // the app's code starts an upload
)

// Action is one timeline step.
type Action struct {
	At     sim.Time
	Do     ActionKind
	Upload string // for StartUpload: an Upload.Name
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
	if c.IOS < 7 || c.IOS > 26 {
		return fmt.Errorf("iOS %d: the model covers iOS 7 to 26", c.IOS)
	}
	if c.Network.UpBitsPerSecond < MinBitsPerSecond || c.Network.DownBitsPerSecond < MinBitsPerSecond {
		return fmt.Errorf("network bandwidth must be at least %d bit/s", MinBitsPerSecond)
	}
	if c.Network.RTT < 0 {
		return fmt.Errorf("network RTT must not be negative")
	}
	if c.Params.RateLimiterFactor < 1 {
		return fmt.Errorf("rate limiter factor must be at least 1")
	}
	if c.Params.ForceQuit != ForceQuitCancel && c.Params.ForceQuit != ForceQuitContinue {
		return fmt.Errorf("force-quit policy %q: want %q or %q", c.Params.ForceQuit, ForceQuitCancel, ForceQuitContinue)
	}
	if c.Server.ResponseBytes < 0 || c.Server.ResponseBytes > MaxUploadBytes {
		return fmt.Errorf("server response size must be between 0 and %d bytes", int64(MaxUploadBytes))
	}
	for i, s := range c.App.Sessions {
		if s.Kind != Shared && s.Kind != Background {
			return fmt.Errorf("session %q: kind %q", s.Name, s.Kind)
		}
		if s.Kind == Background && s.Identifier == "" {
			return fmt.Errorf("session %q: a background session needs an identifier", s.Name)
		}
		for _, t := range c.App.Sessions[:i] {
			if t.Name == s.Name {
				return fmt.Errorf("two sessions are called %q", s.Name)
			}
		}
	}
	for i, u := range c.App.Uploads {
		s := c.App.session(u.Session)
		if s == nil {
			return fmt.Errorf("upload %q: no session %q", u.Name, u.Session)
		}
		switch u.API {
		case DataTask, UploadFromData, UploadFromFile, StreamTask:
		default:
			return fmt.Errorf("upload %q: unknown API %q", u.Name, u.API)
		}
		if (u.Bytes <= 0 && u.API != StreamTask) || u.Bytes > MaxUploadBytes {
			return fmt.Errorf("upload %q: size must be between 1 byte and %d bytes", u.Name, int64(MaxUploadBytes))
		}
		if u.TaskDelegate && c.IOS < 15 {
			return fmt.Errorf("upload %q: task.delegate exists from iOS 15", u.Name)
		}
		if s.Kind == Shared && !u.CompletionHandler && s.Delegate == "" {
			return fmt.Errorf("upload %q: on a shared session the code needs a completion handler or a session delegate to see the response", u.Name)
		}
		for _, v := range c.App.Uploads[:i] {
			if v.Name == u.Name {
				return fmt.Errorf("two uploads are called %q", u.Name)
			}
		}
	}
	for _, n := range c.App.AtLaunch {
		if c.App.session(n) == nil {
			return fmt.Errorf("at_launch: no session %q", n)
		}
	}
	switch r := c.App.HandleEvents.Recreate; r {
	case RecreateGiven, RecreateNone:
	default:
		if c.App.session(r) == nil {
			return fmt.Errorf("handle_events.recreate: no session %q", r)
		}
	}
	var last sim.Time
	for i, a := range c.Timeline {
		if a.At < 0 {
			return fmt.Errorf("timeline step %d: negative time %v", i+1, a.At)
		}
		if a.At < last {
			return fmt.Errorf("timeline step %d at %v comes before the step above it at %v", i+1, a.At, last)
		}
		last = a.At
		switch a.Do {
		case Launch, Leave, Return, ForceQuit, Purge:
		case StartUpload:
			if c.App.upload(a.Upload) == nil {
				return fmt.Errorf("timeline step %d: no upload %q", i+1, a.Upload)
			}
		default:
			return fmt.Errorf("timeline step %d: unknown action %q", i+1, a.Do)
		}
	}
	return nil
}
