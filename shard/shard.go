// Package shard is the file format of a sweep's runs, written by bgsim
// sweep --shard K/N (and --runs-out) and read by bgsim sweep merge: a
// header line, one record per run, and an end line with a checksum.
//
// A merge trusts nothing in a shard it can check. The header carries the
// format, the bgsim version, a fingerprint of the model (of its physics,
// see cmd/bgsim), a hash of the scenario, the sweep's description and the
// shard's place; the runs it holds must be exactly the ones its place
// implies. Each record must be the expected run (draw, point and variant in
// Sweep order, and the seed that draw has), hold valid values (counts not
// negative and adding up, finite times and energies), and be written the
// way the writer writes it, byte for byte. The end line holds the number
// of records and a SHA-256 of every byte before it; a file without one is
// truncated. Lines are read with a bound (MaxLine), and records are checked
// as they stream, so memory does not grow with the file.
package shard

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"slices"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/report"
	"github.com/bgsim/bgsim/scenarios"
	"github.com/bgsim/bgsim/sim"
)

// Format is the version of the file format. Format "1" had no
// fingerprints, no upload counts and no end line; format "2" had no
// energy above idle in its records (and counted idle only to each run's
// end).
const Format = "3"

// Limits on what a shard may hold.
const (
	MaxLine     = 1 << 20                  // bytes in one line
	MaxRuns     = scenarios.MaxSweepRuns   // draws per variant and point
	MaxPoints   = scenarios.MaxGridPoints  // grid points
	MaxVariants = scenarios.MaxVariants    // variants of a scenario
	MaxGroups   = scenarios.MaxSweepGroups // variants times grid points: the statistics a merge holds
	MaxUploads  = scenarios.MaxTasks       // uploads in one run
	// MaxSeconds bounds a time in a record: more than a year, the longest
	// horizon a scenario may have.
	MaxSeconds = 1e9
	// MaxJoules bounds a run's radio energy. It is not a phone's battery
	// (about 5e4 J): the scenario language's bounds allow far more, two
	// radios of up to 100 W plus 100 W per Mbit/s at up to 1 Tbit/s for a
	// year, about 6e15 J; a record beyond that was not written by bgsim.
	MaxJoules = 1e16
)

// Header is a shard file's first line.
type Header struct {
	Format   string           `json:"bgsim_sweep"` // Format
	Version  string           `json:"bgsim"`       // the bgsim that wrote it, as bgsim version prints it
	Model    string           `json:"model"`       // the fingerprint of its model's physics
	Scenario string           `json:"scenario"`    // a hash of the scenario as written
	Meta     report.SweepMeta `json:"meta"`
	Shard    [2]int           `json:"shard"` // K, N
	Jobs     [2]int           `json:"jobs"`  // the runs [from, to) it holds
}

// End is a shard file's last line.
type End struct {
	Format  string `json:"bgsim_sweep_end"` // Format
	Records int    `json:"records"`
	SHA256  string `json:"sha256"` // of every byte before this line
}

// Range returns the runs [from, to) of shard k of n (1-based) of a sweep
// of runs draws, each made at per variants and points: contiguous slices
// of whole draws (as run.Shard cuts them).
func Range(runs, per, k, n int) (from, to int) {
	return (k - 1) * runs / n * per, k * runs / n * per
}

// Writer writes a shard file.
type Writer struct {
	w   io.Writer
	sum hash.Hash
	n   int
}

// NewWriter writes the header (with Format set) and returns a writer for
// the records. Close writes the end line.
func NewWriter(w io.Writer, h Header) (*Writer, error) {
	h.Format = Format
	sw := &Writer{w: w, sum: sha256.New()}
	return sw, sw.line(h)
}

func (w *Writer) line(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	w.sum.Write(b)
	_, err = w.w.Write(b)
	return err
}

// Write adds one record as a line.
func (w *Writer) Write(r model.RunRecord) error {
	w.n++
	return w.line(r)
}

// Close writes the end line: the number of records and the checksum.
func (w *Writer) Close() error {
	b, err := json.Marshal(End{Format: Format, Records: w.n, SHA256: hex.EncodeToString(w.sum.Sum(nil))})
	if err != nil {
		return err
	}
	_, err = w.w.Write(append(b, '\n'))
	return err
}

