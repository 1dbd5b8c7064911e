package model

// What the user's switches do to the daemon's tasks where Apple is silent
// and bgsim has a parameter: a force quit under force_quit: vanish, and
// Background App Refresh switched off under refresh_off: cancel.

// vanishTasks applies force_quit: vanish (R-FORCE-QUIT-CANCELS, reported
// on iOS 17 in forum thread 740564, confidence UNC): every outstanding
// task of the app's sessions is gone from the daemon, and no event for it
// is ever delivered, at a later launch or otherwise.
func (d *daemon) vanishTasks() {
	for _, sess := range d.sessions {
		for _, t := range sess.tasks {
			if t.state == done {
				continue
			}
			d.dropTask(t)
			t.vanished = true
			d.note(KindTaskVanished, RuleForceQuitCancels,
				"force_quit: vanish — the task is gone, as reported on iOS 17: no event will ever reach the app", upAttr(t.up))
		}
		d.invalidated(sess)
	}
}

// refreshOff applies Background App Refresh switched off when the app
// leaves the running states (R-BG-APP-REFRESH). With refresh_off: none,
// the default, it does nothing, as the secondary notes of WWDC20 10063
// say; with refresh_off: cancel (an assumption: when reason 1 fires is
// not documented), every outstanding task of the app's background
// sessions is cancelled with NSURLErrorCancelled (-999), reason 1
// (NSURLErrorCancelledReasonBackgroundUpdatesDisabled), and the event is
// held and delivered as any other.
func (d *daemon) refreshOff(why string) {
	if !d.cfg.BackgroundAppRefreshOff || d.cfg.Params.RefreshOff != RefreshOffCancel {
		return
	}
	for _, sess := range d.sessions {
		for _, t := range sess.tasks {
			if t.state == done {
				continue
			}
			d.finishTask(t, event{up: t.up, code: ErrCancelled, cancelReason: CancelReasonBackgroundUpdatesDisabled, rule: RuleBGAppRefresh,
				reason: why + " with Background App Refresh off (refresh_off: cancel, an assumption): the task was cancelled with NSURLErrorCancelled (-999), reason 1 (background updates disabled)"})
			d.note(KindTaskCancelled, RuleBGAppRefresh, why+" with Background App Refresh off: the task is cancelled", upAttr(t.up),
				num(AttrCode, ErrCancelled), num(AttrCancelReason, CancelReasonBackgroundUpdatesDisabled))
		}
	}
}
