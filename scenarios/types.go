package scenarios

// The scenario language, as Go types. The loader decodes YAML into these
// with positions, checks them, and turns each variant into a model.Config.
// docs/scenarios.md describes every key; the doc tags say the same in one
// line each, except for the parameters with a unit and a range, whose
// line is their row of model.ParamTable (the schema panics on a key with
// both).

// File is a scenario file.
type File struct {
	Pos     Pos
	Name    Str      `yaml:"name" bgsim:"required" doc:"the scenario's name: lower-case words joined by hyphens"`
	Title   Str      `yaml:"title" bgsim:"required" doc:"one line saying what the scenario shows"`
	About   Str      `yaml:"about" doc:"a paragraph or two that teach what happens and why"`
	Seed    Int      `yaml:"seed" doc:"the root seed (default 1)"`
	Horizon Duration `yaml:"horizon"`
	// MaxEvents bounds the run, so that a scenario that loops ends with
	// an error naming the limit rather than a hang.
	MaxEvents Int          `yaml:"max_events"`
	Device    DeviceSpec   `yaml:"device" doc:"the device"`
	Network   NetSpec      `yaml:"network" doc:"the device's Wi-Fi and cellular interfaces"`
	Power     PowerSpec    `yaml:"power" doc:"the device's power state"`
	Server    ServerSpec   `yaml:"server" doc:"how the server answers"`
	Params    ParamsSpec   `yaml:"params" doc:"behaviours Apple does not pin down, with defaults from the sources or, where they give none, assumptions (docs/scenarios.md says which)"`
	App       AppSpec      `yaml:"app" bgsim:"required" doc:"the app's code, described as data"`
	Timeline  []Step       `yaml:"timeline" doc:"what the user, the system and the app's code do, in time order"`
	Expect    *ExpectSpec  `yaml:"expect" doc:"what must be true at the end of the run, for bgsim test"`
	Sweep     *SweepSpec   `yaml:"sweep" doc:"many runs with varied parameters, for bgsim sweep"`
	Energy    EnergySpec   `yaml:"energy" doc:"how radio energy is counted, the same for every variant"`
	Explore   *ExploreSpec `yaml:"explore" doc:"what bgsim explore injects into this scenario by default"`
	// Variants is decoded separately: each variant overlays the base.
	Variants []VariantSpec `yaml:"-"`
}

// EnergySpec says how radio energy is counted.
type EnergySpec struct {
	Pos    Pos
	Window Duration `yaml:"window"`
}

// DeviceSpec is the device.
type DeviceSpec struct {
	Pos                  Pos
	IOS                  Int `yaml:"ios"`
	BackgroundAppRefresh Str `yaml:"background_app_refresh" bgsim:"enum=on|off" doc:"the user's Background App Refresh switch for the app, R-BG-APP-REFRESH; what off does is params.refresh_off (default on)"`
}

// NetSpec is the device's interfaces.
type NetSpec struct {
	Pos      Pos
	WiFi     InterfaceSpec `yaml:"wifi" doc:"Wi-Fi (default: available, 10Mbps up, 50Mbps down, 50ms, radio wifi)"`
	Cellular InterfaceSpec `yaml:"cellular" doc:"cellular (default: available, 5Mbps up, 20Mbps down, 70ms, expensive, radio lte)"`
}

// InterfaceSpec is one interface.
type InterfaceSpec struct {
	Pos         Pos
	Available   Bool      `yaml:"available" doc:"whether it has a path at the start (default true)"`
	Up          Bitrate   `yaml:"up"`
	Down        Bitrate   `yaml:"down"`
	RTT         Duration  `yaml:"rtt"`
	Expensive   Bool      `yaml:"expensive" doc:"iOS counts the path as expensive (default: true for cellular, false for Wi-Fi)"`
	LowDataMode Bool      `yaml:"low_data_mode" doc:"Low Data Mode is on: the path is constrained (default false)"`
	Radio       RadioSpec `yaml:"radio" doc:"the radio's power profile"`
}

