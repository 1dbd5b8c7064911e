package model

import "fmt"

// ruling is a fate with the rule that decided it and the reason in words.
type ruling struct {
	fate   Fate
	rule   RuleID
	reason string
}

// fateOf draws the fate of upload f.up from f, a fact of what the app's
// code learned of it during the run (factEventReached, ...,
// factNotRunning). It is the one place such a fate is drawn: the app never
// rules on an upload, it reports what it learnt, and the ledger applies
// what fateOf draws as it observes the fact. The end-of-run verdicts are
// further down.
func fateOf(f *fact) ruling {
	switch f.kind {
	case factEventReached:
		return eventRuling(f)
	case factInProcessResponse:
		return ruling{Delivered, RuleInProcessTransfer, "the response reached the running app's " + f.delegate}
	case factInProcessError:
		return ruling{Failed, RuleInProcessTransfer, fmt.Sprintf("an in-process task does not wait or retry: it failed with %d %s", f.code, ErrorName(f.code))}
	case factCut:
		return ruling{Failed, RuleInProcessTransfer,
			fmt.Sprintf("suspension cut the in-process connection; the task failed with %s (%d) when the app came back", ErrorName(f.code), f.code)}
	case factProcessEnded:
		return ruling{Lost, RuleInProcessTransfer, fmt.Sprintf("the app's process ended (%s) with the task inside it; no later process will hear of it", f.name)}
	case factCrash:
		return ruling{NeverSent, f.rule, fmt.Sprintf("creating the task threw %s (%q) and crashed the app, so nsurlsessiond never had it", f.name, f.reason)}
	case factInvalidated:
		return ruling{NeverSent, RuleInvalidatedSessionNewTask, "the code created the task on a session it had invalidated, which returns a task that never runs; nsurlsessiond never had it"}
	case factUnheard:
		return ruling{Lost, f.rule, fmt.Sprintf("the task failed at once with %s (%d), but the %s before the failure reached it; the daemon keeps nothing for it", ErrorName(f.code), f.code, f.name)}
	case factNotRunning:
		return ruling{NeverSent, "", fmt.Sprintf("the app was %s, so its code could not start the upload", f.name)}
	}
	panic(fmt.Sprintf("model: fateOf: fact %v decides no fate", f.kind))
}

// eventRuling is a background task's outcome reaching the app's session
// f.session: with no delegate it is lost; otherwise it is delivered or
// failed, under the daemon's rule unless the delegate is not the one the
// code gave the upload's own session (another session created the
// identifier first in that process).
func eventRuling(f *fact) ruling {
	if f.delegate == "" {
		return ruling{Lost, RuleDelegateRequired, "the session " + f.session + " has no delegate, so its events have nowhere to go"}
	}
	rule, reason := f.rule, f.reason
	if f.specDelegate != f.delegate {
		rule = RuleDupIDSameProcess
		reason = fmt.Sprintf("%s; it went to %s, the delegate of the first session with identifier %s, not to %s",
			reason, f.delegate, f.session, orNone(f.specDelegate))
	}
	if f.code != 0 {
		return ruling{Failed, rule, reason}
	}
	return ruling{Delivered, rule, reason}
}

