package docs_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// site is the committed reference site, as make generate writes it.
const site = "../../docs/reference"

// chromium finds Debian's Chromium, which .ci/run installs.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium is not installed (apt-get install chromium); .ci/run installs it for this test")
	return ""
}

// artifacts is where the screenshots go: $LTIFORGE_ARTIFACTS, or a folder
// under the system's temporary directory.
func artifacts(t *testing.T) string {
	dir := os.Getenv("LTIFORGE_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "ltiforge-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestSiteInBrowser opens the reference site in headless Chromium, searches
// for a property, follows the first result to its anchor, and saves
// screenshots of the index, a class page and a service page. Any console
// error or uncaught exception fails the test.
func TestSiteInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test is skipped with -short")
	}
	exe := chromium(t)
	if _, err := os.Stat(filepath.Join(site, "index.html")); err != nil {
		t.Fatalf("the site is not generated: %v (run make generate)", err)
	}
	files := http.FileServer(http.Dir(site))
	var missing []string
	var missingMu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := os.Stat(filepath.Join(site, filepath.FromSlash(r.URL.Path))); err != nil {
			missingMu.Lock()
			missing = append(missing, r.URL.Path)
			missingMu.Unlock()
		}
		files.ServeHTTP(w, r)
	}))
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	var mu sync.Mutex
	var problems []string
	// The console is read from the first page on; errors and uncaught
	// exceptions of any page fail the test.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting the browser: %v", err)
	}
	consoleCtx, stopConsole := context.WithCancel(ctx)
	defer stopConsole()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range chromedp.Console(consoleCtx) {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				mu.Lock()
				problems = append(problems, string(m.Type)+": "+m.Text)
				mu.Unlock()
			}
		}
	}()

	dir := artifacts(t)
	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
	}

	const term = "tool_proxy_guid"
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/index.html"),
		chromedp.WaitVisible(chromedp.ID("search")),
	); err != nil {
		t.Fatalf("opening the index: %v", err)
	}
	shot("index.png")
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("search"), term),
		chromedp.WaitVisible(chromedp.CSS("#results a")),
	); err != nil {
		t.Fatalf("searching for %s: %v", term, err)
	}
	first, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("#results a"), "href"))
	if err != nil {
		t.Fatalf("reading the first result: %v", err)
	}
	if !strings.Contains(first.Value, "#prop-"+term) {
		t.Errorf("the first result for %q links to %q, not to the property's anchor", term, first.Value)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#results a")),
		chromedp.WaitVisible(chromedp.ID("prop-"+term)),
	); err != nil {
		t.Fatalf("following the first result: %v", err)
	}
	location, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	anchored, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`location.hash.length > 1 && document.getElementById(decodeURIComponent(location.hash.slice(1))) !== null`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(location, "#prop-"+term) || !anchored {
		t.Errorf("following the result landed on %q (anchor present: %v)", location, anchored)
	}

	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/classes/LTI2.Core.ToolProxy.html"),
		chromedp.WaitVisible(chromedp.ID("prop-"+term)),
	); err != nil {
		t.Fatalf("opening the ToolProxy class page: %v", err)
	}
	shot("class-ToolProxy.png")
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/services/LTI2.Services.ToolSettingsService.html"),
		chromedp.WaitVisible(chromedp.CSS("h1")),
	); err != nil {
		t.Fatalf("opening the Tool Settings service page: %v", err)
	}
	shot("service-ToolSettings.png")

	stopConsole()
	<-done
	missingMu.Lock()
	for _, p := range missing {
		t.Errorf("the browser asked for %s, which the site does not have", p)
	}
	missingMu.Unlock()
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("the page reported %s", p)
	}
}
