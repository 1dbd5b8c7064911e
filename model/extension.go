package model

import (
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

// sessionExtension returns the extension whose code creates session
// name, or nil if it is the app's (or unknown).
func (a *App) sessionExtension(name string) *Extension {
	for i := range a.Extensions {
		for j := range a.Extensions[i].Sessions {
			if a.Extensions[i].Sessions[j].Name == name {
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
		for j := range out[i].Uploads {
			u := &out[i].Uploads[j]
			u.OnComplete, u.OnError = slices.Clone(u.OnComplete), slices.Clone(u.OnError)
		}
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
			case (act.Do == ExtensionOpen || act.Do == ExtensionClose) && act.Extension == "":
				k.add("timeline["+strconv.Itoa(i)+"].extension", "do: %s needs extension: NAME, one of the extensions under app.extensions (this scenario has none)", act.Do)
			case act.Do == ExtensionOpen || act.Do == ExtensionClose:
				k.add("timeline["+strconv.Itoa(i)+"].extension", "no extension named %q (this scenario has no app.extensions)%s", act.Extension, c.updateAdds(act.Extension))
			case act.Extension != "":
				k.add("timeline["+strconv.Itoa(i)+"].extension", "extension: applies only to do: extension-open and extension-close")
			}
		}
		return
	}
	if c.Server.AuthChallenge {
		// The daemon offers a challenge only to the app's process.
		k.add("server.auth_challenge", "authentication challenges are not modelled with app extensions")
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
			// The extension's code reacts to no event: its process is
			// short-lived, and a hook of the app's code would run in the
			// wrong process.
			if len(u.OnComplete) > 0 {
				k.add(up+".on_complete[0]", "code hooks are not modelled in an extension; leave on_complete out")
			}
			if len(u.OnError) > 0 {
				k.add(up+".on_error[0]", "code hooks are not modelled in an extension; leave on_error out")
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
			if act.Extension == "" {
				q := make([]string, len(names))
				for j, n := range names {
					q[j] = strconv.Quote(n)
				}
				k.add(step+"extension", "do: %s needs extension: NAME, one of the extensions under app.extensions (%s)", act.Do, strings.Join(q, ", "))
			} else if a.extension(act.Extension) == nil {
				k.add(step+"extension", "no extension named %q%s%s", act.Extension, didYouMean(act.Extension, names), c.updateAdds(act.Extension))
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
