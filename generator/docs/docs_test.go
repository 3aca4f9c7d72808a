package docs

// Golden test: testdata/*.txtar hold a model (model/...) and the site the
// emitter must produce (out/..., without the static assets). After an
// intended change, refresh them with
//
//	LTIGEN_UPDATE_GOLDEN=1 go test ./generator/docs
//
// and review the diff.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/ltiforge/ltiforge/internal/golden"

	"golang.org/x/net/html"
	"golang.org/x/tools/txtar"

	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/generator/emit"
	"github.com/ltiforge/ltiforge/model"
	"github.com/ltiforge/ltiforge/model/uml"
)

// testOptions are the emitters' options in the tests.
func testOptions() emit.Options {
	return emit.Options{Root: "example.com/out", Standard: "example.com/out", Package: "lti2"}
}

// standardSite builds the standard model's site once for the tests that
// read it.
var standardSite = sync.OnceValues(func() (*builtSite, error) {
	ctx := context.Background()
	m, err := model.LoadStandard(ctx)
	if err != nil {
		return nil, err
	}
	if m.Diagnostics.HasErrors() {
		return nil, fmt.Errorf("the standard model has errors: %v", m.Diagnostics)
	}
	files, err := New().Emit(ctx, m, testOptions())
	if err != nil {
		return nil, err
	}
	return parseSite(m, files)
})

// builtSite is an emitted site with every HTML page parsed.
type builtSite struct {
	m     *model.Model
	files map[string][]byte
	ids   map[string]map[string]bool // page → ids
	docs  map[string]*html.Node
}

