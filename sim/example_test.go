package sim_test

import (
	"errors"
	"fmt"

	"github.com/bgsim/bgsim/sim"
)

// A message names what should happen; the handler given to Run decides what
// it means and schedules what follows.
func Example() {
	s := sim.New[string](sim.Config{Seed: 1, MaxEvents: 100})
	s.After(2*sim.Second, "upload done")
	s.After(0, "upload started")
	err := s.Run(func(m string) {
		fmt.Printf("%v %s\n", s.Now(), m)
		if m == "upload done" {
			s.After(150*sim.Millisecond, "response received")
		}
	})
	fmt.Println("error:", err)
	// Output:
	// 0s upload started
	// 2s upload done
	// 2.15s response received
	// error: <nil>
}

// A timer is an event whose handle is kept: cancel it when what it guards
// happens first, or move it when the deadline changes.
func ExampleSim_Cancel() {
	s := sim.New[string](sim.Config{})
	timeout := s.After(60*sim.Second, "request timed out")
	s.After(3*sim.Second, "response arrived")
	s.Run(func(m string) {
		fmt.Printf("%v %s\n", s.Now(), m)
		if m == "response arrived" {
			fmt.Println("cancelled timeout:", s.Cancel(timeout))
		}
	})
	// Output:
	// 3s response arrived
	// cancelled timeout: true
}

func ExampleSim_Move() {
	s := sim.New[string](sim.Config{})
	idle := s.After(10*sim.Second, "radio idle")
	s.After(4*sim.Second, "packet")
	s.Run(func(m string) {
		fmt.Printf("%v %s\n", s.Now(), m)
		if m == "packet" {
			// Every packet restarts the radio's tail timer.
			s.Move(idle, s.Now()+10*sim.Second)
		}
	})
	// Output:
	// 4s packet
	// 14s radio idle
}

// A budget turns a model that loops forever into an error.
func ExampleBudgetError() {
	s := sim.New[int](sim.Config{MaxEvents: 1000})
	s.After(0, 0)
	err := s.Run(func(n int) { s.After(sim.Second, n+1) })
	var be *sim.BudgetError
	fmt.Println(errors.As(err, &be), err)
	// Output:
	// true sim: event budget of 1000 events exhausted at virtual time 16m39s
}

// Named streams from one root seed: each actor draws from its own, so the
// network's draws never shift the server's.
func ExampleSim_Rand() {
	a := sim.New[int](sim.Config{Seed: 42})
	b := sim.New[int](sim.Config{Seed: 42})
	b.Rand("network").Float64() // an extra draw elsewhere
	fmt.Println(a.Rand("server").IntN(1000) == b.Rand("server").IntN(1000))
	// Output:
	// true
}

// Models record what they do; the fingerprint identifies the run.
func ExampleTrace_Fingerprint() {
	run := func(note string) sim.Fingerprint {
		s := sim.New[int](sim.Config{KeepTrace: true})
		s.After(sim.Second, 1)
		s.Run(func(int) {
			s.Record(sim.Record{Actor: "server", Kind: "upload.received",
				Attrs: []sim.Attr{sim.Int("bytes", 5_000_000)}, Note: note})
		})
		r := s.Trace().Records()[0]
		fmt.Println(r.At, r.Actor, r.Kind, r.Attrs[0].Key, r.Attrs[0].Value())
		return s.Trace().Fingerprint()
	}
	// Notes are for people and do not change the fingerprint.
	fmt.Println(run("got it") == run("received the file"))
	// Output:
	// 1s server upload.received bytes 5000000
	// 1s server upload.received bytes 5000000
	// true
}
