package model

import (
	"fmt"
	"math/bits"

	"github.com/bgsim/bgsim/sim"
)

// xferPhase is where an attempt to transfer an upload stands.
type xferPhase uint8

const (
	phIdle      xferPhase = iota // no attempt under way
	phWaitPath                   // no usable path: waiting for one
	phConnect                    // radio promotion, then the handshake round trips
	phBody                       // the body is going out
	phToServer                   // the last byte is on its way to the server
	phServer                     // the server is working; the connection is quiet
	phToDevice                   // the response's first byte is on its way back
	phRespWait                   // the response waits for the radio's promotion
	phResponse                   // the response is coming in
	phChallenge                  // an authentication challenge waits for its answer; no connection is held
)

// xfer is one upload's transfer, attempt by attempt.
type xfer struct {
	pid        int32
	inProcess  bool
	access     Access
	reqTimeout sim.Time
	phase      xferPhase
	iface      int
	total      int64    // body bytes
	sent       int64    // body bytes the server side has (resume offset plus progress)
	fromBytes  int64    // sent when the body joined the uplink
	flow       linkFlow // its place on the uplink (body) or downlink (response)
	holdBytes  int64    // sent when this attempt took the radio
	holding    bool     // holds its interface's radio
	waitRule   RuleID   // why it waits for a path
	status     int32    // the HTTP status the server answered
	hops       int32    // redirects this attempt followed
	noBody     bool     // a redirect turned the request into a GET without the body
	credential bool     // the request carries the credential of an answered challenge
	answers    bool     // in-process: the session's code answers a challenge at once
	challenged bool     // the response coming in is an authentication challenge
	// share is the body's last share of its uplink (bits per second) and
	// bodyAt when its last byte left the device: what acked needs.
	share  int64
	bodyAt sim.Time
}

// iface is one interface's state in the run.
type iface struct {
	cfg       Interface
	available bool    // the timeline's up/down
	cut       bool    // an outage is on
	links     [2]link // uplink and downlink, shared by their flows (link.go)
}

func (f *iface) usable() bool { return f.available && !f.cut }

// network moves bodies and responses over the device's interfaces. It
// picks a path per attempt (Wi-Fi first, then cellular if the task may use
// it), holds the interface's radio while packets flow, and reports a lost
// path or a request timeout to whoever started the transfer: the daemon
// retries background tasks, in-process tasks fail.
type network struct {
	cfg *Config
	// now and out are the current step's time and effects buffer.
	now    sim.Time
	out    *effects
	ifs    [2]iface
	radios [2]radio // each interface's radio: a part of the network
	xfers  []xfer   // by upload index
	outage int      // outages under way
}

func (n *network) init(cfg *Config) {
	n.cfg = cfg
	for i := range n.ifs {
		f := &cfg.Network.Interfaces[i]
		// The links' heaps keep their storage from run to run.
		up, down := n.ifs[i].links[uplink].flows[:0], n.ifs[i].links[downlink].flows[:0]
		n.ifs[i] = iface{cfg: *f, available: f.Available}
		n.ifs[i].links[uplink] = link{rate: f.UpBitsPerSecond, flows: up}
		n.ifs[i].links[downlink] = link{rate: f.DownBitsPerSecond, flows: down}
		n.radios[i].init(i, f.Radio, f.Available, cfg.KeepTrace)
	}
}

// links returns the storage of the links' heaps, for the next run to
// reuse (reuse).
func (n *network) links() (fl [2][2][]int32) {
	for i := range n.ifs {
		for d := range n.ifs[i].links {
			fl[i][d] = n.ifs[i].links[d].flows[:0]
		}
	}
	return fl
}

// reuse gives a new network the storage links returned; init keeps it.
func (n *network) reuse(fl [2][2][]int32) {
	for i := range n.ifs {
		for d := range n.ifs[i].links {
			n.ifs[i].links[d].flows = fl[i][d]
		}
	}
}

// radio returns interface i's radio, ready for a call in this step.
func (n *network) radio(i int) *radio {
	r := &n.radios[i]
	r.now, r.out = n.now, n.out
	return r
}

func (n *network) note(kind TraceKind, rule RuleID, note string, attrs ...sim.Attr) {
	n.out.record(toNetwork, kind, rule, note, attrs...)
}

