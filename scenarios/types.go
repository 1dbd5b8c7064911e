package scenarios

// The scenario language, as Go types. The loader decodes YAML into these
// with positions, checks them, and turns each variant into a model.Config.
// docs/scenarios.md describes every key; the doc tags say the same in one
// line each.

// File is a scenario file.
type File struct {
	Pos      Pos
	Name     Str        `yaml:"name" bgsim:"required" doc:"the scenario's name: lower-case words joined by hyphens"`
	Title    Str        `yaml:"title" bgsim:"required" doc:"one line saying what the scenario shows"`
	About    Str        `yaml:"about" doc:"a paragraph or two that teach what happens and why"`
	Seed     Int        `yaml:"seed" doc:"the root seed (default 1)"`
	Horizon  Duration   `yaml:"horizon" doc:"the run stops at this virtual time (default 1h)"`
	Device   DeviceSpec `yaml:"device" doc:"the device"`
	Network  NetSpec    `yaml:"network" doc:"the path between the device and the server"`
	Server   ServerSpec `yaml:"server" doc:"how the server answers"`
	Params   ParamsSpec `yaml:"params" doc:"behaviours Apple does not pin down, with documented defaults"`
	App      AppSpec    `yaml:"app" bgsim:"required" doc:"the app's code, described as data"`
	Timeline []Step     `yaml:"timeline" doc:"what the user, the system and the app's code do, in time order"`
	// Variants is decoded separately: each variant overlays the base.
	Variants []VariantSpec `yaml:"-"`
}

// DeviceSpec is the device.
type DeviceSpec struct {
	Pos Pos
	IOS Int `yaml:"ios" doc:"major iOS version, 7 to 26 (default 26)"`
}

// NetSpec is the one network path.
type NetSpec struct {
	Pos  Pos
	Up   Bitrate  `yaml:"up" doc:"upload bandwidth (default 10Mbps)"`
	Down Bitrate  `yaml:"down" doc:"download bandwidth (default 50Mbps)"`
	RTT  Duration `yaml:"rtt" doc:"round-trip time (default 50ms)"`
}

// ServerSpec is how the server answers every upload.
type ServerSpec struct {
	Pos          Pos
	Latency      Duration `yaml:"latency" doc:"time from the last byte received to the first byte of the answer (default 100ms)"`
	Status       Int      `yaml:"status" doc:"HTTP status of every response (default 200); a 5xx is a response, not a transport error"`
	ResponseSize Size     `yaml:"response_size" doc:"size of each response body (default 512B)"`
}

// ParamsSpec holds the parameters for behaviour Apple leaves open.
type ParamsSpec struct {
	Pos               Pos
	XPCLatency        Duration        `yaml:"xpc_latency" doc:"one hop between the app and nsurlsessiond (default 2ms)"`
	LaunchLatency     Duration        `yaml:"launch_latency" doc:"time iOS takes to launch the app's process (default 400ms)"`
	BackgroundGrace   Duration        `yaml:"background_grace" doc:"how long an app the user left runs before it is suspended (default 5s)"`
	RelaunchAllowance Duration        `yaml:"relaunch_allowance" doc:"run time of an app woken for session events, R-RELAUNCH-TIME (default 30s)"`
	RateLimiter       RateLimiterSpec `yaml:"rate_limiter" doc:"the resume rate limiter, R-RATE-LIMITER"`
	ForceQuit         Str             `yaml:"force_quit" bgsim:"enum=cancel|continue" doc:"what force quit does to background tasks, R-FORCE-QUIT-CANCELS (default cancel)"`
	HandshakeRTTs     Int             `yaml:"handshake_rtts" doc:"round trips a new connection costs before the body flows (default 2)"`
}

// RateLimiterSpec parameterises R-RATE-LIMITER.
type RateLimiterSpec struct {
	Pos    Pos
	First  Duration `yaml:"first" doc:"the first delay (default 60s)"`
	Factor Int      `yaml:"factor" doc:"the delay is multiplied by this at each later wake (default 2)"`
	Cap    Duration `yaml:"cap" doc:"the largest delay; 0 for no cap (default 0)"`
}

