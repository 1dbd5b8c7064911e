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
	path   string // where the content goes: the target of a symbolic link
	tmp    *os.File
	w      *checkedWriter
	mode   os.FileMode // the file's permissions once in place
	direct bool        // tmp is the path itself: a device or a FIFO
	done   bool
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
	mode := newFileMode()
	if fi, err := os.Stat(path); err == nil {
		switch {
		case fi.IsDir():
			return nil, fmt.Errorf("%s is a directory", path)
		case !fi.Mode().IsRegular():
			// A device or a FIFO (/dev/stdout, a pipe a reader waits
			// on) is written as it is: renaming a file over it would
			// replace it.
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			if err != nil {
				return nil, fmt.Errorf("cannot write %s: %v", path, unwrapPath(err))
			}
			return track(&outputFile{path: path, tmp: f, w: newCheckedWriter(f), direct: true}), nil
		}
		mode = fi.Mode().Perm() // replaced, the file keeps its permissions
		if target, err := filepath.EvalSymlinks(path); err == nil {
			path = target // a link stays a link; its target gets the content
		}
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("cannot write %s: %v", path, unwrapPath(err))
	}
	return track(&outputFile{path: path, tmp: tmp, w: newCheckedWriter(tmp), mode: mode}), nil
}

func track(o *outputFile) *outputFile {
	openMu.Lock()
	openFiles[o] = true
	openMu.Unlock()
	return o
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Writer is where the content goes.
func (o *outputFile) Writer() io.Writer { return o.w }

// Commit puts the written content in place of path.
func (o *outputFile) Commit() error {
	openMu.Lock()
	closed := o.done
	openMu.Unlock()
	if closed {
		return errors.New("output already closed")
	}
	err := o.w.Flush()
	if err == nil && !o.direct {
		err = o.tmp.Chmod(o.mode)
	}
	if cerr := o.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil && !o.direct {
		err = os.Rename(o.tmp.Name(), o.path)
	}
	if o.finish() && err != nil && !o.direct {
		os.Remove(o.tmp.Name())
	}
	if err != nil {
		return fmt.Errorf("writing %s: %v", o.path, err)
	}
	return nil
}

// Abort drops the content; path stays as it was. It is safe to call after
// Commit, so that a deferred Abort cleans up every early return.
func (o *outputFile) Abort() {
	if o == nil || !o.finish() {
		return
	}
	o.tmp.Close()
	if !o.direct {
		os.Remove(o.tmp.Name())
	}
}

// finish marks the file closed and reports whether it was open: of a
// Commit and an Abort racing (an interrupt), only one goes on.
func (o *outputFile) finish() bool {
	openMu.Lock()
	defer openMu.Unlock()
	if o.done {
		return false
	}
	o.done = true
	delete(openFiles, o)
	return true
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
