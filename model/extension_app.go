package model

import "fmt"

// The app extension's process, in the app actor (see extension.go).

// extProc is the extension's process, in the app actor: at most one
// extension runs at a time.
type extProc struct {
	name     string // the extension whose process runs, "" if none
	pid      int32
	started  int32 // how many extension processes have started
	sessions []*sessionObj
}

// extAction runs do: extension-open and do: extension-close.
func (a *app) extAction(act Action) {
	switch act.Do {
	case ExtensionOpen:
		if a.ext.name != "" {
			a.note(KindUserIgnored, "", "extension "+a.ext.name+" is open already; bgsim runs one extension at a time", str(AttrAction, string(act.Do)))
			return
		}
		a.ext.started++
		a.ext.name, a.ext.pid, a.ext.sessions = act.Extension, extPidBase+a.ext.started-1, nil
		a.note(KindExtensionState, RuleOneProcessPerSession, "the user opens extension "+act.Extension+": its process starts",
			str(AttrExtension, act.Extension), str(AttrTo, "running"), num(AttrPid, int64(a.ext.pid)))
	case ExtensionClose:
		if a.ext.name != act.Extension {
			a.note(KindUserIgnored, "", "extension "+act.Extension+" is not open", str(AttrAction, string(act.Do)))
			return
		}
		a.note(KindExtensionState, RuleOneProcessPerSession, "extension "+act.Extension+" finishes: its process ends; nsurlsessiond carries on its background tasks",
			str(AttrExtension, act.Extension), str(AttrTo, "ended"), num(AttrPid, int64(a.ext.pid)))
		a.out.send(a.cfg.Params.XPCLatency, msg{to: toDaemon, kind: daemonExtEnded, pid: a.ext.pid, up: -1})
		a.ext.name, a.ext.sessions = "", nil
	}
}

// extStartUpload runs an extension's upload code, if name is an
// extension's upload, and reports whether it was. The code creates its
// background session (connecting the extension's process to the
// identifier) and hands the task to nsurlsessiond.
func (a *app) extStartUpload(name string) bool {
	e := a.cfg.App.uploadExtension(name)
	if e == nil {
		return false
	}
	u := a.cfg.App.extUpload(name)
	spec := a.cfg.App.extSession(u.Session)
	up := int32(len(a.ups))
	a.out.fact(fact{kind: factCreated, up: up, spec: u.Name, session: spec.Identifier, bytes: u.Bytes, background: true})
	a.ups = append(a.ups, appUpload{spec: u})
	if a.ext.name != e.Name {
		a.out.fact(fact{kind: factNotRunning, up: up, name: "not running: extension " + e.Name + " is not open"})
		a.note(KindUploadSkipped, "", "the code of extension "+e.Name+" cannot run: it is not open", upAttr(up))
		return true
	}
	a.note(KindUploadStart, "", "the code of extension "+e.Name+" starts an upload", upAttr(up), str(AttrApi, string(UploadFromFile)),
		num(AttrBytes, u.Bytes), str(AttrSession, spec.Identifier), num(AttrPid, int64(a.ext.pid)))
	var s *sessionObj
	kept := a.ext.sessions[:0]
	for _, o := range a.ext.sessions {
		switch {
		case o.identifier == spec.Identifier && o.refused:
			continue // invalid: the code creates the session afresh
		case o.identifier == spec.Identifier:
			s = o
		}
		kept = append(kept, o)
	}
	a.ext.sessions = kept
	if s == nil {
		s = &sessionObj{name: spec.Name, kind: Background, identifier: spec.Identifier, delegate: spec.Delegate}
		a.ext.sessions = append(a.ext.sessions, s)
		a.note(KindSessionCreated, RuleIDDefinesSession, "the code of extension "+e.Name+" creates a background session",
			str(AttrIdentifier, spec.Identifier), str(AttrDelegate, spec.Delegate), num(AttrPid, int64(a.ext.pid)))
		a.out.send(a.cfg.Params.XPCLatency, msg{to: toDaemon, kind: daemonConnect, pid: a.ext.pid, id: spec.Identifier, conf: spec, up: -1})
	}
	if s.invalidated {
		a.out.fact(fact{kind: factInvalidated, up: up})
		a.note(KindTaskInvalidSession, RuleInvalidatedSessionNewTask, "the session is invalid: the task never runs", upAttr(up), str(AttrIdentifier, s.identifier))
		return true
	}
	a.note(KindTaskResume, RuleOutOfProcess, "the task is handed to nsurlsessiond", upAttr(up))
	a.out.send(a.cfg.Params.XPCLatency, msg{to: toDaemon, kind: daemonNewTask, up: up, pid: a.ext.pid, id: spec.Identifier,
		access: u.Access, begin: u.BeginAfter, size: u.Bytes})
	return true
}