// RadioSpec picks a radio profile and may override any of its parameters.
type RadioSpec struct {
	Pos            Pos
	Profile        Str        `yaml:"profile" bgsim:"enum=lte|lte-aro|wifi|3g" doc:"lte, lte-aro, wifi or 3g (default wifi for Wi-Fi, lte for cellular)"`
	PromotionTime  Duration   `yaml:"promotion_time"`
	PromotionWatts Float      `yaml:"promotion_watts"`
	BetaWatts      Float      `yaml:"beta_watts"`
	AlphaUp        Float      `yaml:"alpha_up"`
	AlphaDown      Float      `yaml:"alpha_down"`
	IdleWatts      Float      `yaml:"idle_watts"`
	Tail           []TailSpec `yaml:"tail"`
}

// TailSpec is one tail phase.
type TailSpec struct {
	Pos              Pos
	Name             Str      `yaml:"name" doc:"the phase's name"`
	Duration         Duration `yaml:"duration" bgsim:"required"`
	Watts            Float    `yaml:"watts" bgsim:"required"`
	RepromotionTime  Duration `yaml:"repromotion_time"`
	RepromotionWatts Float    `yaml:"repromotion_watts"`
}

// PowerSpec is the device's power state at the start.
type PowerSpec struct {
	Pos          Pos
	Battery      Int  `yaml:"battery"`
	Charging     Bool `yaml:"charging" doc:"on external power (default false)"`
	LowPowerMode Bool `yaml:"low_power_mode" doc:"Low Power Mode is on (default false)"`
}

// ServerSpec is how the server answers every upload.
type ServerSpec struct {
	Pos          Pos
	Latency      Duration `yaml:"latency"`
	Status       Int      `yaml:"status"`
	ResponseSize Size     `yaml:"response_size"`
	Resumable    Bool     `yaml:"resumable" doc:"the server supports resumable uploads, so iOS 17+ resumes (default false)"`
	// Requests whose body arrives before this time get no answer.
	UnresponsiveUntil Duration     `yaml:"unresponsive_until"`
	Redirect          RedirectSpec `yaml:"redirect" doc:"the server redirects the first requests of each attempt, R-REDIRECTS-ALWAYS-FOLLOWED"`
	AuthChallenge     Bool         `yaml:"auth_challenge" doc:"the server answers a request without a credential with an authentication challenge, R-AUTH-WAKE (default false)"`
}

// RedirectSpec is how the server redirects an upload's requests.
type RedirectSpec struct {
	Pos     Pos
	Status  Int      `yaml:"status"`
	Times   Int      `yaml:"times"`
	Latency Duration `yaml:"latency"`
}

