package model

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// An app extension (a share extension, say) is a second process of the
// app, with its own pid, sessions and code (R-ONE-PROCESS-PER-SESSION).
// It is short-lived: the user opens it (do: extension-open), its code
// starts uploads in background sessions, and it ends (do:
// extension-close) while nsurlsessiond carries them on. The daemon keeps
// one connected process per identifier: a second process that connects
// to an identifier another holds gets -996, an extension's background
// session without a shared container gets -995, and the events of an
// extension's session whose process has ended wake the containing app
// with that identifier.
//
// In the model the extension's process lives in the app actor (app.ext),
// in a pid range of its own (extPidBase and up), so the app's pids, and
// every run without extensions, are what they were.

// Extension is an app extension's code, as data.
type Extension struct {
	Name string
	// Sessions are the background sessions its code creates; Uploads the
	// uploads it starts (each on one of Sessions). Names are unique
	// across the app and all its extensions.
	Sessions []Session
	Uploads  []Upload
}

// The extension steps of the timeline (Action.Extension names it).
const (
	ExtensionOpen  ActionKind = "extension-open"  // the user opens the extension (the share sheet): its process starts
	ExtensionClose ActionKind = "extension-close" // the extension finishes: its process ends
)

// The URL errors of R-ONE-PROCESS-PER-SESSION.
const (
	// ErrBackgroundSessionRequiresSharedContainer: an extension's
	// background session has no sharedContainerIdentifier.
	ErrBackgroundSessionRequiresSharedContainer = -995
	// ErrBackgroundSessionInUseByAnotherProcess: another process is
	// connected to the identifier.
	ErrBackgroundSessionInUseByAnotherProcess = -996
)

// extPidBase is the first pid of an extension's process; the n-th
// extension process to start is extPidBase+n-1. The app's own processes
// are numbered 1, 2, ... as before.
const extPidBase int32 = 1 << 24

func isExtPid(pid int32) bool { return pid >= extPidBase }

// extSession returns the extension session called name, or nil.
func (a *App) extSession(name string) *Session {
	for i := range a.Extensions {
		for j := range a.Extensions[i].Sessions {
			if a.Extensions[i].Sessions[j].Name == name {
				return &a.Extensions[i].Sessions[j]
			}
		}
	}
	return nil
}

// extUpload returns the extension upload called name, or nil.
func (a *App) extUpload(name string) *Upload {
	for i := range a.Extensions {
		for j := range a.Extensions[i].Uploads {
			if a.Extensions[i].Uploads[j].Name == name {
				return &a.Extensions[i].Uploads[j]
			}
		}
	}
	return nil
}

// uploadExtension returns the extension whose code starts upload name,
// or nil if it is the app's (or unknown).
func (a *App) uploadExtension(name string) *Extension {
	for i := range a.Extensions {
		for j := range a.Extensions[i].Uploads {
			if a.Extensions[i].Uploads[j].Name == name {
				return &a.Extensions[i]
			}
		}
	}
	return nil
}

func (a *App) extension(name string) *Extension {
	for i := range a.Extensions {
		if a.Extensions[i].Name == name {
			return &a.Extensions[i]
		}
	}
	return nil
}

// extGivenSession is, for handleEventsForBackgroundURLSession with
// recreate: given, an extension's session configuration that makes id:
// the containing app is woken with the extension's identifier and
// creates a session with it (R-ONE-PROCESS-PER-SESSION), from the same
// configuration.
func (a *App) extGivenSession(id string) *Session {
	for i := range a.Extensions {
		for j := range a.Extensions[i].Sessions {
			if s := &a.Extensions[i].Sessions[j]; s.Identifier == id {
				return s
			}
		}
	}
	return nil
}

// extUploadCreating returns the first extension upload whose code
// creates identifier id when it starts, "" if none (for App.creates).
func (a *App) extUploadCreating(id string) string {
	for i := range a.Extensions {
		e := &a.Extensions[i]
		for j := range e.Uploads {
			for k := range e.Sessions {
				if e.Sessions[k].Name == e.Uploads[j].Session && e.Sessions[k].Identifier == id {
					return e.Uploads[j].Name
				}
			}
		}
	}
	return ""
}

func cloneExtensions(l []Extension) []Extension {
	if l == nil {
		return nil
	}
	out := make([]Extension, len(l))
	for i, e := range l {
		out[i] = Extension{Name: e.Name, Sessions: append([]Session(nil), e.Sessions...), Uploads: append([]Upload(nil), e.Uploads...)}
	}
	return out
}