// Error is a problem at a line of a shard file.
type Error struct {
	File string
	Line int // 1-based
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Reader reads and checks a shard file as it streams.
type Reader struct {
	file   string
	br     *bufio.Reader
	sum    hash.Hash
	line   int // the number of the line last read
	h      Header
	next   int // the next run expected
	done   bool
	buf    []byte
	canon  bytes.Buffer
	nv, ng int
}

// NewReader reads and checks the header of the shard file named file.
func NewReader(file string, r io.Reader) (*Reader, error) {
	sr := &Reader{file: file, br: bufio.NewReaderSize(r, 64<<10), sum: sha256.New()}
	line, err := sr.readLine()
	switch {
	case err == io.EOF:
		return nil, sr.errorf("empty: not a bgsim sweep shard")
	case err == errNoNewline:
		return nil, sr.errorf("not a bgsim sweep shard, or one truncated in its header")
	case err != nil:
		return nil, err
	}
	var probe struct {
		Format *string `json:"bgsim_sweep"`
	}
	if json.Unmarshal(line, &probe) != nil || probe.Format == nil {
		return nil, sr.errorf("not a bgsim sweep shard (its first line is not a shard header)")
	}
	switch f := *probe.Format; {
	case f == "1":
		return nil, sr.errorf("a shard of format 1, written by an older bgsim, with nothing to prove its records belong; this bgsim reads format %s: write the shards again with it", Format)
	case f != Format:
		return nil, sr.errorf("a shard of format %q, which this bgsim does not read (it reads format %s)", f, Format)
	}
	if err := sr.strict(line, &sr.h); err != nil {
		return nil, sr.errorf("the header %v", err)
	}
	if why := sr.h.check(); why != "" {
		return nil, sr.errorf("the header %s", why)
	}
	sr.nv, sr.ng = len(sr.h.Meta.Variants), len(sr.h.Meta.Points)
	sr.next = sr.h.Jobs[0]
	return sr, nil
}

// Header returns the file's header.
func (r *Reader) Header() Header { return r.h }

// Line returns the number of the line last read.
func (r *Reader) Line() int { return r.line }

func (r *Reader) errorf(format string, args ...any) *Error {
	return &Error{File: r.file, Line: r.line, Msg: fmt.Sprintf(format, args...)}
}

// errNoNewline is a last line without its newline: a truncated file.
var errNoNewline = errors.New("the file ends in the middle of a line")

// readLine returns the next line without its newline (the caller adds it
// to the checksum). It refuses a line longer than MaxLine without reading
// it all, returns errNoNewline for a last line without a newline, and
// io.EOF at the end.
func (r *Reader) readLine() ([]byte, error) {
	r.line++
	r.buf = r.buf[:0]
	for {
		frag, err := r.br.ReadSlice('\n')
		if len(r.buf)+len(frag) > MaxLine+1 {
			return nil, r.errorf("a line longer than %d bytes: not a bgsim sweep shard", MaxLine)
		}
		r.buf = append(r.buf, frag...)
		switch {
		case err == nil:
			return r.buf[:len(r.buf)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF && len(r.buf) == 0:
			return nil, io.EOF
		case err == io.EOF:
			return nil, errNoNewline
		default:
			return nil, r.errorf("%v", err)
		}
	}
}

// strict decodes one line into v: known fields only, nothing after the
// value, and written exactly as the writer writes it (so no duplicate
// keys, no other spelling of a number, no missing or extra array items).
// The line, with its newline, joins the checksum.
func (r *Reader) strict(line []byte, v any) error {
	r.sum.Write(line)
	r.sum.Write([]byte{'\n'})
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("is not valid: %v", err)
	}
	if dec.More() {
		return errors.New("has more than one value")
	}
	r.canon.Reset()
	enc := json.NewEncoder(&r.canon)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("is not valid: %v", err)
	}
	if !bytes.Equal(bytes.TrimSuffix(r.canon.Bytes(), []byte{'\n'}), line) {
		return errors.New("is not written the way bgsim writes it (edited?)")
	}
	return nil
}

