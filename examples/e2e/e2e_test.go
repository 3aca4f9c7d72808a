package e2e_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ltiforge/ltiforge/examples/etextbook"
	"github.com/ltiforge/ltiforge/examples/lms"
	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/backend"
	"github.com/ltiforge/ltiforge/runtime/store/storetest"
)

const (
	// stepTimeout bounds each numbered step of the flow.
	stepTimeout = 60 * time.Second
	// browserTimeout bounds the whole flow of one backend, the browser's
	// start included.
	browserTimeout = 4 * time.Minute
	// staleAttr marks the document shown before an action that navigates,
	// so that waiting for the next page never matches the old one.
	staleAttr = "data-e2e-stale"
)

// The screenshots each step leaves in the artifacts directory.
const (
	shotRegistered = "01-registered.png"
	shotLinks      = "02-links.png"
	shotAdopted    = "03-adopted.png"
	shotQuiz       = "04-quiz.png"
	shotGradebook  = "05-gradebook.png"
	shotSettings   = "05-settings.png"
	shotCensus     = "06-census.png"
	failedPNG      = "failed.png"
	failedHTML     = "failed.html"
)

// adoptedBook is the book the instructor adopts.
const adoptedBook = "openchem"

// TestReferenceAppsInBrowser runs the LMS and the e-textbook in this process,
// on loopback listeners and fresh stores of each backend, and acts out the
// LTI 2.0 stories in headless Chromium through their pages only: the
// administrator registers and approves the tool, the instructor places its
// resources, adopts a book, the learner reads and takes the quiz, and the
// instructor checks the gradebook, the tool settings and the census.
func TestReferenceAppsInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test is skipped with -short")
	}
	exe := chromium(t)
	root := moduleRoot(t)
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			runFlow(t, b, exe, artifactsDir(t, root, b.Name))
		})
	}
}

// chromium finds Debian's Chromium. Without it the test is skipped, except
// under CI=true, where it fails: CI never skips the browser test silently.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	const msg = "chromium is not installed (apt-get install chromium); .ci/run installs it for this test"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + ", and CI=true: the browser test must run in CI")
	}
	t.Skip(msg)
	return ""
}

// moduleRoot walks up from the working directory to the directory holding
// go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("working directory: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// artifactsDir returns the directory of one backend's screenshots:
// $LTIFORGE_ARTIFACTS/e2e/<backend>, by default <module root>/artifacts/e2e/<backend>.
// It removes the files an earlier run left there.
func artifactsDir(t *testing.T, root, backendName string) string {
	t.Helper()
	base := os.Getenv("LTIFORGE_ARTIFACTS")
	if base == "" {
		base = filepath.Join(root, "artifacts")
	}
	dir := filepath.Join(base, "e2e", backendName)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("artifacts: %v", err)
	}
	for _, name := range []string{shotRegistered, shotLinks, shotAdopted, shotQuiz, shotGradebook, shotSettings, shotCensus, failedPNG, failedHTML} {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("artifacts: %v", err)
		}
	}
	t.Logf("artifacts: %s", dir)
	return dir
}

// logBuffer collects an application's log, safe for concurrent writes.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// requestLog records the method and path of the requests a server receives.
type requestLog struct {
	mu     sync.Mutex
	seen   []string
	failed []string
}

// statusRecorder remembers the status of a response.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

// Unwrap gives http.ResponseController the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

// failures returns the requests answered with a 4xx or 5xx status.
func (l *requestLog) failures() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.failed)
}

// wrap records the requests h serves, and those it answers with an error
// status.
func (l *requestLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.seen = append(l.seen, r.Method+" "+r.URL.Path)
		l.mu.Unlock()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		if rec.status >= 400 {
			l.mu.Lock()
			l.failed = append(l.failed, fmt.Sprintf("%s %s: %d", r.Method, r.URL.Path, rec.status))
			l.mu.Unlock()
		}
	})
}

