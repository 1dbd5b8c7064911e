package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The CI examples in docs/ci.md are YAML a runner accepts: parsed, with
// the keys each runner needs, and running bgsim test with a JUnit file.
func TestCIDocsWorkflows(t *testing.T) {
	data, err := os.ReadFile("../../docs/ci.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(data), -1)
	if len(blocks) != 2 {
		t.Fatalf("docs/ci.md has %d yaml blocks, want 2 (GitHub Actions, GitLab CI)", len(blocks))
	}
	t.Run("github", func(t *testing.T) {
		var wf struct {
			Name string         `yaml:"name"`
			On   map[string]any `yaml:"on"`
			Jobs map[string]struct {
				RunsOn string `yaml:"runs-on"`
				Steps  []struct {
					Name string            `yaml:"name"`
					Uses string            `yaml:"uses"`
					Run  string            `yaml:"run"`
					If   string            `yaml:"if"`
					With map[string]string `yaml:"with"`
				} `yaml:"steps"`
			} `yaml:"jobs"`
		}
		dec := yaml.NewDecoder(strings.NewReader(blocks[0][1]))
		dec.KnownFields(true)
		if err := dec.Decode(&wf); err != nil {
			t.Fatalf("the GitHub workflow does not parse: %v", err)
		}
		if wf.Name == "" || len(wf.On) == 0 || len(wf.Jobs) == 0 {
			t.Fatalf("workflow lacks name, on or jobs: %+v", wf)
		}
		for name, job := range wf.Jobs {
			if job.RunsOn == "" || len(job.Steps) == 0 {
				t.Errorf("job %s lacks runs-on or steps", name)
			}
			var tested, checkout bool
			for _, s := range job.Steps {
				if (s.Uses == "") == (s.Run == "") {
					t.Errorf("job %s: a step needs exactly one of uses and run: %+v", name, s)
				}
				checkout = checkout || strings.HasPrefix(s.Uses, "actions/checkout@")
				if strings.Contains(s.Run, "bgsim test") && strings.Contains(s.Run, "--junit") && strings.Contains(s.Run, "--format github") {
					tested = true
				}
				if strings.HasPrefix(s.Uses, "actions/upload-artifact@") && (s.If == "" || s.With["path"] == "") {
					t.Errorf("the JUnit upload must run when the tests fail and name a path: %+v", s)
				}
			}
			if !checkout || !tested {
				t.Errorf("job %s: checkout %v, bgsim test with --junit and --format github %v", name, checkout, tested)
			}
		}
	})
	t.Run("gitlab", func(t *testing.T) {
		var doc map[string]any
		if err := yaml.Unmarshal([]byte(blocks[1][1]), &doc); err != nil {
			t.Fatalf("the GitLab CI file does not parse: %v", err)
		}
		var jobs int
		for name, v := range doc {
			job, ok := v.(map[string]any)
			if !ok || name == "stages" || name == "variables" || name == "default" {
				continue
			}
			jobs++
			script, _ := job["script"].([]any)
			var tested bool
			for _, line := range script {
				if s, _ := line.(string); strings.Contains(s, "bgsim test") && strings.Contains(s, "--junit bgsim-junit.xml") {
					tested = true
				}
			}
			if !tested {
				t.Errorf("job %s does not run bgsim test --junit bgsim-junit.xml: %v", name, job["script"])
			}
			arts, _ := job["artifacts"].(map[string]any)
			reports, _ := arts["reports"].(map[string]any)
			if arts["when"] != "always" || reports["junit"] != "bgsim-junit.xml" {
				t.Errorf("job %s: artifacts must be kept always with reports: junit: bgsim-junit.xml, got %v", name, arts)
			}
			if stage, _ := job["stage"].(string); stage != "" {
				stages, _ := doc["stages"].([]any)
				found := false
				for _, s := range stages {
					found = found || s == stage
				}
				if !found {
					t.Errorf("job %s: stage %q not in stages %v", name, stage, stages)
				}
			}
		}
		if jobs == 0 {
			t.Error("no job in the GitLab CI file")
		}
	})
}