// check says what is wrong with a header on its own, or "".
func (h *Header) check() string {
	m := &h.Meta
	switch {
	case h.Model == "" || h.Scenario == "" || h.Version == "":
		return "lacks the model's fingerprint, the scenario's hash or the bgsim version"
	case m.Runs < 1 || m.Runs > MaxRuns:
		return fmt.Sprintf("says %d runs: 1 to %d", m.Runs, MaxRuns)
	case len(m.Variants) < 1 || len(m.Variants) > MaxVariants:
		return fmt.Sprintf("lists %d variants: 1 to %d", len(m.Variants), MaxVariants)
	case len(m.Points) < 1 || len(m.Points) > MaxPoints:
		return fmt.Sprintf("lists %d grid points: 1 to %d", len(m.Points), MaxPoints)
	case len(m.Points)*len(m.Variants) > MaxGroups:
		return fmt.Sprintf("lists %d variants at %d grid points: at most %d of them together", len(m.Variants), len(m.Points), MaxGroups)
	case h.Shard[1] < 1 || h.Shard[0] < 1 || h.Shard[0] > h.Shard[1] || h.Shard[1] > m.Runs:
		return fmt.Sprintf("says shard %d of %d of %d runs: want 1 ≤ K ≤ N ≤ runs", h.Shard[0], h.Shard[1], m.Runs)
	}
	from, to := Range(m.Runs, len(m.Variants)*len(m.Points), h.Shard[0], h.Shard[1])
	if h.Jobs != [2]int{from, to} {
		return fmt.Sprintf("says it holds runs [%d, %d), but shard %d of %d of this sweep holds runs [%d, %d)",
			h.Jobs[0], h.Jobs[1], h.Shard[0], h.Shard[1], from, to)
	}
	return ""
}

// Next returns the next record, checked, or io.EOF after the last record
// once the end line's count and checksum are verified.
func (r *Reader) Next() (model.RunRecord, error) {
	var rec model.RunRecord
	if r.done {
		return rec, io.EOF
	}
	want := r.h.Jobs[1] - r.h.Jobs[0]
	got := r.next - r.h.Jobs[0]
	line, err := r.readLine()
	switch {
	case err == io.EOF:
		return rec, r.errorf("the file ends after %d of its %d records, without its end line: it is truncated", got, want)
	case err == errNoNewline:
		return rec, r.errorf("the file ends in the middle of a line, after %d of its %d records: it is truncated", got, want)
	case err != nil:
		return rec, err
	}
	if r.next == r.h.Jobs[1] {
		return rec, r.end(line, want)
	}
	if bytes.HasPrefix(line, []byte(`{"bgsim_sweep_end"`)) {
		return rec, r.errorf("the end line comes after %d of the %d records the header announces: records are missing", got, want)
	}
	if err := r.strict(line, &rec); err != nil {
		return rec, r.errorf("the record %v", err)
	}
	if why := r.check(&rec); why != "" {
		return rec, r.errorf("%s", why)
	}
	r.next++
	return rec, nil
}

// end checks the end line and that nothing follows it.
func (r *Reader) end(line []byte, want int) error {
	var e End
	sum := hex.EncodeToString(r.sum.Sum(nil))
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if !bytes.HasPrefix(line, []byte(`{"bgsim_sweep_end"`)) || dec.Decode(&e) != nil || dec.More() {
		return r.errorf("holds more runs than the %d its header announces", want)
	}
	canon, _ := json.Marshal(e)
	if !bytes.Equal(canon, line) || e.Format != Format {
		return r.errorf("the end line is not written the way bgsim writes it (edited?)")
	}
	if e.Records != want {
		return r.errorf("the end line counts %d records, the header %d", e.Records, want)
	}
	if e.SHA256 != sum {
		return r.errorf("the checksum does not match the file's contents: the file was changed after it was written (or damaged)")
	}
	if _, err := r.readLine(); err != io.EOF {
		if e, ok := err.(*Error); ok {
			return e
		}
		return r.errorf("more after the end line")
	}
	r.done = true
	return io.EOF
}

