package scenarios

import (
	"strings"
	"testing"
)

// An identifier may hold {launch} once, for code that makes a fresh
// identifier at each launch; anything else in braces is refused where it
// is written.
func TestIdentifierLaunchToken(t *testing.T) {
	// Inside a flow mapping ({...}) the braces need quotes.
	ok := strings.Replace(limitsBase, "identifier: com.x,", "identifier: \"com.x.{launch}\",", 1)
	if _, err := Load("i.yaml", []byte(ok)); err != nil {
		t.Fatalf("com.x.{launch}: %v", err)
	}
	for _, bad := range []string{"com.x.{uuid}", "com.x.{launch}.{launch}", "com.x.{launch"} {
		doc := strings.Replace(limitsBase, "identifier: com.x,", "identifier: \""+bad+"\",", 1)
		_, err := Load("i.yaml", []byte(doc))
		want := "i.yaml:5:22: app.sessions.up.identifier: \"" + bad + "\": the only thing an identifier may hold in braces is {launch}, once"
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", bad, err, want)
		}
	}
}
