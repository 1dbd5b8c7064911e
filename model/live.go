package model

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/bgsim/bgsim/sim"
)

// A Live is a run under way: the world as a value that can be brought to
// an instant, forked, given an extra timeline step, and finished. bgsim
// explore branches from a snapshot of the world at each moment at which it
// injects a fault, instead of replaying the run from time zero to reach
// it. A fork injected at instant m with step a finishes exactly as a run
// of the config with a inserted in its timeline (after the steps at or
// before m, as explore.WithFaults does) would: the same fates, rules,
// times, events and fingerprint (TestForkIsReplay).
type Live struct {
	run Runner
	err error
}

// MaxInjected is the most steps Inject can add to one run, forks of forks
// included.
const MaxInjected = 8

// ErrNotForkable is returned by Inject when a step injected now would not
// run as it would in a replay of the run with the step in its timeline:
// an event at the instant has already fired, or a step that comes after
// it in the timeline (a trigger's) has already run.
var ErrNotForkable = errors.New("model: the step cannot be injected here as a replay would run it")

// Start sets cfg up for a run at time zero, as Run would, and returns it
// before any event fires.
func Start(cfg Config) (*Live, error) {
	l := &Live{}
	_, err := guard(&cfg, func() (*Result, error) { return nil, l.run.start(cfg) }, func() {})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// Config is the run's configuration (with a workload's upload added, and
// the injected steps in its timeline).
func (l *Live) Config() *Config { return &l.run.cfg }

// Now is the time of the last event fired.
func (l *Live) Now() sim.Time { return l.run.s.Now() }

// Next returns the time of the next pending event, and false if there is
// none.
func (l *Live) Next() (sim.Time, bool) { return l.run.s.Next() }

// Done reports whether the run is over: stopped, or nothing is pending
// at or before its horizon.
func (l *Live) Done() bool {
	if l.err != nil || l.run.s.Stopped() && l.run.w.ledger.err != nil {
		return true
	}
	t, ok := l.run.s.Next()
	return !ok || l.run.cfg.Horizon > 0 && t > l.run.cfg.Horizon
}

// RunUntil fires every event strictly before t.
func (l *Live) RunUntil(t sim.Time) error {
	return l.do(func() error { return l.run.s.RunUntil(t, l.run.w.dispatch) })
}

// RecordMoments makes the run collect, from now on, the distinct instants
// at which events happen (see Runner.RunMoments); Moments returns them.
func (l *Live) RecordMoments() {
	l.run.moments = l.run.moments[:0]
	l.run.w.moments = &l.run.moments
}

// Moments returns the instants collected since RecordMoments.
func (l *Live) Moments() []sim.Time { return l.run.moments }

func (l *Live) do(f func() error) error {
	if l.err != nil {
		return l.err
	}
	_, err := guard(&l.run.cfg, func() (*Result, error) { return nil, f() }, func() {})
	if err == nil && l.run.w.ledger.err != nil {
		err = l.run.w.ledger.err
	}
	if err != nil {
		var ie *InternalError
		if !errors.As(err, &ie) && !errors.Is(err, l.run.w.ledger.err) {
			err = fmt.Errorf("model: %s: %w", runName(&l.run.cfg), err)
		}
		l.err = err
	}
	return err
}

// Inject adds step a to the timeline at instant a.At, where
// explore.WithFaults would insert it (after the steps at or before that
// instant), and returns its index. The run must have fired every event
// before a.At and none at or after it (RunUntil(a.At)). The step fires
// after the timeline's steps at that instant and before every event the
// run scheduled, as it would have, had it been in the timeline from the
// start; the steps after it are renumbered. a must not have a trigger.
func (l *Live) Inject(a Action) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	w := &l.run.w
	s := l.run.s
	if a.When.Set() {
		return 0, errors.New("model: Inject takes a step without a trigger")
	}
	if w.injected == MaxInjected {
		return 0, fmt.Errorf("model: more than %d injected steps", MaxInjected)
	}
	if s.Now() > a.At || s.Now() == a.At && s.Fired() > 0 {
		return 0, ErrNotForkable
	}
	if t, ok := s.Next(); ok && t < a.At {
		return 0, ErrNotForkable
	}
	tl := l.run.cfg.Timeline
	idx := len(tl)
	for i, b := range tl {
		if b.At > a.At {
			idx = i
			break
		}
	}
	for i := idx; i < len(tl); i++ {
		// A later step at the same instant or earlier would fire after
		// the injected one in a replay, and before it here.
		if !tl[i].When.Set() && tl[i].At <= a.At {
			return 0, ErrNotForkable
		}
	}
	for i := range w.trigs {
		if t := &w.trigs[i]; int(t.step) >= idx && (t.fired || t.ran) {
			return 0, ErrNotForkable
		}
	}
	ntl := make([]Action, 0, len(tl)+1)
	ntl = append(append(append(ntl, tl[:idx]...), a), tl[idx:]...)
	l.run.cfg.Timeline = ntl
	n := int32(idx)
	s.Rewrite(func(m *msg) {
		switch m.kind {
		case appAction, netAction, daemonAction, worldCheck:
			if m.step >= n {
				m.step++
			}
		}
	})
	for i := range w.trigs {
		if w.trigs[i].step >= n {
			w.trigs[i].step++
		}
	}
	for i := range w.ignored {
		if w.ignored[i] >= idx {
			w.ignored[i]++
		}
	}
	to := a.Do.owner()
	s.AtSeq(a.At, w.gap+uint64(w.injected), msg{to: to, kind: timelineKind[to], up: -1, step: n})
	w.injected++
	return idx, nil
}