func (n *network) x(up int32) *xfer {
	for int(up) >= len(n.xfers) {
		n.xfers = append(n.xfers, xfer{})
	}
	return &n.xfers[up]
}

// step is the network's entry point: it handles m at now (a message for
// one of its radios included) and appends what it wants done to out.
func (n *network) step(now sim.Time, m msg, out *effects) {
	n.now, n.out = now, out
	if m.to == toRadio {
		n.radio(int(m.iface)).handle(m)
		return
	}
	switch m.kind {
	case netAction:
		n.action(n.cfg.Timeline[m.step])
		return
	case netUplinkDone:
		n.linkDone(int(m.iface), uplink)
		return
	case netDownlinkDone:
		n.linkDone(int(m.iface), downlink)
		return
	case netOutageOver:
		n.outage--
		if n.outage == 0 {
			for i := range n.ifs {
				n.ifs[i].cut = false
			}
			n.note(KindOutageOver, "", "the outage ends", str(AttrWifi, upDown(n.ifs[WiFi].usable())), str(AttrCellular, upDown(n.ifs[Cellular].usable())))
			n.changed()
		}
		return
	}
	x := n.x(m.up)
	switch m.kind {
	case netStart:
		*x = xfer{pid: m.pid, inProcess: m.flags&flagInProcess != 0, access: m.access, reqTimeout: m.d,
			total: m.size, sent: min(m.bytes, m.size), iface: -1, flow: linkFlow{pos: -1},
			credential: m.flags&flagCredential != 0, answers: m.flags&flagAnswersAuth != 0}
		n.out.fact(fact{kind: factAttempt, up: m.up})
		n.tryPath(m.up, x)
	case netCancel:
		acked := n.resumeOffset(x)
		if x.phase != phIdle {
			n.abort(m.up, x)
			n.note(KindTransferCut, "", "the connection is torn down", upAttr(m.up))
		}
		if m.flags&flagReport != 0 {
			n.out.send(0, msg{to: toDaemon, kind: daemonCancelled, up: m.up, acked: acked})
		}
	case netStep:
		n.advance(m.up, x)
	case netRespond:
		if x.phase != phServer {
			n.note(KindResponseDropped, "", "the connection the response was for is gone", upAttr(m.up))
			return
		}
		n.out.cancel(timerID{kind: timerRequest, i: m.up})
		x.phase, x.status, x.challenged = phToDevice, m.status, m.flags&flagChallenge != 0
		n.out.setTimer(timerID{kind: timerXfer, i: m.up}, n.ifs[x.iface].cfg.RTT/2, msg{to: toNetwork, kind: netStep, up: m.up})
	case netAuthAnswer:
		if x.phase != phChallenge {
			return
		}
		n.out.cancel(timerID{kind: timerRequest, i: m.up})
		n.answered(m.up, x)
	case netRequestTimeout:
		if x.phase == phChallenge {
			n.challengeTimedOut(m.up, x)
			return
		}
		if x.phase != phServer {
			return
		}
		n.note(KindRequestTimedOut, RuleTimeoutRetry, fmt.Sprintf("no response within timeoutIntervalForRequest (%v)", x.reqTimeout),
			upAttr(m.up))
		n.lose(m.up, x, ErrTimedOut)
	}
}

func upDown(b bool) string {
	if b {
		return "up"
	}
	return "down"
}

// paths is what path selection needs to know of the interfaces now.
func (n *network) paths() (ps [2]pathState) {
	for i := range n.ifs {
		f := &n.ifs[i]
		ps[i] = pathState{usable: f.usable(), expensive: f.cfg.Expensive, constrained: f.cfg.Constrained}
	}
	return ps
}

// tryPath starts the attempt on the best usable interface, or makes it
// wait for one.
func (n *network) tryPath(up int32, x *xfer) {
	i, rule, why := choosePath(n.paths(), x.access)
	if i < 0 {
		if x.inProcess {
			// A default session does not wait: the task fails at once.
			x.phase = phIdle
			n.note(KindTransferNoPath, RuleInProcessTransfer, "no network path: an in-process task fails with -1009", upAttr(up))
			n.out.send(0, msg{to: toApp, kind: appInProcessError, up: up, pid: x.pid, code: ErrNotConnectedToInternet})
			return
		}
		if x.phase != phWaitPath || x.waitRule != rule {
			n.note(KindTransferWaiting, rule, why, upAttr(up))
		}
		x.phase, x.waitRule = phWaitPath, rule
		return
	}
	x.iface, x.phase, x.waitRule = i, phConnect, ""
	delay := n.radio(i).acquire()
	x.holding, x.holdBytes = true, x.sent
	d := delay + sim.Time(n.cfg.Params.HandshakeRTTs)*n.ifs[i].cfg.RTT
	if n.out.tracing() { // the note is built only for a trace
		n.note(KindTransferConnecting, "", "a connection opens over "+ifaceNames[i], upAttr(up),
			str(AttrInterface, ifaceNames[i]), num(AttrFromByte, x.sent), span(AttrTakes, d))
	}
	n.out.setTimer(timerID{kind: timerXfer, i: up}, d, msg{to: toNetwork, kind: netStep, up: up})
}

