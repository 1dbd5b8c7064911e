// Package sim is bgsim's discrete-event kernel: a virtual clock, a set of
// pending events, cancellable timers, named random streams and a trace with
// a fingerprint. It knows nothing about iOS; the model package builds the
// app, the daemon, the network and the server on top of it.
//
// # Time
//
// Virtual time (Time) is an integer count of nanoseconds since the start of
// the run. Nothing in a simulation reads the wall clock.
//
// # Events
//
// A Sim[M] carries messages of type M. At and After schedule a message and
// return a Handle; Cancel and Move act on the handle, and a handle whose
// event has fired or been cancelled is simply stale. Run hands each message,
// in order of (time, sequence number), to one handler function, which
// dispatches it and schedules whatever follows:
//
//	s := sim.New[string](sim.Config{Seed: 1, MaxEvents: 1000})
//	s.After(2*sim.Second, "ring")
//	err := s.Run(func(m string) { fmt.Println(s.Now(), m) })
//
// Events at the same instant fire in the order they were scheduled. Events
// scheduled for the current instant go to a FIFO beside the heap, so the
// zero-delay hand-offs that models use all the time cost O(1).
//
// # Limits
//
// Config.Horizon stops a run at a virtual instant; Config.MaxEvents bounds
// the number of events, so that a model caught in a loop ends with a
// *BudgetError naming the budget and the time reached, never a hang.
//
// # Determinism
//
// One goroutine runs one simulation. Randomness comes only from streams
// derived from the root seed and a name (Sim.Rand). Models record what they
// do in the trace (Sim.Record); the trace's Fingerprint hashes its semantic
// fields, so the same configuration and seed give the same fingerprint, and
// a test can check that they do.
package sim