// ParamsSpec holds the parameters for behaviour Apple leaves open.
type ParamsSpec struct {
	Pos               Pos
	XPCLatency        Duration        `yaml:"xpc_latency"`
	LaunchLatency     Duration        `yaml:"launch_latency"`
	BackgroundGrace   Duration        `yaml:"background_grace"`
	RelaunchAllowance Duration        `yaml:"relaunch_allowance"`
	RateLimiter       RateLimiterSpec `yaml:"rate_limiter" doc:"the resume rate limiter, R-RATE-LIMITER"`
	ForceQuit         Str             `yaml:"force_quit" bgsim:"enum=cancel|continue|vanish" doc:"what force quit does to background tasks, R-FORCE-QUIT-CANCELS: cancel (documented, the default), continue or vanish (both reported on iOS 17)"`
	// The iOS 17 reports: sometimes the transfers go on.
	ForceQuitContinueChance Float `yaml:"force_quit_continue_chance"`
	HandshakeRTTs           Int   `yaml:"handshake_rtts"`
	MaxRedirects            Int   `yaml:"max_redirects"`
	DataTaskDisconnect      Str   `yaml:"data_task_disconnect" bgsim:"enum=on-reconnect|wake" doc:"how the app learns a data task's -997, R-DATA-TASK-IN-BG-SESSION: on-reconnect (sourced; default) or wake (an assumption)"`
	InProcessCutCode        Int   `yaml:"in_process_cut_code"`
	// R-DISCRETIONARY-FLAG, R-DISCRETIONARY-RELAXATION, R-CRITICAL-BATTERY, and the app's CPU.
	DiscretionaryRequires   Str   `yaml:"discretionary_requires" bgsim:"enum=wifi-and-power|wifi|none" doc:"what a discretionary task waits for, R-DISCRETIONARY-FLAG (default wifi-and-power, what Apple says is typical)"`
	DiscretionaryRelaxAfter Float `yaml:"discretionary_relax_after"`
	CriticalBattery         Int   `yaml:"critical_battery"`
	WakeJoules              Float `yaml:"wake_joules"`
	WakeCPUWatts            Float `yaml:"wake_cpu_watts"`
	// R-BG-APP-REFRESH: what Background App Refresh switched off does.
	RefreshOff Str `yaml:"refresh_off" bgsim:"enum=none|cancel" doc:"what device.background_app_refresh: off does to background sessions, R-BG-APP-REFRESH: none (the default, per secondary notes of WWDC20 10063) or cancel (-999, reason 1, when the app is suspended or exits; an assumption)"`
	// R-RESUMABLE-UPLOAD-17's "longer outage".
	ResumableWait Duration `yaml:"resumable_wait"`
	// R-APP-UPDATE: what do: update_app does to the tasks.
	RewakeUnfinished Bool `yaml:"rewake_unfinished" doc:"when the process iOS woke for a session's events ends or is suspended before it takes them, R-PURGED-APP-RELAUNCHED: true, the default, iOS wakes the app for them again; false, they wait until a process creates the identifier; Apple documents neither (both assumptions)"`
	UpdateKeepsTasks Bool `yaml:"update_keeps_tasks" doc:"what do: update_app does to the app's background tasks, R-APP-UPDATE: true, the default, leaves them to the daemon (an update terminates the app as the system does); false cancels them with -999; Apple documents neither (both assumptions)"`
}

// RateLimiterSpec parameterises R-RATE-LIMITER.
type RateLimiterSpec struct {
	Pos        Pos
	First      Duration `yaml:"first"`
	Factor     Int      `yaml:"factor"`
	Cap        Duration `yaml:"cap"`
	ResetAfter Int      `yaml:"reset_after"`
}

// AppSpec is the app's code.
type AppSpec struct {
	Pos          Pos
	Sessions     []SessionSpec    `yaml:"sessions,keyed" bgsim:"required" doc:"the sessions the code can create, by name"`
	Uploads      []UploadSpec     `yaml:"uploads,keyed" doc:"the uploads the code can start, by name"`
	AtLaunch     []Str            `yaml:"at_launch" doc:"sessions the code creates at every launch, in didFinishLaunching"`
	AtUserLaunch []Str            `yaml:"at_user_launch" doc:"sessions the code creates in didFinishLaunching only when the user launches the app (after at_launch's)"`
	AtBgLaunch   []Str            `yaml:"at_background_launch" doc:"sessions the code creates in didFinishLaunching only when iOS launches the app in the background for a wake (after at_launch's)"`
	HandleEvents HandleEventsSpec `yaml:"handle_events" doc:"what application(_:handleEventsForBackgroundURLSession:completionHandler:) does"`
	Workload     *WorkloadSpec    `yaml:"workload" doc:"items the app produces over time, and how it uploads them"`

	// A code hook (hooks.go).
	OnFinishEvents []HookStep      `yaml:"on_finish_events" doc:"code hook: what urlSessionDidFinishEvents(forBackgroundURLSession:) does, before it calls the stored completion handler; see docs/scenarios.md"`
	Extensions     []ExtensionSpec `yaml:"extensions,keyed" doc:"the app's extensions (a share extension, say), by name: each a process of its own with its own sessions and uploads; see docs/scenarios.md"`
}

