package scenarios

// teachingOrder is the embedded library in the order to learn it: the
// article's four attempts at a background upload, then what happens to
// an upload the app has handed off, what the app's code gets wrong, the
// network and the system's conditions, energy, and the sweeps last.
var teachingOrder = []string{
	"attempt-1-shared-data-task",
	"attempt-2-completion-handler",
	"attempt-3-upload-from-data",
	"attempt-4-upload-from-file",
	"app-purged-mid-upload",
	"purge-at-60-percent",
	"launch-events-off",
	"wrong-identifier-on-recreate",
	"renamed-identifier-after-update",
	"missing-completion-handler-call",
	"duplicate-identifier",
	"share-extension-upload",
	"data-task-in-background-session",
	"force-quit-mid-upload",
	"network-outage-mid-upload",
	"resume-after-long-outage",
	"resource-timeout",
	"redirected-upload",
	"auth-challenge",
	"rate-limited-chain",
	"next-upload-from-completion",
	"earliest-begin-date",
	"cellular-disallowed",
	"low-data-mode",
	"discretionary-waits-for-wifi",
	"batched-vs-individual",
	"periodic-analytics",
	"purge-anywhere",
	"flaky-network",
	"batching-window",
}

// Library returns the names of the embedded scenarios in teaching order;
// any not placed in it come last, sorted.
func Library() []string {
	var out []string
	placed := map[string]bool{}
	names := Names()
	for _, n := range teachingOrder {
		for _, m := range names {
			if m == n {
				out = append(out, n)
				placed[n] = true
			}
		}
	}
	for _, n := range names {
		if !placed[n] {
			out = append(out, n)
		}
	}
	return out
}

// Kind is "sweep" for a scenario with a sweep: block (bgsim sweep runs it
// many times and reports distributions), else "story" (one run per
// variant, to read).
func (sc *Scenario) Kind() string {
	if sc.sweep != nil {
		return "sweep"
	}
	return "story"
}

// renamed maps the former names of embedded scenarios to their names:
// the article's attempts were called seed-*, which read like the --seed
// flag.
var renamed = map[string]string{
	"seed-shared-data-task":   "attempt-1-shared-data-task",
	"seed-completion-handler": "attempt-2-completion-handler",
	"seed-upload-from-data":   "attempt-3-upload-from-data",
	"seed-upload-from-file":   "attempt-4-upload-from-file",
}

// Renamed returns the current name of an embedded scenario known by a
// former name.
func Renamed(old string) (string, bool) {
	n, ok := renamed[old]
	return n, ok
}
