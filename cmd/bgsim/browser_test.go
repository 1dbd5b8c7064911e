package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// findBrowser returns a Chromium or Chrome on this machine, or "".
func findBrowser() string {
	if p := os.Getenv("BGSIM_BROWSER"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Issue 15: the HTML page a teacher hands out, opened in a real browser
// the size of a phone (390 px wide): no console error, every rule link
// lands on an anchor that exists, every picture renders with a non-zero
// size, and the page does not scroll sideways. .ci/run installs Chromium;
// where none is found the test says so and skips.
func TestHTMLInBrowser(t *testing.T) {
	browser := findBrowser()
	if browser == "" {
		t.Skip("no Chromium or Chrome found (apt-get install -y chromium, or set BGSIM_BROWSER): the page was not checked in a browser")
	}
	dir := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(390, 844))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	for _, name := range []string{"launch-events-off", "app-purged-mid-upload", "wrong-identifier-on-recreate", "batched-vs-individual"} {
		t.Run(name, func(t *testing.T) {
			code, page, stderr := bgsim(t, "run", "--format", "html", name)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			path := filepath.Join(dir, name+".html")
			if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := chromedp.NewContext(actx)
			defer cancel()
			ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
			defer cancelT()
			// The console, read as the page loads, until the checks are done.
			cctx, stopConsole := context.WithCancel(ctx)
			var mu sync.Mutex
			var problems []string
			done := make(chan struct{})
			messages := chromedp.Console(cctx)
			go func() {
				defer close(done)
				for m, err := range messages {
					if err != nil {
						return
					}
					if m.Type == chromedp.ConsoleError || m.IsException() {
						mu.Lock()
						problems = append(problems, m.String())
						mu.Unlock()
					}
				}
			}()
			if err := chromedp.Do(ctx,
				chromedp.EmulateViewport(390, 844),
				chromedp.Navigate("file://"+path),
				chromedp.WaitReady(chromedp.CSS("footer")),
			); err != nil {
				t.Fatalf("driving %s: %v", browser, err)
			}
			eval := func(js string, into any) {
				var err error
				switch v := into.(type) {
				case *[]string:
					*v, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](js))
				case *[][2]float64:
					*v, err = chromedp.Run(ctx, chromedp.Evaluate[[][2]float64](js))
				case *float64:
					*v, err = chromedp.Run(ctx, chromedp.Evaluate[float64](js))
				}
				if err != nil {
					t.Fatalf("%s: %v", js, err)
				}
			}
			var broken []string
			var sizes [][2]float64
			var ruleLinks, scrollWidth, innerWidth float64
			eval(`Array.from(document.querySelectorAll('a[href^="#"]')).map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id))`, &broken)
			eval(`document.querySelectorAll('a[href^="#rule-"]').length`, &ruleLinks)
			eval(`Array.from(document.querySelectorAll('body > div.picture > svg')).map(s => { const r = s.getBoundingClientRect(); return [r.width, r.height]; })`, &sizes)
			eval(`document.documentElement.scrollWidth`, &scrollWidth)
			eval(`window.innerWidth`, &innerWidth)
			time.Sleep(200 * time.Millisecond) // let the last console messages arrive
			stopConsole()
			<-done
			mu.Lock()
			defer mu.Unlock()
			if len(problems) > 0 {
				t.Errorf("console errors:\n%s", strings.Join(problems, "\n"))
			}
			if len(broken) > 0 {
				t.Errorf("links to anchors that do not exist: %v", broken)
			}
			if ruleLinks == 0 {
				t.Error("no rule id links to its rule's section")
			}
			if len(sizes) != 2 {
				t.Errorf("%d pictures, want the sequence diagram and the run's picture", len(sizes))
			}
			for i, s := range sizes {
				if s[0] <= 0 || s[1] <= 0 {
					t.Errorf("picture %d renders %gx%g", i, s[0], s[1])
				}
			}
			if innerWidth != 390 || scrollWidth > innerWidth {
				t.Errorf("the page is %g px wide in a %g px viewport: it scrolls sideways", scrollWidth, innerWidth)
			}
		})
	}
}