// count returns how many requests were entry ("METHOD /path").
func (l *requestLog) count(entry string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, s := range l.seen {
		if s == entry {
			n++
		}
	}
	return n
}

// openStore opens a store on a fresh database of b, closed when the test
// ends.
func openStore(t *testing.T, b storetest.Backend) store.Store {
	t.Helper()
	dsn := b.NewDSN(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := backend.Open(ctx, dsn, store.Options{Sealer: storetest.TestSealer(t)})
	if err != nil {
		t.Fatalf("%s: opening a store on %s: %v", b.Name, backend.Redact(dsn), err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("%s: closing a store: %v", b.Name, err)
		}
	})
	return st
}

// listen opens a loopback listener and returns it with its base URL.
func listen(t *testing.T) (net.Listener, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	return ln, "http://" + ln.Addr().String()
}

// serve serves h on ln until the test ends, then shuts the server down.
func serve(t *testing.T, name string, ln net.Listener, h http.Handler) {
	t.Helper()
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("%s: shutdown: %v", name, err)
		}
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("%s: serve: %v", name, err)
		}
	})
}

// flow is one run of the stories in one browser, against one pair of
// applications.
type flow struct {
	t        *testing.T
	browser  context.Context // the browser tab, bounded by browserTimeout
	dir      string          // artifacts
	lmsURL   string
	toolURL  string
	lmsStore store.Store

	step   string          // the current step, for failure messages
	ctx    context.Context // the current step's context
	cancel context.CancelFunc
}

// runFlow starts the applications on fresh stores of b and a browser, and
// acts out the six steps.
func runFlow(t *testing.T, b storetest.Backend, exe, dir string) {
	start := time.Now()
	ctx := t.Context()

	// The stores, the applications, their servers: each closed by a
	// cleanup, in the reverse order (servers, applications, stores).
	lmsStore := openStore(t, b)
	toolStore := openStore(t, b)
	lmsLogs, toolLogs := &logBuffer{}, &logBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the LMS's log:\n%s", lmsLogs)
			t.Logf("the e-textbook's log:\n%s", toolLogs)
		}
	})
	logger := func(w io.Writer) *slog.Logger {
		return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}

	lmsLn, lmsURL := listen(t)
	toolLn, toolURL := listen(t)
	lmsApp, err := lms.New(ctx, lms.Options{BaseURL: lmsURL, Store: lmsStore, Logger: logger(lmsLogs)})
	if err != nil {
		t.Fatalf("starting the LMS: %v", err)
	}
	t.Cleanup(func() {
		if err := lmsApp.Close(); err != nil {
			t.Errorf("closing the LMS: %v", err)
		}
	})
	toolApp, err := etextbook.New(ctx, etextbook.Options{BaseURL: toolURL, Store: toolStore, Logger: logger(toolLogs)})
	if err != nil {
		t.Fatalf("starting the e-textbook: %v", err)
	}
	t.Cleanup(func() {
		if err := toolApp.Close(); err != nil {
			t.Errorf("closing the e-textbook: %v", err)
		}
	})
	lmsRequests, toolRequests := &requestLog{}, &requestLog{}
	serve(t, "LMS", lmsLn, lmsRequests.wrap(lmsApp.Handler()))
	serve(t, "e-textbook", toolLn, toolRequests.wrap(toolApp.Handler()))
	t.Logf("LMS at %s, e-textbook at %s", lmsURL, toolURL)

	// The browser: a fresh profile, closed first at the end.
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
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	tab, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(cancelTab)
	browser, cancelBrowser := context.WithTimeout(tab, browserTimeout)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browser, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting the browser: %v", err)
	}
	console := watchConsole(t, browser)

	f := &flow{t: t, browser: browser, dir: dir, lmsURL: lmsURL, toolURL: toolURL, lmsStore: lmsStore}
	defer f.end()

	guid := f.registerTool(toolRequests, toolStore)
	links := f.addLinks(guid)
	f.adoptBook(links["Adopt a book"])
	f.learnerReadsAndTakesQuiz(links["Chapter 3"], links["Weekly assessment"])
	f.instructorChecksGradesAndSettings(guid, links["Weekly assessment"])
	f.census(links["Billing census"])

	f.end()
	// Every request either server answered 4xx or 5xx, and every console
	// error or uncaught exception, fails the flow.
	for name, l := range map[string]*requestLog{"LMS": lmsRequests, "e-textbook": toolRequests} {
		for _, failure := range l.failures() {
			t.Errorf("the %s answered %s", name, failure)
		}
	}
	for _, p := range console() {
		t.Errorf("the page reported %s", p)
	}
	t.Logf("%s: the six steps took %s", b.Name, time.Since(start).Round(time.Millisecond))
}

