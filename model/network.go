package model

import (
	"math/bits"

	"bgsim/sim"
)

// xfer is a transfer on the network: a request body on its way to the
// server, then the response on its way back.
type xfer struct {
	pid       int32 // for in-process tasks: the process waiting for it
	inProcess bool
	cut       bool
	h         sim.Handle // the next arrival: at the server, or at the device
}

// network is the one path between the device and the server: an upload
// takes its handshake round trips, its bytes over the uplink and half a
// round trip to reach the server; a response half a round trip plus its
// bytes over the downlink.
type network struct {
	w     *world
	xfers []xfer // by upload index
}

func (n *network) init(w *world) { n.w = w }

func (n *network) note(kind, rule, note string, attrs ...sim.Attr) {
	n.w.record(toNetwork, kind, rule, note, attrs...)
}

func (n *network) handle(m msg) {
	for int(m.up) >= len(n.xfers) {
		n.xfers = append(n.xfers, xfer{})
	}
	x := &n.xfers[m.up]
	cfg := n.w.cfg.Network
	id := n.w.ledger.get(m.up).ID
	switch m.kind {
	case netStart:
		*x = xfer{pid: m.pid, inProcess: m.arg == 1}
		bytes := n.w.ledger.get(m.up).Bytes
		d := sim.Time(n.w.cfg.Params.HandshakeRTTs)*cfg.RTT + transmit(bytes, cfg.UpBitsPerSecond) + cfg.RTT/2
		x.h = n.w.send(d, msg{to: toServer, kind: serverReceive, up: m.up})
		n.note("upload.sending", "", "the request body goes out", sim.String("upload", id), sim.Int("bytes", bytes), sim.At("takes", d))
	case netCancel:
		if !x.cut && n.w.s.Cancel(x.h) {
			n.note("transfer.cut", "", "the connection is torn down", sim.String("upload", id))
		}
		x.cut = true
	case netRespond:
		if x.cut {
			n.note("response.dropped", "", "nobody is left on the device end of the connection", sim.String("upload", id))
			return
		}
		bytes := n.w.cfg.Server.ResponseBytes
		d := cfg.RTT/2 + transmit(bytes, cfg.DownBitsPerSecond)
		to := msg{to: toDaemon, kind: daemonResponse, up: m.up, arg: m.arg}
		if x.inProcess {
			to = msg{to: toApp, kind: appInProcessResponse, up: m.up, pid: x.pid, arg: m.arg}
		}
		x.h = n.w.send(d, to)
		n.note("response.sending", "", "the response comes back", sim.String("upload", id), sim.Int("bytes", bytes), sim.At("takes", d))
	}
}

// transmit returns how long bytes take at bitsPerSecond, rounded up to the
// nanosecond, computed exactly in 128 bits.
func transmit(bytes, bitsPerSecond int64) sim.Time {
	if bytes <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(bytes)*8, 1e9)
	q, r := bits.Div64(hi, lo, uint64(bitsPerSecond))
	if r != 0 {
		q++
	}
	return sim.Time(q)
}
