package model

import (
	"testing"

	"github.com/bgsim/bgsim/sim"
)

// A step is testable alone: give an actor a message, look at what it asks
// for. Nothing else runs: no kernel, no world, no other actor.

func TestServerStepAlone(t *testing.T) {
	cfg := base()
	var s server
	s.init(&cfg, nil)
	var out effects
	s.step(3*sim.Second, msg{to: toServer, kind: serverReceive, up: 0, size: 5_000_000}, &out)
	if len(out.ops) != 3 || out.ops[0].kind != opFact || out.ops[1].kind != opRecord || out.ops[2].kind != opSend {
		t.Fatalf("ops %v, want a fact, a record, a send", out.ops)
	}
	if f := out.facts[0]; f.kind != factReceived || f.up != 0 {
		t.Errorf("fact %+v, want received for upload 0", f)
	}
	if r := out.recs[0]; r.kind != KindUploadReceived || out.attrs[r.lo] != upAttr(0) {
		t.Errorf("record %+v %v", r, out.attrs[r.lo:r.hi])
	}
	if snd := out.sends[0]; snd.at != cfg.Server.Latency || snd.m.to != toNetwork || snd.m.kind != netRespond || snd.m.status != 200 {
		t.Errorf("send %+v, want netRespond 200 after the server's latency", snd)
	}
	// A second receipt of the same body counts again.
	out.reset()
	s.step(4*sim.Second, msg{to: toServer, kind: serverReceive, up: 0, size: 5_000_000}, &out)
	r := out.recs[0]
	if a := out.attrs[r.hi-1]; a.Key != string(AttrReceipt) || a.Num != 2 {
		t.Errorf("receipt attribute %+v, want 2", a)
	}
}

// A wake meant for an earlier process is dropped at the app's entry and
// recorded; the app asks for nothing else.
func TestAppStepDropsStaleWake(t *testing.T) {
	cfg := base()
	var a app
	a.init(&cfg, nil, nil)
	var out effects
	a.step(0, msg{to: toApp, kind: appAction, step: 0, up: -1}, &out) // the user launches the app: pid 1
	out.reset()
	a.step(sim.Minute, msg{to: toApp, kind: appWake, pid: 0, id: "com.example.upload", up: -1}, &out)
	if len(out.ops) != 1 || out.ops[0].kind != opRecord || out.recs[0].kind != KindMessageStale {
		t.Fatalf("ops %v, records %+v: want only message.stale", out.ops, out.recs)
	}
	if a.state != foreground || len(a.wakes) != 0 {
		t.Errorf("state %v, wakes %v: the stale wake changed the app", a.state, a.wakes)
	}
}

// The daemon learns how a process came up for a wake from the process's
// state change (flagLaunched, flagResumed), never from the state it knew
// before: a change to the background without a flag answers no wake, and
// one with flagResumed is a resume whatever the daemon last heard.
func TestDaemonStepRecordsHowTheWokenProcessCameUp(t *testing.T) {
	cfg := base()
	var d daemon
	d.init(&cfg, nil)
	s := d.session("com.example.upload")
	s.wake = 0
	d.wakes = append(d.wakes, wakeEntry{at: sim.Second, id: s.id, cause: WakeRelaunch, pid: -1, upAt: sim.Never, endAt: sim.Never})
	var out effects
	d.step(2*sim.Second, msg{to: toDaemon, kind: daemonAppState, pid: 1, state: background, up: -1}, &out)
	if e := d.wakes[0]; e.state != wakeSent || e.came != "" {
		t.Fatalf("a move to the background without a flag answered the wake: %+v", e)
	}
	d.step(3*sim.Second, msg{to: toDaemon, kind: daemonAppState, pid: 2, state: background, flags: flagResumed, up: -1}, &out)
	if e := d.wakes[0]; e.state != wakeUp || e.came != WakeResume || e.pid != 2 || e.upAt != 3*sim.Second || e.cause != WakeRelaunch {
		t.Fatalf("want pid 2 up at 3s, resumed, for a wake decided as a relaunch: %+v", e)
	}
	d.step(4*sim.Second, msg{to: toDaemon, kind: daemonAppState, pid: 2, state: notRunning, exit: exitPurged, up: -1}, &out)
	if e := d.wakes[0]; e.state != wakeOver || e.end != wakeEndProcess || e.endAt != 4*sim.Second {
		t.Errorf("want the wake over at 4s, its process ended: %+v", e)
	}
}