// watchConsole collects the console errors and uncaught exceptions of every
// page from now on; the returned func stops and returns them.
func watchConsole(t *testing.T, browser context.Context) func() []string {
	consoleCtx, stop := context.WithCancel(browser)
	t.Cleanup(stop)
	var mu sync.Mutex
	var problems []string
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
	return func() []string {
		stop()
		<-done
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(problems)
	}
}

// begin starts a numbered step with its own timeout.
func (f *flow) begin(n int, name string) {
	f.end()
	f.step = fmt.Sprintf("step %d (%s)", n, name)
	f.ctx, f.cancel = context.WithTimeout(f.browser, stepTimeout)
	f.t.Logf("%s", f.step)
}

// end releases the current step's context.
func (f *flow) end() {
	if f.cancel != nil {
		f.cancel()
		f.cancel = nil
	}
}

// fail saves the page as it is (failed.png, failed.html) and ends the test
// with a message naming the step.
func (f *flow) fail(format string, args ...any) {
	f.t.Helper()
	f.saveFailure()
	f.t.Fatalf("%s: %s", f.step, fmt.Sprintf(format, args...))
}

// saveFailure writes a screenshot and the HTML of the current page, on a
// context of its own (the step's may be what expired).
func (f *flow) saveFailure() {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(f.browser, 15*time.Second)
	defer cancel()
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err == nil {
		f.t.Logf("the page at the failure: %s", loc)
	}
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err != nil {
		f.t.Logf("no failure screenshot: %v", err)
	} else {
		f.write(failedPNG, png)
	}
	if html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const html = document.documentElement.cloneNode(true);
		html.removeAttribute("`+staleAttr+`");
		return html.outerHTML;
	})()`)); err != nil {
		f.t.Logf("no failure HTML: %v", err)
	} else {
		f.write(failedHTML, []byte(html))
	}
}

// write saves one artifact.
func (f *flow) write(name string, data []byte) {
	f.t.Helper()
	path := filepath.Join(f.dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		f.t.Errorf("saving %s: %v", path, err)
		return
	}
	f.t.Logf("saved %s", path)
}

// shot saves a full-page screenshot.
func (f *flow) shot(name string) {
	f.t.Helper()
	png, err := chromedp.Run(f.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		f.fail("screenshot %s: %v", name, err)
	}
	f.write(name, png)
}

// do runs actions, failing the step with what when one fails.
func (f *flow) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	f.t.Helper()
	if err := chromedp.Do(f.ctx, actions...); err != nil {
		f.fail("%s: %v", what, err)
	}
}

// fresh is sel in a document loaded after the last markStale.
func fresh(sel string) chromedp.CSS {
	return chromedp.CSS("html:not([" + staleAttr + "]) " + sel)
}

// markStale marks the current document, so that fresh selectors match only
// in the next one.
func markStale() chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`document.documentElement.setAttribute("` + staleAttr + `", "")`)
}

// waitPage waits for sel in a document loaded after the last markStale,
// and for that document to finish loading.
func waitPage(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.WaitVisible(fresh(sel)),
		chromedp.Poll[chromedp.Void](`document.readyState === "complete"`, chromedp.WithPollingInterval(20*time.Millisecond)),
	)
}

// navigate opens url and waits for sel on it.
func (f *flow) navigate(url, sel string) {
	f.t.Helper()
	f.do(fmt.Sprintf("opening %s and waiting for %s", url, sel),
		markStale(), chromedp.Navigate(url), waitPage(sel))
}

// follow clicks sel, which leads to another page (through any number of
// redirects and auto-submitted forms), and waits for next on it.
func (f *flow) follow(sel, next string) {
	f.t.Helper()
	f.do(fmt.Sprintf("clicking %s and waiting for %s on the next page", sel, next),
		markStale(), chromedp.Click(chromedp.CSS(sel)), waitPage(next))
}

// text returns the trimmed text of sel.
func (f *flow) text(sel string) string {
	f.t.Helper()
	s, err := chromedp.Run(f.ctx, chromedp.TextContent(chromedp.CSS(sel)))
	if err != nil {
		f.fail("reading the text of %s: %v", sel, err)
	}
	return strings.Join(strings.Fields(s), " ")
}

// evaluate runs a script on the page and decodes its result.
func evaluate[T any](f *flow, what, script string) T {
	f.t.Helper()
	v, err := chromedp.Run(f.ctx, chromedp.Evaluate[T](script))
	if err != nil {
		f.fail("%s: %v", what, err)
	}
	return v
}

// count returns how many elements match sel.
func (f *flow) count(sel string) int {
	f.t.Helper()
	return evaluate[int](f, "counting "+sel, fmt.Sprintf(`document.querySelectorAll(%q).length`, sel))
}

// attrs returns the attribute name of every element matching sel.
func (f *flow) attrs(sel, name string) []string {
	f.t.Helper()
	return evaluate[[]string](f, "reading "+name+" of "+sel,
		fmt.Sprintf(`Array.from(document.querySelectorAll(%q), e => e.getAttribute(%q) || "")`, sel, name))
}

// signIn signs user in from the sign-in page and waits for next, the page
// the LMS sends the user to.
func (f *flow) signIn(user, next string) {
	f.t.Helper()
	f.navigate(f.lmsURL+"/", "#signin-submit")
	if values := f.attrs("#user option", "value"); !slices.Contains(values, user) {
		f.fail("the sign-in page (#user) offers no %q: %q", user, values)
	}
	f.do("choosing "+user+" in #user", chromedp.SetValue(chromedp.ID("user"), user))
	f.follow("#signin-submit", next)
	if who := f.text("#whoami"); who == "" {
		f.fail("#whoami is empty after signing in as %s", user)
	}
}

// signOut signs the current user out of the LMS from any of its pages.
func (f *flow) signOut() {
	f.t.Helper()
	f.follow("#signout-submit", "#signin-submit")
}

// switchUser signs the current user out and user in.
func (f *flow) switchUser(user, next string) {
	f.t.Helper()
	f.navigate(f.courseURL(), "#course-title")
	f.signOut()
	f.signIn(user, next)
}

// courseURL is the demo course's page in the LMS.
func (f *flow) courseURL() string { return f.lmsURL + "/courses/" + lms.DemoCourseID }

// openCourse opens the course's page.
func (f *flow) openCourse() {
	f.t.Helper()
	f.navigate(f.courseURL(), "#links")
}

// launch clicks the course link id (the course page must be shown) and
// waits for next in the tool's page.
func (f *flow) launch(id, next string) {
	f.t.Helper()
	if id == "" {
		f.fail("no link to launch")
	}
	f.follow(fmt.Sprintf(`#links li.link[data-link=%q] a.launch`, id), next)
	if loc := f.location(); !strings.HasPrefix(loc, f.toolURL+"/") {
		f.fail("the launch of %s landed on %s, not in the tool at %s", id, loc, f.toolURL)
	}
}

