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
// instant), and returns its index. The run must have fired no event at
// or after a.At: a.At is its next instant (RunUntil(a.At)) or later (the
// step that ends a fault that lasts). The step fires
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
func (l *Live) Fork() *Live { return l.ForkInto(nil) }

// ForkInto is Fork into dst, reusing its memory: dst's own run, and the
// Result its Finish returned, are lost. A nil dst makes a new Live.
func (l *Live) ForkInto(dst *Live) *Live {
	if dst == nil {
		dst = &Live{}
	}
	f := dst
	s, moments := f.run.s, f.run.moments
	f.err = l.err
	f.run.cfg = l.run.cfg
	f.run.s = l.run.s.CloneInto(s)
	f.run.record = l.run.record
	l.run.w.cloneInto(&f.run.w, &f.run.cfg, f.run.s)
	f.run.moments = moments[:0]
	if l.run.w.moments != nil {
		f.run.moments = append(f.run.moments, l.run.moments...)
		f.run.w.moments = &f.run.moments
	}
	return f
}

// re is src copied into dst's memory; nil if src is, and empty but not
// nil if src is (a kept trace record's attributes are nil or not as the
// effects' buffer is).
func re[T any](dst, src []T) []T {
	if src == nil {
		return nil
	}
	if dst == nil {
		dst = make([]T, 0, len(src))
	}
	return append(dst[:0], src...)
}

// cloneInto makes c a deep copy of w, with cfg and s as its configuration
// and kernel, reusing c's memory. TestForkSharesNothing checks that no
// field is forgotten.
func (w *world) cloneInto(c *world, cfg *Config, s *sim.Sim[msg]) {
	old := *c
	*c = *w
	c.cfg, c.s, c.moments = cfg, s, nil
	c.out = w.out.cloneInto(&old.out)
	for i := range w.timers {
		c.timers[i] = re(old.timers[i], w.timers[i])
	}
	c.crashes = re(old.crashes, w.crashes)
	c.terminations = re(old.terminations, w.terminations)
	c.trigs = re(old.trigs, w.trigs)
	c.ignored = re(old.ignored, w.ignored)
	c.ledger.uploads = re(old.ledger.uploads, w.ledger.uploads)
	c.ledger.settled = re(old.ledger.settled, w.ledger.settled)
	c.server.cfg = cfg
	c.server.receipts = re(old.server.receipts, w.server.receipts)
	w.app.cloneInto(&c.app, &old.app, cfg, &c.out)
	w.daemon.cloneInto(&c.daemon, &old.daemon, cfg, &c.out)
	w.net.cloneInto(&c.net, &old.net, cfg, &c.out)
	// The slabs are the original Runner's (slab.go): the fork's sessions
	// and tasks are its own allocations.
	c.app.sessionSlab, c.daemon.sessionSlab, c.daemon.taskSlab = nil, nil, nil
}

func (e *effects) cloneInto(old *effects) effects {
	c := *e
	c.ops = re(old.ops, e.ops)
	c.sends = re(old.sends, e.sends)
	c.timers = re(old.timers, e.timers)
	c.recs = re(old.recs, e.recs)
	c.attrs = re(old.attrs, e.attrs)
	c.facts = re(old.facts, e.facts)
	c.rules = re(old.rules, e.rules)
	return c
}

func (a *app) cloneInto(c, old *app, cfg *Config, out *effects) {
	*c = *a
	c.cfg, c.out = cfg, out
	c.sessions = copySessionObjs(old.sessions, a.sessions)
	c.inProcess = re(old.inProcess, a.inProcess)
	c.handlers = re(old.handlers, a.handlers)
	c.ups = re(old.ups, a.ups)
	c.wl.itemAt = re(old.wl.itemAt, a.wl.itemAt)
	c.wl.itemUp = re(old.wl.itemUp, a.wl.itemUp)
	c.wl.batch = re(old.wl.batch, a.wl.batch)
	c.wakes = re(old.wakes, a.wakes)
	c.recreated = re(old.recreated, a.recreated)
	// The versions' code is the config's, read only: a shallow copy.
	c.versions = re(old.versions, a.versions)
	c.ext.sessions = copySessionObjs(old.ext.sessions, a.ext.sessions)
}

