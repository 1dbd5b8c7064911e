package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// Output is where truncation hides: a full disk, a closed pipe, a file
// that cannot be created. Every command writes its results through a
// checkedWriter and every output file through an outputFile, and the
// command exits 1 when anything was not written whole.

// checkedWriter buffers a stream and remembers its first error, so that
// a command can write freely and be told at the end whether everything
// reached its destination.
type checkedWriter struct {
	bw  *bufio.Writer
	err error
}

func newCheckedWriter(w io.Writer) *checkedWriter {
	return &checkedWriter{bw: bufio.NewWriterSize(w, 64<<10)}
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.bw.Write(p)
	if err != nil {
		c.err = err
	}
	return n, err
}

// Flush writes what is buffered and returns the first error the stream
// has met, now or before.
func (c *checkedWriter) Flush() error {
	if c.err == nil {
		c.err = c.bw.Flush()
	}
	return c.err
}

// outputFile is a file written whole or not at all: its content goes to a
// temporary file beside it, renamed into place by Commit. Opening it is
// the check that the path can be written, done before any work; a run
// that fails or is interrupted leaves the path as it was.
type outputFile struct {
	path string
	tmp  *os.File
	w    *checkedWriter
	done bool
}

// open files are removed if the process is interrupted.
var (
	openMu    sync.Mutex
	openFiles = map[*outputFile]bool{}
)

// createOutput prepares path to be written. It refuses a path that names
// one of inputs (the scenario, a shard, a directory of scenarios), so
// that a slip of the command line cannot overwrite what it reads.
func createOutput(path string, inputs ...string) (*outputFile, error) {
	if path == "" {
		return nil, errors.New("no file named")
	}
	for _, in := range inputs {
		if in != "" && sameFile(path, in) {
			return nil, fmt.Errorf("%s is also an input of this command; write the output elsewhere", path)
		}
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("%s is a directory", path)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("cannot write %s: %v", path, err)
	}
	o := &outputFile{path: path, tmp: tmp, w: newCheckedWriter(tmp)}
	openMu.Lock()
	openFiles[o] = true
	openMu.Unlock()
	return o, nil
}

// Writer is where the content goes.
func (o *outputFile) Writer() io.Writer { return o.w }

// Commit puts the written content in place of path.
func (o *outputFile) Commit() error {
	if o.done {
		return errors.New("output already closed")
	}
	err := o.w.Flush()
	if cerr := o.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(o.tmp.Name(), o.path)
	}
	o.finish()
	if err != nil {
		os.Remove(o.tmp.Name())
		return fmt.Errorf("writing %s: %v", o.path, err)
	}
	return nil
}

// Abort drops the content; path stays as it was. It is safe to call after
// Commit, so that a deferred Abort cleans up every early return.
func (o *outputFile) Abort() {
	if o == nil || o.done {
		return
	}
	o.tmp.Close()
	os.Remove(o.tmp.Name())
	o.finish()
}

func (o *outputFile) finish() {
	o.done = true
	openMu.Lock()
	delete(openFiles, o)
	openMu.Unlock()
}

// abortOutputs removes every output file still being written: the process
// is going away.
func abortOutputs() {
	openMu.Lock()
	var list []*outputFile
	for o := range openFiles {
		list = append(list, o)
	}
	openMu.Unlock()
	for _, o := range list {
		o.Abort()
	}
}

// sameFile tells whether a and b name the same file: the same file on
// disk when both exist, else the same cleaned absolute path.
func sameFile(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(fa, fb)
	}
	absA, err1 := filepath.Abs(a)
	absB, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && absA == absB
}

// writeFile writes path whole with fill, or leaves it as it was.
func writeFile(path string, fill func(io.Writer) error, inputs ...string) error {
	o, err := createOutput(path, inputs...)
	if err != nil {
		return err
	}
	defer o.Abort()
	if err := fill(o.Writer()); err != nil {
		return err
	}
	return o.Commit()
}