// location returns the page's URL.
func (f *flow) location() string {
	f.t.Helper()
	loc, err := chromedp.Run(f.ctx, chromedp.Location())
	if err != nil {
		f.fail("reading the location: %v", err)
	}
	return loc
}

// registerTool is step 1: the administrator registers the e-textbook and
// approves it. It returns the tool proxy's GUID.
func (f *flow) registerTool(toolRequests *requestLog, toolStore store.Store) string {
	f.begin(1, "the administrator registers and approves the tool")
	f.signIn("admin", "#register-form")
	regURL := f.toolURL + etextbook.RegisterPath
	f.do("typing the registration URL in #registration-url",
		chromedp.SendKeys(chromedp.ID("registration-url"), regURL))
	// The LMS renders the registration request as an auto-submitted form
	// to the tool, which registers and redirects back with a flash.
	f.follow("#register-submit", "#flash")
	if n := toolRequests.count("POST " + etextbook.RegisterPath); n != 1 {
		f.fail("the browser posted %d registration requests to the tool, want 1", n)
	}
	if loc := f.location(); loc != f.lmsURL+"/admin/tools" {
		f.fail("after the registration the browser is at %s, not back at %s/admin/tools", loc, f.lmsURL)
	}
	if flash := f.text("#flash"); !strings.Contains(strings.ToLower(flash), "registered") {
		f.fail("#flash says %q, not that the tool is registered", flash)
	}
	guids := f.attrs("#tools tr.tool", "data-guid")
	if len(guids) != 1 || guids[0] == "" {
		f.fail("#tools lists the tool proxies %q, want exactly one", guids)
	}
	guid := guids[0]
	row := fmt.Sprintf(`#tools tr.tool[data-guid=%q]`, guid)
	if status := f.text(row + " td.status"); status != "pending" {
		f.fail("%s td.status is %q, want pending", row, status)
	}
	f.follow(row+" button.approve", row+" td.status")
	if status := f.text(row + " td.status"); status != "active" {
		f.fail("after approval %s td.status is %q, want active", row, status)
	}
	// Read back: both sides keep the registration.
	if tp, err := f.lmsStore.ToolProxy(f.ctx, guid); err != nil || tp.Status != store.StatusActive {
		f.fail("the LMS's store has tool proxy %s with status %q (error %v), want active", guid, tp.Status, err)
	}
	if regs, err := toolStore.ListToolProxies(f.ctx); err != nil || len(regs) != 1 || regs[0].GUID != guid {
		f.fail("the e-textbook's store has %d registrations (error %v), want the one of %s", len(regs), err, guid)
	}
	f.shot(shotRegistered)
	return guid
}

