package launch

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/runtime/oauth1"
)

// hostile values: each would break out of an attribute, a tag or the
// script if it were written unescaped.
var hostile = []string{
	`"><script>alert(1)</script>`,
	`' onmouseover='alert(2)`,
	`</form><form action="https://evil.example/">`,
	`</script><script>alert(3)</script>`,
	`&amp; &lt;already escaped&gt; &#39;`,
	"javascript:alert(4)",
	"<!-- comment -->",
	"`backtick` = {{.Action}}",
}

func signedForm(t *testing.T) *Form {
	t.Helper()
	req := testRequest(LTI1, nil)
	req.URL = "https://tool.example/launch?a=1&b=%3Cx%3E"
	req.User.FullName = hostile[0]
	req.Context.Title = hostile[1]
	req.ResourceLink.Title = hostile[2]
	for i, h := range hostile {
		req.Custom = append(req.Custom, Custom{Name: "h" + string(rune('a'+i)), Value: h})
	}
	req.Extensions = append(req.Extensions, Param{Key: `x"><b>`, Value: hostile[3]})
	c := &Consumer{Credentials: oauth1.Credentials{Key: "k", Secret: "s"}, Sign: oauth1.SignOptions{Now: func() time.Time { return time.Unix(1700000000, 0) }, Nonce: func() string { return "n0nce" }}}
	f, err := c.Build(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestRenderEscapes(t *testing.T) {
	f := signedForm(t)
	var buf bytes.Buffer
	if err := f.Render(&buf, RenderOptions{Title: "<Launch>", Button: `Go "now"`, Target: "tool-frame", ScriptNonce: `abc"def`}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()

	// A browser's HTML parser reads back exactly the signed form.
	pf := parseForm(t, buf.Bytes())
	if pf.action != f.Action {
		t.Errorf("action = %q, want %q", pf.action, f.Action)
	}
	if !sameParams(pf.params, f.Params) {
		t.Errorf("fields read back:%s\nwant:%s", formatParams(pf.params), formatParams(f.Params))
	}
	// ... and that form verifies, hostile values and all.
	r := httptest.NewRequest(http.MethodPost, pf.action, strings.NewReader(oauth1.EncodeForm(pf.params)))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	p := &Provider{Verifier: &oauth1.Verifier{Secrets: oauth1.SecretMap{"k": "s"}, Now: func() time.Time { return time.Unix(1700000000, 0) }}}
	l, err := p.Verify(context.Background(), r)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if l.User.FullName != hostile[0] || l.Context.Title != hostile[1] || l.ResourceLink.Title != hostile[2] {
		t.Errorf("hostile values changed: %q %q %q", l.User.FullName, l.Context.Title, l.ResourceLink.Title)
	}
	if pf.buttons != 1 {
		t.Errorf("%d submit buttons, want 1", pf.buttons)
	}
	if len(pf.scripts) != 1 || pf.scripts[0] != "inline" {
		t.Errorf("scripts = %v, want one inline script and no external one", pf.scripts)
	}
	// Every parameter appears escaped, in a hidden input.
	for _, p := range f.Params {
		if strings.ContainsAny(p.Value, `<>"'&`) && strings.Contains(page, p.Value) {
			t.Errorf("value %q appears unescaped", p.Value)
		}
	}
	for _, raw := range []string{"<script>alert", "<b>", `<form action="https://evil`, "<!-- comment -->", "<Launch>", `abc"def`} {
		if strings.Contains(page, raw) {
			t.Errorf("page holds %q unescaped", raw)
		}
	}
	if n := strings.Count(page, `<input type="hidden"`); n != len(f.Params) {
		t.Errorf("%d hidden inputs, want %d", n, len(f.Params))
	}
	for _, want := range []string{`target="tool-frame"`, "<noscript>", `method="post"`, "HTMLFormElement.prototype.submit.call"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if regexp.MustCompile(`(?i)<(script|link|img|iframe)[^>]+(src|href)=`).MatchString(page) {
		t.Error("page loads an external resource")
	}
}

func TestRenderDefaultsAndUnsafeAction(t *testing.T) {
	var buf bytes.Buffer
	f := &Form{Action: "javascript:alert(1)", Params: []Param{{Key: "a", Value: "b"}}}
	if err := f.Render(&buf, RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if strings.Contains(page, "javascript:alert") {
		t.Error("a javascript: action is written as is")
	}
	for _, want := range []string{"<title>Launching…</title>", ">Continue</button>", "<script>"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestFormServeHTTP(t *testing.T) {
	f := signedForm(t)
	w := httptest.NewRecorder()
	f.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/launch", nil))
	h := w.Header()
	if w.Code != http.StatusOK || h.Get("Cache-Control") != "no-store" || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, headers %v", w.Code, h)
	}
	m := regexp.MustCompile(`script-src 'nonce-([A-Za-z0-9_-]+)'`).FindStringSubmatch(h.Get("Content-Security-Policy"))
	if m == nil {
		t.Fatalf("CSP %q has no script nonce", h.Get("Content-Security-Policy"))
	}
	if !strings.Contains(w.Body.String(), `<script nonce="`+m[1]+`">`) {
		t.Error("the inline script does not carry the CSP nonce")
	}
	pf := parseForm(t, w.Body.Bytes())
	if !sameParams(pf.params, f.Params) {
		t.Error("served form differs from the signed one")
	}
	w2 := httptest.NewRecorder()
	f.ServeHTTP(w2, httptest.NewRequest(http.MethodGet, "/launch", nil))
	if w2.Header().Get("Content-Security-Policy") == h.Get("Content-Security-Policy") {
		t.Error("the script nonce is reused")
	}
}
