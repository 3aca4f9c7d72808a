package apptest

import (
	"bytes"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// Browser is one user's browser: a cookie jar and a client that does not
// follow redirects, so that a test checks each step.
type Browser struct {
	// T is the test the browser fails on an error.
	T testing.TB
	// Base is the URL a path starting with "/" is relative to.
	Base string
	// Client sends the requests, with the browser's cookie jar.
	Client *http.Client
}

// NewBrowser returns a browser with an empty cookie jar, resolving paths
// against base.
func NewBrowser(t testing.TB, base string) *Browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &Browser{T: t, Base: base, Client: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Response is a page as the browser got it.
type Response struct {
	// Status is the HTTP status code.
	Status int
	// Location is the Location header (of a redirect).
	Location string
	// Body is the body.
	Body string
	// Doc is the parsed body of an HTML page (Content-Type text/html), nil
	// otherwise.
	Doc *html.Node
}

// Do sends a GET (form nil) or a form POST to rawURL, absolute or a path
// on Base, and reads the answer.
func (b *Browser) Do(method, rawURL string, form url.Values) *Response {
	b.T.Helper()
	if strings.HasPrefix(rawURL, "/") {
		rawURL = b.Base + rawURL
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(b.T.Context(), method, rawURL, body)
	if err != nil {
		b.T.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.Client.Do(req)
	if err != nil {
		b.T.Fatalf("%s %s: %v", method, rawURL, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		b.T.Fatalf("%s %s: %v", method, rawURL, err)
	}
	out := &Response{Status: resp.StatusCode, Location: resp.Header.Get("Location"), Body: string(data)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		if out.Doc, err = html.Parse(bytes.NewReader(data)); err != nil {
			b.T.Fatalf("%s %s: unparsable HTML: %v", method, rawURL, err)
		}
	}
	return out
}

// Get gets a page.
func (b *Browser) Get(rawURL string) *Response {
	b.T.Helper()
	return b.Do(http.MethodGet, rawURL, nil)
}

// PostForm posts form values as they are.
func (b *Browser) PostForm(rawURL string, form url.Values) *Response {
	b.T.Helper()
	if form == nil {
		form = url.Values{}
	}
	return b.Do(http.MethodPost, rawURL, form)
}

// Follow gets the page a redirect (303 or 302) names, failing the test
// when r is no redirect.
func (b *Browser) Follow(r *Response) *Response {
	b.T.Helper()
	if r.Status != http.StatusSeeOther && r.Status != http.StatusFound {
		b.T.Fatalf("expected a redirect, got %d: %s", r.Status, r.Body)
	}
	return b.Get(r.Location)
}

// Submit posts the first form of a page (a launch or registration form)
// as a browser would: to its action, with its hidden fields.
func (b *Browser) Submit(r *Response) *Response {
	b.T.Helper()
	if r.Doc == nil {
		b.T.Fatalf("not an HTML page (status %d): %s", r.Status, r.Body)
	}
	f := First(r.Doc, func(n *html.Node) bool { return n.Data == "form" })
	if f == nil {
		b.T.Fatalf("the page has no form: %s", r.Body)
	}
	return b.PostForm(Attr(f, "action"), HiddenFields(f))
}

// HiddenFields returns the names and values of the hidden inputs below
// form.
func HiddenFields(form *html.Node) url.Values {
	v := url.Values{}
	for _, in := range All(form, TagAttr("input", "type", "hidden")) {
		v.Add(Attr(in, "name"), Attr(in, "value"))
	}
	return v
}

// ByID returns the element of the page whose id is id, nil when none.
func (r *Response) ByID(id string) *html.Node { return ByID(r.Doc, id) }

// Field returns the value of the page's first input named name, failing
// the test when there is none (such as the csrf field of a form).
func (r *Response) Field(t testing.TB, name string) string {
	t.Helper()
	in := First(r.Doc, TagAttr("input", "name", name))
	if in == nil {
		t.Fatalf("the page has no %s field: %s", name, r.Body)
	}
	return Attr(in, "value")
}

// TextOf returns the text of the page's element of id, failing the test
// when there is none.
func (r *Response) TextOf(t testing.TB, id string) string {
	t.Helper()
	n := r.ByID(id)
	if n == nil {
		t.Fatalf("the page has no #%s: %s", id, r.Body)
	}
	return Text(n)
}