// linkSpec is a link the instructor adds.
type linkSpec struct {
	title, code, custom string
	gradable            bool
}

// addLinks is step 2: the instructor places four of the tool's resources in
// the course. It returns the link IDs by title.
func (f *flow) addLinks(guid string) map[string]string {
	f.begin(2, "the instructor adds the links")
	f.navigate(f.courseURL(), "#course-title")
	f.signOut()
	f.signIn("teacher", "#link-form")
	specs := []linkSpec{
		{title: "Chapter 3", code: etextbook.ResourceBook, custom: "chapter=3"},
		{title: "Weekly assessment", code: etextbook.ResourceQuiz, gradable: true},
		{title: "Adopt a book", code: etextbook.ResourceAdopt},
		{title: "Billing census", code: etextbook.ResourceCensus},
	}
	for _, spec := range specs {
		options := f.attrs("#link-resource option", "value")
		value := guid + "|" + spec.code
		if !slices.Contains(options, value) {
			f.fail("#link-resource offers %q, not %q", options, value)
		}
		f.do("filling #link-form for "+spec.title,
			chromedp.SetValue(chromedp.ID("link-resource"), value),
			chromedp.SendKeys(chromedp.ID("link-title"), spec.title))
		if spec.custom != "" {
			f.do("typing the custom parameters of "+spec.title+" in #link-custom",
				chromedp.SendKeys(chromedp.ID("link-custom"), spec.custom))
		}
		if spec.gradable {
			f.do("checking #link-gradable", chromedp.Click(chromedp.ID("link-gradable")))
		}
		if checked := evaluate[bool](f, "reading #link-gradable", `document.getElementById("link-gradable").checked`); checked != spec.gradable {
			f.fail("#link-gradable is checked=%v for %s, want %v", checked, spec.title, spec.gradable)
		}
		f.follow("#link-submit", "#link-form")
		if flash := f.text("#flash"); !strings.Contains(flash, spec.title) {
			f.fail("after adding %s, #flash says %q", spec.title, flash)
		}
	}
	type shownLink struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	shown := evaluate[[]shownLink](f, "reading #links",
		`Array.from(document.querySelectorAll("#links li.link"), li => ({id: li.dataset.link, title: li.querySelector("a.launch").textContent.trim()}))`)
	links := map[string]string{}
	for _, l := range shown {
		links[l.Title] = l.ID
	}
	for _, spec := range specs {
		if links[spec.title] == "" {
			f.fail("#links shows %+v, without %s", shown, spec.title)
		}
	}
	// Read back the links the form created.
	for _, spec := range specs {
		l, err := f.lmsStore.Link(f.ctx, links[spec.title])
		if err != nil {
			f.fail("reading link %s back: %v", links[spec.title], err)
		}
		if l.ToolProxyGUID != guid || l.ResourceType != spec.code || l.Gradable != spec.gradable {
			f.fail("link %s is stored as tool %s, resource %s, gradable %v; want %s, %s, %v",
				spec.title, l.ToolProxyGUID, l.ResourceType, l.Gradable, guid, spec.code, spec.gradable)
		}
	}
	f.shot(shotLinks)
	return links
}

