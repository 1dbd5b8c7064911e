package scenarios

import (
	"strings"
	"testing"
)

func TestWithoutExpectations(t *testing.T) {
	src := `# a comment
name: "old"
title: T
about: |
  expect: this line is prose and stays
expect:
  delivered: 1

  lost: 0
app: {}
variants:
  a:
    about: A
    expect:
      lost: 1
  b:
    expect: {lost: 2}
timeline: []
`
	want := `# a comment
name: new
title: T
about: |
  expect: this line is prose and stays
app: {}
variants:
  a:
    about: A
  b:
timeline: []
`
	if got := string(WithoutExpectations([]byte(src), "new")); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if got := string(WithoutExpectations([]byte("a: [\n"), "x")); got != "a: [\n" {
		t.Errorf("a document that does not parse changed: %q", got)
	}
	if !strings.Contains(string(WithoutExpectations([]byte(src), "")), `name: "old"`) {
		t.Error("the name changed without a new one")
	}
}

// Step indices in messages count from 0, as the schema and JSON pointers
// do: the second step is timeline[1].
func TestStepIndicesFromZero(t *testing.T) {
	_, err := Load("z.yaml", []byte("name: z\ntitle: Z\napp:\n  sessions: {up: {identifier: x, delegate: D}}\ntimeline:\n  - {at: 0s, do: launch}\n  - {at: 1 sec, do: launch}\n"))
	if err == nil || !strings.Contains(err.Error(), "timeline[1].at") {
		t.Errorf("error %v, want timeline[1].at", err)
	}
}
