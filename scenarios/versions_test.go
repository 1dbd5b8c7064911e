package scenarios

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// A setting the chosen iOS version does not have is refused where it is
// written, one error for each: earliestBeginDate (iOS 11), the expensive
// and constrained access flags and Low Data Mode (iOS 13), Low Power Mode
// (iOS 9), and two sessions with one identifier, known only from iOS 17.
// The same file on iOS 26 loads.
func TestVersionGatesAtTheField(t *testing.T) {
	const file = "testdata/version-gates.yaml"
	_, err := LoadFile(file)
	want := []string{
		"5:25: network.wifi.low_data_mode: Low Data Mode exists from iOS 13; this device runs iOS 8", // R-EXPENSIVE-CONSTRAINED
		"6:41: power.low_power_mode: Low Power Mode exists from iOS 9; this device runs iOS 8",       // R-LOW-POWER-MODE
		"9:84: app.sessions.up.allows_expensive_network_access: allowsExpensiveNetworkAccess exists from iOS 13; this device runs iOS 8",
		`10:25: app.sessions.again.identifier: session "up" has the identifier com.example.up too: what a second session with one identifier does is known from iOS 17 (the first session is returned); before, Apple calls it undefined and some reports say it crashes. This device runs iOS 8: give each session its own identifier, or run on iOS 17 or later`, // R-DUP-ID-SAME-PROCESS
		"12:50: app.uploads.photo.begin_after: earliestBeginDate exists from iOS 11; this device runs iOS 8", // R-EARLIEST-BEGIN-DATE
		"12:90: app.uploads.photo.allows_constrained_network_access: allowsConstrainedNetworkAccess exists from iOS 13; this device runs iOS 8",
		"16:18: timeline[2].do: Low Power Mode exists from iOS 9; this device runs iOS 8", // R-LOW-POWER-MODE
	}
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("Load: %v", err)
	}
	var got []string
	for _, e := range es {
		got = append(got, strings.TrimPrefix(e.Error(), file+":"))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Load(file, []byte(strings.Replace(string(data), "ios: 8", "ios: 26", 1))); err != nil {
		t.Errorf("on iOS 26: %v", err)
	}
}
