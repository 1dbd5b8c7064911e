// Package model is the world bgsim simulates: the app, nsurlsessiond (the
// daemon), the network and the server, each a state machine in its own
// file. They send each other messages (msg, with named fields) through the
// sim kernel with explicit latencies, and the world's dispatch routes each
// to its receiver. Not everything goes through messages yet: the actors
// still hold the world, write the ledger directly and read the Config (see
// ../docs/design.md for what is and is not built of issue 11).
//
// Every message meant for the app's process carries the incarnation (pid)
// it was meant for, and the app drops one for an earlier process at its
// entry, recording a dropped wake (message.stale).
//
// Run takes a Config (the device, the app's code as data, the timeline of
// what the user and the system do) and returns a Result: the ledger of
// uploads, each with exactly one Fate and the rule that decided it, the
// crashes, terminations and launches, and the trace.
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
//     force quit, timeouts.
//   - network.go: the Wi-Fi and cellular interfaces with their bandwidth,
//     round-trip time, cost flags and availability over time (outages),
//     and each transfer attempt by attempt: connect, body, response, cut.
//   - radio.go: each interface's power state machine (promotion, active,
//     tail phases, idle) with a profile from profiles.go; energy is
//     integrated exactly from the intervals between state changes. The
//     radio is a part of the network, not an actor: the network acquires
//     and releases it by direct calls; only its timers come back as
//     messages.
//   - policy.go: pure policies with table tests (the resume rate limiter).
//   - server.go: receives uploads and answers them.
//   - workload.go: the app's code for many small items, sent one by one,
//     in batches or as one discretionary task, for the energy comparison.
//
// ledger.go keeps the fates and checks that they are conserved: a run whose
// ledger does not add up returns an error, because that is a bug in the
// model, never an outcome. record.go reduces a Result to the few numbers
// a sweep keeps of each run (RunRecord).
package model