// WorkloadSpec is items over time and an upload strategy.
type WorkloadSpec struct {
	Pos      Pos
	Items    Int       `yaml:"items" bgsim:"required"`
	Size     Size      `yaml:"size" bgsim:"required"`
	Start    Duration  `yaml:"start"`
	Every    Duration  `yaml:"every" bgsim:"required"`
	Random   Bool      `yaml:"random" doc:"exponential spacings with mean every (default false)"`
	Session  Str       `yaml:"session" bgsim:"required" doc:"the background session (by name) the uploads use"`
	Strategy Str       `yaml:"strategy" bgsim:"required,enum=individual|batched|discretionary" doc:"individual, batched or discretionary"`
	Batch    BatchSpec `yaml:"batch" doc:"when a batch goes (batched and discretionary)"`
}

// BatchSpec says when a batch goes: whichever comes first.
type BatchSpec struct {
	Pos          Pos
	Count        Int      `yaml:"count"`
	Window       Duration `yaml:"window"`
	OnForeground Bool     `yaml:"on_foreground" doc:"when the user brings the app to the foreground"`
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
	ResourceTimeout   Duration `yaml:"resource_timeout"`
	RequestTimeout    Duration `yaml:"request_timeout"`
	Auth              Str      `yaml:"auth" bgsim:"enum=none|delegate|credential-storage" doc:"what answers an authentication challenge, R-AUTH-WAKE: none, the delegate (the app must run), or the session's credential storage (the daemon answers) (default none)"`
	SharedContainer   Str      `yaml:"shared_container_identifier" doc:"sharedContainerIdentifier, an app group; an extension's background session needs one, or its tasks fail with -995 (R-ONE-PROCESS-PER-SESSION) (default none)"`
	AccessSpec        `yaml:",inline"`
}

// AccessSpec is the three network-access settings of a session or a request.
type AccessSpec struct {
	AllowsCellular    Bool `yaml:"allows_cellular_access" doc:"allowsCellularAccess (default true)"`
	AllowsExpensive   Bool `yaml:"allows_expensive_network_access" doc:"allowsExpensiveNetworkAccess (default true)"`
	AllowsConstrained Bool `yaml:"allows_constrained_network_access" doc:"allowsConstrainedNetworkAccess (default true)"`
}

// UploadSpec is an upload the app's code starts.
type UploadSpec struct {
	Name              string
	NamePos           Pos
	Pos               Pos
	Session           Str      `yaml:"session" bgsim:"required" doc:"the session (by name) the task is created on"`
	API               Str      `yaml:"api" bgsim:"enum=upload-from-file|upload-from-data|data-task|stream-task" doc:"the URLSession call (default upload-from-file)"`
	CompletionHandler Bool     `yaml:"completion_handler" doc:"the task is created with a completion handler block (default false)"`
	TaskDelegate      Bool     `yaml:"task_delegate" doc:"the code sets task.delegate, iOS 15+ (default false)"`
	RequestClass      Str      `yaml:"request_class" doc:"a custom NSURLRequest subclass the request belongs to (default none)"`
	Size              Size     `yaml:"size"`
	DeleteFile        Bool     `yaml:"delete_file" doc:"the code deletes its file right after handing it off (default false)"`
	Chain             Int      `yaml:"chain"`
	BeginAfter        Duration `yaml:"begin_after"`
	OnFailure         Str      `yaml:"on_failure" bgsim:"enum=resume" doc:"what didCompleteWithError does: resume (iOS 17+) calls uploadTask(withResumeData:) once when the error carries NSURLSessionUploadTaskResumeData (default nothing)"`
	AccessSpec        `yaml:",inline"`

	// Code hooks (hooks.go).
	OnComplete []HookStep `yaml:"on_complete" doc:"code hook: what didCompleteWithError(nil) does after a 2xx response, in the process it reaches, at that instant; see docs/scenarios.md"`
	OnError    []HookStep `yaml:"on_error" doc:"code hook: what didCompleteWithError does after an error, or after a response whose status is not 2xx; see docs/scenarios.md"`
}