// checkExtensions is Config.Check for the extensions and their steps.
// What an extension's code does is modelled for upload-from-file tasks on
// background sessions created by the upload code; the rest is refused
// rather than run wrongly.
func (c *Config) checkExtensions(k *checker) {
	a := &c.App
	if len(a.Extensions) == 0 {
		// Only steps can name an extension; checking a Config without
		// any allocates nothing.
		for i, act := range c.Timeline {
			switch {
			case act.Do == ExtensionOpen || act.Do == ExtensionClose:
				k.add("timeline["+strconv.Itoa(i)+"].extension", "no extension named %q (this scenario has no app.extensions)", act.Extension)
			case act.Extension != "":
				k.add("timeline["+strconv.Itoa(i)+"].extension", "extension: applies only to do: extension-open and extension-close")
			}
		}
		return
	}
	var names []string
	taken := map[string]string{} // session and upload names: where first
	for _, s := range a.Sessions {
		taken["s"+s.Name] = "app.sessions"
	}
	for _, u := range a.Uploads {
		taken["u"+u.Name] = "app.uploads"
	}
	for i := range a.Extensions {
		e := &a.Extensions[i]
		path := "app.extensions." + e.Name
		if e.Name == "" {
			k.add("app.extensions", "an extension needs a name")
		}
		if slices.Contains(names, e.Name) {
			k.add(path, "two extensions are called %q", e.Name)
		}
		names = append(names, e.Name)
		if len(e.Sessions) == 0 {
			k.add(path+".sessions", "an extension needs at least one background session")
		}
		for _, s := range e.Sessions {
			sp := path + ".sessions." + s.Name
			if where, ok := taken["s"+s.Name]; ok {
				k.add(sp, "a session called %q is under %s already; names are unique across the app and its extensions", s.Name, where)
			}
			taken["s"+s.Name] = path + ".sessions"
			if s.Kind != Background {
				k.add(sp+".kind", "an extension's sessions are modelled as background sessions only")
			}
			switch {
			case s.Identifier == "":
				k.add(sp+".identifier", "a background session needs an identifier")
			case strings.ContainsAny(s.Identifier, "{}"):
				k.add(sp+".identifier", "%q: an extension's identifier is a fixed string (%s is for the app's processes)", s.Identifier, LaunchToken)
			}
			if s.ResourceTimeout != 0 { // 0: the default
				inRow(k, "app.sessions.<name>.resource_timeout", sp+".resource_timeout", int64(s.ResourceTimeout))
			}
			if s.RequestTimeout != 0 {
				inRow(k, "app.sessions.<name>.request_timeout", sp+".request_timeout", int64(s.RequestTimeout))
			}
			if s.Auth != "" && s.Auth != AuthNone {
				k.add(sp+".auth", "authentication challenges are not modelled in an extension; leave auth out")
			}
		}
		for _, u := range e.Uploads {
			up := path + ".uploads." + u.Name
			if where, ok := taken["u"+u.Name]; ok {
				k.add(up, "an upload called %q is under %s already; names are unique across the app and its extensions", u.Name, where)
			}
			taken["u"+u.Name] = path + ".uploads"
			found := false
			var choices []string
			for _, s := range e.Sessions {
				found = found || s.Name == u.Session
				choices = append(choices, s.Name)
			}
			if !found {
				k.add(up+".session", "no session named %q in extension %s%s", u.Session, e.Name, didYouMean(u.Session, choices))
			}
			inRow(k, "app.uploads.<name>.size", up+".size", u.Bytes)
			inRow(k, "app.uploads.<name>.begin_after", up+".begin_after", int64(u.BeginAfter))
			switch {
			case u.API != UploadFromFile && u.API != "":
				k.add(up+".api", "an extension's uploads are modelled as upload-from-file only, found %s", u.API)
			case u.CompletionHandler || u.TaskDelegate || u.RequestClass != "" || u.Chain != 0 || u.OnFailure != OnFailureNone || u.DeleteFile:
				k.add(up, "completion_handler, task_delegate, request_class, delete_file, chain and on_failure are not modelled in an extension")
			}
		}
	}
	// The app's code does not create an extension's sessions by name
	// (only handleEventsForBackgroundURLSession with recreate: given, with
	// the identifier iOS passes), and no app upload uses one.
	for _, l := range []struct {
		path  string
		names []string
	}{{"app.at_launch", a.AtLaunch}, {"app.at_user_launch", a.AtUserLaunch}, {"app.at_background_launch", a.AtBackgroundLaunch}} {
		for i, n := range l.names {
			if a.extSession(n) != nil {
				k.add(l.path+"["+strconv.Itoa(i)+"]", "%q is an extension's session: the app's code creates only its own", n)
			}
		}
	}
	if r := a.HandleEvents.Recreate; r != RecreateGiven && r != RecreateNone && a.extSession(r) != nil {
		k.add("app.handle_events.recreate", "%q is an extension's session: name one of the app's, or given", r)
	}
	if w := a.Workload; w != nil && a.extSession(w.Session) != nil {
		k.add("app.workload.session", "%q is an extension's session: name one of the app's", w.Session)
	}
	for _, u := range a.Uploads {
		if a.extSession(u.Session) != nil {
			k.add("app.uploads."+u.Name+".session", "%q is an extension's session: an app upload uses one of the app's", u.Session)
		}
	}
	for i, act := range c.Timeline {
		step := "timeline[" + strconv.Itoa(i) + "]."
		switch act.Do {
		case ExtensionOpen, ExtensionClose:
			if a.extension(act.Extension) == nil {
				k.add(step+"extension", "no extension named %q%s", act.Extension, didYouMean(act.Extension, names))
			}
		case Cancel, Resume:
			if a.extUpload(act.Upload) != nil {
				k.add(step+"upload", "do: %s is not modelled for an extension's upload", act.Do)
			}
		case Invalidate, CreateSession:
			if a.extSession(act.Session) != nil {
				k.add(step+"session", "do: %s is not modelled for an extension's session", act.Do)
			}
		}
		if act.Extension != "" && act.Do != ExtensionOpen && act.Do != ExtensionClose {
			k.add(step+"extension", "extension: applies only to do: extension-open and extension-close")
		}
	}
}

// inRow checks v, written at path, against the range of the ParamTable
// row for the app's own sessions and uploads: an extension's are the
// same settings, with the same ranges.
func inRow(k *checker, row, path string, v int64) {
	for i := range ParamTable {
		if p := &ParamTable[i]; p.Path == row && (v < int64(p.Min) || v > int64(p.Max)) {
			k.add(path, "%s, found %s", p.Range(), p.Unit.textInt(v))
		}
	}
}

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
				a.note(KindMessageStale, RuleOneProcessPerSession, "the extension's process ended before its task's refusal reached it",
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
