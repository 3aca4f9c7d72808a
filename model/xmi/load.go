package xmi

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/ltiforge/ltiforge/model/uml"
	"github.com/ltiforge/ltiforge/model/xmltree"
)

// Load reads the XMI files together into g: several files loaded at once
// may reference each other with href="other.xmi#id". A relative href is
// resolved against the referring file's path (cleaned), falling back to
// the loaded file with the same base name. Load appends each file's root
// models, packages and profiles to g.Roots and its path to g.Files, and
// reports every problem into g as a diagnostic with file and line. It never
// panics on any input and returns a non-nil error only when ctx is
// cancelled. It does not call g.Finish; the caller does, after all readers.
func Load(ctx context.Context, g *uml.Graph, srcs ...uml.Source) error {
	l := &loader{
		ctx:    ctx,
		g:      g,
		byPath: make(map[string]*file),
		byBase: make(map[string][]*file),

		assocIndex: make(map[*uml.Association]*assocState),
	}
	for _, src := range srcs {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("xmi: loading %s: %w", src.Path, err)
		}
		g.Files = append(g.Files, src.Path)
		f := l.parse(src)
		if f == nil {
			continue
		}
		if err := l.build(f); err != nil {
			return err
		}
	}
	return l.resolveAll()
}

// loader holds what Load needs across files: the files by path for hrefs,
// and the references collected while building, resolved once every file
// is read (forward and cross-file references are the norm in XMI).
type loader struct {
	ctx    context.Context
	g      *uml.Graph
	files  []*file
	byPath map[string]*file
	byBase map[string][]*file
	refs   []*ref
	// assocs and realizations need a last look once references are
	// resolved; after holds other such steps, in the order queued.
	assocs       []*assocState
	assocIndex   map[*uml.Association]*assocState
	realizations []*realizationState
	after        []func()
}

// file is one loaded XMI document.
type file struct {
	path string
	// key is the cleaned, slash-separated path used to resolve hrefs.
	key string
	d   *dialect
	// root is the parsed tree, held only until the file is built.
	root *xmltree.Element
	ids  map[string]*entry
	// umlNS caches which namespace URIs count as the UML metamodel here,
	// including an unknown one the document root establishes.
	umlNS map[string]bool
}

// entry is what the reader keeps about one xmi:id: enough to resolve and
// explain references to it without holding on to the XML tree.
type entry struct {
	line int
	// meta is the element's metaclass as written (xmi:type or tag name).
	meta string
	// el identifies the element while its file is being built; cleared
	// afterwards so that the tree can be freed.
	el *xmltree.Element
	// node is the graph element built from it; nil when the reader does
	// not represent that kind of element.
	node uml.Node
	// assoc is the association half of an association class.
	assoc *uml.Association
}

func (f *file) pos(line int) uml.Pos { return uml.Pos{File: f.path, Line: line} }

func (f *file) isUML(uri string) bool {
	if v, ok := f.umlNS[uri]; ok {
		return v
	}
	v := isUMLNamespace(uri)
	f.umlNS[uri] = v
	return v
}

// pathKey normalises a file path for href lookup.
func pathKey(p string) string { return path.Clean(filepath.ToSlash(p)) }

// parse reads one source into a tree, reporting XML problems, and indexes
// its ids. It returns nil when nothing can be read.
func (l *loader) parse(src uml.Source) *file {
	sc := &scan{}
	root, err := xmltree.Parse(src.Data, xmltree.Options{Skip: sc.skip})
	if err != nil {
		var xe *xmltree.Error
		line := 1
		msg := err.Error()
		if errors.As(err, &xe) {
			msg = xe.Msg
			if xe.Line > 0 {
				line = xe.Line
			}
		}
		l.g.Errorf(uml.Pos{File: src.Path, Line: line}, nil, "cannot read the file as XML: %s", msg)
		return nil
	}
	f := &file{path: src.Path, key: pathKey(src.Path), ids: make(map[string]*entry), umlNS: make(map[string]bool)}
	if !l.checkRoot(f, root) {
		return nil
	}
	f.d = fingerprint(f, root, sc)
	l.index(f, root)
	l.files = append(l.files, f)
	l.byPath[f.key] = f
	base := path.Base(f.key)
	l.byBase[base] = append(l.byBase[base], f)
	f.root = root
	return f
}