// advance moves an attempt to its next phase when the current one is over.
func (n *network) advance(up int32, x *xfer) {
	switch x.phase {
	case phConnect:
		if x.noBody {
			// A GET: the request goes out with no body to send.
			n.bodySent(up, x)
			return
		}
		x.phase, x.fromBytes = phBody, x.sent
		n.join(x.iface, uplink, up, x.total-x.sent)
	case phToServer:
		x.phase = phServer
		var f msgFlags
		if x.noBody {
			f = flagNoBody
		}
		if x.credential {
			f |= flagCredential
		}
		n.out.send(0, msg{to: toServer, kind: serverReceive, up: up, size: x.total, hop: x.hops, flags: f})
		n.out.setTimer(timerID{kind: timerRequest, i: up}, x.reqTimeout, msg{to: toNetwork, kind: netRequestTimeout, up: up})
	case phToDevice:
		// The response's packets wake the radio again if the tail ran out
		// while the server worked.
		delay := n.radio(x.iface).acquire()
		x.holding, x.holdBytes = true, x.sent // the body is already counted
		if delay > 0 {
			x.phase = phRespWait
			n.out.setTimer(timerID{kind: timerXfer, i: up}, delay, msg{to: toNetwork, kind: netStep, up: up})
			return
		}
		x.phase = phResponse
		n.join(x.iface, downlink, up, n.responseBytes(x))
	case phRespWait:
		x.phase = phResponse
		n.join(x.iface, downlink, up, n.responseBytes(x))
	}
}

// linkDone handles the timer of interface i's link in direction dir: the
// flows whose last byte went (or came) by now are done, in the order of
// their finish, then upload index.
func (n *network) linkDone(i, dir int) {
	l := &n.ifs[i].links[dir]
	l.armed = false
	l.catchUp(n.now)
	for len(l.flows) > 0 && n.xfers[l.flows[0]].flow.fin.cmp(l.v) <= 0 {
		up := l.flows[0]
		l.leave(n.xfers, up)
		x := &n.xfers[up]
		if dir == uplink {
			n.bodySent(up, x)
		} else {
			n.responseReceived(up, x)
		}
	}
	n.arm(i, dir)
}

// bodySent: the body's last byte left the device.
func (n *network) bodySent(up int32, x *xfer) {
	x.sent, x.bodyAt = x.total, n.now
	x.share = n.ifs[x.iface].links[uplink].rate / int64(len(n.ifs[x.iface].links[uplink].flows)+1)
	n.releaseRadio(up, x, 0)
	x.phase = phToServer
	n.out.setTimer(timerID{kind: timerXfer, i: up}, n.ifs[x.iface].cfg.RTT/2, msg{to: toNetwork, kind: netStep, up: up})
}

// responseBytes is the size of the response x is receiving: a redirect
// carries no body the model counts.
func (n *network) responseBytes(x *xfer) int64 {
	if x.challenged || IsRedirect(int(x.status)) {
		return 0
	}
	return n.cfg.Server.ResponseBytes
}

// responseReceived: the response's last byte arrived.
func (n *network) responseReceived(up int32, x *xfer) {
	n.releaseRadio(up, x, n.responseBytes(x))
	x.phase = phIdle
	if x.challenged {
		n.challenge(up, x)
		return
	}
	if IsRedirect(int(x.status)) {
		n.redirect(up, x)
		return
	}
	if x.inProcess {
		n.out.send(0, msg{to: toApp, kind: appInProcessResponse, up: up, pid: x.pid, status: x.status})
	} else {
		var f msgFlags
		if x.noBody {
			f = flagNoBody
		}
		n.out.send(0, msg{to: toDaemon, kind: daemonResponse, up: up, status: x.status, flags: f})
	}
}

