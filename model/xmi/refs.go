package xmi

import (
	"path"
	"strings"

	"github.com/ltiforge/ltiforge/model/uml"
	"github.com/ltiforge/ltiforge/model/xmltree"
)

// refText is one reference as written in the file.
type refText struct {
	// text is an id, or for an href the whole "uri#fragment".
	text string
	href bool
	line int
	// referentPath is MagicDraw's readable path of an href's target, from
	// the sibling xmi:Extension/referenceExtension.
	referentPath string
}

// refFlags tune how a reference's problems are reported.
type refFlags int

const (
	// refQuiet: a target the reader does not represent, or of a kind the
	// reference cannot use, is not worth a warning.
	refQuiet refFlags = 1 << iota
	// refLenient: a dangling reference is a warning, not an error (tool
	// bookkeeping such as EA's extension, not the model itself).
	refLenient
)

// ref is a reference waiting for every file to be read.
type ref struct {
	refText
	f     *file
	about *uml.Element
	// role names the feature holding the reference, for messages.
	role  string
	flags refFlags
	// set stores the target; it returns false when the target is not of a
	// kind the feature can hold.
	set func(t target) bool
}

// target is what a reference resolved to.
type target struct {
	node  uml.Node
	assoc *uml.Association
	meta  string
}

// refsOf returns the references held by feature on e, in document order:
// an attribute holding one id or several (IDREFS), and child elements
// carrying xmi:idref or href.
func (b *builder) refsOf(e *xmltree.Element, feature string) []refText {
	var out []refText
	if v, ok := e.Get("", feature); ok {
		for _, id := range strings.Fields(v) {
			out = append(out, refText{text: id, line: e.Line})
		}
	}
	for _, c := range e.Children {
		if c.Local != feature || !isFeature(c, b.f.isUML) {
			continue
		}
		if id, ok := xmiAttr(c, "idref"); ok {
			out = append(out, refText{text: strings.TrimSpace(id), line: c.Line})
		} else if h, ok := c.Get("", "href"); ok {
			out = append(out, refText{text: strings.TrimSpace(h), href: true, line: c.Line, referentPath: referentPath(c)})
		}
	}
	return out
}

// referentPath returns MagicDraw's referenceExtension/@referentPath under e.
func referentPath(e *xmltree.Element) string {
	for _, x := range e.Children {
		if !isXMIElement(x, "Extension") {
			continue
		}
		for _, r := range x.Children {
			if r.Local == "referenceExtension" {
				if p, ok := r.Get("", "referentPath"); ok {
					return p
				}
			}
		}
	}
	return ""
}

// addRef queues a reference for resolution.
func (b *builder) addRef(rt refText, about *uml.Element, role string, flags refFlags, set func(target) bool) {
	b.l.refs = append(b.l.refs, &ref{refText: rt, f: b.f, about: about, role: role, flags: flags, set: set})
}

// resolveAll resolves every queued reference, then completes what needs
// resolved references: association ends, navigability, realizations.
func (l *loader) resolveAll() error {
	for i, r := range l.refs {
		if i%1024 == 0 {
			if err := l.ctx.Err(); err != nil {
				return err
			}
		}
		t, ok := l.lookup(r)
		if !ok {
			continue
		}
		if !r.set(t) && r.flags&refQuiet == 0 {
			l.g.Warnf(r.f.pos(r.line), r.about, "%s %q refers to a uml:%s, which is not read as a %s; left unresolved", r.role, r.text, t.meta, r.role)
		}
	}
	for _, fn := range l.after {
		fn()
	}
	for _, st := range l.assocs {
		st.finish()
	}
	for _, st := range l.realizations {
		c, in := st.client, st.supplier
		if c != nil && in != nil && in.Kind == uml.KindInterface && !containsClassifier(c.Realizes, in) {
			c.Realizes = append(c.Realizes, in)
		}
	}
	return nil
}