// adoptBook is step 3: the instructor adopts a book for the course.
func (f *flow) adoptBook(adoptLink string) {
	f.begin(3, "the instructor adopts "+adoptedBook)
	f.openCourse()
	f.launch(adoptLink, "#catalog")
	f.follow(fmt.Sprintf(`#catalog li.book[data-book=%q] button.adopt`, adoptedBook),
		fmt.Sprintf(`#adopted li[data-book=%q]`, adoptedBook))
	if got := f.attrs("#adopted li", "data-book"); !slices.Equal(got, []string{adoptedBook}) {
		f.fail("#adopted lists %q, want only %s", got, adoptedBook)
	}
	f.shot(shotAdopted)
	f.openCourse()
}

// learnerReadsAndTakesQuiz is step 4: a learner opens chapter 3, in the
// adopted book, and takes the quiz with one wrong answer.
func (f *flow) learnerReadsAndTakesQuiz(bookLink, quizLink string) {
	f.begin(4, "the learner reads chapter 3 and takes the quiz")
	f.switchUser("student1", "#links")
	f.launch(bookLink, "#book-title")
	if n := f.text("#chapter-number"); n != "3" {
		f.fail("#chapter-number is %q, want 3", n)
	}
	want := ""
	for _, b := range etextbook.Catalog {
		if b.ID == adoptedBook {
			want = b.Title
		}
	}
	if title := f.text("#book-title"); want == "" || title != want {
		f.fail("#book-title is %q, want the adopted book's title %q", title, want)
	}

	f.openCourse()
	f.launch(quizLink, "#quiz-submit")
	questions := etextbook.WeeklyQuiz
	if len(questions) != 4 {
		f.fail("the quiz has %d questions, want 4", len(questions))
	}
	for i, q := range questions {
		answer := etextbook.QuizAnswers[q.Name]
		if answer == "" {
			f.fail("etextbook.QuizAnswers has no answer for %s", q.Name)
		}
		if i == len(questions)-1 { // the last one wrong, on purpose
			for _, c := range q.Choices {
				if c.Value != answer {
					answer = c.Value
					break
				}
			}
		}
		id := q.Name + "-" + answer
		f.do("choosing #"+id, chromedp.Click(chromedp.ID(id)))
		if !evaluate[bool](f, "reading #"+id, fmt.Sprintf(`document.getElementById(%q).checked`, id)) {
			f.fail("#%s is not checked after clicking it", id)
		}
	}
	f.follow("#quiz-submit", "#score")
	if score := f.text("#score"); score != "3/4" {
		f.fail("#score is %q, want 3/4", score)
	}
	if n := f.count("#grade-sent"); n != 1 {
		f.fail("no #grade-sent (#grade-error: %q)", evaluate[string](f, "reading #grade-error",
			`(document.getElementById("grade-error") || {}).textContent || ""`))
	}
	f.shot(shotQuiz)
}

