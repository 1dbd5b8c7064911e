package explore

import (
	"bytes"
	"testing"

	"github.com/bgsim/bgsim/scenarios"
)

// FuzzReadJSON: a slice's report comes from another machine, maybe from
// a stranger. Whatever the bytes, ReadJSON returns a report or an error,
// never a panic, and a report it accepts writes out again and reads back
// the same.
func FuzzReadJSON(f *testing.F) {
	sc, err := loadFuzz()
	if err != nil {
		f.Fatal(err)
	}
	rep, err := Explore(sc, Options{Depth: 1, Faults: []string{"purge"}, Shard: 1, Shards: 2, Workers: 1})
	if err != nil {
		f.Fatal(err)
	}
	var b bytes.Buffer
	if err := rep.WriteJSON(&b); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add([]byte(`{"format": 1, "schedules": 1, "failures": [{"fate": "lost", "count": 1, "first": "0s", "last": "0s", "faults": [{"kind": "outage", "at": "1s", "for": "10s"}]}]}`))
	f.Add([]byte(`{"format": 1, "shard": "3/2"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := ReadJSON(bytes.NewReader(data))
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := rep.WriteJSON(&out); err != nil {
			t.Fatalf("an accepted report does not write: %v", err)
		}
		if _, err := ReadJSON(&out); err != nil {
			t.Fatalf("an accepted report, written again, is refused: %v\n%s", err, out.Bytes())
		}
	})
}

func loadFuzz() (*scenarios.Scenario, error) { return scenarios.Resolve("testdata/planted-bug.yaml") }
