package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// Explain writes, for each upload that was not delivered, a paragraph in
// plain words: what happened, the rule that decided it and where that rule
// comes from, and what the app's code would have to change. It is written
// for someone learning the topic, at a terminal: the scenario's text is
// made TerminalSafe.
func Explain(w io.Writer, runs []*model.Result) error {
	return ExplainText(w, runs, TextOptions{})
}

// ExplainText is Explain wrapped at o.Width columns, at word boundaries.
func ExplainText(w io.Writer, runs []*model.Result, o TextOptions) error {
	width := o.width()
	compact := false // the last run had nothing to explain
	for _, r := range runs {
		paras := explanations(r)
		if len(paras) == 1 && paras[0] == nothingToExplain {
			// One line per such run, consecutive ones together.
			if !compact {
				fmt.Fprintln(w)
			}
			fmt.Fprintf(w, "%s\n", hang("Why: "+TerminalSafe(runLabel(r))+": all delivered, nothing to explain.", width, "    "))
			compact = true
			continue
		}
		compact = false
		heading := hang("Why: "+TerminalSafe(runLabel(r)), width, "")
		fmt.Fprintf(w, "\n%s\n%s\n", heading, strings.Repeat("─", textWidth(heading)))
		for _, p := range paras {
			fmt.Fprintf(w, "%s\n\n", hang(TerminalSafe(p), width, ""))
		}
	}
	return nil
}

const nothingToExplain = "Every upload's response reached the app: nothing to explain."

// explanations returns the paragraphs explaining a run's undelivered
// uploads and those delivered with an HTTP error status, or one saying
// there is nothing to explain.
func explanations(r *model.Result) []string {
	var paras []string
	for i := range r.Uploads {
		switch u := &r.Uploads[i]; {
		case u.Fate != model.Delivered:
			paras = append(paras, explainUpload(r, u))
		case u.ErrorCode == 0 && u.Status >= 400:
			paras = append(paras, explainHTTPError(u))
		case u.ServerReceivedAt == sim.Never:
			paras = append(paras, explainNeverReceived(u))
		}
	}
	for _, t := range r.Terminations {
		if t.Rule == model.RuleNoCompletionCallPenalty {
			paras = append(paras, explainNoCompletionCall(r, t))
			break
		}
	}
	if len(paras) == 0 {
		return []string{nothingToExplain}
	}
	return paras
}

var fateWords = map[model.Fate]string{
	model.Failed:    "failed: the app was told the task ended with an error",
	model.Lost:      "was lost: the app will never learn what became of it",
	model.Pending:   "was still pending when the run ended",
	model.NeverSent: "was never sent: nsurlsessiond never had it",
}

func explainUpload(r *model.Result, u *model.UploadRecord) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Upload %s (%s, %s) %s.", u.ID, u.Spec, Bytes(u.Bytes), fateWords[u.Fate])
	if u.ServerReceivedAt != sim.Never {
		fmt.Fprintf(&b, " The server had received it in full at %s, so the data arrived although the app does not know.", When(u.ServerReceivedAt))
	}
	fmt.Fprintf(&b, " What happened: %s.", u.Reason)
	rule, ok := model.LookupRule(string(u.Rule))
	if !ok {
		return b.String()
	}
	fmt.Fprintf(&b, " The rule is %s, %s: %s", rule.ID, lowerFirst(rule.Title), rule.Explanation)
	if len(rule.Sources) > 0 {
		src := model.Sources[rule.Sources[0]]
		if i := strings.Index(src, " — "); i >= 0 {
			src = src[:i]
		}
		fmt.Fprintf(&b, " (Source: %s; how sure: %s.)", src, confidenceWords(rule.Confidence))
	}
	if rule.Fix != "" {
		fmt.Fprintf(&b, " What the app's code would have to do: %s.", rule.Fix)
	}
	return b.String()
}

