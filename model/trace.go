package model

import "github.com/bgsim/bgsim/sim"

// TraceKind is what a trace record says happened. Reports key their phrases
// on it (report has a test that every kind has one).
type TraceKind string

// The trace kinds.
const (
	KindAppCrash                   TraceKind = "app.crash"
	KindAppForceQuit               TraceKind = "app.force-quit"
	KindAppHandleEvents            TraceKind = "app.handle-events"
	KindAppState                   TraceKind = "app.state"
	KindAppUpdate                  TraceKind = "app.update"
	KindAppWake                    TraceKind = "app.wake"
	KindAuthAnswered               TraceKind = "auth.answered"
	KindAuthChallenge              TraceKind = "auth.challenge"
	KindAuthUnanswered             TraceKind = "auth.unanswered"
	KindBatchDue                   TraceKind = "batch.due"
	KindBatchFlush                 TraceKind = "batch.flush"
	KindCompletionHandlerCalled    TraceKind = "completion-handler.called"
	KindCompletionHandlerNotCalled TraceKind = "completion-handler.not-called"
	KindDelegateDidComplete        TraceKind = "delegate.did-complete"
	KindDelegateDidFinishEvents    TraceKind = "delegate.did-finish-events"
	KindDelegateDidReceiveResponse TraceKind = "delegate.did-receive-response"
	KindEventDelivered             TraceKind = "event.delivered"
	KindEventRequeued              TraceKind = "event.requeued"
	KindEventsHeld                 TraceKind = "events.held"
	KindFileDeleted                TraceKind = "file.deleted"
	KindForceQuitContinue          TraceKind = "force-quit.continue"
	KindHookRun                    TraceKind = "hook.run"
	KindHookRefused                TraceKind = "hook.refused"
	KindExtensionState             TraceKind = "extension.state"
	KindSessionRefused             TraceKind = "session.refused"
	KindInterfaceBandwidth         TraceKind = "interface.bandwidth"
	KindInterfaceDown              TraceKind = "interface.down"
	KindInterfaceUp                TraceKind = "interface.up"
	KindItem                       TraceKind = "item"
	KindItemSkipped                TraceKind = "item.skipped"
	KindLedgerFate                 TraceKind = "ledger.fate"
	KindMessageStale               TraceKind = "message.stale"
	KindWakeRefused                TraceKind = "wake.refused"
	KindOutage                     TraceKind = "outage"
	KindOutageOver                 TraceKind = "outage.over"
	KindPower                      TraceKind = "power"
	KindRadioActive                TraceKind = "radio.active"
	KindRadioIdle                  TraceKind = "radio.idle"
	KindRadioOff                   TraceKind = "radio.off"
	KindRadioPromotion             TraceKind = "radio.promotion"
	KindRadioTail                  TraceKind = "radio.tail"
	KindRateLimiterReset           TraceKind = "rate-limiter.reset"
	KindRateLimiterSet             TraceKind = "rate-limiter.set"
	KindRedirectAnswered           TraceKind = "redirect.answered"
	KindRedirectFollowed           TraceKind = "redirect.followed"
	KindRedirectTooMany            TraceKind = "redirect.too-many"
	KindRequestTimedOut            TraceKind = "request.timed-out"
	KindResponseDropped            TraceKind = "response.dropped"
	KindSessionCreated             TraceKind = "session.created"
	KindSessionDuplicate           TraceKind = "session.duplicate"
	KindSessionInvalid             TraceKind = "session.invalid"
	KindSessionInvalidate          TraceKind = "session.invalidate"
	KindSessionNotRecreated        TraceKind = "session.not-recreated"
	KindSessionReconnected         TraceKind = "session.reconnected"
	KindSessionWrongIdentifier     TraceKind = "session.wrong-identifier"
	KindSystemIgnored              TraceKind = "system.ignored"
	KindTaskCancel                 TraceKind = "task.cancel"
	KindTaskCancelled              TraceKind = "task.cancelled"
	KindTaskCompleted              TraceKind = "task.completed"
	KindTaskCut                    TraceKind = "task.cut"
	KindTaskVanished               TraceKind = "task.vanished"
	KindTaskDelayed                TraceKind = "task.delayed"
	KindTaskDiscretionary          TraceKind = "task.discretionary"
	KindTaskEventDropped           TraceKind = "task.event.dropped"
	KindTaskFailed                 TraceKind = "task.failed"
	KindTaskInvalidSession         TraceKind = "task.invalid-session"
	KindTaskNotDiscretionary       TraceKind = "task.not-discretionary"
	KindTaskReceived               TraceKind = "task.received"
	KindTaskRelaxed                TraceKind = "task.relaxed"
	KindTaskResponse               TraceKind = "task.response"
	KindTaskResume                 TraceKind = "task.resume"
	KindTaskRetry                  TraceKind = "task.retry"
	KindTaskStart                  TraceKind = "task.start"
	KindTaskWaiting                TraceKind = "task.waiting"
	KindTransferConnecting         TraceKind = "transfer.connecting"
	KindTransferCut                TraceKind = "transfer.cut"
	KindTransferNoPath             TraceKind = "transfer.no-path"
	KindTransferPathLost           TraceKind = "transfer.path-lost"
	KindTransferWaiting            TraceKind = "transfer.waiting"
	KindTriggerFired               TraceKind = "trigger.fired"
	KindTriggerUnfired             TraceKind = "trigger.unfired"
	KindUploadChain                TraceKind = "upload.chain"
	KindUploadReceived             TraceKind = "upload.received"
	KindUploadResume               TraceKind = "upload.resume"
	KindUploadSkipped              TraceKind = "upload.skipped"
	KindUploadStart                TraceKind = "upload.start"
	KindUserIgnored                TraceKind = "user.ignored"
)

