// Package docs is the emitter of the reference documentation site: static
// HTML pages, one CSS file, one small search script and a search index,
// built from the semantic model and written under the pipeline's docs
// root (emit.DocsRoot; docs/reference in the repository).
//
// # Pages
//
//	index.html                         the entry page: every kind of element, the LTI versions
//	vocabularies/<qualified name>.html one per «Vocabulary» package
//	classes/<qualified name>.html      one per class: properties (#prop-<term>), diagram, used by
//	types/<qualified name>.html        one per simple type and enumeration (#member-<name>)
//	media-types/<class>.html           one per media type: context, example, diagram
//	media-types/<class>.example.json   the media type's example document (JSON media types)
//	services/<qualified name>.html     one per REST service (#op-<operation>)
//	messages/<qualified name>.html     one per message and message return (#param-<name>)
//	capabilities.html                  capabilities (#cap-<name>) and variables (#var-<name>)
//	roles.html                         roles (#role-<name>)
//	profile.html                       the LTI UML profile (docs/profile.md)
//	search-index.js, assets/           the search index, style sheet and search script
//
// File names are the elements' qualified names with "::" written "." and
// any character other than ASCII letters, digits, '.', '-' and '_' written
// '_'; names that clash without regard to case get "-2", "-3", … in model
// order. Every link is relative, so the site works from a file system,
// and nothing is loaded from the network.
//
// # Contents
//
// Descriptions are the model's Markdown, rendered with goldmark (GitHub
// tables, heading ids). JSON-LD contexts are the ones the jsonld emitter
// writes. Example documents are built from the model: each reachable
// class's properties are filled with plausible values of their types,
// following compositions, and they validate against the generated Go
// types. Class diagrams are SVG drawn by a small layered layout of the
// package's own (diagram.go).
//
// The site documents every element of the loaded models, also in a
// partner run: a partner's elements appear beside the standard ones they
// build on, so that every link resolves.
package docs

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io/fs"
	"slices"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"

	ltidocs "github.com/ltiforge/ltiforge/docs"
	"github.com/ltiforge/ltiforge/generator/emit"
	"github.com/ltiforge/ltiforge/generator/jsonld"
	"github.com/ltiforge/ltiforge/model"
	"github.com/ltiforge/ltiforge/templates"
)

// New returns the documentation site emitter. Its files have Root
// emit.DocsRoot. The profile page renders docs/profile.md.
func New() emit.Emitter { return emitter{profile: ltidocs.Profile()} }

type emitter struct {
	// profile is the Markdown of the profile page.
	profile []byte
}

func (emitter) Name() string { return "docs" }

// Emit builds the site.
func (e emitter) Emit(ctx context.Context, m *model.Model, o emit.Options) ([]emit.File, error) {
	s, err := newSite(ctx, m, o, e.profile)
	if err != nil {
		return nil, err
	}
	if err := s.build(ctx); err != nil {
		return nil, err
	}
	slices.SortFunc(s.files, func(a, b emit.File) int { return strings.Compare(a.Path, b.Path) })
	return s.files, nil
}

// site is one build of the site.
type site struct {
	m       *model.Model
	md      goldmark.Markdown
	layout  *template.Template
	pages   map[string]*template.Template
	profile []byte
	x       *index

	contexts map[string][]byte // context documents by IRI
	examples map[*model.MediaType][]byte

	files  []emit.File
	search []searchEntry
}

func newSite(ctx context.Context, m *model.Model, o emit.Options, profile []byte) (*site, error) {
	s := &site{
		m: m,
		md: goldmark.New(
			goldmark.WithExtensions(extension.GFM),
			goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		),
		pages:    map[string]*template.Template{},
		profile:  profile,
		contexts: map[string][]byte{},
		examples: map[*model.MediaType][]byte{},
	}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.x = newIndex(m)
	// The contexts are the jsonld emitter's, for every media type.
	all := emit.Options{Root: o.Root, Standard: o.Standard, Package: o.Package}
	ctxFiles, err := jsonld.New().Emit(ctx, m, all)
	if err != nil {
		return nil, fmt.Errorf("building the JSON-LD contexts: %w", err)
	}
	byPath := map[string][]byte{}
	for _, f := range ctxFiles {
		byPath[f.Path] = f.Data
	}
	for _, mt := range m.MediaTypes {
		if mt.Context == "" || !mt.JSONLD() {
			continue
		}
		p, err := jsonld.ContextFile(mt.Context)
		if err != nil {
			continue
		}
		if data, ok := byPath[p]; ok {
			s.contexts[mt.Context] = data
		}
	}
	return s, nil
}