// explainNoCompletionCall explains a termination because the code never
// called a wake's completion handler, with what the app's awake time in
// background wakes cost (R-NO-COMPLETION-CALL-PENALTY).
func explainNoCompletionCall(r *model.Result, t model.Termination) string {
	var b strings.Builder
	fmt.Fprintf(&b, "At %s iOS terminated the app instead of suspending it: woken in the background, its code never called "+
		"the completion handler handleEventsForBackgroundURLSession gave it, so it stayed awake until its allowance ran out.", When(t.At))
	fmt.Fprintf(&b, " Over the run the app was awake %s in background wakes, %s of CPU energy at params.wake_cpu_watts, "+
		"counted apart from the radios.", When(r.WakeAwake)[1:], joules(r.WakeCPUJoules))
	rule, ok := model.LookupRule(string(t.Rule))
	// A code that stores the handler and calls it from
	// urlSessionDidFinishEvents never gets to call it when the wake's
	// events never reach it: it created another identifier. The fix is
	// then the identifier, not the handler.
	for _, w := range r.Wakes {
		if a := w.App; a != nil && a.WrongID && a.StoredHandler && a.HandlerCalledAt == sim.Never && a.At <= t.At && w.EndAt >= t.At {
			fmt.Fprintf(&b, " The code did store the handler, to call it from urlSessionDidFinishEvents; but woken for %s it created %s,"+
				" so the events for %s stayed in the daemon and urlSessionDidFinishEvents never came.",
				w.Session, strings.Join(a.Recreated, " and "), w.Session)
			rule, ok = model.LookupRule(string(model.RuleWrongIDOnRecreate))
			break
		}
	}
	if ok {
		fmt.Fprintf(&b, " The rule is %s, %s: %s", rule.ID, lowerFirst(rule.Title), rule.Explanation)
		if rule.Fix != "" {
			fmt.Fprintf(&b, " What the app's code would have to do: %s.", rule.Fix)
		}
	}
	return b.String()
}

// explainHTTPError explains an upload delivered with a 4xx or 5xx status:
// the transfer succeeded, and the status is the app's to handle
// (R-UPLOAD-RESPONSE-DELIVERY).
func explainHTTPError(u *model.UploadRecord) string {
	class := httpErrorClass(u.Status)
	return fmt.Sprintf("Upload %s (%s, %s) was delivered with HTTP status %d. The transfer succeeded: the server answered, "+
		"and the app's delegate received the response (didReceive response with status %d, then didCompleteWithError(nil)). "+
		"To URLSession a status is not a transport error, so iOS does not retry the upload; the app's code must read the "+
		"status and treat it as a %s (%s), retrying later itself if it wants the upload to succeed.",
		u.ID, u.Spec, Bytes(u.Bytes), u.Status, u.Status, class, model.RuleUploadResponseDelivery)
}

// explainNeverReceived explains an upload delivered although the server
// never had its body: a 301, 302 or 303 on the way turned the POST into a
// GET without it, and the final location answered that GET
// (R-REDIRECTS-ALWAYS-FOLLOWED). The app got a success for data the
// server does not have.
func explainNeverReceived(u *model.UploadRecord) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Upload %s (%s, %s) was delivered", u.ID, u.Spec, Bytes(u.Bytes))
	if u.Status > 0 {
		fmt.Fprintf(&b, " with HTTP status %d", u.Status)
	}
	fmt.Fprintf(&b, ", but the server never received its body: the app's delegate was told of a success for data the server does not have. What happened: %s.", u.Reason)
	rule, _ := model.LookupRule(string(model.RuleRedirectsAlwaysFollowed))
	fmt.Fprintf(&b, " The rule is %s, %s: %s", rule.ID, lowerFirst(rule.Title), rule.Explanation)
	if len(rule.Sources) > 0 {
		src := model.Sources[rule.Sources[0]]
		if i := strings.Index(src, " — "); i >= 0 {
			src = src[:i]
		}
		fmt.Fprintf(&b, " (Source: %s; how sure: %s.)", src, confidenceWords(rule.Confidence))
	}
	if rule.Fix != "" {
		fmt.Fprintf(&b, " What the app's code would have to do: %s; and a server should not answer 2xx to a request without the upload's body.", rule.Fix)
	}
	return b.String()
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func confidenceWords(cs []model.Confidence) string {
	words := map[model.Confidence]string{
		model.DOC: "Apple's documentation", model.ENG: "an Apple engineer", model.RE: "decompiled CFNetwork",
		model.OBS: "developers' reports", model.UNC: "uncertain; bgsim rules says which parts bgsim fixes",
	}
	var parts []string
	for _, c := range cs {
		parts = append(parts, words[c])
	}
	return strings.Join(parts, ", ")
}
