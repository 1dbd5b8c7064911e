package model

import "strings"

// Confidence says how well a rule is established. The tags are those of
// ../shared/docs/ios-rules.md.
type Confidence string

// The confidence tags, strongest first.
const (
	DOC Confidence = "DOC" // Apple's developer documentation
	ENG Confidence = "ENG" // an Apple engineer (WWDC, DTS on the forums)
	RE  Confidence = "RE"  // decompiled CFNetwork (client side only)
	OBS Confidence = "OBS" // third-party developers' reports
	UNC Confidence = "UNC" // uncertain: each rule's Fixed and Params say what bgsim does with it
)

// Rule is one iOS behaviour, with where it comes from.
type Rule struct {
	ID          RuleID
	Title       string
	Explanation string       // in bgsim's words
	Sources     []string     // keys into Sources
	Confidence  []Confidence // every tag that applies, strongest first
	// Modelled says whether the model applies the rule. Rules that are
	// not modelled yet are in the catalog as documentation.
	Modelled bool
	// Fixed says, for a modelled rule, what bgsim applies the same way in
	// every scenario: the behaviour no setting changes, including the
	// readings it makes where the sources are unsure.
	Fixed string
	// Params are the scenario keys that change how the rule plays out:
	// the app's code and the device as the scenario describes them, and
	// the params.* fields that stand in for what Apple leaves open.
	Params []RuleParam
	// Fix says what the app's code can do about an upload this rule kept
	// from being delivered; "" where the rule does not do that.
	Fix string
}

// RuleParam is one scenario key a rule depends on.
type RuleParam struct {
	// Key is a scenario key, dotted, with * for any session, upload or
	// interface (app.sessions.*.discretionary), or "timeline: " and a
	// timeline step (timeline: low-power-on).
	Key string
	// What says what the key stands for here, with its default where
	// that matters.
	What string
}

// ParamText is r's parameters on one line: "key: what; ...".
func (r Rule) ParamText() string {
	var parts []string
	for _, p := range r.Params {
		parts = append(parts, p.Key+": "+p.What)
	}
	return strings.Join(parts, "; ")
}

// Sources maps a source key to its description and address.
var Sources = map[string]string{
	"BG-ID":        "URLSessionConfiguration.background(withIdentifier:) — https://developer.apple.com/documentation/foundation/urlsessionconfiguration/background(withidentifier:)",
	"SSLE":         "sessionSendsLaunchEvents — https://developer.apple.com/documentation/foundation/urlsessionconfiguration/sessionsendslaunchevents",
	"DISC":         "isDiscretionary — https://developer.apple.com/documentation/foundation/nsurlsessionconfiguration/1411552-discretionary",
	"DL-BG":        "Downloading files in the background — https://developer.apple.com/documentation/foundation/downloading-files-in-the-background",
	"HEBUS":        "application(_:handleEventsForBackgroundURLSession:completionHandler:) — https://developer.apple.com/documentation/uikit/uiapplicationdelegate/1622941-application",
	"DFE":          "urlSessionDidFinishEvents(forBackgroundURLSession:) — https://developer.apple.com/documentation/foundation/urlsessiondelegate/urlsessiondidfinishevents(forbackgroundurlsession:)",
	"TO-REQ":       "timeoutIntervalForRequest — https://developer.apple.com/documentation/foundation/urlsessionconfiguration/timeoutintervalforrequest",
	"TO-RES":       "timeoutIntervalForResource — https://developer.apple.com/documentation/foundation/urlsessionconfiguration/timeoutintervalforresource",
	"WFC":          "waitsForConnectivity — https://developer.apple.com/documentation/foundation/urlsessionconfiguration/2908812-waitsforconnectivity",
	"CANCEL":       "Background task cancellation reasons — https://developer.apple.com/documentation/foundation/urlsession/1508626-background_task_cancellation",
	"WASDISC":      "URLError.backgroundSessionWasDisconnected — https://developer.apple.com/documentation/foundation/urlerror/backgroundsessionwasdisconnected",
	"RESUME-DL":    "URLSessionDownloadTask.cancel(byProducingResumeData:) — https://developer.apple.com/documentation/foundation/urlsessiondownloadtask/1411634-cancel",
	"RESUME-UL":    "Pausing and resuming uploads — https://developer.apple.com/documentation/foundation/pausing-and-resuming-uploads",
	"LEGACY":       "URL Loading System Programming Guide, Using NSURLSession (archived) — https://developer.apple.com/library/content/documentation/Cocoa/Conceptual/URLLoadingSystem/Articles/UsingNSURLSession.html",
	"EEG":          "Energy Efficiency Guide for iOS Apps (archived) — https://developer.apple.com/library/archive/documentation/Performance/Conceptual/EnergyGuide-iOS/",
	"RATE":         "Quinn, NSURLSession's Resume Rate Limiter — https://developer.apple.com/forums/thread/14854",
	"RATE-OBS":     "Developer measurements of the rate limiter on iOS 12.4 — https://developer.apple.com/forums/thread/128813",
	"TEST":         "Quinn, Testing Background Session Code — https://developer.apple.com/forums/thread/14855",
	"EXT":          "Quinn, Networking in a Short-Lived Extension — https://developer.apple.com/forums/thread/76659",
	"W13-705":      "WWDC 2013 session 705, What's New in Foundation Networking",
	"W13-204":      "WWDC 2013 session 204, What's New with Multitasking",
	"W14-707":      "WWDC 2014 session 707, What's New in Foundation Networking",
	"W14-712":      "WWDC 2014 session 712, Writing Energy Efficient Code, Part 2",
	"W17-709":      "WWDC 2017 session 709, Advances in Networking, Part 1",
	"W17-238":      "WWDC 2017 session 238, Writing Energy Efficient Apps",
	"W18-228":      "WWDC 2018 session 228, What's New in Energy Debugging — https://developer.apple.com/videos/play/wwdc2018/228/",
	"W19-707":      "WWDC 2019 session 707, Advances in App Background Execution",
	"W20-10063":    "WWDC 2020 session 10063, Background execution demystified (withdrawn; known from secondary notes)",
	"W23-10006":    "WWDC 2023 session 10006, Build robust and resumable file transfers — https://developer.apple.com/videos/play/wwdc2023/10006",
	"RE-CFN":       "Decompiled CFNetwork (__NSURLBackgroundSession) from public iOS 18 and 26 restore images",
	"ARTICLE":      "Sean Berry, Uploading data in the background in iOS (Livefront, 2018) — https://medium.com/livefront/uploading-data-in-the-background-in-ios-f93722013c6a",
	"TOOMANY":      "URLError.httpTooManyRedirects (\"currently 16\") — https://developer.apple.com/documentation/foundation/urlerror/httptoomanyredirects",
	"RFC9110":      "RFC 9110, HTTP Semantics, §15.4 Redirection 3xx — https://www.rfc-editor.org/rfc/rfc9110#section-15.4",
	"FORUM-740564": "Developer forum thread 740564: force quit on iOS 17 — https://developer.apple.com/forums/thread/740564",
	"LPM":          "ProcessInfo.isLowPowerModeEnabled (iOS 9.0 and later) — https://developer.apple.com/documentation/foundation/processinfo/islowpowermodeenabled",
	"EBD":          "URLSessionTask.earliestBeginDate (iOS 11.0 and later) — https://developer.apple.com/documentation/foundation/urlsessiontask/earliestbegindate",
	"EXP-CON":      "URLSessionConfiguration.allowsExpensiveNetworkAccess and allowsConstrainedNetworkAccess (iOS 13.0 and later) — https://developer.apple.com/documentation/foundation/urlsessionconfiguration/allowsexpensivenetworkaccess",
	"CARROLL-2010": "Carroll and Heiser, An Analysis of Power Consumption in a Smartphone, USENIX ATC 2010 (Openmoko Freerunner: suspended 68.6 mW, idle with the backlight off 268.8 mW; the source of params.wake_cpu_watts's default, not an iPhone)",
}

