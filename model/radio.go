package model

import "github.com/bgsim/bgsim/sim"

// Energy is what one radio spent over the run's energy window, in joules,
// by state, with the time it was not idle. Every variant of a run is
// integrated over the same window (Config.EnergyWindow, else the horizon),
// so that runs of different lengths compare on equal terms: past the run's
// last event a radio's state goes on (its tail ends, then it idles).
type Energy struct {
	Promotion float64 // promotions from idle (and 3G FACH to DCH)
	Transfer  float64 // β·active time + α_u·uplink Mbit + α_d·downlink Mbit
	Tail      float64 // tail phases after the last packet
	Idle      float64 // idle (paging or beacon wakes)

	// Window is the span integrated, from time 0.
	Window sim.Time
	// Baseline is what the radio would have spent idle over the window:
	// idle power over the window's time with a path (a radio without one
	// draws nothing either way).
	Baseline float64
	// Above is each non-idle state's energy less what idle power would
	// have cost over the same time; its parts add up to AboveIdle.
	Above AboveIdle

	ActiveTime sim.Time // promotion + transfer + tail: the radio was not idle
	OffTime    sim.Time // the interface had no path: the radio draws nothing
	Promotions int
	BytesUp    int64 // bytes the radio sent, restarts included
	BytesDown  int64 // bytes it received
}

// RadioInterval is a stretch of time in one radio state, with its energy:
// what a picture of power over time needs. Recorded when the trace is kept.
type RadioInterval struct {
	From, To sim.Time
	State    string // "idle", "promotion", "active", "tail", "off"
	Phase    string // the tail phase's name
	Joules   float64
}

// Watts is the interval's average power.
func (iv RadioInterval) Watts() float64 {
	if iv.To <= iv.From {
		return 0
	}
	return iv.Joules / (iv.To - iv.From).Seconds()
}

// AboveIdle is energy above the idle baseline, by state.
type AboveIdle struct {
	Promotion, Transfer, Tail float64
}

// Joules is the total over the window, idle included.
func (e Energy) Joules() float64 { return e.Promotion + e.Transfer + e.Tail + e.Idle }

// AboveIdle is what the traffic cost: the energy above the idle baseline
// over the window. It equals Joules() - Baseline, computed state by state.
func (e Energy) AboveIdle() float64 { return e.Above.Promotion + e.Above.Transfer + e.Above.Tail }

// Add returns the sum of two accounts (over the same window).
func (e Energy) Add(f Energy) Energy {
	return Energy{
		Promotion: e.Promotion + f.Promotion, Transfer: e.Transfer + f.Transfer, Tail: e.Tail + f.Tail, Idle: e.Idle + f.Idle,
		Window: max(e.Window, f.Window), Baseline: e.Baseline + f.Baseline,
		Above:      AboveIdle{e.Above.Promotion + f.Above.Promotion, e.Above.Transfer + f.Above.Transfer, e.Above.Tail + f.Above.Tail},
		ActiveTime: e.ActiveTime + f.ActiveTime, OffTime: e.OffTime + f.OffTime, Promotions: e.Promotions + f.Promotions,
		BytesUp: e.BytesUp + f.BytesUp, BytesDown: e.BytesDown + f.BytesDown,
	}
}

type radioState uint8

const (
	radioIdle radioState = iota
	radioPromotion
	radioActive
	radioTail
	// radioOff: the interface has no path. bgsim charges nothing for it:
	// what a radio spends looking for a network is not modelled.
	radioOff
)

// radio is one interface's power state machine. Transfers acquire it
// before their first packet (waiting out a promotion if it was idle) and
// release it after their last; the tail runs from the last release, and a
// new acquire during the tail restarts activity without a promotion (except
// from a phase that requires one). Energy is integrated from the state
// intervals, exactly, as each interval closes: no time stepping.
type radio struct {
	// now and out are the current step's time and effects buffer, set by
	// the network before each call.
	now     sim.Time
	out     *effects
	keep    bool // record the intervals (Config.KeepTrace)
	iface   int
	prof    RadioProfile
	state   radioState
	since   sim.Time // when the current state (or tail phase) began
	phase   int      // tail phase index
	users   int      // transfers holding the radio
	promoTo sim.Time // end of the current promotion
	// promoWatts is the current promotion's power (a 3G re-promotion
	// differs from one from idle).
	promoWatts float64
	e          Energy
	// alpha is the throughput energy charged since the active interval
	// began, so that the interval's record carries it.
	alpha     float64
	intervals []RadioInterval
	// end is the energy window's end, known before the run when the
	// window or a horizon is set: the account stops there even if the
	// run goes on. Zero: no horizon, and the run's end closes the window.
	end sim.Time
}