// AppSpec is the app's code.
type AppSpec struct {
	Pos          Pos
	Sessions     []SessionSpec    `yaml:"sessions,keyed" bgsim:"required" doc:"the sessions the code can create, by name"`
	Uploads      []UploadSpec     `yaml:"uploads,keyed" doc:"the uploads the code can start, by name"`
	AtLaunch     []Str            `yaml:"at_launch" doc:"sessions the code creates at every launch, in didFinishLaunching"`
	HandleEvents HandleEventsSpec `yaml:"handle_events" doc:"what application(_:handleEventsForBackgroundURLSession:completionHandler:) does"`
}

// SessionSpec is a session the app's code creates.
type SessionSpec struct {
	Name              string
	NamePos           Pos
	Pos               Pos
	Kind              Str      `yaml:"kind" bgsim:"enum=background|shared" doc:"background (nsurlsessiond runs the tasks) or shared (in-process) (default background)"`
	Identifier        Str      `yaml:"identifier" doc:"the background session's identifier; required for background sessions"`
	Delegate          Str      `yaml:"delegate" doc:"the session delegate's name, or none; required for background sessions"`
	SendsLaunchEvents Bool     `yaml:"sends_launch_events" doc:"sessionSendsLaunchEvents (default true)"`
	Discretionary     Bool     `yaml:"discretionary" doc:"isDiscretionary (default false)"`
	ResourceTimeout   Duration `yaml:"resource_timeout" doc:"timeoutIntervalForResource (default 7d)"`
}

// UploadSpec is an upload the app's code starts.
type UploadSpec struct {
	Name              string
	NamePos           Pos
	Pos               Pos
	Session           Str  `yaml:"session" bgsim:"required" doc:"the session (by name) the task is created on"`
	API               Str  `yaml:"api" bgsim:"enum=upload-from-file|upload-from-data|data-task|stream-task" doc:"the URLSession call (default upload-from-file)"`
	CompletionHandler Bool `yaml:"completion_handler" doc:"the task is created with a completion handler block (default false)"`
	TaskDelegate      Bool `yaml:"task_delegate" doc:"the code sets task.delegate, iOS 15+ (default false)"`
	RequestClass      Str  `yaml:"request_class" doc:"a custom NSURLRequest subclass the request belongs to (default none)"`
	Size              Size `yaml:"size" doc:"the body's size; required except for stream tasks"`
	DeleteFile        Bool `yaml:"delete_file" doc:"the code deletes its file right after handing it off (default false)"`
	Chain             Int  `yaml:"chain" doc:"when the response arrives, the code starts this upload again, up to this many more times (default 0)"`
}

// HandleEventsSpec is the app delegate's handleEventsForBackgroundURLSession.
type HandleEventsSpec struct {
	Pos                    Pos
	Recreate               Str  `yaml:"recreate" doc:"given (the identifier iOS passes), none, or a session name (default given)"`
	StoreCompletionHandler Bool `yaml:"store_completion_handler" doc:"the code keeps the completion handler (default true)"`
	CallCompletionHandler  Bool `yaml:"call_completion_handler" doc:"the code calls it from urlSessionDidFinishEvents (default true)"`
}

// Step is one timeline step.
type Step struct {
	Pos    Pos
	At     Duration `yaml:"at" bgsim:"required" doc:"when, from the start of the run"`
	Do     Str      `yaml:"do" bgsim:"required,enum=launch|background|foreground|force-quit|purge|upload" doc:"launch, background, foreground, force-quit, purge or upload"`
	Upload Str      `yaml:"upload" doc:"for do: upload, the upload (by name) the code starts"`
}

// VariantSpec is a named variant: a description and an overlay on the base.
type VariantSpec struct {
	Name    string
	NamePos Pos
	About   string
}
