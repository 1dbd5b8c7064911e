package report

import (
	"fmt"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// When formats a virtual instant for people: "+21.746s", "+1m30.5s", or
// "—" for something that did not happen. Times are rounded to the
// millisecond; the JSON keeps them exact.
func When(t sim.Time) string {
	if t == sim.Never {
		return "—"
	}
	ms := (t + sim.Millisecond/2) / sim.Millisecond * sim.Millisecond
	return "+" + ms.String()
}

// ErrorText formats an upload's error for people: "-999 NSURLErrorCancelled
// (reason 0)", or "" when there is none.
func ErrorText(u *model.UploadRecord) string {
	if u.ErrorCode == 0 {
		if u.Status >= 400 {
			return fmt.Sprintf("HTTP %d (%s)", u.Status, httpErrorClass(u.Status))
		}
		return ""
	}
	s := fmt.Sprintf("%d %s", u.ErrorCode, model.ErrorName(u.ErrorCode))
	if u.CancelReason != model.NoCancelReason {
		s += fmt.Sprintf(" (reason %d)", u.CancelReason)
	}
	return s
}

func runLabel(r *model.Result) string {
	if r.Variant == "" {
		return r.Scenario
	}
	return r.Scenario + " / " + r.Variant
}

// httpErrorClass names a 4xx or 5xx status for people.
func httpErrorClass(status int) string {
	if status >= 500 {
		return "server error"
	}
	return "client error"
}
