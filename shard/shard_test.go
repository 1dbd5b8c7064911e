package shard

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/report"
	"github.com/bgsim/bgsim/scenarios"
	"github.com/bgsim/bgsim/sim"
)

func testHeader() Header {
	return Header{Version: "bgsim test", Model: "m", Scenario: "s",
		Meta:  report.SweepMeta{Scenario: "x", Runs: 2, Seed: 7, Variants: []string{"a", "b"}, Points: []string{""}},
		Shard: [2]int{1, 1}, Jobs: [2]int{0, 4}}
}

func testRecord(i int) model.RunRecord {
	k, g, v := scenarios.JobOf(i, 2, 1)
	return model.RunRecord{Run: k, Point: g, Variant: v, Seed: sim.DeriveSeed(7, uint64(k)),
		Uploads: 2, Fates: [5]int{1, 1}, Settle: []float64{1.5, 2}, Joules: 3.25, AboveIdle: 1.5}
}

func write(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, testHeader())
	if err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		if err := w.Write(testRecord(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readAll(name string, data io.Reader) ([]model.RunRecord, error) {
	r, err := NewReader(name, data)
	if err != nil {
		return nil, err
	}
	var out []model.RunRecord
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, rec)
	}
}

func TestRoundTrip(t *testing.T) {
	recs, err := readAll("f", bytes.NewReader(write(t)))
	if err != nil || len(recs) != 4 || recs[3].Variant != 1 || recs[3].Run != 1 {
		t.Fatalf("%v %+v", err, recs)
	}
}

// A line longer than MaxLine is refused without reading it all: the
// reader stops soon after the limit, whatever follows.
func TestLongLineBounded(t *testing.T) {
	data := write(t)
	nl := bytes.IndexByte(data, '\n')
	var read countingReader
	read.r = io.MultiReader(bytes.NewReader(data[:nl+1]), strings.NewReader(`{"run":0,"draws":[`), endless{})
	_, err := readAll("big.jsonl", &read)
	if err == nil || !strings.Contains(err.Error(), "big.jsonl:2: a line longer than") {
		t.Fatalf("got %v", err)
	}
	if read.n > 2*MaxLine {
		t.Errorf("read %d bytes to refuse a long line", read.n)
	}
}

type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '1'
	}
	return len(p), nil
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestRefusals(t *testing.T) {
	good := string(write(t))
	lines := strings.SplitAfter(good, "\n")
	for _, tt := range []struct{ name, data, want string }{
		{"empty", "", "f:1: empty"},
		{"not JSON", "hello\n", "f:1: not a bgsim sweep shard"},
		{"extra field", strings.Replace(good, `"joules":3.25`, `"joules":3.25,"x":1`, 1), "f:2: the record is not valid"},
		{"duplicate key", strings.Replace(good, `"joules":3.25`, `"joules":3.25,"joules":3.25`, 1), "f:2: the record is not written the way bgsim writes it"},
		{"six fates", strings.Replace(good, `"fates":[1,1,0,0,0]`, `"fates":[1,1,0,0,0,0]`, 1), "f:2: the record is not written"},
		{"settle count", strings.Replace(good, `"settle_s":[1.5,2]`, `"settle_s":[1.5]`, 1), "f:2: the record has 1 times to fate"},
		{"after the end", good + "\n", "f:7: more after the end line"},
		{"above idle over the total", strings.Replace(good, `"above_idle":1.5`, `"above_idle":4`, 1), "f:2: the record's energy above idle is not between"},
		{"format 2", strings.Replace(good, `"bgsim_sweep":"3"`, `"bgsim_sweep":"2"`, 1), `f:1: a shard of format "2", which this bgsim does not read (it reads format 3)`},
		{"records missing before the end", lines[0] + lines[1] + lines[5], "f:3: the end line comes after 1 of the 4 records"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readAll("f", strings.NewReader(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}

// The bounds a shard reader puts on a record's values must admit every
// run the scenario language allows: a year at the largest powers.
func TestMaxJoulesAdmitsValidRuns(t *testing.T) {
	const year = 365 * 24 * 3600.0
	most := 2 * (model.MaxWatts + model.MaxWatts*model.MaxBitsPerSecond/1e6) * year
	if most > MaxJoules {
		t.Errorf("a valid run can spend %g J, above MaxJoules %g", most, float64(MaxJoules))
	}
}