// HandleEventsSpec is the app delegate's handleEventsForBackgroundURLSession.
type HandleEventsSpec struct {
	Pos                    Pos
	Recreate               Str  `yaml:"recreate" doc:"given (the identifier iOS passes), none, or a session name (default given)"`
	StoreCompletionHandler Bool `yaml:"store_completion_handler" doc:"the code keeps the completion handler (default true)"`
	CallCompletionHandler  Bool `yaml:"call_completion_handler" doc:"the code calls it from urlSessionDidFinishEvents (default true)"`

	// A code hook (hooks.go).
	Then []HookStep `yaml:"then" doc:"code hook: what the code does next, after recreating the session; see docs/scenarios.md"`
}

// Step is one timeline step.
type Step struct {
	Pos    Pos
	At     Duration  `yaml:"at"`
	When   *WhenSpec `yaml:"when" doc:"instead of at:, the condition the step waits for: it happens once, after: past the instant the condition first holds; see docs/scenarios.md"`
	After  Duration  `yaml:"after"`
	Do     Str       `yaml:"do" bgsim:"required,enum=launch|background|foreground|force-quit|purge|upload|cancel|resume|invalidate|create_session|update_app|extension-open|extension-close|wifi-off|wifi-on|cellular-off|cellular-on|outage|bandwidth|plug-in|unplug|low-power-on|low-power-off" doc:"what happens; see docs/scenarios.md"`
	Upload Str       `yaml:"upload" doc:"for do: upload, cancel and resume, the upload (by name) the code starts, cancels, or resumes from its resume data"`
	For    Duration  `yaml:"for"`
	// For do: cancel.
	ResumeData Bool `yaml:"resume_data" doc:"for do: cancel, the code calls cancel(byProducingResumeData:) (iOS 17+) rather than cancel() (default false)"`
	// For do: invalidate and create_session.
	Session     Str  `yaml:"session" doc:"for do: invalidate and create_session, the session (by name) the code invalidates or creates"`
	CancelTasks Bool `yaml:"cancel_tasks" doc:"for do: invalidate, the code calls invalidateAndCancel() rather than finishTasksAndInvalidate() (default false)"`
	// For do: extension-open and extension-close.
	Extension Str `yaml:"extension" doc:"for do: extension-open and extension-close, the extension (by name under app.extensions) whose process starts or ends"`
	// For do: bandwidth.
	Interface Str     `yaml:"interface" bgsim:"enum=wifi|cellular" doc:"for do: bandwidth, the interface"`
	Up        Bitrate `yaml:"up"`
	Down      Bitrate `yaml:"down"`
	// For do: update_app: the keys the new version changes, merged over
	// the code before it (scenarios/update.go).
	App *AppSpec `yaml:"app" bgsim:"partial" doc:"for do: update_app, the keys the new version of the app's code changes, merged over the code before it: mappings merge key by key (a session or upload named again changes only the keys written; a new name adds one), a value or a list replaces the old one; see docs/scenarios.md"`
}

// WhenSpec is a timeline step's trigger: one condition.
type WhenSpec struct {
	Pos                Pos
	Upload             Str     `yaml:"upload" doc:"for sent, state and fate, the upload (by name under app.uploads) whose first task the condition is on"`
	Sent               Percent `yaml:"sent"`
	State              Str     `yaml:"state" bgsim:"enum=created|handed_off|transferring|received" doc:"the upload reached this state: created by the code, handed_off to the daemon, transferring (its first attempt began) or received (the server has the whole body)"`
	Fate               Str     `yaml:"fate" bgsim:"enum=delivered|failed|lost|never_sent" doc:"the upload's fate became final, during the run, and is this one"`
	BackgroundLaunches Int     `yaml:"background_launches"`
}

// VariantSpec is a named variant: a description and an overlay on the base.
type VariantSpec struct {
	Name    string
	NamePos Pos
	About   string
}