// redirect follows the redirect x received with a new request to the new
// location, over a new connection (the model assumes the location is on
// another host), or fails the task once it has followed
// Params.MaxRedirects. In a background session the daemon follows it and
// never asks the app (R-REDIRECTS-ALWAYS-FOLLOWED), so a 3xx is never the
// response the app gets. An in-process task follows too: the model's app
// implements no willPerformHTTPRedirection, and without one the session
// follows. After 307 and 308 the body is sent again from its first byte;
// after 301, 302 and 303 the follow-up is a GET without the body
// (RedirectKeepsBody).
func (n *network) redirect(up int32, x *xfer) {
	status := int(x.status)
	rule, who := RuleRedirectsAlwaysFollowed, "the daemon"
	if x.inProcess {
		rule, who = "", "the app's in-process session"
	}
	if int(x.hops) >= n.cfg.Params.MaxRedirects {
		n.note(KindRedirectTooMany, rule, fmt.Sprintf("%s has followed %d redirects and gets another %d: the task fails with %d",
			who, x.hops, status, ErrHTTPTooManyRedirects), upAttr(up), num(AttrStatus, int64(status)), num(AttrHop, int64(x.hops)))
		if x.inProcess {
			n.out.send(0, msg{to: toApp, kind: appInProcessError, up: up, pid: x.pid, code: ErrHTTPTooManyRedirects})
		} else {
			n.out.send(0, msg{to: toDaemon, kind: daemonTaskFailed, up: up, code: ErrHTTPTooManyRedirects})
		}
		return
	}
	x.hops++
	x.sent = 0
	method, what := "POST", "the body is sent again from its first byte"
	if !RedirectKeepsBody(status) || x.noBody {
		x.noBody, x.total = true, 0
		method, what = "GET", "the follow-up is a GET without the body (RFC 9110 §15.4)"
	}
	if x.inProcess {
		n.note(KindRedirectFollowed, rule, fmt.Sprintf("%d: the in-process session follows (no willPerformHTTPRedirection is modelled); %s", status, what),
			upAttr(up), num(AttrStatus, int64(status)), num(AttrHop, int64(x.hops)), str(AttrMethod, method))
	} else {
		n.note(KindRedirectFollowed, rule, fmt.Sprintf("%d: the daemon follows it without asking the app; %s", status, what),
			upAttr(up), num(AttrStatus, int64(status)), num(AttrHop, int64(x.hops)), str(AttrMethod, method))
	}
	n.tryPath(up, x)
}

// challenge holds a request the server challenged until its answer comes
// (netAuthAnswer) or its request timeout runs out (R-AUTH-WAKE). A
// background task's challenge goes to the daemon, which answers from the
// session's credential storage or needs the app's delegate; an in-process
// task's session answers at once, or never.
func (n *network) challenge(up int32, x *xfer) {
	x.phase, x.challenged = phChallenge, false
	if x.inProcess && x.answers {
		n.note(KindAuthAnswered, "", "the in-process session answers the challenge at once: the app runs", upAttr(up))
		n.answered(up, x)
		return
	}
	n.out.setTimer(timerID{kind: timerRequest, i: up}, x.reqTimeout, msg{to: toNetwork, kind: netRequestTimeout, up: up})
	if !x.inProcess {
		n.out.send(0, msg{to: toDaemon, kind: daemonChallenge, up: up})
		return
	}
	n.note(KindAuthChallenge, "", "the in-process session's code does not answer the challenge: the request waits for its timeout", upAttr(up))
}

// answered sends a challenged request again with the credential, over a
// new connection (the model assumes the old one closed while the answer
// was awaited), body and all.
func (n *network) answered(up int32, x *xfer) {
	x.credential, x.sent = true, 0
	n.tryPath(up, x)
}

// challengeTimedOut fails a task whose challenge went unanswered for
// timeoutIntervalForRequest with -1001, which the daemon does not retry
// (R-AUTH-WAKE: an unanswered challenge times out and fails the task).
func (n *network) challengeTimedOut(up int32, x *xfer) {
	rule := RuleAuthWake
	if x.inProcess {
		rule = ""
	}
	n.note(KindRequestTimedOut, rule, fmt.Sprintf("the authentication challenge was not answered within timeoutIntervalForRequest (%v)", x.reqTimeout),
		upAttr(up))
	n.abort(up, x)
	if x.inProcess {
		n.out.send(0, msg{to: toApp, kind: appInProcessError, up: up, pid: x.pid, code: ErrTimedOut})
		return
	}
	n.out.send(0, msg{to: toDaemon, kind: daemonTaskFailed, up: up, code: ErrTimedOut})
}