// Catalog lists every rule bgsim knows, in the order of
// ../shared/docs/ios-rules.md, followed by bgsim's own additions.
var Catalog = []Rule{
	// 1. API misuse at creation.
	{ID: RuleNoCompletionHandler, Title: "Completion handlers crash in background sessions",
		Explanation: "Creating a task with a completion-handler block (including the async wrappers) in a background session throws NSGenericException at once: \"Completion handler blocks are not supported in background sessions. Use a delegate instead.\" The daemon never gets the task. Use the session delegate.",
		Sources:     []string{"RE-CFN", "LEGACY", "ARTICLE"}, Confidence: []Confidence{RE, DOC, OBS}, Modelled: true,
		Fixed:  "the crash: NSGenericException at task creation, before the daemon hears of the task.",
		Params: []RuleParam{{"app.uploads.*.completion_handler", "the app's code creates the task with a completion handler"}},
		Fix:    "create the task without a completion handler and receive the response in the session delegate (urlSession(_:dataTask:didReceive:) and urlSession(_:task:didCompleteWithError:))"},
	{ID: RuleUploadFromFile, Title: "Background uploads must come from a file",
		Explanation: "uploadTask(with:from: Data) in a background session throws NSGenericException: \"Upload tasks from NSData are not supported in background sessions.\" Write the body to a file and use uploadTask(with:fromFile:).",
		Sources:     []string{"RE-CFN", "DL-BG", "LEGACY", "ARTICLE"}, Confidence: []Confidence{RE, DOC, OBS}, Modelled: true,
		Fixed:  "the crash: NSGenericException at task creation.",
		Params: []RuleParam{{"app.uploads.*.api", "upload-from-data is the failing call"}},
		Fix:    "write the body to a file and call uploadTask(with:fromFile:); the daemon takes its own copy, so the file may be deleted afterwards"},
	{ID: RuleUploadStream, Title: "Streamed bodies fail once the app exits",
		Explanation: "A streamed upload works while the app runs, since the daemon asks the app for the body stream; after the app exits nobody can supply it and the upload fails.",
		Sources:     []string{"DL-BG", "LEGACY"}, Confidence: []Confidence{DOC, OBS}},
	{ID: RuleHTTPBodyAutoconvert, Title: "Large httpBody is turned into a file (iOS 18/26)",
		Explanation: "Current CFNetwork writes an httpBody over 16 KiB on a background upload task to a temporary file and uploads that instead; small bodies stay inline.",
		Sources:     []string{"RE-CFN"}, Confidence: []Confidence{RE}},
	{ID: RuleFileMustBeReadable, Title: "The upload file must be a readable file:// URL",
		Explanation: "A fromFile: URL that is not file:// or cannot be read throws an invalid-argument exception at creation.",
		Sources:     []string{"RE-CFN"}, Confidence: []Confidence{RE, OBS}},
	{ID: RuleDaemonOwnsUploadFile, Title: "The daemon takes its own hold on the upload file",
		Explanation: "At task creation CFNetwork hands nsurlsessiond the file (path and open handle), so the app may delete its copy right after resume(). bgsim models a copy at hand-off. Apple never promises this; it rests on reverse engineering and developer reports.",
		Sources:     []string{"RE-CFN", "ARTICLE"}, Confidence: []Confidence{RE, OBS}, Modelled: true,
		Fixed:  "the daemon keeps its own copy from hand-off, so deleting the app's file changes nothing (bgsim's reading of the RE and OBS sources).",
		Params: []RuleParam{{"app.uploads.*.delete_file", "the app's code deletes its file after hand-off"}}},
	{ID: RuleFileProtection, Title: "Complete file protection breaks background uploads",
		Explanation: "A source file with NSFileProtectionComplete logs an API-misuse fault; developers see failures when the device is locked although the server got the data.",
		Sources:     []string{"RE-CFN"}, Confidence: []Confidence{RE, OBS}},
	{ID: RuleDataTaskInBGSession, Title: "Data tasks in background sessions live only while the app runs",
		Explanation: "On iOS 7 a data task in a background session throws NSGenericException \"Data tasks are not supported in background sessions.\" From iOS 8 it is allowed, but the daemon runs it only while the app runs: when the app is suspended or exits, the task fails with NSURLErrorBackgroundSessionWasDisconnected (-997).",
		Sources:     []string{"W14-707", "WASDISC", "RE-CFN"}, Confidence: []Confidence{DOC, ENG}, Modelled: true,
		Fixed:  "on iOS 8 and later the task fails with -997 when the app is suspended or its process ends; the failure reaches the app when a process next connects to the session (the source: -997 is reported when the app reconnects), with no wake of its own.",
		Params: []RuleParam{{"app.uploads.*.api", "data-task is the call"}, {"device.ios", "iOS 7 crashes at creation; iOS 8 and later run the task"}, {"params.data_task_disconnect", "on-reconnect (default, sourced), or wake: the daemon wakes the app at once to deliver it (an assumption no source reports)"}},
		Fix:    "use an upload task from a file, which the daemon carries on after the app is suspended"},
	{ID: RuleNoPerTaskDelegate, Title: "No per-task delegates in background sessions (iOS 15+)",
		Explanation: "Setting task.delegate on a background-session task throws NSGenericException \"Task delegate is not supported on background session task\".",
		Sources:     []string{"RE-CFN"}, Confidence: []Confidence{OBS}, Modelled: true,
		Fixed:  "the crash: NSGenericException at task creation.",
		Params: []RuleParam{{"app.uploads.*.task_delegate", "the app's code sets task.delegate (a scenario may set it only on iOS 15 and later)"}},
		Fix:    "drop task.delegate and handle the events in the session's delegate"},
	{ID: RuleUnsupportedTaskKinds, Title: "Stream tasks and custom request classes crash",
		Explanation: "A stream task on a background session throws NSGenericException \"Stream tasks are not supported in background sessions\"; a request of a custom NSURLRequest subclass throws \"Custom subclasses of NSURLRequest are not supported in background sessions. Attempted to use a request of class <name>\".",
		Sources:     []string{"RE-CFN"}, Confidence: []Confidence{RE, UNC}, Modelled: true,
		Fixed:  "the crash: NSGenericException at task creation, with the message quoted.",
		Params: []RuleParam{{"app.uploads.*.api", "stream-task"}, {"app.uploads.*.request_class", "a custom NSURLRequest subclass"}},
		Fix:    "use an upload task from a file with a plain URLRequest"},
	{ID: RuleHTTPOnly, Title: "Background sessions speak http and https only",
		Explanation: "Any other URL scheme gives a task that fails at once with NSURLErrorUnsupportedURL (-1002); custom URLProtocols never apply.",
		Sources:     []string{"DL-BG", "LEGACY", "W13-705", "RE-CFN"}, Confidence: []Confidence{DOC, RE}},
	{ID: RuleDelegateRequired, Title: "A background session needs a session delegate",
		Explanation: "A background session created without a delegate has nowhere to deliver its events: the response arrives at the daemon and the app never hears it.",
		Sources:     []string{"DL-BG", "LEGACY", "W13-705"}, Confidence: []Confidence{DOC, UNC}, Modelled: true,
		Fixed:  "the response reaches the daemon and is never delivered: the upload is lost. Not a parameter, although no source says what happens without a delegate.",
		Params: []RuleParam{{"app.sessions.*.delegate", "none: the session has no delegate"}},
		Fix:    "create the background session with a delegate: URLSession(configuration:delegate:delegateQueue:)"},
	{ID: RuleRedirectsAlwaysFollowed, Title: "The daemon follows redirects itself",
		Explanation: "In background sessions 3xx redirects are followed by the daemon; the delegate is never asked, so a 3xx is never the response the app gets. " +
			"The follow-up is a new request: after 307 and 308 with the body again, after 301, 302 and 303 a GET without it (RFC 9110 §15.4; that a POST becomes a GET after 301 and 302 is the model's assumption). " +
			"Past the limit (Apple: \"currently 16\") the task fails with NSURLErrorHTTPTooManyRedirects (-1007).",
		Sources: []string{"DL-BG", "LEGACY", "W13-705", "TOOMANY", "RFC9110"}, Confidence: []Confidence{DOC, ENG}, Modelled: true,
		Fixed: "a 3xx never reaches the app; the follow-up is a new request over a new connection (the location is assumed to be another host); 307 and 308 send the body again from byte 0, 301, 302 and 303 send a GET without it (that a POST becomes a GET after 301 and 302 is an assumption); -1007 is not retried; a shared session follows too (no willPerformHTTPRedirection is modelled)",
		Params: []RuleParam{{"server.redirect", "status (301, 302, 303, 307, 308), times each attempt meets one (default 1), latency"},
			{"params.max_redirects", "redirects one attempt follows (default 16, Apple's \"currently 16\"; that the 16th is followed and the 17th fails is an assumption)"}},
		Fix: "upload straight to the final URL: a 307 or 308 on the way costs the body again, and a 301, 302 or 303 drops it"},
	{ID: RuleInvalidatedSessionNewTask, Title: "No new tasks on an invalidated session",
		Explanation: "A task created after finishTasksAndInvalidate or invalidateAndCancel is logged as misuse and never runs.",
		Sources:     []string{"RE-CFN"}, Confidence: []Confidence{RE}, Modelled: true,
		Fixed:  "a task created on an invalidated session before didBecomeInvalidWithError never runs: nsurlsessiond never has it, and its fate is never_sent (the sources: the task is nil or never runs).",
		Params: []RuleParam{{"timeline: invalidate", "the code invalidates a session"}},
		Fix:    "create a new session (after didBecomeInvalidWithError) before creating tasks again"},
	{ID: RuleBundleID, Title: "Background sessions need a bundle identifier",
		Explanation: "A process without a bundle identifier gets only a fault log; irrelevant to App Store apps.",
		Sources:     []string{"RE-CFN"}, Confidence: []Confidence{RE}},
	// 2. Identity and reconnection.
	{ID: RuleIDDefinesSession, Title: "The identifier is the session",
		Explanation: "nsurlsessiond knows a background session only by its identifier: one fixed, non-empty string per session, unique within the app, with the same configuration every time it is recreated.",
		Sources:     []string{"BG-ID", "DL-BG", "HEBUS"}, Confidence: []Confidence{DOC}, Modelled: true,
		Fixed:  "the daemon knows a session only by its identifier; a process gets a session's events only by creating that identifier.",
		Params: []RuleParam{{"app.sessions.*.identifier", "the identifier the code passes"}}},
	{ID: RuleReconnectSameID, Title: "Recreating the identifier replays the queued events",
		Explanation: "When a process creates a background session whose identifier has finished or outstanding tasks, it reconnects to the daemon, which replays the queued delegate events (the response, the data, didCompleteWithError). Events for an identifier the app never recreates are never delivered. Recreate every such session at launch.",
		Sources:     []string{"LEGACY", "BG-ID", "W13-705", "RE-CFN"}, Confidence: []Confidence{DOC, RE}, Modelled: true,
		Fixed: "creating the identifier replays every event the daemon holds for it, in order, at once.",
		Params: []RuleParam{{"app.at_launch", "the sessions the code creates at every launch"},
			{"app.at_user_launch", "the sessions it creates only at user launches"},
			{"app.at_background_launch", "the sessions it creates only when iOS launches the app in the background for a wake"},
			{"app.handle_events.recreate", "the session handleEvents creates"},
			{"timeline: create_session", "the code creates the session named by session: when the step comes"}},
		Fix: "recreate the session with that identifier at every launch (in didFinishLaunching), so the daemon replays the events it holds"},
	{ID: RuleWrongIDOnRecreate, Title: "Recreating another identifier delivers nothing",
		Explanation: "If the app is woken for identifier X but creates a session with another identifier (or none), X's events stay queued, urlSessionDidFinishEvents for X never comes, the stored completion handler is never called and the app is terminated when its background allowance runs out. X's events wait until some later process creates X.",
		Sources:     []string{"HEBUS", "DFE", "W14-707", "RE-CFN"}, Confidence: []Confidence{UNC}, Modelled: true,
		Fixed:  "the events for the identifier iOS passed stay in the daemon until some process creates it; the stored completion handler is never called and the woken app is terminated when params.relaunch_allowance runs out. Not a parameter, although the sources do not spell this out (UNC).",
		Params: []RuleParam{{"app.handle_events.recreate", "a name other than given, or none"}},
		Fix:    "recreate the session with the identifier iOS passes to handleEventsForBackgroundURLSession, with the same configuration and a delegate"},
	{ID: RuleDupIDSameProcess, Title: "A second session with the same identifier is the first one",
		Explanation: "Creating a background session with an identifier that already has a session in the process does not crash: CFNetwork logs \"A background URLSession with identifier <id> already exists!\" and returns the existing session. The new delegate and configuration are ignored; events keep going to the first delegate.",
		Sources:     []string{"RE-CFN", "LEGACY"}, Confidence: []Confidence{RE, OBS}, Modelled: true,
		Fixed:  "the second creation returns the first session; events keep going to the first delegate.",
		Params: []RuleParam{{"app.sessions.*.identifier", "two sessions of the app with one identifier"}}},
	{ID: RuleDupIDAfterInvalidate, Title: "Recreating right after invalidating returns the dying session",
		Explanation: "The identifier leaves the process table only when didBecomeInvalidWithError arrives; recreating it earlier returns the invalidated session.",
		Sources:     []string{"RE-CFN"}, Confidence: []Confidence{RE, OBS}, Modelled: true,
		Fixed:  "bgsim sends didBecomeInvalidWithError when the session has no open task and no event left to deliver; until then creating the identifier returns the invalidated session. The iOS 10 report of it never coming is not modelled.",
		Params: []RuleParam{{"timeline: invalidate", "finishTasksAndInvalidate(), or invalidateAndCancel() with cancel_tasks: true"}}},
	{ID: RuleOneProcessPerSession, Title: "One process per identifier",
		Explanation: "Only one process (the app or one extension) can be connected to an identifier; a second one is invalidated with -996. Extension sessions need a shared container (-995 otherwise).",
		Sources:     []string{"EXT", "W14-707"}, Confidence: []Confidence{ENG, DOC}, Modelled: true,
		Fixed: "an extension is a second process (app.extensions; do: extension-open and extension-close), one open at a time. A process connects to an identifier when its code creates the session; it holds it while it is alive (running, or suspended for the app), and only its end lets go. " +
			"A connection to an identifier another live process holds is refused with -996, and an extension's session without shared_container_identifier with -995: the session is invalid at once (didBecomeInvalidWithError), and a task the code had created on it fails at once with that code to its delegate; the code's next creation of the identifier connects afresh (bgsim's reading: Apple documents the codes, not the order). " +
			"The events of an extension's session whose process has ended wake the containing app with that identifier, as the app's own sessions do; its handleEventsForBackgroundURLSession with recreate: given creates it from the extension's session configuration.",
		Params: []RuleParam{{"app.extensions.*.sessions.*.shared_container_identifier", "none: -995"}, {"app.sessions.*.identifier", "the identifier of an extension's session: -996 for the second process"}},
		Fix:    "give each extension its own identifier and an app group (sharedContainerIdentifier), and recreate the identifier iOS passes to handleEventsForBackgroundURLSession"},
	// 3. App state.
	{ID: RuleOutOfProcess, Title: "Background transfers run outside the app",
		Explanation: "nsurlsessiond owns background uploads: they go on while the app is in the foreground, in the background, suspended, terminated by the system or crashed, with no time limit.",
		Sources:     []string{"BG-ID", "DL-BG", "W13-705", "W13-204", "W14-707"}, Confidence: []Confidence{DOC, ENG}, Modelled: true,
		Fixed: "background tasks carry on whatever the app's state, with no time limit of their own.",
		Fix:   "nothing: the daemon was still working on it when the run ended; a longer horizon shows how it ends"},
	{ID: RuleSuspendedAppResumed, Title: "A suspended app is resumed when its session goes quiet",
		Explanation: "If the app is suspended when all of a session's tasks finish and launch events are on, iOS resumes it in the background, calls handleEventsForBackgroundURLSession, delivers the queued events to the existing session, then urlSessionDidFinishEvents.",
		Sources:     []string{"HEBUS", "DL-BG"}, Confidence: []Confidence{DOC}, Modelled: true,
		Fixed:  "the resume when all of the session's tasks are done, then handleEvents, the events, and urlSessionDidFinishEvents, in that order.",
		Params: []RuleParam{{"app.sessions.*.sends_launch_events", "true, the default"}, {"params.xpc_latency", "one hop between app and daemon (default 2ms, an assumption)"}}},
	{ID: RulePurgedAppRelaunched, Title: "A terminated app is relaunched in the background",
		Explanation: "If the system terminated the app (or it crashed) while tasks were outstanding, iOS launches it into the background when the session's tasks are done: didFinishLaunching, then handleEventsForBackgroundURLSession; once the app recreates the session with that identifier and a delegate, the events are replayed, then urlSessionDidFinishEvents.",
		Sources:     []string{"BG-ID", "HEBUS", "DFE", "DL-BG", "W13-705", "W14-707"}, Confidence: []Confidence{DOC, ENG}, Modelled: true,
		Fixed: "the background launch when all of the session's tasks are done, in the documented order of calls.",
		Params: []RuleParam{{"params.launch_latency", "how long the launch takes (default 400ms, an assumption)"},
			{"params.rewake_unfinished", "true (the default, an assumption): when the process woken for a session's events ends or is suspended before it takes them (a purge in the first milliseconds of the relaunch), iOS launches or resumes the app for them again, as it did for them in the first place; false: they wait until a process creates the identifier (R-RECONNECT-SAME-ID; also an assumption: Apple says neither)"}}},
	{ID: RuleLaunchGranularity, Title: "One wake per session, when all its tasks are done",
		Explanation: "The app is woken when all tasks of a session have finished (or one needs authentication), not once per task. Tasks that finish while the app runs just get delegate callbacks.",
		Sources:     []string{"HEBUS", "W13-705", "RATE"}, Confidence: []Confidence{DOC, ENG}, Modelled: true,
		Fixed: "one wake per session, when all of its tasks are done; tasks that finish while the app runs get delegate callbacks."},
	{ID: RuleForceQuitCancels, Title: "Force quit cancels background transfers",
		Explanation: "When the user swipes the app away, iOS cancels its background transfers and does not relaunch it for them. At the next user launch, once the app recreates its sessions, each task reports didCompleteWithError with NSURLErrorCancelled (-999) and cancellation reason 0 (user force-quit). Reports from iOS 17 (forum thread 740564) say transfers sometimes go on anyway, and sometimes vanish with no event at all: bgsim's force_quit parameter chooses.",
		Sources:     []string{"BG-ID", "CANCEL", "TEST", "W13-204", "FORUM-740564"}, Confidence: []Confidence{DOC, ENG, UNC}, Modelled: true,
		Fixed:  "no background launch follows a force quit, whatever force_quit says; under cancel the -999 (reason 0) reaches the app when it next creates the session; under vanish no event ever comes and the upload is lost.",
		Params: []RuleParam{{"params.force_quit", "cancel (documented, the default), continue or vanish (both reported on iOS 17, in one forum thread)"}, {"params.force_quit_continue_chance", "with cancel, the chance the transfers go on anyway (default 0)"}},
		Fix:    "no code brings the transfer back: a force quit tells iOS to stop the app's background work. Recreate the session at the next launch to learn of the -999, and start the upload again; since tasks may also vanish with no event (reported on iOS 17), keep the app's own record of unfinished uploads and restart those no event settled"},
	{ID: RuleForceQuitTestConfusion, Title: "Swiping away is not how the system purges",
		Explanation: "Force quit is not a test of relaunch; a debugger keeps the app from suspending. Purging is a termination that is not a force quit.",
		Sources:     []string{"TEST"}, Confidence: []Confidence{ENG}},
	{ID: RuleAppUpdate, Title: "An app update ends the process; the tasks stay with the daemon (an assumption)",
		Explanation: "Apple does not say what installing an update does to a running app or to its background session's tasks. It documents two terminations: by the system, after which the tasks go on in nsurlsessiond and the app is relaunched for their events, and by the user in the app switcher, which cancels them (BG-ID). bgsim reads an update as the first kind: the running process is terminated, not force quit; the tasks stay with the daemon unless params.update_keeps_tasks is false; and every later process, launched by the user or by iOS for events, runs the new code. The research bgsim rests on (ios-rules.md) has no source on updates, and a search of Apple's documentation and forums in November 2026 found none either.",
		Sources:     []string{"BG-ID"}, Confidence: []Confidence{UNC}, Modelled: true,
		Fixed: "do: update_app terminates a running process (exit: updated; not a force quit, so iOS still launches the app for events) and installs the new code: launch code, handleEventsForBackgroundURLSession, upload code and the end-of-run verdict are the new version's. A response held under an identifier only the old code created is lost, and the verdict says which update removed it.",
		Params: []RuleParam{{"timeline: update_app", "when the update is installed, and app: the keys the new version changes"},
			{"params.update_keeps_tasks", "true (the default, an assumption: an update terminates the app as the system does) or false (the tasks are cancelled with -999 when the update ends a running process, also an assumption; an update that finds the app not running leaves them, whatever this says)"}},
		Fix: "keep the background session's identifier across versions; a version that renames it must also recreate the old identifier (at launch, or in handleEventsForBackgroundURLSession for the identifier it is given) until the old tasks' events have been delivered"},
	{ID: RuleBGAppRefresh, Title: "Cancellation reason 1: background updates disabled",
		Explanation: "-999 with reason 1 (background updates disabled) exists; when it fires is not documented, and secondary notes of WWDC20 10063 say the Background App Refresh switch is not a factor for background sessions.",
		Sources:     []string{"CANCEL", "W20-10063"}, Confidence: []Confidence{UNC}, Modelled: true,
		Fixed: "nothing by default: with the switch off, background sessions go on as with it on, as the secondary notes say. Only params.refresh_off: cancel, an assumption, gives reason 1 a trigger: when the app is suspended or its process ends (not by force quit), each outstanding task of its background sessions is cancelled with -999, reason 1, and the event is delivered as any other.",
		Params: []RuleParam{{"device.background_app_refresh", "the user's switch, on (the default) or off"},
			{"params.refresh_off", "what off does: none (the default, per the secondary notes) or cancel (an assumption)"}},
		Fix: "with Background App Refresh off, the cancelled tasks report -999 with reason 1: start them again when the app is next in the foreground"},
	{ID: RuleInsufficientResources, Title: "Cancellation reason 2: insufficient resources",
		Explanation: "-999 with reason 2 when the system lacks resources such as disk space.",
		Sources:     []string{"CANCEL"}, Confidence: []Confidence{DOC, UNC}},
	{ID: RuleDaemonDisconnect, Title: "Losing the daemon fails tasks with -997",
		Explanation: "If the XPC connection to nsurlsessiond breaks, affected tasks fail with NSURLErrorBackgroundSessionWasDisconnected (-997).",
		Sources:     []string{"RE-CFN"}, Confidence: []Confidence{RE, OBS}},
	// 4. Relaunch, launch events, completion handler.
	{ID: RuleSendLaunchEventsTrue, Title: "Launch events on: iOS wakes or launches the app",
		Explanation: "With sessionSendsLaunchEvents true (the default), iOS resumes or launches the app in the background when the session's tasks finish, and calls handleEventsForBackgroundURLSession with the identifier.",
		Sources:     []string{"SSLE"}, Confidence: []Confidence{DOC}, Modelled: true,
		Fixed:  "iOS resumes or launches the app when the session's tasks are done and calls handleEvents with the identifier.",
		Params: []RuleParam{{"app.sessions.*.sends_launch_events", "true, the default"}}},
	{ID: RuleSendLaunchEventsFalse, Title: "Launch events off: the events wait for the app",
		Explanation: "With sessionSendsLaunchEvents false the transfers still finish, but the app is not woken or launched. The events wait in the daemon until a process creates a session with that identifier, usually at the next user launch. How long the daemon keeps them is not documented.",
		Sources:     []string{"SSLE", "RE-CFN"}, Confidence: []Confidence{OBS, RE}, Modelled: true,
		Fixed:  "no wake; the events wait in the daemon for as long as the run lasts (bgsim never discards them; the sources give no limit).",
		Params: []RuleParam{{"app.sessions.*.sends_launch_events", "false"}},
		Fix:    "keep sessionSendsLaunchEvents true if the response matters before the user's next launch, and recreate the session at launch either way"},
	{ID: RuleCompletionHandlerProtocol, Title: "Store the completion handler, call it after the events",
		Explanation: "handleEventsForBackgroundURLSession hands the app a completion handler. The app stores it, recreates the session, processes the replayed events and, when urlSessionDidFinishEvents arrives, calls the handler on the main queue. That tells iOS the work is done, a new snapshot can be taken and the app can be suspended.",
		Sources:     []string{"HEBUS", "DFE", "DL-BG", "W13-705", "W14-707"}, Confidence: []Confidence{DOC}, Modelled: true,
		Fixed:  "the order of calls: handleEvents, the replayed events, urlSessionDidFinishEvents, then the handler call, after which the app is suspended.",
		Params: []RuleParam{{"app.handle_events.store_completion_handler", "the code keeps the handler"}, {"app.handle_events.call_completion_handler", "the code calls it from urlSessionDidFinishEvents"}}},
	{ID: RuleRelaunchTime, Title: "A woken app has about 30 to 60 seconds",
		Explanation: "An app launched or resumed in the background for session events gets a limited run time, quoted as around 30 to 60 seconds in 2014.",
		Sources:     []string{"W14-707", "W13-204"}, Confidence: []Confidence{ENG, UNC}, Modelled: true,
		Fixed:  "when the allowance is over the app is suspended, or terminated if it has not called the completion handler.",
		Params: []RuleParam{{"params.relaunch_allowance", "run time of a woken app (default 30s, the low end of the 30 to 60 s quoted)"}}},
	{ID: RuleNoCompletionCallPenalty, Title: "Never calling the handler gets the app terminated",
		Explanation: "If the stored completion handler is not called before the allowance runs out, the app is terminated rather than suspended: its snapshot is stale, its next launch is cold, and the device stays awake longer.",
		Sources:     []string{"W14-707", "W18-228", "CARROLL-2010"}, Confidence: []Confidence{ENG}, Modelled: true,
		Fixed:  "termination when the allowance runs out, and a cold next launch; the app's awake time until then costs CPU energy at params.wake_cpu_watts, reported apart from the radios.",
		Params: []RuleParam{{"app.handle_events.call_completion_handler", "false"}, {"params.relaunch_allowance", "when the termination comes (default 30s)"}, {"params.wake_cpu_watts", "the power of the app's awake time in background wakes (default 0.2 W, an assumption from Carroll and Heiser 2010, not an iPhone)"}},
		Fix:    "store the completion handler handleEventsForBackgroundURLSession passes, and call it on the main queue in urlSessionDidFinishEvents(forBackgroundURLSession:)"},
	{ID: RuleAuthWake, Title: "Authentication challenges wake the app",
		Explanation: "A challenge on a background task needs the app's delegate, so the app is woken or launched (when launch events are on; bgsim sends it through the same wake decision as events, without waiting for the session's other tasks, and counts it as a background wake that lengthens the delay of later background tasks, both assumptions); an unanswered challenge times out and fails the task (-1001 after timeoutIntervalForRequest). A credential in the session's credential storage is proxied to the daemon, which answers without waking the app.",
		Sources:     []string{"SSLE", "HEBUS", "W14-707", "RE-CFN"}, Confidence: []Confidence{DOC, ENG}, Modelled: true,
		Fixed: "the challenge comes as a 401 after the body; a challenge wakes the app once, through the wake decision, without waiting for the session's other tasks; the answered request goes again with the credential and the body over a new connection; an unanswered one fails with -1001 after timeoutIntervalForRequest, not retried; code that does not answer never calls the handler, rather than going on without a credential (assumptions)",
		Params: []RuleParam{{"server.auth_challenge", "the server challenges every request without a credential"},
			{"app.sessions.*.auth", "none (default), delegate (the app must run to answer), credential-storage (the daemon answers, no wake)"},
			{"app.sessions.*.sends_launch_events", "false: no wake for the challenge"}, {"app.sessions.*.request_timeout", "how long an unanswered challenge waits"}},
		Fix: "answer the challenge in urlSession(_:task:didReceive:completionHandler:) and keep launch events on, or put the credential in the session's URLCredentialStorage so the daemon answers without the app"},
	{ID: RuleDownloadFileLifetime, Title: "A downloaded file is deleted when the delegate returns",
		Explanation: "The temporary file handed to didFinishDownloadingTo is removed as soon as the method returns; move it synchronously.",
		Sources:     []string{"W13-705"}, Confidence: []Confidence{ENG}},
	// 5. Scheduling.
	{ID: RuleDiscretionaryFlag, Title: "Discretionary tasks run when the system chooses",
		Explanation: "With isDiscretionary the system picks when to run the transfers, typically on Wi-Fi and external power.",
		Sources:     []string{"DISC", "W13-705", "W13-204", "W14-707"}, Confidence: []Confidence{DOC, ENG}, Modelled: true,
		Fixed:  "a discretionary task starts only when the conditions params.discretionary_requires names hold, until they lift.",
		Params: []RuleParam{{"app.sessions.*.discretionary", "isDiscretionary"}, {"power.charging", "external power at the start"}, {"timeline: plug-in", "the device is plugged in"}, {"timeline: unplug", "the device is unplugged"}, {"params.discretionary_requires", "wifi-and-power (default, Apple's \"typically\"); wifi and none are assumptions"}, {"params.discretionary_relax_after", "when the conditions lift (default 0.9)"}},
		Fix:    "leave isDiscretionary off for work the user is waiting for; create such tasks while the app is in the foreground"},
	{ID: RuleBGCreatedIsDiscretionary, Title: "Tasks created in the background are discretionary",
		Explanation: "A task created while the app is in the background is treated as discretionary whatever isDiscretionary says, because no user is waiting. Since iOS 8 it stops being discretionary if the user brings the app to the foreground before it runs.",
		Sources:     []string{"DISC", "LEGACY", "W13-705", "W14-707"}, Confidence: []Confidence{DOC, ENG}, Modelled: true,
		Fixed: "every task created while the app is not in the foreground is discretionary, and stops being so if the user brings the app to the foreground before it starts (the iOS 8 change, applied on every iOS version).",
		Fix:   "create the tasks while the app is in the foreground, where they are not discretionary"},
	{ID: RuleDiscretionaryRelaxation, Title: "Discretionary limits relax near the resource timeout",
		Explanation: "Since iOS 8 a waiting discretionary task becomes more urgent as it nears timeoutIntervalForResource; no curve is published.",
		Sources:     []string{"W14-707"}, Confidence: []Confidence{ENG, UNC}, Modelled: true,
		Fixed:  "at that fraction the conditions lift at once: a step, not a curve; from iOS 8 (on iOS 7 they never lift).",
		Params: []RuleParam{{"params.discretionary_relax_after", "fraction of the resource timeout (default 0.9, an assumption)"}}},
	{ID: RuleRateLimiter, Title: "Each background wake delays the next background-created task",
		Explanation: "nsurlsessiond keeps a per-app delay. Every background resume or relaunch for session events raises it (observed 60 s, then 120 s, 240 s: doubling), and tasks the app creates while in the background wait that long before they start. The delay resets when the user brings the app to the foreground, and when a full delay period passes without a wake. The numbers come from one iOS 12.4 measurement; no cap was seen.",
		Sources:     []string{"RATE", "DL-BG", "RATE-OBS", "W14-707"}, Confidence: []Confidence{DOC, ENG, OBS}, Modelled: true,
		Fixed:  "every background resume or relaunch for session events raises the delay; tasks created in the background wait it out; it resets when the user brings the app to the foreground, and when params.rate_limiter.reset_after delays have passed since it was set with no other wake.",
		Params: []RuleParam{{"params.rate_limiter.first", "the first delay (default 60s, observed)"}, {"params.rate_limiter.factor", "the multiplier at each later wake (default 2, observed)"}, {"params.rate_limiter.cap", "the largest delay (default 0: none seen)"}, {"params.rate_limiter.reset_after", "delays after it was set before it resets (default 2: a full period after it ran out; when the period counts from is an assumption)"}},
		Fix:    "enqueue all the work at once, in one session, rather than one task per background wake; or make fewer, larger uploads"},
	{ID: RuleOneTaskAtATimeAntipattern, Title: "Uploading one task per wake collapses throughput",
		Explanation: "An app that starts the next transfer only when the previous one wakes it makes every step discretionary and rate-limited. Enqueue everything at once, or make fewer, larger transfers.",
		Sources:     []string{"RATE", "W14-707", "DL-BG"}, Confidence: []Confidence{ENG, DOC}, Modelled: true,
		Fixed:  "follows from the rate limiter and from background-created tasks being discretionary; it has no parameter of its own.",
		Params: []RuleParam{{"app.uploads.*.chain", "the code starts the upload again when its response arrives"}}},
	{ID: RuleEarliestBeginDate, Title: "earliestBeginDate delays eligibility",
		Explanation: "A background task with earliestBeginDate is not eligible before that date; the resource timeout still counts from resume().",
		Sources:     []string{"W17-709", "EBD"}, Confidence: []Confidence{DOC, ENG}, Modelled: true,
		Fixed:  "the task is not eligible before the date; the resource timeout counts from resume(). From iOS 11, where the API exists.",
		Params: []RuleParam{{"app.uploads.*.begin_after", "earliestBeginDate, after creation"}},
		Fix:    "set an earlier earliestBeginDate, or none, if the upload is needed sooner"},
	{ID: RuleWorkloadHints, Title: "Expected byte counts are scheduling hints",
		Explanation: "countOfBytesClientExpectsToSend and ToReceive only inform scheduling.",
		Sources:     []string{"W17-709", "W19-707", "W17-238"}, Confidence: []Confidence{ENG}},
	{ID: RuleSystemFactors, Title: "The seven factors of background execution",
		Explanation: "Battery, Low Power Mode, app usage, the app switcher, the Background App Refresh switch, budgets and rate limiting shape background work; how each applies to URL sessions is known only secondhand.",
		Sources:     []string{"W20-10063"}, Confidence: []Confidence{UNC}},
	// 6. Network.
	{ID: RuleBGAlwaysWaitsForConnectivity, Title: "Background tasks wait for a network",
		Explanation: "Background sessions always wait for a usable path instead of failing; the wait counts against the resource timeout.",
		Sources:     []string{"WFC", "W17-709", "W14-707"}, Confidence: []Confidence{DOC}, Modelled: true,
		Fixed:  "the task waits for a usable path and never fails for the lack of one; the wait counts against the resource timeout.",
		Params: []RuleParam{{"timeline: outage", "every path cut for a while"}, {"timeline: wifi-off", "Wi-Fi goes away"}, {"timeline: cellular-off", "cellular goes away"}},
		Fix:    "nothing: the task waits for a network and goes when one appears; it fails only at the resource timeout"},
	{ID: RuleNetworkLossMidtransfer, Title: "A lost connection is retried silently",
		Explanation: "When the path drops mid-transfer, background sessions retry by themselves and the app is not told; uploads before iOS 17 start again from byte zero.",
		Sources:     []string{"W14-707", "W17-238", "RESUME-DL"}, Confidence: []Confidence{ENG, DOC}, Modelled: true,
		Fixed:  "the daemon retries silently; the upload restarts from byte zero unless R-RESUMABLE-UPLOAD-17 applies.",
		Params: []RuleParam{{"timeline: outage", "every path cut for a while"}, {"server.resumable", "iOS 17 and later resume instead of restarting"}}},
	{ID: RuleTimeoutRetry, Title: "Request timeouts are retried",
		Explanation: "When timeoutIntervalForRequest expires on a background task, the task is retried, not failed.",
		Sources:     []string{"TO-REQ"}, Confidence: []Confidence{DOC}, Modelled: true,
		Fixed:  "a request timeout retries the task; it never fails it.",
		Params: []RuleParam{{"app.sessions.*.request_timeout", "timeoutIntervalForRequest (default 60s)"}}},
	{ID: RuleResourceTimeout, Title: "The resource timeout fails the task",
		Explanation: "A task not finished within timeoutIntervalForResource of resume() (default 7 days, waiting included) fails, normally with NSURLErrorTimedOut (-1001).",
		Sources:     []string{"TO-RES", "W14-707", "W17-709"}, Confidence: []Confidence{DOC, UNC}, Modelled: true,
		Fixed:  "the task fails with -1001 (NSURLErrorTimedOut), always, although the sources say \"normally\"; not a parameter.",
		Params: []RuleParam{{"app.sessions.*.resource_timeout", "timeoutIntervalForResource (default 7d)"}},
		Fix:    "give timeoutIntervalForResource room for the waits the task may meet (connectivity, discretionary conditions, earliestBeginDate), or retry from the delegate"},
	{ID: RuleResumableUpload17, Title: "iOS 17 resumes uploads to servers that support it",
		Explanation: "From iOS 17, an upload to a server implementing the resumable-uploads draft continues from what the server acknowledged after a short network loss; after a longer outage the task fails with NSURLSessionUploadTaskResumeData, and the app may resume it once with uploadTask(withResumeData:) (resume data is single-use); cancel(byProducingResumeData:) pauses an upload. Otherwise an upload restarts from zero.",
		Sources:     []string{"RESUME-UL", "W23-10006"}, Confidence: []Confidence{DOC, ENG}, Modelled: true,
		Fixed: "the retry continues from the byte the server acknowledged: what left the device at least one one-way delay (half the RTT) before the path went, at the body's share of the uplink (an assumption). With no path the task may use for params.resumable_wait after a loss, the task fails with -1005 (the code is an assumption) and resume data. Resume data is single-use: a second use fails at once with -1 (an assumption).",
		Params: []RuleParam{{"device.ios", "17 or later"}, {"server.resumable", "the server implements the draft"},
			{"params.resumable_wait", "how long a longer outage is (default 5m, an assumption)"},
			{"app.uploads.*.on_failure", "resume: didCompleteWithError retries from the resume data once"},
			{"timeline: resume", "the code calls uploadTask(withResumeData:)"},
			{"timeline: cancel", "resume_data: true calls cancel(byProducingResumeData:)"}},
		Fix: "on iOS 17+, keep the resume data from didCompleteWithError's userInfo and call uploadTask(withResumeData:) once (on_failure: resume)"},
	{ID: RuleCellularDisallowed, Title: "No cellular: the task waits for Wi-Fi",
		Explanation: "With allowsCellularAccess false and only cellular available, a background task waits.",
		Sources:     []string{"WFC"}, Confidence: []Confidence{DOC, UNC}, Modelled: true,
		Fixed:  "the task waits for Wi-Fi; it never fails for it.",
		Params: []RuleParam{{"app.sessions.*.allows_cellular_access", "on the session"}, {"app.uploads.*.allows_cellular_access", "on the request"}},
		Fix:    "allow cellular access (on the session or the request) if the upload should not wait for Wi-Fi"},
	{ID: RuleExpensiveConstrained, Title: "Expensive or constrained paths make the task wait",
		Explanation: "With allowsExpensiveNetworkAccess or allowsConstrainedNetworkAccess false, a background task waits for a path that is allowed (bgsim's reading: background sessions always wait).",
		Sources:     []string{"WFC", "EXP-CON"}, Confidence: []Confidence{DOC, UNC}, Modelled: true,
		Fixed:  "the task waits for an allowed path rather than failing: bgsim's reading, not a parameter. From iOS 13, where the API exists.",
		Params: []RuleParam{{"app.sessions.*.allows_expensive_network_access", "on the session (also on the request)"}, {"app.sessions.*.allows_constrained_network_access", "on the session (also on the request)"}, {"network.*.expensive", "the path is expensive"}, {"network.*.low_data_mode", "the path is constrained"}},
		Fix:    "allow expensive or constrained paths (on the session or the request) if the upload should not wait for a cheaper one"},
	// 7. Power.
	{ID: RuleLowPowerMode, Title: "Low Power Mode pauses discretionary transfers",
		Explanation: "Low Power Mode pauses discretionary background networking; non-discretionary transfers probably go on.",
		Sources:     []string{"EEG", "LPM", "W20-10063"}, Confidence: []Confidence{DOC, UNC}, Modelled: true,
		Fixed:  "discretionary transfers are paused while it is on; non-discretionary ones go on (the sources say \"probably\"; not a parameter). From iOS 9.",
		Params: []RuleParam{{"power.low_power_mode", "on at the start"}, {"timeline: low-power-on", "it is switched on"}, {"timeline: low-power-off", "it is switched off"}},
		Fix:    "nothing while Low Power Mode is on: it pauses discretionary work; leave isDiscretionary off for urgent uploads"},
	{ID: RuleCriticalBattery, Title: "A critically low battery holds discretionary work",
		Explanation: "At about 20% and not charging only essential work runs.",
		Sources:     []string{"W14-707", "W20-10063"}, Confidence: []Confidence{ENG, UNC}, Modelled: true,
		Fixed:  "discretionary work is held at or below the threshold while not charging; other work goes on.",
		Params: []RuleParam{{"power.battery", "the battery level (default 80)"}, {"params.critical_battery", "the threshold (default 20, secondhand)"}, {"power.charging", "external power"}},
		Fix:    "nothing until the device charges: discretionary work waits; leave isDiscretionary off for urgent uploads"},
	{ID: RuleSystemBudgets, Title: "Energy and data budgets",
		Explanation: "Per-app budgets refill over the day; spending them lowers how often the app gets background time.",
		Sources:     []string{"W20-10063"}, Confidence: []Confidence{UNC}},
	// 8. Device.
	{ID: RuleSurvivesReboot, Title: "Transfers survive a reboot",
		Explanation: "Enqueued transfers continue after a reboot, once the device has been unlocked for the first time.",
		Sources:     []string{"W13-204", "RE-CFN"}, Confidence: []Confidence{ENG, RE}},
	{ID: RuleCorruptSessionState, Title: "Corrupt daemon state can hang session creation",
		Explanation: "Rarely, stored state for an identifier is corrupt and creating the session hangs.",
		Sources:     []string{}, Confidence: []Confidence{OBS}},
	// 9. Delivery.
	{ID: RuleUploadResponseDelivery, Title: "The daemon keeps the response until the app reconnects",
		Explanation: "A background upload's response (status and body) is kept by the daemon and delivered to the session delegate when the app is connected: didReceive response, the data, then didCompleteWithError(nil). A 4xx or 5xx is a response, not a transport error: the app must check the status.",
		Sources:     []string{"RE-CFN", "W13-705"}, Confidence: []Confidence{RE, ENG}, Modelled: true,
		Fixed:  "the daemon keeps the response until a process has the session, then delivers it; a 4xx or 5xx is delivered like a 2xx.",
		Params: []RuleParam{{"server.status", "the status of every response (default 200)"}, {"server.response_size", "the body's size"}},
		Fix:    "nothing: the response was on its way to the app when the run ended"},
	{ID: RuleTaskStateAfterCancel, Title: "Cancelled tasks complete with -999",
		Explanation: "A cancelled task completes with NSURLErrorCancelled; the reason key is present only for system cancellations.",
		Sources:     []string{"CANCEL"}, Confidence: []Confidence{OBS, DOC}, Modelled: true,
		Fixed: "the app's own cancel completes the task with -999 and no cancel reason, delivered to the session delegate through the daemon like any outcome.",
		Params: []RuleParam{{"timeline: cancel", "cancel(), or cancel(byProducingResumeData:) with resume_data: true"},
			{"timeline: invalidate", "cancel_tasks: true: invalidateAndCancel() cancels every open task"}}},
	{ID: RuleProgressWhileSuspended, Title: "No progress callbacks while suspended",
		Explanation: "A suspended or terminated app gets no progress; the recreated task objects carry the current byte counts.",
		Sources:     []string{"RE-CFN", "W13-705"}, Confidence: []Confidence{RE, ENG}},
	// bgsim's own entry: not in ios-rules.md, because it concerns the
	// in-process sessions the article's first attempt used.
	{ID: RuleInProcessTransfer, Title: "Shared-session tasks live and die with the app",
		Explanation: "A task on URLSession.shared or a default session runs inside the app's process. It progresses only while the app runs: suspension cuts it, and it fails with NSURLErrorNetworkConnectionLost (-1005) when the app is resumed; if the app is terminated it vanishes and the new process knows nothing of it. Only a background session survives the app.",
		Sources:     []string{"DL-BG", "ARTICLE"}, Confidence: []Confidence{DOC, OBS}, Modelled: true,
		Fixed:  "the task progresses only while the app runs; suspension cuts it and it fails when the app is resumed; termination loses it; with no path it fails with -1009. These details are bgsim's reading, not documented.",
		Params: []RuleParam{{"app.sessions.*.kind", "shared: an in-process session"}, {"params.in_process_cut_code", "the error on resume after a cut (default -1005, an assumption: no source gives the code)"}},
		Fix:    "use a background session (URLSessionConfiguration.background(withIdentifier:)) with an upload task from a file, which outlives the app's process"},
}

// LookupRule returns the rule with the given id (case-insensitive).
func LookupRule(id string) (Rule, bool) {
	for _, r := range Catalog {
		if strings.EqualFold(string(r.ID), id) {
			return r, true
		}
	}
	return Rule{}, false
}
