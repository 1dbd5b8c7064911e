package report

import (
	"testing"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// Every kind of record the model emits has a phrase of its own (or is left
// out of the story on purpose), not the fallback that prints the kind.
func TestPhraseForEveryTraceKind(t *testing.T) {
	const note = "\x00note"
	for _, k := range model.TraceKinds {
		rec := sim.Record{Actor: k.Actor, Kind: string(k.Kind), Note: note}
		text, _, ok := phrase(rec)
		if ok && text == string(k.Kind)+": "+note {
			t.Errorf("%s %s: report has no phrase for it", k.Actor, k.Kind)
		}
	}
}
