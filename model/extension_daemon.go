package model

import "fmt"

// The daemon's part of R-ONE-PROCESS-PER-SESSION: one connected process
// per identifier (see extension.go).

// refusal is a connection the daemon refused: process pid may not use
// identifier id, and the tasks it creates on it fail with code.
type refusal struct {
	pid  int32
	id   string
	code int
}

// connectOther is the daemon's part of R-ONE-PROCESS-PER-SESSION: a
// connection from an extension's process, or to an identifier an
// extension's process holds. It reports whether it handled the
// connection; the app's connections to identifiers no extension holds
// are connect's, as before.
func (d *daemon) connectOther(pid int32, id string, spec Session) bool {
	// A new connection replaces the process's earlier refusal, if any.
	kept := d.refused[:0]
	for _, r := range d.refused {
		if r.pid != pid || r.id != id {
			kept = append(kept, r)
		}
	}
	d.refused = kept
	holder := int32(-1)
	for _, s := range d.sessions {
		if s.id == id {
			holder = s.connected
		}
	}
	if !isExtPid(pid) && !isExtPid(holder) {
		return false
	}
	switch {
	case isExtPid(pid) && spec.SharedContainer == "":
		d.refuse(pid, id, ErrBackgroundSessionRequiresSharedContainer,
			"an extension's background session needs sharedContainerIdentifier (an app group); this one has none")
	case holder >= 0 && holder != pid:
		d.refuse(pid, id, ErrBackgroundSessionInUseByAnotherProcess,
			fmt.Sprintf("process %d is connected to %s already: only one process may be", holder, id))
	default:
		s := d.session(id)
		s.spec = spec
		s.connected = pid
		if s.held.len() > 0 || s.outstanding() {
			d.note(KindSessionReconnected, RuleReconnectSameID, "the extension's process created "+id+": the daemon will replay its pending events",
				str(AttrIdentifier, id), num(AttrHeld, int64(s.held.len())))
		}
		d.deliverOrWake(s)
	}
	return true
}

func (d *daemon) refuse(pid int32, id string, code int, why string) {
	d.session(id) // the refused tasks are known under it
	d.refused = append(d.refused, refusal{pid: pid, id: id, code: code})
	d.note(KindSessionRefused, RuleOneProcessPerSession, fmt.Sprintf("%s: the session is invalid at once with %s (%d)", why, ErrorName(code), code),
		str(AttrIdentifier, id), num(AttrPid, int64(pid)), num(AttrCode, int64(code)))
	d.out.send(d.cfg.Params.XPCLatency, msg{to: toApp, kind: appSessionRefused, pid: pid, id: id, code: int32(code), up: -1})
}

// refusedTask fails at once a task handed over on a session whose
// connection the daemon refused, with the refusal's code, to the
// process that created it; it reports whether m was such a task.
func (d *daemon) refusedTask(m msg) bool {
	code := 0
	for _, r := range d.refused {
		if r.pid == m.pid && r.id == m.id {
			code = r.code
		}
	}
	if code == 0 {
		return false
	}
	d.out.fact(fact{kind: factHandedOff, up: m.up})
	t := &dtask{up: m.up, sess: d.session(m.id), size: m.size, state: done}
	for int(m.up) >= len(d.tasks) {
		d.tasks = append(d.tasks, nil)
	}
	d.tasks[m.up] = t
	ev := event{up: m.up, code: code, cancelReason: NoCancelReason, rule: RuleOneProcessPerSession, offered: true,
		reason: fmt.Sprintf("the session's connection was refused (one process per identifier; an extension needs a shared container): the task failed at once with %s (%d), which reached the delegate of the process that created it", ErrorName(code), code)}
	d.note(KindTaskFailed, RuleOneProcessPerSession, "the task's session was refused: it fails at once", upAttr(m.up), num(AttrCode, int64(code)))
	d.out.send(d.cfg.Params.XPCLatency, msg{to: toApp, kind: appTaskEvent, up: m.up, pid: m.pid, id: m.id, ev: ev})
	return true
}

// extEnded: an extension's process ended. Its sessions are no longer
// connected; their events wait for, or wake, the containing app
// (R-ONE-PROCESS-PER-SESSION).
func (d *daemon) extEnded(pid int32) {
	kept := d.refused[:0]
	for _, r := range d.refused {
		if r.pid != pid {
			kept = append(kept, r)
		}
	}
	d.refused = kept
	for _, s := range d.sessions {
		if s.connected == pid {
			s.connected = -1
			d.deliverOrWake(s)
		}
	}
}

// holderRunning returns the pid of the running process connected to s,
// the app's or an extension's, or -1.
func (d *daemon) holderRunning(s *bgSession) int32 {
	switch {
	case isExtPid(s.connected):
		return s.connected
	case d.appState.running() && s.connected == d.appPid:
		return d.appPid
	}
	return -1
}
