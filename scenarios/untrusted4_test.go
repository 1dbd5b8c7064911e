package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bgsim/bgsim/sim"
)

// Issue 10, item 4: every limit is enforced before the work it bounds, in
// time linear in the input.

// A file whose stated size says nothing of its content (a device, a FIFO)
// is read through a limited reader: bgsim reads at most maxFileSize+1
// bytes of it and refuses it, instead of reading forever.
func TestUntrusted4_EndlessFileRefused(t *testing.T) {
	start := time.Now()
	_, err := LoadFile("/dev/zero")
	if err == nil || !strings.Contains(err.Error(), "scenarios are at most 1048576 bytes") {
		t.Errorf("/dev/zero: error %v", err)
	}
	if d := time.Since(start); d > quick {
		t.Errorf("/dev/zero refused after %v", d)
	}

	fifo := filepath.Join(t.TempDir(), "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer w.Close()
		chunk := make([]byte, 64<<10)
		for i := range chunk {
			chunk[i] = '#'
		}
		for range 64 { // 4 MiB, more than the limit
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}()
	_, err = LoadFile(fifo)
	if err == nil || !strings.Contains(err.Error(), "scenarios are at most 1048576 bytes") {
		t.Errorf("FIFO: error %v", err)
	}
}

// 140 000 variants are refused from their count, before any duplicate
// check or decoding: it used to take 45 s (a quadratic duplicate check).
func TestUntrusted4_ManyVariantsRefusedQuickly(t *testing.T) {
	var b strings.Builder
	b.WriteString(limitsBase + "variants: {")
	for i := range 140_000 {
		b.WriteString(strconv.FormatInt(int64(i), 36) + ",") // a key with no value
	}
	b.WriteString("}\n")
	start := time.Now()
	_, err := Load("v.yaml", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "a scenario has at most 100") {
		t.Errorf("error %v", firstLine(err))
	}
	if d := time.Since(start); d > quick {
		t.Errorf("refused after %v", d)
	}
}

// A file with 136 000 unknown keys and 100 variants used to run for more
// than ten minutes (error de-duplication was quadratic). Errors are now
// de-duplicated through a set and capped at maxErrors, with a last line
// saying how many more there were.
func TestUntrusted4_ManyErrorsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString(limitsBase + "variants:\n")
	for i := range 100 {
		b.WriteString("  v" + itoa(i) + ": {}\n")
	}
	for i := 0; b.Len() < maxFileSize-16; i++ {
		b.WriteString("k" + itoa(i) + ": 1\n")
	}
	start := time.Now()
	_, err := Load("k.yaml", []byte(b.String()))
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("error %v", err)
	}
	if len(es) != maxErrors+1 || !strings.Contains(es[len(es)-1].Msg, "more problems not shown") {
		t.Errorf("%d errors, last %v", len(es), es[len(es)-1])
	}
	if d := time.Since(start); d > quick {
		t.Errorf("refused after %v", d)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func firstLine(err error) string {
	if err == nil {
		return "<nil>"
	}
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// A run that keeps its trace (timeline, trace, mermaid, html, svg) keeps at
// most MaxTraceRecords records: a storm of events ends with an error naming
// the limit instead of gigabytes of records.
func TestUntrusted4_TraceRecordsCapped(t *testing.T) {
	doc := strings.Replace(limitsBase, "timeline:", "  workload: {items: 100000, size: 1KB, every: 1s, session: up, strategy: individual}\ntimeline:", 1)
	sc, err := Load("storm.yaml", []byte("horizon: 365d\nmax_events: 100000000\n"+doc))
	if err != nil {
		t.Fatal(err)
	}
	_, err = sc.Run(RunOptions{KeepTrace: true})
	var ce *sim.CapacityError
	if !errors.As(err, &ce) || ce.Limit != "trace records kept" || ce.Max != MaxTraceRecords {
		t.Fatalf("error %v, want the trace record limit", err)
	}
	// Without a kept trace the same run is fine: the limit is on memory,
	// not on the run.
	rs, err := sc.Run(RunOptions{})
	if err != nil || len(rs[0].Uploads) != 100_000 {
		t.Fatalf("without a trace: %v", err)
	}
}

// Upload steps with long chains create tasks without bound in the file's
// size; the loader counts them first.
func TestUntrusted4_TasksCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString(strings.Replace(limitsBase, "size: 1MB}", "size: 1MB, chain: 1000}", 1))
	for i := range 300 {
		b.WriteString("  - {at: " + strconv.Itoa(i+1) + "s, do: upload, upload: photo}\n")
	}
	_, err := Load("chain.yaml", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "chain.yaml:209:5: timeline: the upload steps (with their chains) and the workload create more than 200000 tasks") {
		t.Errorf("error %v", firstLine(err))
	}
}

// 100 variants at 1000 grid points would hold 100 000 groups of
// statistics, about 7 GB: the loader refuses it from the counts.
func TestUntrusted4_SweepGroupsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString(limitsBase + "sweep: {runs: 1, vary: {server.latency: {range: [1ms, 1000ms, 1ms]}}}\nvariants:\n")
	for i := range 100 {
		b.WriteString("  v" + strconv.Itoa(i) + ": {}\n")
	}
	start := time.Now()
	_, err := Load("g.yaml", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "sweep: 100 variants at 1000 grid points make 100000 groups of statistics; at most 2000") {
		t.Errorf("error %v", err)
	}
	if d := time.Since(start); d > quick {
		t.Errorf("refused after %v", d)
	}
}

// 64 grids of two values each make 2^64 grid points, which wrapped around
// to 0 in an int and passed the limit; Plan then built the whole product
// and ran out of memory. The count stops growing once past the limit.
func TestUntrusted4_GridProductCannotWrap(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: g\ntitle: G\nhorizon: 1h\napp:\n  sessions:\n    up: {identifier: com.x, delegate: D}\n  uploads:\n    photo: {session: up, size: 1MB}\ntimeline:\n  - {at: 0s, do: launch}\n")
	for i := range 64 {
		b.WriteString("  - {at: " + strconv.Itoa(i+1) + "s, do: background}\n")
	}
	b.WriteString("sweep:\n  runs: 1\n  vary:\n")
	for i := range 64 {
		b.WriteString("    timeline[" + strconv.Itoa(i+1) + "].at: {grid: [" + strconv.Itoa(i+1) + "s, " + strconv.Itoa(i+2) + "s]}\n")
	}
	_, err := Load("g.yaml", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "the grids make more than 1000 grid points (every combination of their values); at most 1000") {
		t.Errorf("error %v", firstLine(err))
	}
}

// Found in review: a duplicate top-level key named no field (": key ...
// appears twice"), and a negative step time was first reported as out of
// order, hiding the real problem.
func TestErrorsNameTheirProblem(t *testing.T) {
	_, err := Load("d.yaml", []byte("seed: 1\n"+limitsBase+"seed: 2\n"))
	if err == nil || !strings.Contains(err.Error(), `d.yaml:11:1: scenario: key "seed" appears twice`) {
		t.Errorf("duplicate key: %v", err)
	}
	_, err = Load("n.yaml", []byte(limitsBase+"  - {at: -1s, do: background}\n"))
	if err == nil || strings.Contains(err.Error(), "comes before the step above it") || !strings.Contains(err.Error(), "n.yaml:10:10: timeline[1].at: 0s to 3650d, found -1s") {
		t.Errorf("negative time: %v", err)
	}
}