func (r *radio) init(iface int, prof RadioProfile, usable, keep bool) {
	*r = radio{iface: iface, prof: prof, keep: keep}
	if !usable {
		r.state = radioOff
	}
}

// setUsable follows the interface's path coming and going. The network
// has released the radio (ending every transfer on it) before it goes off.
func (r *radio) setUsable(usable bool) {
	now := r.now
	switch {
	case !usable && r.state != radioOff:
		r.closeInterval(now)
		r.out.cancel(timerID{kind: timerRadio, i: int32(r.iface)})
		r.state, r.since, r.users = radioOff, now, 0
		r.note(KindRadioOff, "the interface has no path")
	case usable && r.state == radioOff:
		r.closeInterval(now)
		r.state, r.since = radioIdle, now
		r.note(KindRadioIdle, "the interface has a path again")
	}
}

func (r *radio) note(kind TraceKind, note string, attrs ...sim.Attr) {
	var buf [4]sim.Attr // on the stack: records copy what they keep
	r.out.record(toRadio, kind, "", note, append(append(buf[:0], str(AttrInterface, ifaceNames[r.iface])), attrs...)...)
}

// acquire takes the radio for a transfer and returns how long the
// transfer must wait before its first packet flows.
func (r *radio) acquire() sim.Time {
	now := r.now
	r.users++
	switch r.state {
	case radioActive:
		return 0
	case radioPromotion:
		return r.promoTo - now
	case radioTail:
		ph := r.prof.Tail[r.phase]
		r.closeInterval(now)
		r.out.cancel(timerID{kind: timerRadio, i: int32(r.iface)})
		if ph.RepromotionTime > 0 {
			r.promote(now, ph.RepromotionTime, ph.RepromotionWatts, "traffic in "+ph.Name+" needs a promotion")
			return ph.RepromotionTime
		}
		r.activate(now, "traffic during the tail: no promotion")
		return 0
	default:
		r.closeInterval(now)
		if r.prof.PromotionTime <= 0 {
			r.activate(now, "traffic wakes the radio")
			return 0
		}
		r.promote(now, r.prof.PromotionTime, r.prof.PromotionWatts, "traffic wakes the idle radio")
		return r.prof.PromotionTime
	}
}

// release ends one transfer's use of the radio; it moved bytesUp and
// bytesDown while it held it.
func (r *radio) release(bytesUp, bytesDown int64) {
	now := r.now
	r.users--
	if r.end == 0 || now <= r.end {
		// A transfer that ends past the energy window adds no
		// throughput energy (as one cut by the horizon): α is charged
		// per byte when the transfer lets the radio go.
		r.e.BytesUp += bytesUp
		r.e.BytesDown += bytesDown
		alpha := r.prof.AlphaUp*megabits(bytesUp) + r.prof.AlphaDown*megabits(bytesDown)
		r.e.Transfer += alpha
		r.e.Above.Transfer += alpha
		r.alpha += alpha
	}
	if r.users == 0 && r.state == radioActive {
		r.closeInterval(now)
		r.enterTail(now, 0)
	}
}

func megabits(bytes int64) float64 { return float64(bytes) * 8 / 1e6 }

func (r *radio) promote(now, d sim.Time, watts float64, why string) {
	r.state, r.since, r.promoTo = radioPromotion, now, now+d
	if r.end == 0 || now < r.end {
		r.e.Promotions++
	}
	r.note(KindRadioPromotion, why, span(AttrTakes, d), num(AttrMilliwatts, int64(watts*1000+0.5)))
	// The promotion's energy is charged when it ends, from its interval.
	r.promoWatts = watts
	r.out.setTimer(timerID{kind: timerRadio, i: int32(r.iface)}, d, msg{to: toRadio, kind: radioPromoted, iface: int8(r.iface), up: -1})
}

