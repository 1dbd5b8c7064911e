package model

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bgsim/bgsim/sim"
)

// A new version of the app's code, installed mid-run (do: update_app).
//
// Apple documents what happens to a background session's tasks when the
// system terminates the app (they go on in nsurlsessiond, and iOS
// relaunches the app for their events) and when the user force quits it
// (they are cancelled): BG-ID. It says nothing of an update. bgsim's
// reading, R-APP-UPDATE, is an assumption: installing the update
// terminates the running process as the system does, not as a force quit
// (the app is not marked as swiped away, so iOS still launches it for
// events); the daemon keeps the tasks (params.update_keeps_tasks: true,
// the default) or cancels them with -999 (false). Every process after the
// update runs the new code: its launch code, its
// handleEventsForBackgroundURLSession, its upload code, and App.creates
// for the end-of-run verdict, so a response held under an identifier only
// the old code created is lost.

// exitUpdated is why a process the update ended ended.
const exitUpdated = "updated"

// appVersion is the code an update replaced, and when.
type appVersion struct {
	at   sim.Time
	code App
}

// update installs act.App as the app's code: the running process, if
// any, is terminated first (R-APP-UPDATE).
func (a *app) update(act Action) {
	n := len(a.versions) + 2 // the version the update installs
	if a.state != notRunning {
		a.terminate(exitUpdated, RuleAppUpdate, fmt.Sprintf("iOS terminates the app to install version %d of its code", n))
	}
	a.versions = append(a.versions, appVersion{at: a.now, code: a.cfg.App})
	a.cfg.App = *act.App
	// The uploads the old code created are the new code's from now on:
	// what their events run (chain, on_failure) is the new version's.
	// An update keeps every upload name (Config.Check).
	for i := range a.ups {
		a.ups[i].spec = a.cfg.App.upload(a.ups[i].spec.Name)
	}
	keeps := "the daemon keeps the app's background tasks (params.update_keeps_tasks: true, an assumption)"
	if a.cfg.Params.UpdateCancelsTasks {
		keeps = "the daemon cancels the app's background tasks (params.update_keeps_tasks: false, an assumption)"
	}
	a.note(KindAppUpdate, RuleAppUpdate, fmt.Sprintf("version %d of the app's code is installed; every later process runs it; %s", n, keeps),
		num(AttrVersion, int64(n)))
}

// appUpdated is the daemon learning that the update ended the app's
// process: under params.update_keeps_tasks: false it cancels every task
// of the app's background sessions with -999; the event reaches the app
// as any other (R-APP-UPDATE).
func (d *daemon) appUpdated() {
	if !d.cfg.Params.UpdateCancelsTasks {
		return
	}
	for _, sess := range d.sessions {
		for _, t := range sess.tasks {
			if t.state == done {
				continue
			}
			d.finishTask(t, event{up: t.up, code: ErrCancelled, rule: RuleAppUpdate,
				reason: "the app update cancelled the task with NSURLErrorCancelled (-999) (params.update_keeps_tasks: false, an assumption)"})
			d.note(KindTaskCancelled, RuleAppUpdate, "the app update cancels the task", upAttr(t.up), num(AttrCode, ErrCancelled))
		}
	}
}

// updateReason adds to the reason of a background upload lost under
// identifier id the update that removed the code creating it: an earlier
// version creates id, the code at the end of the run never does.
func (a *app) updateReason(fate Fate, id, reason string) string {
	if fate != Lost || len(a.versions) == 0 || a.cfg.App.creates(id, 0).any() {
		return reason
	}
	for i := len(a.versions) - 1; i >= 0; i-- {
		if a.versions[i].code.creates(id, 0).any() {
			return fmt.Sprintf("%s: the app update at %v installed code that no longer creates %s (version %d does not; version %d did)",
				reason, a.versions[i].at, id, i+2, i+1)
		}
	}
	return reason
}

// checkUpdate checks an update_app step: the code it installs is checked
// as a whole app, its problems reported under the step
// (timeline[i].app...), but not those the app before any update has
// already (reported under app:).
func (c *Config) checkUpdate(k *checker, i int, a *Action) {
	step := "timeline[" + fmt.Sprint(i) + "]."
	if a.App == nil {
		k.add(step+"app", "do: update_app needs app: the keys the new version of the code changes")
		return
	}
	if c.App.Workload != nil || a.App.Workload != nil {
		k.add(step+"do", "do: update_app is not modelled for an app with a workload (app.workload)")
		return
	}
	for _, s := range c.App.Sessions {
		if a.App.session(s.Name) == nil {
			k.add(step+"app.sessions", "the new code has no session %q; an update keeps every session of the code before it", s.Name)
		}
	}
	for _, u := range c.App.Uploads {
		if a.App.upload(u.Name) == nil {
			k.add(step+"app.uploads", "the new code has no upload %q; an update keeps every upload of the code before it", u.Name)
		}
	}
	before := appProblems(c, &c.App)
	for _, e := range appProblems(c, a.App) {
		if !slices.ContainsFunc(before, func(b *FieldError) bool { return *b == *e }) {
			k.add(step+e.Path, "%s", e.Msg)
		}
	}
}

// appProblems are the problems Check finds in code, as the app of c:
// those of its paths under app.
func appProblems(c *Config, code *App) []*FieldError {
	sub := Config{IOS: c.IOS, Params: c.Params, App: *code}
	var k checker
	for i := range ParamTable {
		if strings.HasPrefix(ParamTable[i].Path, "app.") {
			ParamTable[i].check(&sub, &k)
		}
	}
	sub.checkApp(&k)
	sub.checkHooks(&k)
	var out []*FieldError
	for _, e := range k.list {
		if strings.HasPrefix(e.Path, "app.") {
			out = append(out, e)
		}
	}
	return out
}

// clone returns a copy of a whose slices and pointers are its own.
func (a *App) clone() *App {
	d := *a
	d.Sessions = slices.Clone(a.Sessions)
	d.Uploads = slices.Clone(a.Uploads)
	d.AtLaunch = slices.Clone(a.AtLaunch)
	d.AtUserLaunch = slices.Clone(a.AtUserLaunch)
	d.AtBackgroundLaunch = slices.Clone(a.AtBackgroundLaunch)
	if w := a.Workload; w != nil {
		w2 := *w
		d.Workload = &w2
	}
	d.Extensions = cloneExtensions(a.Extensions)
	d.cloneHooks()
	return &d
}