// TraceKinds lists every kind of record the model emits, with the actor
// that emits it, in the order of their names.
var TraceKinds = []struct {
	Actor string
	Kind  TraceKind
}{
	{"app", KindAppCrash},
	{"app", KindAppForceQuit},
	{"app", KindAppHandleEvents},
	{"app", KindAppState},
	{"app", KindAppUpdate},
	{"daemon", KindAppWake},
	{"app", KindAuthAnswered},
	{"daemon", KindAuthAnswered},
	{"network", KindAuthAnswered},
	{"daemon", KindAuthChallenge},
	{"network", KindAuthChallenge},
	{"server", KindAuthChallenge},
	{"app", KindAuthUnanswered},
	{"daemon", KindAuthUnanswered},
	{"app", KindBatchDue},
	{"app", KindBatchFlush},
	{"app", KindCompletionHandlerCalled},
	{"app", KindCompletionHandlerNotCalled},
	{"app", KindDelegateDidComplete},
	{"app", KindDelegateDidFinishEvents},
	{"app", KindDelegateDidReceiveResponse},
	{"daemon", KindEventDelivered},
	{"daemon", KindEventRequeued},
	{"daemon", KindEventsHeld},
	{"app", KindFileDeleted},
	{"daemon", KindForceQuitContinue},
	{"app", KindHookRefused},
	{"app", KindHookRun},
	{"network", KindInterfaceBandwidth},
	{"network", KindInterfaceDown},
	{"network", KindInterfaceUp},
	{"app", KindItem},
	{"app", KindItemSkipped},
	{"app", KindLedgerFate},
	{"app", KindMessageStale},
	{"app", KindWakeRefused},
	{"network", KindOutage},
	{"network", KindOutageOver},
	{"daemon", KindPower},
	{"radio", KindRadioActive},
	{"radio", KindRadioIdle},
	{"radio", KindRadioOff},
	{"radio", KindRadioPromotion},
	{"radio", KindRadioTail},
	{"daemon", KindRateLimiterReset},
	{"daemon", KindRateLimiterSet},
	{"server", KindRedirectAnswered},
	{"network", KindRedirectFollowed},
	{"network", KindRedirectTooMany},
	{"network", KindRequestTimedOut},
	{"network", KindResponseDropped},
	{"app", KindSessionCreated},
	{"app", KindSessionDuplicate},
	{"app", KindSessionInvalid},
	{"app", KindSessionInvalidate},
	{"app", KindSessionNotRecreated},
	{"daemon", KindSessionReconnected},
	{"app", KindExtensionState},
	{"daemon", KindSessionRefused},
	{"app", KindSessionWrongIdentifier},
	{"app", KindSystemIgnored},
	{"app", KindTaskCancel},
	{"daemon", KindTaskCancelled},
	{"daemon", KindTaskCompleted},
	{"app", KindTaskCut},
	{"daemon", KindTaskDelayed},
	{"daemon", KindTaskDiscretionary},
	{"app", KindTaskEventDropped},
	{"app", KindTaskFailed},
	{"daemon", KindTaskFailed},
	{"app", KindTaskInvalidSession},
	{"daemon", KindTaskNotDiscretionary},
	{"daemon", KindTaskReceived},
	{"daemon", KindTaskRelaxed},
	{"app", KindTaskResponse},
	{"app", KindTaskResume},
	{"daemon", KindTaskRetry},
	{"daemon", KindTaskStart},
	{"daemon", KindTaskVanished},
	{"daemon", KindTaskWaiting},
	{"network", KindTransferConnecting},
	{"network", KindTransferCut},
	{"network", KindTransferNoPath},
	{"network", KindTransferPathLost},
	{"network", KindTransferWaiting},
	{"app", KindTriggerFired},
	{"daemon", KindTriggerFired},
	{"network", KindTriggerFired},
	{"app", KindTriggerUnfired},
	{"daemon", KindTriggerUnfired},
	{"network", KindTriggerUnfired},
	{"app", KindUploadChain},
	{"server", KindUploadReceived},
	{"app", KindUploadResume},
	{"app", KindUploadSkipped},
	{"app", KindUploadStart},
	{"app", KindUserIgnored},
}