func (r *radio) activate(now sim.Time, why string) {
	r.state, r.since = radioActive, now
	r.note(KindRadioActive, why)
}

func (r *radio) enterTail(now sim.Time, phase int) {
	if phase >= len(r.prof.Tail) {
		r.state, r.since = radioIdle, now
		r.note(KindRadioIdle, "the tail is over")
		return
	}
	ph := r.prof.Tail[phase]
	r.state, r.since, r.phase = radioTail, now, phase
	if r.out.tracing() { // the note is built only for a trace
		r.note(KindRadioTail, "no traffic: "+ph.Name, str(AttrPhase, ph.Name), span(AttrFor, ph.Duration))
	}
	r.out.setTimer(timerID{kind: timerRadio, i: int32(r.iface)}, ph.Duration, msg{to: toRadio, kind: radioPhaseOver, iface: int8(r.iface), up: -1})
}

func (r *radio) handle(m msg) {
	now := r.now
	switch m.kind {
	case radioPromoted:
		r.closeInterval(now)
		if r.users > 0 {
			r.activate(now, "promotion done")
		} else {
			// Everyone who waited gave up (the path went away): the
			// radio goes straight to its tail.
			r.enterTail(now, 0)
		}
	case radioPhaseOver:
		r.closeInterval(now)
		r.enterTail(now, r.phase+1)
	}
}

var radioStateNames = [...]string{"idle", "promotion", "active", "tail", "off"}

// closeInterval charges the current state from since to now, or to the
// energy window's end if that comes first.
func (r *radio) closeInterval(now sim.Time) {
	from, to := r.since, now
	if r.end > 0 {
		from, to = min(from, r.end), min(to, r.end)
	}
	d := to - from
	secs := d.Seconds()
	idle := r.prof.IdleWatts * secs // what idle would have cost
	var j float64
	phase := ""
	switch r.state {
	case radioIdle:
		j = idle
		r.e.Idle += j
	case radioPromotion:
		j = r.promoWatts * secs
		r.e.Promotion += j
		r.e.Above.Promotion += j - idle
		r.e.ActiveTime += d
	case radioActive:
		beta := r.prof.BetaWatts * secs
		j = beta + r.alpha
		r.e.Transfer += beta
		r.e.Above.Transfer += beta - idle
		r.e.ActiveTime += d
		r.alpha = 0
	case radioTail:
		j = r.prof.Tail[r.phase].Watts * secs
		phase = r.prof.Tail[r.phase].Name
		r.e.Tail += j
		r.e.Above.Tail += j - idle
		r.e.ActiveTime += d
	case radioOff:
		r.e.OffTime += d
	}
	if r.keep && d > 0 {
		r.intervals = append(r.intervals, RadioInterval{From: from, To: to, State: radioStateNames[r.state], Phase: phase, Joules: j})
	}
	r.since = now
}

// finish closes the account at the end of the energy window, end. A run
// that ended before it leaves each radio in a state that goes on without
// events: a promotion nobody waits for runs into the tail, tail phases
// run out, then the radio idles; a radio still held stays active, one
// without a path stays off. A run that went past it was cut there as it
// ran.
func (r *radio) finish(now, end sim.Time) Energy {
	r.end = 0
	for now < end {
		var next sim.Time
		switch {
		case r.state == radioPromotion:
			next = r.promoTo
		case r.state == radioTail:
			next = r.since + r.prof.Tail[r.phase].Duration
		default:
			next = end
		}
		next = min(max(next, now), end)
		r.closeInterval(next)
		now = next
		if now == end {
			break
		}
		switch r.state {
		case radioPromotion:
			if r.users > 0 {
				r.state = radioActive
			} else {
				r.state, r.phase = radioTail, 0
			}
		case radioTail:
			r.phase++
			if r.phase >= len(r.prof.Tail) {
				r.state = radioIdle
			}
		}
		if r.state == radioTail && len(r.prof.Tail) == 0 {
			r.state = radioIdle
		}
	}
	r.end = end
	r.closeInterval(max(now, end))
	r.e.Window = end
	r.e.Baseline = r.prof.IdleWatts * (end - r.e.OffTime).Seconds()
	return r.e
}