// instructorChecksGradesAndSettings is step 5: the instructor sees the
// score in the gradebook and the adoption in the tool settings.
func (f *flow) instructorChecksGradesAndSettings(guid, quizLink string) {
	f.begin(5, "the instructor checks the gradebook and the tool settings")
	f.switchUser("teacher", "#links")
	f.follow("#nav-gradebook", "#gradebook")
	cell := fmt.Sprintf(`#gradebook tr[data-user="student1"] td[data-link=%q]`, quizLink)
	if got := f.text(cell); got != "75%" {
		f.fail("%s reads %q, want 75%%", cell, got)
	}
	results, err := f.lmsStore.ListResults(f.ctx, quizLink)
	if err != nil {
		f.fail("reading the results of %s back: %v", quizLink, err)
	}
	var score *float64
	for _, r := range results {
		if r.UserID == "student1" {
			score = r.Score
		}
	}
	if score == nil || *score != 0.75 {
		f.fail("the LMS's store has student1's score %v in %s, want 0.75", score, quizLink)
	}
	f.shot(shotGradebook)

	f.follow("#nav-settings", "section.scope")
	type setting struct {
		Tool  string `json:"tool"`
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	settings := evaluate[[]setting](f, "reading the ToolProxyBinding settings",
		`Array.from(document.querySelectorAll('section.scope[data-scope="ToolProxyBinding"] dl dt'), dt => ({
			tool: dt.closest("section").dataset.tool || "",
			name: dt.textContent.trim(),
			value: dt.nextElementSibling ? dt.nextElementSibling.textContent.trim() : "",
		}))`)
	found := false
	for _, s := range settings {
		if s.Tool == guid && s.Name == etextbook.SettingAdoptedBooks {
			found = true
			if s.Value != adoptedBook {
				f.fail("the binding setting %s is %q, want %s", s.Name, s.Value, adoptedBook)
			}
		}
	}
	if !found {
		f.fail(`no section.scope[data-scope=ToolProxyBinding][data-tool=%q] lists %s: %+v`, guid, etextbook.SettingAdoptedBooks, settings)
	}
	f.shot(shotSettings)
}

// census is step 6: the instructor runs the billing census, which must
// count the course's roster.
func (f *flow) census(censusLink string) {
	f.begin(6, "the instructor runs the billing census")
	f.openCourse()
	f.follow("#nav-roster", "#roster")
	roster := f.attrs("#roster tr.member", "data-user")
	if len(roster) == 0 {
		f.fail("#roster lists no tr.member")
	}
	f.openCourse()
	f.launch(censusLink, "#census-count")
	if got, want := f.text("#census-count"), fmt.Sprintf("%d members", len(roster)); got != want {
		f.fail("#census-count reads %q, want %q (the LMS's roster: %q)", got, want, roster)
	}
	census := f.attrs("#census tr.member", "data-user")
	if len(census) != len(roster) {
		f.fail("#census lists %d tr.member, the roster %d", len(census), len(roster))
	}
	slices.Sort(roster)
	slices.Sort(census)
	if !slices.Equal(census, roster) {
		f.fail("#census lists the users %q, the roster %q", census, roster)
	}
	f.shot(shotCensus)
}
