package model

import (
	"errors"
	"strings"
	"testing"
)

// A panic inside a run is a bug in bgsim: it comes back as an
// InternalError naming the run and its seed, never as a crash of the
// process (issue 10: a panic must not exit 2).
func TestInternalErrorFromPanic(t *testing.T) {
	cfg := base()
	cfg.Variant, cfg.Seed = "v", 42
	reset := false
	_, err := guard(&cfg, func() (*Result, error) {
		var tasks []int
		return nil, errors.New(string(rune(tasks[3]))) // index out of range
	}, func() { reset = true })
	var ie *InternalError
	if !errors.As(err, &ie) || ie.Seed != 42 || ie.Variant != "v" || !reset || len(ie.Stack) == 0 {
		t.Fatalf("error %#v, reset %v", err, reset)
	}
	if !strings.Contains(err.Error(), "internal error in the model, running test/v with seed 42: runtime error: index out of range") {
		t.Errorf("message %q", err)
	}
}