// verdict decides the end-of-run fate and rule of a background upload that
// is still open, from recorded causes only: what the daemon reports of it
// (t), the rule that keeps it off every network path (netWait, "" if none),
// the app's code as the one query App.creates answers it for processes
// after the last one (lastPid), whether that process is alive and still
// holds the session (live), whether any process of the app is running
// (running: a wake then resumes it rather than launching one), and what
// the app did on each wake (wakes). It is the only place such a verdict
// is drawn.
func verdict(t taskReport, netWait RuleID, code *App, lastPid int32, live, running bool, wakes []wakeReport) (Fate, RuleID, string) {
	if !t.known {
		return Pending, RuleOutOfProcess, "the task was on its way to the daemon when the run ended"
	}
	if t.vanished {
		return Lost, RuleForceQuitCancels, "the user force quit the app and the task vanished, as reported on iOS 17 (force_quit: vanish): the daemon holds nothing for it, so no event will ever reach the app"
	}
	switch t.state {
	case waiting:
		rule, why := t.holdRule, t.holdWhy
		if rule == "" {
			rule, why = RuleOutOfProcess, "the task was about to start"
		}
		return Pending, rule, "the daemon holds the task: " + why
	case transferring:
		if netWait != "" {
			return Pending, netWait, "the task is waiting for a network path it may use"
		}
		if t.challenge {
			return Pending, RuleAuthWake, "the server's authentication challenge waits for the app's delegate to answer; unanswered, the task fails with -1001 when its request timeout runs out"
		}
		return Pending, RuleOutOfProcess, "the daemon is still transferring the task"
	}
	ev := t.held
	if ev == nil {
		return Pending, RuleUploadResponseDelivery, "the outcome was on its way to the app when the run ended"
	}
	outcome := fmt.Sprintf("the response (HTTP %d)", ev.status)
	if ev.code != 0 {
		outcome = fmt.Sprintf("the error %d", ev.code)
	}
	id := t.session
	// The held event reaches the app when a process creates its
	// identifier: a wake under way whose handleEvents creates it, the
	// launch code at the next user launch, a wake still due (whose
	// handleEvents, or whose background launch's code, creates it), or
	// the upload code, which creates its session when it next starts.
	// Lost only when no code path the app has creates it again
	// (R-RECONNECT-SAME-ID). Code that runs only at background launches
	// runs only when a wake finds no process (R-PURGED-APP-RELAUNCHED).
	use := code.creates(id, lastPid)
	if use.handleEvents && t.wake != "" {
		return Pending, t.wake.Rule(), fmt.Sprintf("the daemon holds %s; iOS is waking the app for %s (%s), and its handleEventsForBackgroundURLSession recreates %s, so the wake delivers it",
			outcome, id, t.wake, id)
	}
	if use.bgLaunch && t.wake != "" && !running {
		return Pending, t.wake.Rule(), fmt.Sprintf("the daemon holds %s; iOS is launching the app in the background for %s (%s), and its background launch code creates %s, so the wake delivers it",
			outcome, id, t.wake, id)
	}
	wrongID := false
	for _, w := range wakes {
		if w.id == id && w.wrongID {
			wrongID = true
		}
	}
	wakeDue := !ev.announced && !ev.quiet && !t.forceQuit && t.launchEvents
	var how string
	switch {
	case live:
		how = fmt.Sprintf("the app's process is alive and still has the session %s, so the event reaches it when the app next runs", id)
	case use.launch:
		how = fmt.Sprintf("the app's launch code recreates %s, so the next launch delivers it", id)
	case use.handleEvents && wakeDue:
		how = fmt.Sprintf("iOS has yet to wake the app for %s, and its handleEventsForBackgroundURLSession recreates it, so that wake delivers it", id)
	case use.bgLaunch && wakeDue && !running:
		how = fmt.Sprintf("iOS has yet to wake the app for %s, which launches it in the background, and its background launch code creates %s, so that wake delivers it", id, id)
	case use.upload != "":
		how = fmt.Sprintf("it is delivered when the app next creates %s: its upload code does, when it next starts %s", id, use.upload)
	case use.extUpload != "":
		how = fmt.Sprintf("it is delivered when an extension's process next creates %s: its upload code does, when it next starts %s (R-ONE-PROCESS-PER-SESSION)", id, use.extUpload)
	}
	if how != "" {
		rule := RuleReconnectSameID
		switch {
		case !t.launchEvents:
			rule = RuleSendLaunchEventsFalse
		case t.forceQuit:
			rule = RuleForceQuitCancels
		case wrongID:
			rule = RuleWrongIDOnRecreate
		}
		return Pending, rule, fmt.Sprintf("the daemon holds %s; %s", outcome, how)
	}
	if use.bgLaunch && !t.launchEvents {
		return Lost, RuleSendLaunchEventsFalse, fmt.Sprintf("the daemon holds %s under %s; only the app's background launch code creates %s, and with sessionSendsLaunchEvents false iOS never launches the app in the background for it", outcome, id, id)
	}
	if wrongID {
		return Lost, RuleWrongIDOnRecreate,
			fmt.Sprintf("the daemon holds %s under %s, but the app, woken for %s, recreated another identifier, and none of its code (launch, handleEventsForBackgroundURLSession, uploads) creates %s again", outcome, id, id, id)
	}
	return Lost, RuleReconnectSameID, fmt.Sprintf("the daemon holds %s under %s, and none of the app's code (launch, handleEventsForBackgroundURLSession, uploads) creates %s again", outcome, id, id)
}

// inProcessVerdict decides the end-of-run fate of a shared-session upload
// still open: cut tells whether suspension cut its connection, and code is
// the error it fails with when the app comes back (Params.InProcessCutCode).
func inProcessVerdict(cut bool, code int) (Fate, RuleID, string) {
	if cut {
		return Pending, RuleInProcessTransfer,
			fmt.Sprintf("suspension cut the in-process connection; the task will fail with %d when the app is resumed, and vanish if it is terminated first", code)
	}
	return Pending, RuleInProcessTransfer, "the in-process task is still running"
}