// checkRoot makes sure the document is XMI 2.x and records the namespace
// the root establishes as UML when it is not one of the known URIs.
func (l *loader) checkRoot(f *file, root *xmltree.Element) bool {
	switch {
	case isXMIElement(root, "XMI"):
		return true
	case root.Local == "XMI" && root.Space == "":
		if _, ok := root.Get("", "xmi.version"); ok {
			l.g.Errorf(f.pos(root.Line), nil, "this is an XMI 1.x (UML 1.x) file, which is not supported; export the model as XMI 2.x")
			return false
		}
	case root.Local == "Model" || root.Local == "Package" || root.Local == "Profile":
		if _, ok := xmiAttr(root, "version"); ok || f.isUML(root.Space) {
			// Modelio and Eclipse UML2 write the model itself as the root;
			// trust its namespace as the metamodel even when unknown.
			f.umlNS[root.Space] = true
			return true
		}
	}
	l.g.Errorf(f.pos(root.Line), nil, "not an XMI document: the root element is <%s>, not xmi:XMI or a uml:Model", qname(root))
	return false
}

func qname(e *xmltree.Element) string {
	if e.Prefix != "" {
		return e.Prefix + ":" + e.Local
	}
	return e.Local
}

// index records every xmi:id in the tree, reporting duplicates at the
// second occurrence and keeping the first.
func (l *loader) index(f *file, root *xmltree.Element) {
	var walk func(e *xmltree.Element)
	walk = func(e *xmltree.Element) {
		if id, ok := xmiAttr(e, "id"); ok && id != "" {
			if first, dup := f.ids[id]; dup {
				l.g.Errorf(f.pos(e.Line), nil, "duplicate xmi:id %q; first used at %s:%d (the first one is kept)", id, f.path, first.line)
			} else {
				f.ids[id] = &entry{line: e.Line, meta: metaName(e), el: e}
			}
		}
		extension := isXMIElement(e, "Extension")
		for _, c := range e.Children {
			// Inside a vendor extension only EA's type and profile
			// definitions are model elements; its element and link
			// records repeat model ids as bookkeeping.
			if extension && c.Local != "primitivetypes" && c.Local != "profiles" {
				continue
			}
			walk(c)
		}
	}
	walk(root)
}

// metaName returns the metaclass name written on e, for messages: the
// local part of xmi:type, or the tag name.
func metaName(e *xmltree.Element) string {
	if t, ok := xmiAttr(e, "type"); ok {
		if _, local, found := strings.Cut(t, ":"); found {
			return local
		}
		return t
	}
	if mc, ok := featureTypes[e.Local]; ok && e.Space == "" {
		return mc
	}
	return e.Local
}

// scan is the Skip hook for xmltree: it drops the subtrees no dialect
// needs while the file is read, and notes fingerprints it sees there.
type scan struct {
	objing bool
}

func (s *scan) skip(e *xmltree.Element) bool {
	switch e.Local {
	case "Extension":
		if !isXMINamespace(e.Space) {
			return false
		}
		// MagicDraw names library types only in a referenceExtension under
		// the referring element (which carries the href).
		if p := e.Parent; p != nil {
			if _, ok := p.Get("", "href"); ok {
				return false
			}
		}
		// EA keeps documentation and its language types in its extension.
		return !isEAExtender(e)
	case "eAnnotations":
		if src, _ := e.Get("", "source"); src == "Objing" {
			s.objing = true
		}
		return e.Space == ""
	case "ownedDiagram":
		return e.Space == ""
	case "diagrams":
		// EA's diagram layouts.
		return e.Parent != nil && isXMIElement(e.Parent, "Extension")
	}
	return false
}
