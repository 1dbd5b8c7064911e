package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/scenarios"
)

// Every bgsim command that README.md and docs/*.md show runs, the way a
// reader would type it, in order, in one directory per document: the
// commands of code blocks (a "go run ./cmd/bgsim" prefix is read as
// bgsim, "> file" writes stdout to the file), a GNU parallel line with its
// arguments expanded, and each inline `bgsim ...` that is a whole command
// (not one with a placeholder such as FILE or N). A comment line of a
// code block of the form
//
//	# in FILE, change "A" to "B"
//	# in FILE, after the line "A", add "B"
//
// is an edit the reader makes, and the test makes it too, so that a
// workshop recipe that flips a setting is checked against the scenario
// it copies. Sweeps run at most 200 runs here, whatever the document
// says. Each command must exit 0.
func TestDocsCommandsRun(t *testing.T) {
	files, _ := filepath.Glob("../../docs/*.md")
	files = append([]string{"../../README.md"}, files...)
	total := 0
	for _, file := range files {
		doc, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		steps := docSteps(string(doc))
		if len(steps) == 0 {
			continue
		}
		t.Run(filepath.Base(file), func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			docFixtures(t)
			for _, st := range steps {
				total++
				if st.edit != nil {
					st.edit(t)
					continue
				}
				args, out := st.args, ""
				if i := indexOf(args, ">"); i >= 0 && i+1 < len(args) {
					out = args[i+1]
					args = args[:i]
				}
				code, stdout, stderr := bgsim(t, args...)
				if code != st.code {
					t.Errorf("%s: `%s` exits %d, not %d:\n%s", filepath.Base(file), st.line, code, st.code, stderr)
					continue
				}
				if out != "" {
					if err := os.WriteFile(out, []byte(stdout), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
		})
	}
	if total < 20 {
		t.Errorf("found %d commands in the docs; they show more", total)
	}
}

// docFixtures lays out what the documents assume the reader has: a
// scenario file of their own and a directory of them, and docs/images.
func docFixtures(t *testing.T) {
	src, _ := scenarios.Source("purge-anywhere")
	mine, _ := scenarios.Source("app-purged-mid-upload")
	for path, data := range map[string][]byte{
		"scenario.yaml":            src,
		"my-scenarios/purged.yaml": mine,
		"lifecycle/purged.yaml":    mine,
		"docs/images/.keep":        nil,
	} {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

type docStep struct {
	line string
	args []string
	edit func(t *testing.T)
	// code is the exit code the document gives after the command, as
	// "# exits 1"; 0 when it says none.
	code int
}

var exitsComment = regexp.MustCompile(`#\s*exits (\d)\b`)

// fragments are inline spans that name a command or a flag in a sentence
// rather than give a command to type.
var fragments = map[string]bool{
	"bgsim sweep":                true,
	"bgsim show":                 true,
	"bgsim sweep merge":          true,
	"bgsim run --seed":           true,
	"bgsim sweep merge --format": true,
	"bgsim explore":              true,
	"bgsim explore merge":        true,
}

var (
	inlineCmd   = regexp.MustCompile("`(bgsim [^`]+)`")
	placeholder = regexp.MustCompile(`^[A-Z][A-Z|.\-]*$|\.\.\.|[\[\]|*$]`)
	changeEdit  = regexp.MustCompile(`^# in (\S+), change "([^"]+)" to "([^"]+)"$`)
	addEdit     = regexp.MustCompile(`^# in (\S+), after the line "([^"]+)", add "([^"]+)"$`)
	runsFlag    = regexp.MustCompile(`--runs (\d+)`)
	parallelCmd = regexp.MustCompile(`'(bgsim [^']+)' ::: (.+)$`)
)

func docSteps(doc string) []docStep {
	var steps []docStep
	add := func(line string) {
		line = runsFlag.ReplaceAllStringFunc(line, func(m string) string {
			if n, _ := strconv.Atoi(strings.Fields(m)[1]); n > 200 {
				return "--runs 200"
			}
			return m
		})
		steps = append(steps, docStep{line: line, args: strings.Fields(line)[1:]})
	}
	lines := strings.Split(doc, "\n")
	fenced := false
	for i := 0; i < len(lines); i++ {
		raw := lines[i]
		if strings.HasPrefix(strings.TrimSpace(raw), "```") {
			fenced = !fenced
			continue
		}
		code := fenced || strings.HasPrefix(raw, "    ") || strings.HasPrefix(raw, "\t")
		line := strings.TrimSpace(raw)
		if !code {
			for _, m := range inlineCmd.FindAllStringSubmatch(raw, -1) {
				cmd := m[1]
				if fragments[cmd] || slicesAny(strings.Fields(cmd), placeholder.MatchString) || strings.HasSuffix(cmd, " --") {
					continue
				}
				add(cmd)
			}
			continue
		}
		if m := changeEdit.FindStringSubmatch(line); m != nil {
			steps = append(steps, docStep{line: line, edit: editFile(line, m[1], m[2], m[3], false)})
			continue
		}
		if m := addEdit.FindStringSubmatch(line); m != nil {
			steps = append(steps, docStep{line: line, edit: editFile(line, m[1], m[2], m[3], true)})
			continue
		}
		if strings.HasPrefix(line, "parallel ") {
			for strings.HasSuffix(line, `\`) && i+1 < len(lines) {
				i++
				line = strings.TrimSuffix(line, `\`) + " " + strings.TrimSpace(lines[i])
			}
			if m := parallelCmd.FindStringSubmatch(line); m != nil {
				for _, v := range strings.Fields(m[2]) {
					add(strings.ReplaceAll(m[1], "{}", v))
				}
			}
			continue
		}
		line = strings.Replace(line, "go run ./cmd/bgsim ", "bgsim ", 1)
		if !strings.HasPrefix(line, "bgsim ") && line != "bgsim" {
			continue
		}
		exit := 0
		if j := strings.Index(line, "  #"); j >= 0 {
			if m := exitsComment.FindStringSubmatch(line[j:]); m != nil {
				exit, _ = strconv.Atoi(m[1])
			}
			line = strings.TrimSpace(line[:j])
		}
		add(line)
		steps[len(steps)-1].code = exit
	}
	return steps
}

// editFile makes the edit a recipe asks for; the text it changes must be
// there, so that a recipe cannot flip a setting its scenario lacks.
func editFile(line, file, from, to string, after bool) func(t *testing.T) {
	return func(t *testing.T) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("`%s`: %v", line, err)
		}
		s := string(data)
		if !strings.Contains(s, from) {
			t.Fatalf("`%s`: %s has no %q", line, file, from)
		}
		if after {
			ls := strings.Split(s, "\n")
			for k, l := range ls {
				if strings.TrimSpace(l) == from {
					indent := l[:len(l)-len(strings.TrimLeft(l, " "))]
					ls = append(ls[:k+1], append([]string{indent + to}, ls[k+1:]...)...)
					break
				}
			}
			s = strings.Join(ls, "\n")
		} else {
			s = strings.Replace(s, from, to, 1)
		}
		if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func indexOf(args []string, s string) int {
	for i, a := range args {
		if a == s {
			return i
		}
	}
	return -1
}

func slicesAny(ss []string, f func(string) bool) bool {
	for _, s := range ss {
		if f(s) {
			return true
		}
	}
	return false
}
