package model

import (
	"math/bits"

	"github.com/bgsim/bgsim/sim"
)

// A link is one direction of one interface (its uplink or its downlink).
// Every flow on it (a body going out, a response coming in) gets an equal
// share of the link's rate, recomputed whenever a flow joins or leaves or
// the rate changes: processor sharing. Three 5 MB bodies on a 2 Mbit/s
// uplink each go at 666 kbit/s and all end at 60 s, not 20 s.
//
// Equal shares make every flow on the link advance by the same amount of
// service, so the link keeps one counter, v: the service each flow has had
// since the link was created, in units of 10⁻⁹ bit (a nanosecond at
// 1 bit/s, so that one flow alone advances by exactly elapsed ns × rate and
// a lone transfer computes exactly what it would without sharing). A flow
// that joins at v₀ with b bytes to go is done when v reaches
// v₀ + 8·10⁹·b. The flows are kept in a heap ordered by that finish value,
// and only the first one has a kernel timer: joining, leaving and a change
// of rate cost O(log n), whatever the number of flows.
//
// The radio's power during a transfer follows the total rate by itself:
// its transfer energy is β per second active plus α per Mbit moved
// (radio.go), and the link moves the same bits as before, shared.
type link struct {
	rate  int64    // bits per second
	v     u128     // service per flow so far, in 10⁻⁹ bit
	at    sim.Time // when v was last brought up to now
	flows []int32  // uploads on the link: a heap by (fin, upload)
	armed bool     // the link's timer is pending
}

// linkFlow is what a flow keeps of its place on a link.
type linkFlow struct {
	v0  u128  // the link's v when the flow joined
	fin u128  // the v at which it is done
	pos int32 // its index in the link's heap, -1 when on no link
}

const (
	uplink   = 0
	downlink = 1
)

// unitsPerByte is a byte in the link's units of service (10⁻⁹ bit).
const unitsPerByte = 8e9

// catchUp brings the link's service counter up to now.
func (l *link) catchUp(now sim.Time) {
	if n := len(l.flows); n > 0 && now > l.at {
		hi, lo := bits.Mul64(uint64(now-l.at), uint64(l.rate))
		l.v = l.v.add(u128{hi, lo}.div(uint64(n)))
	}
	l.at = now
}

// served returns the whole bytes a flow has had since it joined.
func (l *link) served(f *linkFlow) int64 {
	q := l.v.sub(f.v0).div(unitsPerByte)
	if q.hi != 0 || q.lo > 1<<62 {
		return 1 << 62
	}
	return int64(q.lo)
}

// untilFirst returns how long, at the current share, until the first
// flow is done, rounded up to the nanosecond (saturating at sim.Never).
func (l *link) untilFirst(xs []xfer) sim.Time {
	f := &xs[l.flows[0]].flow
	if f.fin.cmp(l.v) <= 0 {
		return 0
	}
	return serviceTime(f.fin.sub(l.v), uint64(len(l.flows)), l.rate)
}

// serviceTime is how long a flow takes to get rest more service (10⁻⁹
// bit) as one of n flows on a link of rate bits per second: rest·n/rate
// ns, rounded up, saturating at sim.Never. rest is at most 8·10²⁰
// (MaxUploadBytes) and n at most the number of uploads, so the product
// fits 128 bits.
func serviceTime(rest u128, n uint64, rate int64) sim.Time {
	p, ok := rest.mul(n)
	if !ok {
		return sim.Never
	}
	q, r := p.divRem(uint64(rate))
	if r != 0 {
		q = q.add(u128{0, 1})
	}
	if q.hi != 0 || q.lo >= uint64(sim.Never) {
		return sim.Never
	}
	return sim.Time(q.lo)
}

func (l *link) less(xs []xfer, i, j int) bool {
	a, b := l.flows[i], l.flows[j]
	if c := xs[a].flow.fin.cmp(xs[b].flow.fin); c != 0 {
		return c < 0
	}
	return a < b
}

func (l *link) swap(xs []xfer, i, j int) {
	l.flows[i], l.flows[j] = l.flows[j], l.flows[i]
	xs[l.flows[i]].flow.pos = int32(i)
	xs[l.flows[j]].flow.pos = int32(j)
}

func (l *link) up(xs []xfer, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !l.less(xs, i, p) {
			return
		}
		l.swap(xs, i, p)
		i = p
	}
}

func (l *link) down(xs []xfer, i int) {
	n := len(l.flows)
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if c+1 < n && l.less(xs, c+1, c) {
			c++
		}
		if !l.less(xs, c, i) {
			return
		}
		l.swap(xs, i, c)
		i = c
	}
}

// join puts upload u on the link with bytes to go; the caller has
// brought the link up to now.
func (l *link) join(xs []xfer, u int32, bytes int64) {
	f := &xs[u].flow
	f.v0 = l.v
	hi, lo := bits.Mul64(uint64(bytes), unitsPerByte)
	f.fin = l.v.add(u128{hi, lo})
	f.pos = int32(len(l.flows))
	l.flows = append(l.flows, u)
	l.up(xs, int(f.pos))
}

// leave takes upload u off the link; the caller has brought the link up
// to now.
func (l *link) leave(xs []xfer, u int32) {
	f := &xs[u].flow
	i := int(f.pos)
	if i < 0 {
		return
	}
	last := len(l.flows) - 1
	if i != last {
		l.swap(xs, i, last)
	}
	l.flows = l.flows[:last]
	f.pos = -1
	if i < last {
		l.down(xs, i)
		l.up(xs, i)
	}
}

// u128 is an unsigned 128-bit integer, enough for a link's service
// counter over any run the bounds allow.
type u128 struct{ hi, lo uint64 }

func (a u128) add(b u128) u128 {
	lo, c := bits.Add64(a.lo, b.lo, 0)
	hi, _ := bits.Add64(a.hi, b.hi, c)
	return u128{hi, lo}
}

func (a u128) sub(b u128) u128 {
	lo, c := bits.Sub64(a.lo, b.lo, 0)
	hi, _ := bits.Sub64(a.hi, b.hi, c)
	return u128{hi, lo}
}

func (a u128) cmp(b u128) int {
	switch {
	case a.hi != b.hi:
		if a.hi < b.hi {
			return -1
		}
		return 1
	case a.lo < b.lo:
		return -1
	case a.lo > b.lo:
		return 1
	}
	return 0
}

// mul returns a·m and whether it fits.
func (a u128) mul(m uint64) (u128, bool) {
	h1, l1 := bits.Mul64(a.lo, m)
	h2, l2 := bits.Mul64(a.hi, m)
	hi, c := bits.Add64(h1, l2, 0)
	return u128{hi, l1}, h2 == 0 && c == 0
}

// divRem returns a/d and a mod d, d > 0.
func (a u128) divRem(d uint64) (u128, uint64) {
	qhi, r := a.hi/d, a.hi%d
	qlo, r := bits.Div64(r, a.lo, d)
	return u128{qhi, qlo}, r
}

func (a u128) div(d uint64) u128 {
	q, _ := a.divRem(d)
	return q
}