// join puts upload up on interface i's link dir with bytes to move.
func (n *network) join(i, dir int, up int32, bytes int64) {
	l := &n.ifs[i].links[dir]
	l.catchUp(n.now)
	l.join(n.xfers, up, bytes)
	n.arm(i, dir)
}

// leave takes upload up off interface i's link dir.
func (n *network) leave(i, dir int, up int32) {
	l := &n.ifs[i].links[dir]
	l.catchUp(n.now)
	l.leave(n.xfers, up)
	n.arm(i, dir)
}

// arm sets, moves or cancels the link's timer for its first flow's end at
// the current share.
func (n *network) arm(i, dir int) {
	l := &n.ifs[i].links[dir]
	t := timerID{kind: timerLink, i: int32(2*i + dir)}
	if len(l.flows) == 0 {
		if l.armed {
			n.out.cancel(t)
			l.armed = false
		}
		return
	}
	d := l.untilFirst(n.xfers)
	if l.armed {
		n.out.move(t, addTime(n.now, d))
		return
	}
	k := netUplinkDone
	if dir == downlink {
		k = netDownlinkDone
	}
	n.out.setTimer(t, d, msg{to: toNetwork, kind: k, iface: int8(i), up: -1})
	l.armed = true
}

// progress brings x.sent up to now during the body.
func (n *network) progress(x *xfer) {
	if x.phase != phBody {
		return
	}
	l := &n.ifs[x.iface].links[uplink]
	l.catchUp(n.now)
	x.sent = min(x.total, x.fromBytes+l.served(&x.flow))
}

// bytesIn returns the whole bytes sent in d at bitsPerSecond.
func bytesIn(d sim.Time, bitsPerSecond int64) int64 {
	if d <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(d), uint64(bitsPerSecond))
	if hi >= 8e9 {
		// The quotient would not fit (Div64 panics): more bytes than
		// any body holds.
		return 1<<63 - 1
	}
	q, _ := bits.Div64(hi, lo, 8e9)
	return int64(q)
}

// releaseRadio ends this attempt's hold on the radio, accounting the bytes
// it moved.
func (n *network) releaseRadio(up int32, x *xfer, down int64) {
	if !x.holding {
		return
	}
	x.holding = false
	sentNow := x.sent - x.holdBytes
	n.out.fact(fact{kind: factBytesSent, up: up, bytes: sentNow, iface: int8(x.iface)})
	n.radio(x.iface).release(sentNow, down)
}

// abort stops the attempt where it is.
func (n *network) abort(up int32, x *xfer) {
	n.out.cancel(timerID{kind: timerXfer, i: up})
	n.out.cancel(timerID{kind: timerRequest, i: up})
	n.progress(x)
	switch x.phase {
	case phBody:
		n.leave(x.iface, uplink, up)
	case phResponse:
		n.leave(x.iface, downlink, up)
	}
	n.releaseRadio(up, x, 0)
	x.phase = phIdle
}

// acked returns the body bytes the server side has of attempt x now: what
// left the device at least one one-way delay (RTT/2) ago. The bytes in
// flight are what the body's share of the uplink moves in that time
// (an assumption: Apple says the resume offset is what the server
// acknowledged, R-RESUMABLE-UPLOAD-17, not how much is in flight). Once
// the server has the whole body it is all acknowledged.
func (n *network) acked(x *xfer) int64 {
	switch x.phase {
	case phBody:
		n.progress(x)
		l := &n.ifs[x.iface].links[uplink]
		if len(l.flows) > 0 {
			x.share = l.rate / int64(len(l.flows))
		}
		return max(x.fromBytes, x.sent-bytesIn(n.ifs[x.iface].cfg.RTT/2, x.share))
	case phToServer:
		left := n.ifs[x.iface].cfg.RTT/2 - (n.now - x.bodyAt)
		return max(x.fromBytes, x.total-bytesIn(left, x.share))
	case phServer, phToDevice, phRespWait, phResponse:
		return x.total
	}
	return x.sent
}