// extStep handles a message meant for an extension's process.
func (a *app) extStep(m msg) {
	if a.ext.name == "" || m.pid != a.ext.pid {
		// The extension's process has ended. An outcome the daemon sent
		// it goes back to the daemon, as for the app's processes; the
		// refusal of a connection (-995, -996) was for that process only.
		if m.kind == appTaskEvent {
			if m.ev.rule == RuleOneProcessPerSession {
				a.out.fact(fact{kind: factUnheard, up: m.up, code: m.ev.code, rule: RuleOneProcessPerSession, name: "extension's process had ended"})
				a.out.recordFate(toApp, KindMessageStale, m.up, "the extension's process ended before its task's refusal reached it",
					upAttr(m.up), num(AttrPid, int64(m.pid)))
				return
			}
			a.out.send(a.cfg.Params.XPCLatency, msg{to: toDaemon, kind: daemonUndelivered, up: m.up, id: m.id, ev: m.ev})
		}
		return
	}
	var sess *sessionObj
	for _, o := range a.ext.sessions {
		if o.identifier == m.id {
			sess = o
		}
	}
	switch m.kind {
	case appSessionRefused:
		if sess != nil {
			sess.refused = true
		}
		a.note(KindSessionInvalid, RuleOneProcessPerSession, fmt.Sprintf("didBecomeInvalidWithError: %s (%d)", ErrorName(int(m.code)), m.code),
			str(AttrIdentifier, m.id), num(AttrCode, int64(m.code)), num(AttrPid, int64(m.pid)))
	case appTaskEvent:
		if sess == nil {
			a.out.send(a.cfg.Params.XPCLatency, msg{to: toDaemon, kind: daemonUndelivered, up: m.up, id: m.id, ev: m.ev})
			return
		}
		ev := m.ev
		a.out.fact(fact{kind: factEventReached, up: m.up, status: ev.status, code: ev.code, cancelReason: ev.cancelReason,
			rule: ev.rule, reason: ev.reason, session: sess.identifier, delegate: sess.delegate,
			specDelegate: a.cfg.App.session(a.ups[m.up].spec.Session).Delegate})
		switch {
		case sess.delegate == "":
			a.out.recordFate(toApp, KindTaskEventDropped, m.up, "no delegate", upAttr(m.up))
		case ev.code != 0:
			a.out.recordFate(toApp, KindDelegateDidComplete, m.up, "didCompleteWithError, in the extension's process", upAttr(m.up), num(AttrCode, int64(ev.code)),
				num(AttrCancelReason, int64(ev.cancelReason)), str(AttrDelegate, sess.delegate))
		default:
			a.out.recordFate(toApp, KindDelegateDidReceiveResponse, m.up, "didReceive response, didCompleteWithError(nil), in the extension's process",
				upAttr(m.up), num(AttrStatus, int64(ev.status)), str(AttrDelegate, sess.delegate))
		}
	case appChallenge:
		a.note(KindAuthUnanswered, RuleAuthWake, "the extension's code does not answer challenges: the request will time out", upAttr(m.up))
	}
}

// appRefused is the app's own process refused a connection
// (R-ONE-PROCESS-PER-SESSION: an extension holds the identifier): the
// session is invalid at once (didBecomeInvalidWithError). The object
// stays until the code creates the identifier again, so that the failure
// of a task created on it still reaches its delegate.
func (a *app) appRefused(m msg) {
	for _, s := range a.sessions {
		if s.kind == Background && s.identifier == m.id {
			s.refused = true
		}
	}
	a.note(KindSessionInvalid, RuleOneProcessPerSession, fmt.Sprintf("didBecomeInvalidWithError: %s (%d)", ErrorName(int(m.code)), m.code),
		str(AttrIdentifier, m.id), num(AttrCode, int64(m.code)), num(AttrPid, int64(m.pid)))
}

// dropRefused forgets the process's refused session with identifier id,
// if any: creating the identifier again makes a fresh session, which
// connects again.
func (a *app) dropRefused(id string) {
	for i, s := range a.sessions {
		if s.kind == Background && s.identifier == id && s.refused {
			a.sessions = append(a.sessions[:i], a.sessions[i+1:]...)
			return
		}
	}
}