// AttrKey names an attribute of a trace record.
type AttrKey string

// The attribute keys.
const (
	AttrAction          AttrKey = "action"
	AttrApi             AttrKey = "api"
	AttrBatch           AttrKey = "batch"
	AttrBytes           AttrKey = "bytes"
	AttrCancelReason    AttrKey = "cancel_reason"
	AttrCellular        AttrKey = "cellular"
	AttrCharging        AttrKey = "charging"
	AttrCode            AttrKey = "code"
	AttrCurrent         AttrKey = "current"
	AttrDelay           AttrKey = "delay"
	AttrDelegate        AttrKey = "delegate"
	AttrDownBps         AttrKey = "down_bps"
	AttrEvents          AttrKey = "events"
	AttrExtension       AttrKey = "extension"
	AttrException       AttrKey = "exception"
	AttrExit            AttrKey = "exit"
	AttrFate            AttrKey = "fate"
	AttrFor             AttrKey = "for"
	AttrFrom            AttrKey = "from"
	AttrFromByte        AttrKey = "from_byte"
	AttrHeld            AttrKey = "held"
	AttrHow             AttrKey = "how"
	AttrIdentifier      AttrKey = "identifier"
	AttrIgnoredDelegate AttrKey = "ignored_delegate"
	AttrInterface       AttrKey = "interface"
	AttrHop             AttrKey = "hop"
	AttrHook            AttrKey = "hook"
	AttrItem            AttrKey = "item"
	AttrItems           AttrKey = "items"
	AttrLeft            AttrKey = "left"
	AttrLostBytes       AttrKey = "lost_bytes"
	AttrLowPowerMode    AttrKey = "low_power_mode"
	AttrMessage         AttrKey = "message"
	AttrMethod          AttrKey = "method"
	AttrMilliwatts      AttrKey = "milliwatts"
	AttrOffset          AttrKey = "offset"
	AttrPhase           AttrKey = "phase"
	AttrPid             AttrKey = "pid"
	AttrReceipt         AttrKey = "receipt"
	AttrRecreate        AttrKey = "recreate"
	AttrRecreated       AttrKey = "recreated"
	AttrSent            AttrKey = "sent"
	AttrSession         AttrKey = "session"
	AttrState           AttrKey = "state"
	AttrStatus          AttrKey = "status"
	AttrStep            AttrKey = "step"
	AttrSteps           AttrKey = "steps"
	AttrTakes           AttrKey = "takes"
	AttrTo              AttrKey = "to"
	AttrUpBps           AttrKey = "up_bps"
	AttrUpload          AttrKey = "upload"
	AttrVersion         AttrKey = "version"
	AttrWas             AttrKey = "was"
	AttrWifi            AttrKey = "wifi"
)

func str(k AttrKey, v string) sim.Attr    { return sim.String(string(k), v) }
func num(k AttrKey, v int64) sim.Attr     { return sim.Int(string(k), v) }
func span(k AttrKey, v sim.Time) sim.Attr { return sim.At(string(k), v) }