func parseSite(m *model.Model, files []emit.File) (*builtSite, error) {
	s := &builtSite{m: m, files: map[string][]byte{}, ids: map[string]map[string]bool{}, docs: map[string]*html.Node{}}
	for _, f := range files {
		if f.Root != emit.DocsRoot {
			return nil, fmt.Errorf("%s: root %v, want the docs root", f.Path, f.Root)
		}
		s.files[f.Path] = f.Data
		if !strings.HasSuffix(f.Path, ".html") {
			continue
		}
		doc, err := html.Parse(bytes.NewReader(f.Data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
		s.docs[f.Path] = doc
		ids := map[string]bool{}
		walk(doc, func(n *html.Node) {
			if id := attr(n, "id"); id != "" {
				ids[id] = true
			}
		})
		s.ids[f.Path] = ids
	}
	return s, nil
}

func walk(n *html.Node, f func(*html.Node)) {
	if n.Type == html.ElementNode {
		f(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val
		}
	}
	return ""
}

func text(n *html.Node) string {
	var b strings.Builder
	var f func(*html.Node)
	f = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
	}
	f(n)
	return b.String()
}

func mustSite(t *testing.T) *builtSite {
	t.Helper()
	s, err := standardSite()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// has reports whether target ("page.html#id" or "page.html") exists.
func (s *builtSite) has(target string) bool {
	p, frag, _ := strings.Cut(target, "#")
	if _, ok := s.files[p]; !ok {
		return false
	}
	return frag == "" || s.ids[p][frag]
}

// TestExhaustive checks that every element of the semantic model, counted
// from the model itself, has its page or anchor in the site.
func TestExhaustive(t *testing.T) {
	s := mustSite(t)
	x := newIndex(s.m)
	type want struct{ kind, name, target string }
	var wants []want
	add := func(kind, name, target string) { wants = append(wants, want{kind, name, target}) }
	for _, v := range s.m.Vocabularies {
		add("vocabulary", v.Name, x.vocabPage[v])
	}
	for _, c := range s.m.Classes {
		add("class", c.Name, x.classPage[c])
		for _, p := range c.AllProperties() {
			add("property", c.Name+"."+p.Term, x.classPage[c]+"#prop-"+slug(p.Term))
		}
	}
	for _, st := range s.m.SimpleTypes {
		add("simple type", st.Name, x.simplePage[st])
	}
	for _, e := range s.m.Enums {
		add("enumeration", e.Name, x.enumPage[e])
		for _, mb := range e.Members {
			add("enum member", e.Name+"."+mb.Name, x.enumPage[e]+"#member-"+slug(mb.Name))
		}
	}
	for _, mt := range s.m.MediaTypes {
		add("media type", mt.Name, x.mediaPage[mt])
		add("media type context", mt.Name, x.mediaPage[mt]+"#context")
		add("media type diagram", mt.Name, x.mediaPage[mt]+"#diagram")
	}
	for _, sv := range s.m.Services {
		add("service", sv.Name, x.servicePage[sv])
		for _, op := range sv.Operations {
			add("operation", sv.Name+"."+op.Name, x.servicePage[sv]+"#op-"+slug(op.Name))
			for _, g := range []struct {
				kind string
				ps   []*model.Param
			}{{"path", op.PathParams}, {"query", op.QueryParams}, {"header", op.HeaderParams}} {
				for _, p := range g.ps {
					add("operation parameter", op.Name+"."+p.Name, x.servicePage[sv]+"#op-"+slug(op.Name)+"-"+g.kind+"-"+slug(p.Name))
				}
			}
		}
	}
	for _, msg := range s.m.Messages {
		add("message", msg.Name, x.messagePage[msg])
		for _, p := range msg.Params {
			add("message parameter", msg.Name+"."+p.Name, x.messagePage[msg]+"#param-"+slug(p.Name))
		}
	}
	for _, r := range s.m.MessageReturns {
		add("message return", r.Name, x.returnPage[r])
		for _, p := range r.Params {
			add("message parameter", r.Name+"."+p.Name, x.returnPage[r]+"#param-"+slug(p.Name))
		}
	}
	for _, c := range s.m.Capabilities {
		add("capability", c.Name, "capabilities.html#cap-"+slug(c.Name))
	}
	for _, v := range s.m.Variables {
		add("variable", v.Name, "capabilities.html#var-"+slug(v.Name))
	}
	for _, r := range s.m.Roles {
		add("role", r.Name, "roles.html#role-"+slug(r.Name))
	}
	add("page", "index", "index.html")
	add("page", "profile", "profile.html")
	counts := map[string]int{}
	for _, w := range wants {
		counts[w.kind]++
		if w.target == "" || !s.has(w.target) {
			t.Errorf("%s %s: no page or anchor %q in the site", w.kind, w.name, w.target)
		}
	}
	kinds := make([]string, 0, len(counts))
	for k := range counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		t.Logf("%-20s %d", k, counts[k])
	}
	for _, k := range []string{"class", "property", "media type", "service", "operation", "message", "message parameter", "capability", "variable", "role"} {
		if counts[k] == 0 {
			t.Errorf("the standard model has no %s: the test counts nothing", k)
		}
	}
}

// TestLinks parses every page and checks that every internal link (with
// its anchor) and every stylesheet and script resolves within the site.
func TestLinks(t *testing.T) {
	s := mustSite(t)
	pages, links := 0, 0
	for p, doc := range s.docs {
		pages++
		walk(doc, func(n *html.Node) {
			var ref string
			switch n.Data {
			case "a", "link":
				ref = attr(n, "href")
			case "script", "img":
				ref = attr(n, "src")
			default:
				return
			}
			if ref == "" && n.Data == "script" {
				t.Errorf("%s: inline script; the site loads only search-index.js and assets/search.js", p)
				return
			}
			if ref == "" {
				t.Errorf("%s: <%s> without a target", p, n.Data)
				return
			}
			if strings.Contains(ref, "://") || strings.HasPrefix(ref, "//") || strings.HasPrefix(ref, "mailto:") {
				if n.Data != "a" {
					t.Errorf("%s: <%s> loads %s from the network", p, n.Data, ref)
				}
				return
			}
			links++
			target, frag, _ := strings.Cut(ref, "#")
			if target == "" {
				target = p
			} else {
				target = path.Clean(path.Join(path.Dir(p), target))
			}
			if _, ok := s.files[target]; !ok {
				t.Errorf("%s: link %q: no file %s", p, ref, target)
				return
			}
			if frag != "" && !s.ids[target][frag] {
				t.Errorf("%s: link %q: %s has no id %q", p, ref, target, frag)
			}
		})
	}
	t.Logf("%d pages, %d internal links checked", pages, links)
	if pages == 0 || links == 0 {
		t.Fatal("nothing checked")
	}
}

// TestExamplesValidate decodes every example embedded in a media type's
// page, and its downloadable copy, as a document of its media type with
// the generated Go types, and validates it.
func TestExamplesValidate(t *testing.T) {
	s := mustSite(t)
	checked := 0
	for p, doc := range s.docs {
		walk(doc, func(n *html.Node) {
			if n.Data != "pre" || attr(n, "id") != "example-document" {
				return
			}
			mt := attr(n, "data-media-type")
			data := []byte(text(n))
			checked++
			t.Run(mt, func(t *testing.T) {
				d, err := lti2.DecodeDocument(mt, data)
				if err != nil {
					t.Fatalf("%s: decoding the example: %v\n%s", p, err, data)
				}
				if err := d.Validate(); err != nil {
					t.Errorf("%s: the example does not validate: %v\n%s", p, err, data)
				}
				if file := s.files[examplePath(p)]; !bytes.Equal(file, data) {
					t.Errorf("%s: the page's example and %s differ", p, examplePath(p))
				}
			})
		})
	}
	want := 0
	for _, mt := range s.m.MediaTypes {
		if mt.Form != model.FormXML {
			want++
		}
	}
	if checked != want {
		t.Errorf("checked %d examples, want one per JSON media type (%d)", checked, want)
	}
}

// TestSearchIndex checks that every search entry leads to a page and
// anchor of the site, and that the search page elements the browser test
// uses are there.
func TestSearchIndex(t *testing.T) {
	s := mustSite(t)
	data := string(s.files[fileSearchIndex])
	start, end := strings.Index(data, "["), strings.LastIndex(data, "]")
	if start < 0 || end < start {
		t.Fatalf("search-index.js holds no array:\n%.200s", data)
	}
	var entries []searchEntry
	if err := json.Unmarshal([]byte(data[start:end+1]), &entries); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, e := range entries {
		kinds[strings.Fields(e.Kind)[0]]++
		if !s.has(e.URL) {
			t.Errorf("search entry %q (%s) leads to %q, which is not in the site", e.Title, e.Kind, e.URL)
		}
	}
	for _, k := range []string{"class", "property", "media", "service", "variable"} {
		if kinds[k] == 0 {
			t.Errorf("the search index has no %s entries", k)
		}
	}
	if !s.ids["index.html"]["search"] || !s.ids["index.html"]["results"] {
		t.Error("index.html lacks #search or #results")
	}
}

// TestDeterministic builds the standard site twice and compares.
func TestDeterministic(t *testing.T) {
	ctx := context.Background()
	m, err := model.LoadStandard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a, err := New().Emit(ctx, m, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	m2, err := model.LoadStandard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := New().Emit(ctx, m2, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Path != b[i].Path || !bytes.Equal(a[i].Data, b[i].Data) {
			t.Errorf("%s differs between two runs", a[i].Path)
		}
	}
}

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"LTI2::Core::ToolProxy", "LTI2.Core.ToolProxy"},
		{"LTI2::SimpleTypes::GUID.Type", "LTI2.SimpleTypes.GUID.Type"},
		{"basic-lti-launch-request", "basic-lti-launch-request"},
		{"a b/c?d", "a_b_c_d"},
		{"::", "_"},
	}
	for _, tt := range tests {
		if got := slug(tt.in); got != tt.want {
			t.Errorf("slug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	n := newNamer()
	if a, b := n.page("classes", "X::Name"), n.page("classes", "X::name"); a == b || !strings.HasSuffix(b, "-2.html") {
		t.Errorf("pages differing only in case: %q and %q", a, b)
	}
}

func TestGolden(t *testing.T) {
	paths, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range paths {
		if !strings.HasSuffix(p.Name(), ".txtar") {
			continue
		}
		n++
		t.Run(strings.TrimSuffix(p.Name(), ".txtar"), func(t *testing.T) { runGolden(t, "testdata/"+p.Name()) })
	}
	if n == 0 {
		t.Fatal("no golden files in testdata")
	}
}

func runGolden(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var srcs []uml.Source
	want := map[string][]byte{}
	var kept []txtar.File
	for _, f := range ar.Files {
		switch {
		case strings.HasPrefix(f.Name, "model/"):
			srcs = append(srcs, uml.Source{Path: f.Name, Data: f.Data})
			kept = append(kept, f)
		case strings.HasPrefix(f.Name, "out/"):
			want[strings.TrimPrefix(f.Name, "out/")] = f.Data
		default:
			t.Fatalf("%s: section %q is neither model/ nor out/", file, f.Name)
		}
	}
	ctx := context.Background()
	m, err := model.LoadSources(ctx, srcs...)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range m.Diagnostics {
		t.Errorf("the model has a diagnostic: %s", d)
	}
	files, err := emitter{profile: []byte("# Profile\n\nThe test profile.\n")}.Emit(ctx, m, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]byte{}
	for _, f := range files {
		if !strings.HasPrefix(f.Path, dirAssets+"/") {
			got[f.Path] = f.Data
		}
	}
	if golden.Updating() {
		names := make([]string, 0, len(got))
		for p := range got {
			names = append(names, p)
		}
		sort.Strings(names)
		for _, p := range names {
			kept = append(kept, txtar.File{Name: "out/" + p, Data: got[p]})
		}
		ar.Files = kept
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for p, w := range want {
		g, ok := got[p]
		switch {
		case !ok:
			t.Errorf("%s is no longer produced", p)
		case !bytes.Equal(g, w):
			t.Errorf("%s differs from the golden file:\n%s", p, golden.FirstDiff(w, g))
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s is produced but not in the golden file", p)
		}
	}
	site, err := parseSite(m, files)
	if err != nil {
		t.Fatal(err)
	}
	if !site.has("classes/School.Core.Course.html#prop-section") || !site.has("classes/School.Core.Seminar.html#prop-room") {
		t.Error("the golden site lacks the property anchors of Course (own) and Seminar (inherited)")
	}
}
