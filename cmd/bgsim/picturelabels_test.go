package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/bgsim/bgsim/scenarios"
)

// Every moment's label in every embedded scenario's run picture lies
// inside the picture (by the width estimate the drawing uses: 10 px a
// character in a picture 1280 wide). A label too long for either side of
// its moment with its rule drops the rule, which its tooltip keeps. Seen
// in resume-after-long-outage: "handleEventsForBackgroundURLSession ·
// R-COMPLETION-HANDLER-PROTOCOL", end-anchored near the left, began
// outside the picture.
func TestRunPictureLabelsInside(t *testing.T) {
	re := regexp.MustCompile(`<text x="([0-9.]+)" y="[0-9.]+" font-size="\d+" text-anchor="(start|end)" fill="[^"]*" stroke="#ffffff"[^>]*><title>[^<]*</title>([^<]*)(?:<tspan[^>]*>([^<]*)</tspan>)?</text>`)
	const width, char = 1280, 10.0
	for _, name := range scenarios.Library() {
		svg := filepath.Join(t.TempDir(), name+".svg")
		if code, _, stderr := bgsim(t, "run", "--svg", svg, name); code != exitOK {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		data, err := os.ReadFile(svg)
		if err != nil {
			t.Fatal(err)
		}
		ms := re.FindAllStringSubmatch(string(data), -1)
		if len(ms) == 0 {
			t.Errorf("%s: no moment labels found", name)
		}
		for _, m := range ms {
			x, _ := strconv.ParseFloat(m[1], 64)
			text := unescape(m[3] + m[4])
			wd := char * float64(utf8.RuneCountInString(text))
			lo, hi := x, x+wd
			if m[2] == "end" {
				lo, hi = x-wd, x
			}
			if lo < 0 || hi > width {
				t.Errorf("%s: label %q spans %.0f to %.0f, outside 0 to %d", name, text, lo, hi, width)
			}
		}
	}
}

func unescape(s string) string {
	for _, r := range [][2]string{{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&#34;", `"`}, {"&#39;", "'"}} {
		s = regexp.MustCompile(regexp.QuoteMeta(r[0])).ReplaceAllString(s, r[1])
	}
	return s
}