// templateNames are the page templates under templates/site, one per
// kind of page; each defines "content" and is combined with layout.html.
var templateNames = []string{"index", "vocabulary", "class", "simpletype", "enum", "mediatype", "service", "message", "capabilities", "roles", "profile"}

func (s *site) parseTemplates() error {
	fsys := templates.Site()
	funcs := template.FuncMap{
		"card": func(c model.Cardinality) string { return c.String() },
	}
	layoutSrc, err := fs.ReadFile(fsys, "site/layout.html")
	if err != nil {
		return fmt.Errorf("docs: reading the layout template: %w", err)
	}
	base, err := template.New("layout").Funcs(funcs).Parse(string(layoutSrc))
	if err != nil {
		return fmt.Errorf("docs: layout.html: %w", err)
	}
	s.layout = base
	commonSrc, err := fs.ReadFile(fsys, "site/common.html")
	if err != nil {
		return fmt.Errorf("docs: reading the common templates: %w", err)
	}
	common, err := template.New("common").Funcs(funcs).Parse(string(commonSrc))
	if err != nil {
		return fmt.Errorf("docs: common.html: %w", err)
	}
	for _, name := range templateNames {
		src, err := fs.ReadFile(fsys, "site/"+name+".html")
		if err != nil {
			return fmt.Errorf("docs: reading template %s: %w", name, err)
		}
		t, err := common.Clone()
		if err != nil {
			return fmt.Errorf("docs: template %s.html: %w", name, err)
		}
		if t, err = t.New(name).Parse(string(src)); err != nil {
			return fmt.Errorf("docs: template %s.html: %w", name, err)
		}
		s.pages[name] = t
	}
	return nil
}

// layoutData is what layout.html renders.
type layoutData struct {
	Title   string
	Root    string
	Kind    string
	Content template.HTML
}

// render renders a page with its template and the layout and adds it to
// the output.
func (s *site) render(path, kind, title string, data any) error {
	var body bytes.Buffer
	if err := s.pages[kind].ExecuteTemplate(&body, kind, data); err != nil {
		return fmt.Errorf("docs: rendering %s: %w", path, err)
	}
	var page bytes.Buffer
	ld := layoutData{Title: title, Root: rootOf(path), Kind: kind, Content: template.HTML(body.String())} //nolint:gosec // rendered by html/template
	if err := s.layout.Execute(&page, ld); err != nil {
		return fmt.Errorf("docs: rendering %s: %w", path, err)
	}
	s.add(path, page.Bytes())
	return nil
}

// add adds a file to the output.
func (s *site) add(path string, data []byte) {
	s.files = append(s.files, emit.File{Path: path, Data: data, Root: emit.DocsRoot})
}

// markdown renders model documentation.
func (s *site) markdown(src string) template.HTML {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	var b bytes.Buffer
	if err := s.md.Convert([]byte(src), &b); err != nil {
		return template.HTML(template.HTMLEscapeString(src)) //nolint:gosec // escaped
	}
	return template.HTML(b.String()) //nolint:gosec // goldmark escapes raw HTML (unsafe rendering is off)
}

// build renders every page.
func (s *site) build(ctx context.Context) error {
	steps := []func() error{
		s.buildExamples,
		s.buildVocabularies,
		s.buildClasses,
		s.buildSimpleTypes,
		s.buildEnums,
		s.buildMediaTypes,
		s.buildServices,
		s.buildMessages,
		s.buildCapabilities,
		s.buildRoles,
		s.buildProfile,
		s.buildIndex,
		s.buildAssets,
	}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// buildAssets adds the style sheet, the search script, the icon and the
// index. The icon is linked from every page so that browsers do not ask
// for a /favicon.ico the site does not have.
func (s *site) buildAssets() error {
	fsys := templates.Site()
	for _, f := range []struct{ src, dst string }{{"site/style.css", fileStyle}, {"site/search.js", fileSearchJS}, {"site/icon.svg", fileIcon}} {
		data, err := fs.ReadFile(fsys, f.src)
		if err != nil {
			return fmt.Errorf("docs: reading %s: %w", f.src, err)
		}
		s.add(f.dst, data)
	}
	data, err := searchIndex(s.search)
	if err != nil {
		return err
	}
	s.add(fileSearchIndex, data)
	return nil
}