// resumeOffset is the byte an upload can resume from after attempt x
// stops now, cancelled or cut: what the server acknowledged of the body,
// or 0 when the bytes went to a location a redirect named (a retry starts
// again at the upload's own URL) or the server answered with an
// authentication challenge and kept nothing.
func (n *network) resumeOffset(x *xfer) int64 {
	switch {
	case x.hops > 0 || x.challenged || x.phase == phChallenge:
		return 0
	case x.phase == phIdle:
		return x.sent
	}
	return n.acked(x)
}

// lose ends an attempt that lost its path (code -1005) or timed out
// (-1001) and tells its owner.
func (n *network) lose(up int32, x *xfer, code int32) {
	acked := n.resumeOffset(x)
	n.abort(up, x)
	if x.inProcess {
		n.out.send(0, msg{to: toApp, kind: appInProcessError, up: up, pid: x.pid, code: code})
		return
	}
	n.out.send(0, msg{to: toDaemon, kind: daemonTransferLost, up: up, bytes: x.sent, acked: acked, code: code})
}

// action applies a timeline step to the interfaces.
func (n *network) action(a Action) {
	switch a.Do {
	case WiFiOff, WiFiOn, CellularOff, CellularOn:
		i, up := WiFi, a.Do == WiFiOn
		if a.Do == CellularOff || a.Do == CellularOn {
			i, up = Cellular, a.Do == CellularOn
		}
		n.ifs[i].available = up
		kind := KindInterfaceDown
		if up {
			kind = KindInterfaceUp
		}
		n.note(kind, "", ifaceNames[i]+" is "+upDown(up), str(AttrInterface, ifaceNames[i]))
	case Outage:
		n.outage++
		for i := range n.ifs {
			n.ifs[i].cut = true
		}
		n.note(KindOutage, "", fmt.Sprintf("every path is cut for %v", a.For), span(AttrFor, a.For))
		n.out.send(a.For, msg{to: toNetwork, kind: netOutageOver, up: -1})
	case Bandwidth:
		f := &n.ifs[a.Interface]
		// Flows under way keep their progress and go on at the new rate.
		if a.Up > 0 {
			f.cfg.UpBitsPerSecond = a.Up
			n.setRate(a.Interface, uplink, a.Up)
		}
		if a.Down > 0 {
			f.cfg.DownBitsPerSecond = a.Down
			n.setRate(a.Interface, downlink, a.Down)
		}
		n.note(KindInterfaceBandwidth, "", "the bandwidth changes", str(AttrInterface, ifaceNames[a.Interface]),
			num(AttrUpBps, f.cfg.UpBitsPerSecond), num(AttrDownBps, f.cfg.DownBitsPerSecond))
	}
	n.changed()
}

// setRate changes the rate of interface i's link dir.
func (n *network) setRate(i, dir int, bps int64) {
	l := &n.ifs[i].links[dir]
	l.catchUp(n.now)
	l.rate = bps
	if l.armed {
		n.arm(i, dir)
	}
}

// changed reacts to interfaces going up or down: attempts on a path that
// went away are lost, waiting ones look for a path, and the daemon hears
// what is usable now.
func (n *network) changed() {
	for up := range n.xfers {
		x := &n.xfers[up]
		if x.phase > phWaitPath && x.phase != phChallenge && !n.ifs[x.iface].usable() {
			n.progress(x)
			n.note(KindTransferPathLost, RuleNetworkLossMidtransfer, ifaceNames[x.iface]+" went away mid-transfer",
				upAttr(int32(up)), num(AttrSent, x.sent))
			n.lose(int32(up), x, ErrNetworkConnectionLost)
		}
	}
	for up := range n.xfers {
		if x := &n.xfers[up]; x.phase == phWaitPath {
			n.tryPath(int32(up), x)
		}
	}
	var usable [2]bool
	for i := range n.ifs {
		n.radio(i).setUsable(n.ifs[i].usable())
		usable[i] = n.ifs[i].usable()
	}
	n.out.send(0, msg{to: toDaemon, kind: daemonNetChanged, usable: usable, up: -1})
}

// waiting returns the rule that keeps upload up waiting for a path, or "".
func (n *network) waiting(up int32) RuleID {
	if int(up) < len(n.xfers) && n.xfers[up].phase == phWaitPath {
		return n.xfers[up].waitRule
	}
	return ""
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