// copySessionObjs copies the session objects of src, each into a new
// one, in dst's memory; nil if src is.
func copySessionObjs(dst, src []*sessionObj) []*sessionObj {
	if src == nil {
		return nil
	}
	dst = dst[:0]
	for _, s := range src {
		var x *sessionObj
		if s != nil {
			x = new(sessionObj)
			*x = *s
		}
		dst = append(dst, x)
	}
	return dst
}

func (d *daemon) cloneInto(c, old *daemon, cfg *Config, out *effects) {
	*c = *d
	c.cfg, c.out = cfg, out
	if d.rngSrc != nil {
		src := *d.rngSrc
		c.rngSrc = &src
		c.rng = rand.New(c.rngSrc)
	}
	// The sessions and tasks, by index in d's lists: a task points to its
	// session, a session lists its tasks, and the daemon's table holds
	// the tasks again. A task or session in none of the lists (none so
	// far) is copied on its own.
	find := func(s *bgSession) int {
		for i, x := range d.sessions {
			if x == s {
				return i
			}
		}
		return -1
	}
	// The objects of the run c held before are reused: nothing else
	// refers to them.
	c.sessions = nil
	if d.sessions != nil {
		c.sessions = old.sessions[:0]
		for i, s := range d.sessions {
			var x *bgSession
			if s != nil {
				if i < len(old.sessions) && old.sessions[i] != nil {
					x = old.sessions[i]
				} else {
					x = new(bgSession)
				}
				tasks, back, queue := x.tasks, x.held.back, x.held.queue
				*x = *s
				x.tasks, x.held.back, x.held.queue = tasks, back, queue
			}
			c.sessions = append(c.sessions, x)
		}
	}
	sess := func(s *bgSession) *bgSession {
		if s == nil {
			return nil
		}
		if i := find(s); i >= 0 {
			return c.sessions[i]
		}
		x := new(bgSession)
		*x = *s
		x.tasks = nil
		return x
	}
	c.tasks = nil
	if d.tasks != nil {
		c.tasks = old.tasks[:0]
		for i, t := range d.tasks {
			var x *dtask
			if t != nil {
				if i < len(old.tasks) && old.tasks[i] != nil {
					x = old.tasks[i]
				} else {
					x = new(dtask)
				}
				*x = *t
				x.sess = sess(t.sess)
			}
			c.tasks = append(c.tasks, x)
		}
	}
	task := func(t *dtask) *dtask {
		if t == nil {
			return nil
		}
		if int(t.up) >= 0 && int(t.up) < len(d.tasks) && d.tasks[t.up] == t {
			return c.tasks[t.up]
		}
		for i, x := range d.tasks {
			if x == t {
				return c.tasks[i]
			}
		}
		x := new(dtask)
		*x = *t
		x.sess = sess(t.sess)
		return x
	}
	for i, s := range d.sessions {
		if s == nil {
			continue
		}
		x := c.sessions[i]
		if s.tasks == nil {
			x.tasks = nil
		} else {
			x.tasks = x.tasks[:0]
			for _, t := range s.tasks {
				x.tasks = append(x.tasks, task(t))
			}
		}
		x.held.back = re(x.held.back, s.held.back)
		x.held.queue = re(x.held.queue, s.held.queue)
	}
	c.heldIndex = nil
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
	c.wakes = re(old.wakes, d.wakes)
	c.resumeUsed = re(old.resumeUsed, d.resumeUsed)
	c.refused = re(old.refused, d.refused)
	c.invalidating = nil
	if d.invalidating != nil {
		c.invalidating = make(map[*bgSession]int32, len(d.invalidating))
		for s, v := range d.invalidating {
			c.invalidating[sess(s)] = v
		}
	}
}

func (n *network) cloneInto(c, old *network, cfg *Config, out *effects) {
	*c = *n
	c.cfg, c.out = cfg, out
	for i := range n.ifs {
		for d := range n.ifs[i].links {
			c.ifs[i].links[d].flows = re(old.ifs[i].links[d].flows, n.ifs[i].links[d].flows)
		}
	}
	for i := range n.radios {
		c.radios[i].out = out
		c.radios[i].intervals = re(old.radios[i].intervals, n.radios[i].intervals)
	}
	c.xfers = re(old.xfers, n.xfers)
}