// lookup finds what r names, reporting it when nothing does.
func (l *loader) lookup(r *ref) (target, bool) {
	if !r.href {
		return l.inFile(r, r.f, r.text)
	}
	uri, frag, _ := strings.Cut(r.text, "#")
	if uri == "" {
		return l.inFile(r, r.f, frag)
	}
	if lib, ok := findLibrary(uri); ok {
		return l.libraryType(r, lib, frag)
	}
	if tf := l.fileFor(r.f, uri); tf != nil {
		return l.inFile(r, tf, frag)
	}
	if strings.HasPrefix(uri, "pathmap:") {
		// Eclipse files refer to themselves by their deployed pathmap name
		// (BuiltInTypes.uml referring to BuiltInTypes.uml#id); Eclipse ids
		// are UUIDs, so a hit in this file is that element.
		if e := r.f.ids[frag]; e != nil && frag != "" {
			return entryTarget(e), true
		}
	}
	l.g.Warnf(r.f.pos(r.line), r.about, "%s %q points into %s, which is not loaded; left unresolved", r.role, r.text, uri)
	return target{}, false
}

// inFile looks id up in f.
func (l *loader) inFile(r *ref, f *file, id string) (target, bool) {
	if e := f.ids[id]; e != nil && id != "" {
		return entryTarget(e), true
	}
	report := l.g.Errorf
	if r.flags&refLenient != 0 {
		report = l.g.Warnf
	}
	report(r.f.pos(r.line), r.about, "dangling reference: %s %q matches no xmi:id in %s", r.role, r.text, f.path)
	return target{}, false
}

func entryTarget(e *entry) target { return target{node: e.node, assoc: e.assoc, meta: e.meta} }

// libraryType resolves an href into a standard library to the shared
// library node for that type.
func (l *loader) libraryType(r *ref, lib library, frag string) (target, bool) {
	name := frag
	switch {
	case lib.byID:
		name = lastSegment(r.referentPath)
		if name == "" {
			l.g.Errorf(r.f.pos(r.line), r.about, "%s %q points into the MagicDraw project %s by id and has no referentPath to name it; left unresolved", r.role, r.text, lib.name)
			return target{}, false
		}
		if strings.Contains(r.referentPath, "::PrimitiveTypes::") && umlPrimitives[name] {
			lib = library{name: libUML}
		} else if lib.name != "UML_Standard_Profile" {
			l.g.Warnf(r.f.pos(r.line), r.about, "%s %q lies in the MagicDraw project %s, which is not loaded; using its name %q from referentPath", r.role, r.text, lib.name, name)
		}
	case lib.metamodel:
		if !umlMetaclasses[name] {
			l.g.Errorf(r.f.pos(r.line), r.about, "unresolved reference: %s %q: %q is not a UML metaclass", r.role, r.text, name)
			return target{}, false
		}
	case lib.types != nil && !lib.types[name]:
		l.g.Errorf(r.f.pos(r.line), r.about, "unknown primitive type %q in library %s (%s %q)", name, lib.name, r.role, r.text)
		return target{}, false
	case name == "":
		l.g.Errorf(r.f.pos(r.line), r.about, "unresolved reference: %s %q names no type in library %s", r.role, r.text, lib.name)
		return target{}, false
	}
	c := l.g.LibraryType(lib.name, name)
	if lib.metamodel {
		c.Kind = uml.KindClass
		return target{node: c, meta: "Class"}, true
	}
	return target{node: c, meta: "PrimitiveType"}, true
}

// fileFor finds the loaded file an href's uri names: relative to the
// referring file, else the only loaded file with that base name.
func (l *loader) fileFor(from *file, uri string) *file {
	if !hasScheme(uri) {
		key := pathKey(uri)
		if !path.IsAbs(key) {
			key = pathKey(path.Join(path.Dir(from.key), uri))
		}
		if f := l.byPath[key]; f != nil {
			return f
		}
	}
	p := uri
	if i := strings.IndexAny(p, "?"); i >= 0 {
		p = p[:i]
	}
	base := path.Base(strings.ReplaceAll(p, "\\", "/"))
	if fs := l.byBase[base]; len(fs) == 1 {
		return fs[0]
	}
	return nil
}

// hasScheme reports whether uri starts with a URI scheme such as
// pathmap:, platform:, http: or file:.
func hasScheme(uri string) bool {
	i := strings.IndexByte(uri, ':')
	if i < 2 { // "C:" is a drive letter, not a scheme
		return false
	}
	for _, r := range uri[:i] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}