// RunThrough runs until timeline step i has run (or the run is over) and
// reports whether the model ignored it (Result.Ignored): the world after
// it is then the world before it.
func (l *Live) RunThrough(i int) (ignored bool, err error) {
	w := &l.run.w
	w.watch = int32(i) + 1
	err = l.do(func() error { return l.run.s.Run(w.dispatch) })
	w.watch = 0
	return slices.Contains(w.ignored, i), err
}

// Finish runs to the end and returns the Result, as Run would.
func (l *Live) Finish() (*Result, error) {
	if err := l.do(func() error { return l.run.s.Run(l.run.w.dispatch) }); err != nil {
		return nil, err
	}
	w := &l.run.w
	res, err := guard(&l.run.cfg, w.result, func() {})
	if err != nil {
		l.err = err
	}
	return res, err
}

// Fork returns a deep copy of l: running, injecting into or finishing one
// changes nothing in the other. The configuration's data (uploads,
// sessions, parameters) is shared, being read only; the timeline is
// replaced, never changed, by Inject.
func (l *Live) Fork() *Live {
	f := &Live{err: l.err}
	f.run.cfg = l.run.cfg
	f.run.s = l.run.s.Clone()
	f.run.record = l.run.record
	l.run.w.cloneInto(&f.run.w, &f.run.cfg, f.run.s)
	if l.run.w.moments != nil {
		f.run.moments = slices.Clone(l.run.moments)
		f.run.w.moments = &f.run.moments
	}
	return f
}

// cloneInto makes c a deep copy of w, with cfg and s as its configuration
// and kernel. TestForkSharesNothing checks that no field is forgotten.
func (w *world) cloneInto(c *world, cfg *Config, s *sim.Sim[msg]) {
	*c = *w
	c.cfg, c.s, c.moments = cfg, s, nil
	c.out = w.out.clone()
	for i := range w.timers {
		c.timers[i] = slices.Clone(w.timers[i])
	}
	c.crashes = slices.Clone(w.crashes)
	c.terminations = slices.Clone(w.terminations)
	c.trigs = slices.Clone(w.trigs)
	c.ignored = slices.Clone(w.ignored)
	c.ledger.uploads = slices.Clone(w.ledger.uploads)
	c.ledger.settled = slices.Clone(w.ledger.settled)
	c.server.cfg = cfg
	c.server.receipts = slices.Clone(w.server.receipts)
	w.app.cloneInto(&c.app, cfg, &c.out)
	w.daemon.cloneInto(&c.daemon, cfg, &c.out)
	w.net.cloneInto(&c.net, cfg, &c.out)
}