// check says what is wrong with the record expected at r.next, or "".
func (r *Reader) check(rec *model.RunRecord) string {
	k, g, v := scenarios.JobOf(r.next, r.nv, r.ng)
	if rec.Run != k || rec.Point != g || rec.Variant != v {
		return fmt.Sprintf("the record is draw %d, point %d, variant %d; run %d of the sweep is draw %d, point %d, variant %d (records missing, repeated or out of order)",
			rec.Run, rec.Point, rec.Variant, r.next, k, g, v)
	}
	if s := sim.DeriveSeed(r.h.Meta.Seed, uint64(k)); rec.Seed != s {
		return fmt.Sprintf("the record's seed is %d; draw %d of root seed %d has seed %d", rec.Seed, k, r.h.Meta.Seed, s)
	}
	if len(rec.Draws) != len(r.h.Meta.Params) {
		return fmt.Sprintf("the record has %d drawn values for %d parameters", len(rec.Draws), len(r.h.Meta.Params))
	}
	for _, x := range rec.Draws {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "a drawn value is not a finite number"
		}
	}
	if rec.Err != "" {
		if rec.Uploads != 0 || rec.Fates != [5]int{} || rec.Settle != nil || rec.Joules != 0 || rec.AboveIdle != 0 || rec.ItemWaits != nil {
			return "the record of a run that ended with an error holds results"
		}
		return ""
	}
	if rec.Uploads < 0 || rec.Uploads > MaxUploads {
		return fmt.Sprintf("the record counts %d uploads: 0 to %d", rec.Uploads, MaxUploads)
	}
	sum := 0
	for i, c := range rec.Fates {
		if c < 0 {
			return fmt.Sprintf("the record counts a negative number of %s uploads (%d)", model.Fates[i], c)
		}
		if c > rec.Uploads {
			return fmt.Sprintf("the record counts %d %s uploads of %d", c, model.Fates[i], rec.Uploads)
		}
		sum += c
	}
	if sum != rec.Uploads {
		return fmt.Sprintf("the record's fates add up to %d uploads, not its %d", sum, rec.Uploads)
	}
	if n := rec.Fates[slices.Index(model.Fates, model.Delivered)] + rec.Fates[slices.Index(model.Fates, model.Failed)]; len(rec.Settle) != n {
		return fmt.Sprintf("the record has %d times to fate for %d delivered and failed uploads", len(rec.Settle), n)
	}
	if !valid(rec.Joules, MaxJoules) {
		return fmt.Sprintf("the record's energy is not between 0 and %g J", float64(MaxJoules))
	}
	// Above idle is below zero only for a radio whose tail draws less
	// than its idle; it is never more than the total.
	if !valid(rec.AboveIdle+MaxJoules, 2*MaxJoules) || rec.AboveIdle > rec.Joules {
		return fmt.Sprintf("the record's energy above idle is not between %g J and its total", -float64(MaxJoules))
	}
	for _, xs := range [][]float64{rec.Settle, rec.ItemWaits} {
		for _, x := range xs {
			if !valid(x, MaxSeconds) {
				return fmt.Sprintf("a time in the record is not between 0 and %g s", float64(MaxSeconds))
			}
		}
	}
	return ""
}

func valid(x, most float64) bool { return x >= 0 && x <= most } // false for NaN

// SameSweep says how two shards' headers differ in what makes them one
// sweep, or "".
func SameSweep(a, b Header) string {
	ma, _ := json.Marshal(a.Meta)
	mb, _ := json.Marshal(b.Meta)
	switch {
	case a.Scenario != b.Scenario || a.Meta.Scenario != b.Meta.Scenario:
		return "they come from different scenarios (or versions of one)"
	case a.Meta.Runs != b.Meta.Runs || a.Meta.Seed != b.Meta.Seed:
		return "their runs or seeds differ"
	case a.Shard[1] != b.Shard[1]:
		return fmt.Sprintf("one is a shard of %d, the other of %d", a.Shard[1], b.Shard[1])
	case !bytes.Equal(ma, mb):
		return "their sweeps differ (variants, grid points or parameters)"
	case a.Model != b.Model:
		return fmt.Sprintf("they come from different models (%s from %s, %s from %s)", a.Model, a.Version, b.Model, b.Version)
	}
	return ""
}
