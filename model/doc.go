// Package model is the world bgsim simulates: the app, nsurlsessiond (the
// daemon), the network and the server, each a state machine in its own
// file with one entry point, step(now, msg, *effects). A step appends what
// it wants done to the effects buffer (effects.go): messages to send after
// a latency, timers to set, cancel or move (named by timerID; the world
// keeps the kernel's handles), trace records, and facts for the ledger. No
// actor holds a pointer to another actor or to the world: the world's
// dispatch routes each message to its receiver and then drains the buffer
// in order, scheduling on the sim kernel, writing the trace and handing the
// facts to the ledger. TestActorsKnowNoOtherActor checks the first with
// go/types. Actors still keep the current step's now and buffer in fields,
// and read the Config (see ../docs/design.md for what is and is not built
// of issue 11).
//
// Every message meant for the app's process carries the incarnation (pid)
// it was meant for, and the app drops one for an earlier process at its
// entry, recording a dropped wake (message.stale).
//
// Run takes a Config (the device, the app's code as data, the timeline of
// what the user and the system do) and returns a Result: the ledger of
// uploads, each with exactly one Fate and the rule that decided it, the
// crashes, terminations and launches, the wake log, and the trace.
//
// Every decision that applies an iOS behaviour cites a rule of the Catalog
// (R-...), which says in bgsim's words what iOS does, where that is
// documented and how sure anyone is. Behaviour Apple does not pin down is
// in Params, with the defaults of DefaultParams.
//
// The actors:
//
//   - app.go: the process lifecycle (not running, foreground, background,
//     suspended) and the app's code: sessions, tasks, the delegate,
//     handleEventsForBackgroundURLSession and its completion handler.
//   - daemon.go: background sessions by identifier, their tasks, the events
//     held for the app, wake and relaunch decisions, the resume rate limiter,
//     force quit, timeouts, and the wake log: why it woke the app each time
//     (relaunch or resume, the events, the rate limiter's delay), recorded
//     when it decided, and what came of it, as it learnt it.
//   - network.go: the Wi-Fi and cellular interfaces with their bandwidth,
//     round-trip time, cost flags and availability over time (outages),
//     and each transfer attempt by attempt: connect, body, response, cut.
//     Transfers at the same time share an interface's rate in equal parts
//     (link.go: processor sharing, one timer per link).
//   - radio.go: each interface's power state machine (promotion, active,
//     tail phases, idle) with a profile from profiles.go; energy is
//     integrated exactly from the intervals between state changes. The
//     radio is a part of the network, not an actor: the network owns its
//     radios as values and calls them; their timers come back as messages
//     the world routes to the network.
//   - policy.go: pure policies with table tests: the resume rate limiter,
//     the start gate (earliestBeginDate, the rate limiter's hold, the
//     discretionary conditions), path selection and the wake decision.
//   - fates.go: every fate's rule and words. fateOf draws the fate of an
//     upload during the run from a fact of what the app's code learnt (an
//     event reached a session's delegate, an in-process response or error,
//     a cut, the process ended with the task inside, a crash at creation);
//     the app never rules, and the ledger applies what fateOf draws. The
//     end-of-run verdict of every upload still open is drawn by the world
//     in one place from recorded causes: what the daemon reports of the
//     task, the network's wait rule, what the app did on each wake, and
//     App.creates, the one query of the app's code ("would it ever create
//     identifier X, and on which path"), which handleEvents uses too.
//   - wakes.go: Result.Wakes, the daemon's wake log joined with what the
//     app reported doing on each wake (the identifiers its code created,
//     the completion handler stored and when it was called), kept with the
//     trace.
//   - server.go: receives uploads and answers them.
//   - workload.go: the app's code for many small items, sent one by one,
//     in batches or as one discretionary task, for the energy comparison.
//
// ledger.go keeps the upload records. It is an observer: it learns every
// change from a fact the world hands it, applies the fate fateOf draws from
// a fact of what the app learnt, and refuses an illegal transition when it
// comes, naming the upload, the fact and the time; and it checks at the
// end that the fates are conserved. Either failure returns an error,
// because it is a bug in the model, never an outcome. record.go reduces a
// Result to the few numbers a sweep keeps of each run (RunRecord).
package model