func (e *effects) clone() effects {
	c := *e
	c.ops = slices.Clone(e.ops)
	c.sends = slices.Clone(e.sends)
	c.timers = slices.Clone(e.timers)
	c.recs = slices.Clone(e.recs)
	c.attrs = slices.Clone(e.attrs)
	c.facts = slices.Clone(e.facts)
	c.rules = slices.Clone(e.rules)
	return c
}

func (a *app) cloneInto(c *app, cfg *Config, out *effects) {
	*c = *a
	c.cfg, c.out = cfg, out
	c.sessions = make([]*sessionObj, len(a.sessions))
	for i, s := range a.sessions {
		if s != nil {
			x := *s
			c.sessions[i] = &x
		}
	}
	c.inProcess = slices.Clone(a.inProcess)
	c.handlers = slices.Clone(a.handlers)
	c.ups = slices.Clone(a.ups)
	c.wl.itemAt = slices.Clone(a.wl.itemAt)
	c.wl.itemUp = slices.Clone(a.wl.itemUp)
	c.wl.batch = slices.Clone(a.wl.batch)
	c.wakes = slices.Clone(a.wakes)
	c.recreated = slices.Clone(a.recreated)
}

func (d *daemon) cloneInto(c *daemon, cfg *Config, out *effects) {
	*c = *d
	c.cfg, c.out = cfg, out
	if d.rngSrc != nil {
		src := *d.rngSrc
		c.rngSrc = &src
		c.rng = rand.New(c.rngSrc)
	}
	sessions := make(map[*bgSession]*bgSession, len(d.sessions))
	tasks := make(map[*dtask]*dtask, len(d.tasks))
	var sess func(*bgSession) *bgSession
	task := func(t *dtask) *dtask {
		if t == nil {
			return nil
		}
		if x, ok := tasks[t]; ok {
			return x
		}
		x := new(dtask)
		tasks[t] = x
		*x = *t
		x.sess = sess(t.sess)
		return x
	}
	sess = func(s *bgSession) *bgSession {
		if s == nil {
			return nil
		}
		if x, ok := sessions[s]; ok {
			return x
		}
		x := new(bgSession)
		sessions[s] = x
		*x = *s
		x.tasks = make([]*dtask, len(s.tasks))
		for i, t := range s.tasks {
			x.tasks[i] = task(t)
		}
		x.held.back = slices.Clone(s.held.back)
		x.held.queue = slices.Clone(s.held.queue)
		return x
	}
	c.sessions = make([]*bgSession, len(d.sessions))
	for i, s := range d.sessions {
		c.sessions[i] = sess(s)
	}
	c.tasks = make([]*dtask, len(d.tasks))
	for i, t := range d.tasks {
		c.tasks[i] = task(t)
	}
	if d.heldIndex != nil {
		// Built at the end of a run only; copied as it is, each event
		// on its own.
		c.heldIndex = make([]*event, len(d.heldIndex))
		for i, e := range d.heldIndex {
			if e != nil {
				x := *e
				c.heldIndex[i] = &x
			}
		}
	}
	c.wakes = slices.Clone(d.wakes)
	c.resumeUsed = slices.Clone(d.resumeUsed)
	if d.invalidating != nil {
		c.invalidating = make(map[*bgSession]int32, len(d.invalidating))
		for s, v := range d.invalidating {
			c.invalidating[sess(s)] = v
		}
	}
}

func (n *network) cloneInto(c *network, cfg *Config, out *effects) {
	*c = *n
	c.cfg, c.out = cfg, out
	for i := range n.ifs {
		for d := range n.ifs[i].links {
			c.ifs[i].links[d].flows = slices.Clone(n.ifs[i].links[d].flows)
		}
	}
	for i := range n.radios {
		c.radios[i].out = out
		c.radios[i].intervals = slices.Clone(n.radios[i].intervals)
	}
	c.xfers = slices.Clone(n.xfers)
}
