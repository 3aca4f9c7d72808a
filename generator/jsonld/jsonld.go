// Package jsonld is the emitter of JSON-LD contexts: one context document
// per JSON-LD media type of the model, and a Go file that embeds them for
// serving.
//
// # Files
//
// The context of a media type whose context IRI is
// http://purl.imsglobal.org/ctx/lti/v2/ToolProxy is written to
// jsonld/ctx/lti/v2/ToolProxy.jsonld: "jsonld/", the IRI's path, and
// ".jsonld". Media types that name the same context IRI share one file (and
// must then have the same context). jsonld/contexts.go (package jsonld)
// embeds the files and gives them by IRI (Context) and as a list
// (Documents). A run that emits no JSON-LD media type writes no file.
//
// # What a context holds
//
// A document is {"@context": {...}}: the prefixes, sorted, then the terms,
// sorted by key, each key once. Values are written as the official LTI
// contexts write them: a CURIE string for a term without coercion or
// container, else an object with @id, @type and @container in that order.
// IRIs are compacted with the prefix whose namespace is the longest match:
// the media type's own prefixes tag first, then the vocabularies' prefixes
// in model order, then the built-in xs, rdf, rdfs and owl.
//
//   - Class and property terms: MediaType.Terms, as the model computes them.
//   - Simple-type terms: each «SimpleType» with an IRI of its own (not the
//     XML Schema type it restricts) that a property the media type carries
//     is typed by, or that such a property is coerced to ("GUID.Type":
//     "lti-type:GUID.Type").
//   - Named individuals: the members of every enumeration that an @id or
//     @vocab coerced property the media type carries is typed by (GET,
//     Active), each under its term and under its CURIE when the two differ
//     ("User.id" and "ltiv:User.id"). A property typed by the LTI class of
//     capabilities (CapabilityClassIRI) reaches every «Capability» and
//     «Variable» literal of the model, wherever its enumeration is: the LTI
//     vocabulary makes every capability and every substitution variable an
//     individual of that class, and the profile marks them by stereotype,
//     not by enumeration. Class and property terms win over simple-type and
//     individual terms of the same key; of two individuals with one term
//     and different IRIs the first in model order is kept.
//   - Prefixes: those the values and keys use, and every prefix of the media
//     type's prefixes tag.
//
// The properties a media type carries are found as the model finds its
// terms: from the root class, every class embedded through a property that
// is not a reference, with its specializations and generalizations, and
// their properties, limited to the include tag when there is one.
package jsonld

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/format"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ltiforge/ltiforge/generator/emit"
	"github.com/ltiforge/ltiforge/model"
)

// CapabilityClassIRI is the LTI vocabulary's class of capabilities. A
// property typed by it reaches every capability and variable of the model.
const CapabilityClassIRI = "http://purl.imsglobal.org/vocab/lti/v2/lti#Capability"

// Dir is the directory, under the output root, of everything the emitter
// writes; GoFile is the Go file's path.
const (
	Dir    = "jsonld"
	GoFile = Dir + "/contexts.go"
)

// builtinPrefixes are the prefixes every model may use (package model
// expands them), in the order they are tried when compacting.
var builtinPrefixes = []model.Prefix{
	{Prefix: "xs", IRI: "http://www.w3.org/2001/XMLSchema#"},
	{Prefix: "rdf", IRI: "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
	{Prefix: "rdfs", IRI: "http://www.w3.org/2000/01/rdf-schema#"},
	{Prefix: "owl", IRI: "http://www.w3.org/2002/07/owl#"},
}

// New returns the JSON-LD context emitter.
func New() emit.Emitter { return emitter{} }

type emitter struct{}

func (emitter) Name() string { return "jsonld" }

// document is one context document to write.
type document struct {
	iri        string
	file       string // path under the output root
	mediaTypes []string
	data       []byte
	origin     string // the first media type's qualified name, for errors
}

func (emitter) Emit(ctx context.Context, m *model.Model, o emit.Options) ([]emit.File, error) {
	x := newIndex(m)
	var docs []*document
	byIRI := map[string]*document{}
	byFile := map[string]*document{}
	for _, mt := range m.MediaTypes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !mt.JSONLD() || mt.Context == "" || !o.Emits(mt.Origin) {
			continue
		}
		data, err := x.contextDocument(mt)
		if err != nil {
			return nil, fmt.Errorf("media type %s (%s, %s:%d): %w", mt.Name, mt.Origin.QualifiedName, mt.Origin.File, mt.Origin.Line, err)
		}
		if d := byIRI[mt.Context]; d != nil {
			if !bytes.Equal(d.data, data) {
				return nil, fmt.Errorf("media types %s and %s (%s:%d) share the context %s but their contexts differ",
					d.mediaTypes[0], mt.Name, mt.Origin.File, mt.Origin.Line, mt.Context)
			}
			d.mediaTypes = append(d.mediaTypes, mt.Name)
			continue
		}
		file, err := contextFile(mt.Context)
		if err != nil {
			return nil, fmt.Errorf("media type %s (%s:%d): context %s: %w", mt.Name, mt.Origin.File, mt.Origin.Line, mt.Context, err)
		}
		if d := byFile[file]; d != nil {
			return nil, fmt.Errorf("the contexts %s (media type %s) and %s (media type %s) would both be written to %s",
				d.iri, d.mediaTypes[0], mt.Context, mt.Name, file)
		}
		d := &document{iri: mt.Context, file: file, mediaTypes: []string{mt.Name}, data: data, origin: mt.Origin.QualifiedName}
		byIRI[d.iri], byFile[file] = d, d
		docs = append(docs, d)
	}
	if len(docs) == 0 {
		return nil, nil
	}
	slices.SortFunc(docs, func(a, b *document) int { return strings.Compare(a.iri, b.iri) })
	goSrc, err := goFile(docs)
	if err != nil {
		return nil, err
	}
	files := []emit.File{{Path: GoFile, Data: goSrc}}
	for _, d := range docs {
		files = append(files, emit.File{Path: d.file, Data: d.data})
	}
	slices.SortFunc(files, func(a, b emit.File) int { return strings.Compare(a.Path, b.Path) })
	return files, nil
}

// contextFile returns the path under the output root of the context
// document whose IRI is iri.
func contextFile(iri string) (string, error) {
	u, err := url.Parse(iri)
	switch {
	case err != nil:
		return "", fmt.Errorf("not a valid IRI: %w", err)
	case u.Scheme == "" || u.Host == "":
		return "", fmt.Errorf("not an absolute http(s) IRI with a host")
	case u.RawQuery != "" || u.Fragment != "":
		return "", fmt.Errorf("a context IRI with a query or fragment has no file name")
	}
	p := strings.TrimPrefix(u.Path, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		return "", fmt.Errorf("the IRI's path %q names no file", u.Path)
	}
	for _, seg := range strings.Split(p, "/") {
		if err := checkSegment(seg); err != nil {
			return "", fmt.Errorf("path element %q: %w", seg, err)
		}
	}
	return Dir + "/" + p + ".jsonld", nil
}

// checkSegment accepts the path elements a file name and go:embed can
// take: letters, digits, '.', '-', '_' and '~', not starting with '.' or
// '_' (go:embed leaves those out).
func checkSegment(s string) error {
	if s == "" {
		return fmt.Errorf("empty")
	}
	if s[0] == '.' || s[0] == '_' {
		return fmt.Errorf("starts with %q", s[0])
	}
	for _, r := range s {
		ok := r == '.' || r == '-' || r == '_' || r == '~' ||
			('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
		if !ok {
			return fmt.Errorf("holds %q; only letters, digits and . - _ ~ are allowed", r)
		}
	}
	return nil
}

// index holds the model's elements by qualified name.
type index struct {
	m       *model.Model
	classes map[string]*model.Class
	byName  map[string][]*model.Class
	enums   map[string]*model.Enum
	simple  map[string]*model.SimpleType
	// simpleByIRI holds the simple types with an IRI of their own.
	simpleByIRI map[string]*model.SimpleType
	subs        map[*model.Class][]*model.Class
	// capabilities are the members that are «Capability» or «Variable»
	// literals, in model order.
	capabilities []*model.EnumMember
}

func newIndex(m *model.Model) *index {
	x := &index{m: m, classes: map[string]*model.Class{}, byName: map[string][]*model.Class{},
		enums: map[string]*model.Enum{}, simple: map[string]*model.SimpleType{},
		simpleByIRI: map[string]*model.SimpleType{}, subs: map[*model.Class][]*model.Class{}}
	for _, c := range m.Classes {
		x.classes[c.Origin.QualifiedName] = c
		x.byName[c.Name] = append(x.byName[c.Name], c)
	}
	for _, c := range m.Classes {
		for _, s := range c.SuperClasses() {
			x.subs[s] = append(x.subs[s], c)
		}
	}
	for _, s := range m.SimpleTypes {
		x.simple[s.Origin.QualifiedName] = s
		if s.IRI != "" && s.IRI != s.BaseIRI {
			if _, dup := x.simpleByIRI[s.IRI]; !dup {
				x.simpleByIRI[s.IRI] = s
			}
		}
	}
	isCap := map[[2]string]bool{}
	for _, c := range m.Capabilities {
		isCap[[2]string{c.Enum, c.GoName}] = true
	}
	for _, v := range m.Variables {
		isCap[[2]string{v.Enum, v.GoName}] = true
	}
	for _, e := range m.Enums {
		x.enums[e.Origin.QualifiedName] = e
		for _, mb := range e.Members {
			if isCap[[2]string{e.GoName, mb.GoName}] {
				x.capabilities = append(x.capabilities, mb)
			}
		}
	}
	return x
}

// carried returns the properties a media type's documents carry, in the
// order first reached.
func (x *index) carried(mt *model.MediaType) ([]*model.Property, error) {
	root := mt.RootClass()
	if root == nil {
		return nil, fmt.Errorf("its root class %q is unknown", mt.Root)
	}
	include, err := x.includeSet(mt)
	if err != nil {
		return nil, err
	}
	var queue []*model.Class
	seen := map[*model.Class]bool{}
	var embed func(*model.Class)
	embed = func(k *model.Class) {
		if seen[k] {
			return
		}
		seen[k] = true
		queue = append(queue, k)
		for _, s := range x.subs[k] {
			embed(s)
		}
	}
	embed(root)
	var out []*model.Property
	have := map[*model.Property]bool{}
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		for _, p := range k.AllProperties() {
			if include != nil && !include[p] {
				continue
			}
			if !have[p] {
				have[p] = true
				out = append(out, p)
			}
			if p.Type.Kind != model.TypeClass {
				continue
			}
			if next := x.classes[p.Type.Name]; next != nil && !reference(p) {
				embed(next)
			}
		}
	}
	return out, nil
}

// reference reports whether a property's values are references (IRIs) to
// objects outside the document.
func reference(p *model.Property) bool {
	return !p.Composite && (p.Coercion == "@id" || p.Coercion == "@vocab")
}

// includeSet resolves the include tag (Class.property, the class by
// qualified or unique plain name); nil when there is none.
func (x *index) includeSet(mt *model.MediaType) (map[*model.Property]bool, error) {
	if len(mt.Include) == 0 {
		return nil, nil
	}
	set := map[*model.Property]bool{}
	for _, ref := range mt.Include {
		i := strings.LastIndex(ref, ".")
		if i <= 0 {
			return nil, fmt.Errorf("include entry %q is not Class.property", ref)
		}
		c := x.classes[ref[:i]]
		if c == nil && len(x.byName[ref[:i]]) == 1 {
			c = x.byName[ref[:i]][0]
		}
		if c == nil {
			return nil, fmt.Errorf("include entry %q names no class, or a plain name several classes have", ref)
		}
		props := c.AllProperties()
		j := slices.IndexFunc(props, func(p *model.Property) bool { return p.Name == ref[i+1:] })
		if j < 0 {
			return nil, fmt.Errorf("include entry %q: %s has no property %s", ref, c.Origin.QualifiedName, ref[i+1:])
		}
		set[props[j]] = true
	}
	return set, nil
}

// prefixes compacts IRIs for one context and records which prefixes the
// context uses.
type prefixes struct {
	table []model.Prefix // in priority order, each prefix name once
	used  map[string]string
}

func (x *index) prefixesFor(mt *model.MediaType) *prefixes {
	p := &prefixes{used: map[string]string{}}
	taken := map[string]bool{}
	add := func(pr model.Prefix) {
		if pr.Prefix == "" || pr.IRI == "" || taken[pr.Prefix] {
			return
		}
		taken[pr.Prefix] = true
		p.table = append(p.table, pr)
	}
	for _, pr := range mt.Prefixes {
		add(pr)
		p.used[pr.Prefix] = pr.IRI
	}
	for _, v := range x.m.Vocabularies {
		add(model.Prefix{Prefix: v.Prefix, IRI: v.Namespace})
	}
	for _, pr := range builtinPrefixes {
		add(pr)
	}
	return p
}

// compact returns iri as a CURIE with the prefix of the longest matching
// namespace, or iri itself when none matches.
func (p *prefixes) compact(iri string) string {
	best := -1
	for i, pr := range p.table {
		local, ok := strings.CutPrefix(iri, pr.IRI)
		if !ok || local == "" || strings.HasPrefix(local, "//") {
			continue
		}
		if best < 0 || len(pr.IRI) > len(p.table[best].IRI) {
			best = i
		}
	}
	if best < 0 {
		return iri
	}
	pr := p.table[best]
	p.used[pr.Prefix] = pr.IRI
	return pr.Prefix + ":" + strings.TrimPrefix(iri, pr.IRI)
}

// entry is one term definition.
type entry struct {
	key string
	// id is the compacted IRI; typ and container are empty when absent.
	id, typ, container string
}

// contextDocument returns the context document of mt.
func (x *index) contextDocument(mt *model.MediaType) ([]byte, error) {
	pfx := x.prefixesFor(mt)
	props, err := x.carried(mt)
	if err != nil {
		return nil, err
	}
	var entries []entry
	keys := map[string]int{} // key to index in entries
	addTerm := func(e entry) {
		if _, dup := keys[e.key]; !dup {
			keys[e.key] = len(entries)
			entries = append(entries, e)
		}
	}
	for _, t := range mt.Terms {
		if t.IRI == "" || strings.HasPrefix(t.Name, "@") {
			continue
		}
		e := entry{key: t.Name, id: pfx.compact(t.IRI), container: t.Container}
		switch {
		case t.Coercion == "@id" || t.Coercion == "@vocab":
			e.typ = t.Coercion
		case t.CoercionIRI != "":
			e.typ = pfx.compact(t.CoercionIRI)
		case t.Coercion != "":
			e.typ = t.Coercion
		}
		addTerm(e)
	}
	// Simple types: the types of the carried properties and their
	// coercions.
	for _, p := range props {
		var cands []*model.SimpleType
		if p.Type.Kind == model.TypeSimple {
			if s := x.simple[p.Type.Name]; s != nil && x.simpleByIRI[s.IRI] == s {
				cands = append(cands, s)
			}
		}
		if s := x.simpleByIRI[p.CoercionIRI]; s != nil {
			cands = append(cands, s)
		}
		for _, s := range cands {
			addTerm(entry{key: s.Name, id: pfx.compact(s.IRI)})
		}
	}
	// Named individuals of the enumerations the references reach.
	for _, mb := range x.individuals(props) {
		id := pfx.compact(mb.IRI)
		if mb.Term != "" && !strings.HasPrefix(mb.Term, "@") && !strings.Contains(mb.Term, ":") {
			addTerm(entry{key: mb.Term, id: id})
		}
		if id != mb.IRI && id != mb.Term {
			addTerm(entry{key: id, id: id})
		}
	}
	for _, e := range entries {
		if ns, clash := pfx.used[e.key]; clash {
			return nil, fmt.Errorf("term %q is also the prefix of %s", e.key, ns)
		}
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	return writeContext(pfx.used, entries), nil
}

// individuals returns the members of the enumerations that the
// references among props are typed by, each once, in model order.
func (x *index) individuals(props []*model.Property) []*model.EnumMember {
	reached := map[*model.Enum]bool{}
	capabilities := false
	for _, p := range props {
		if p.Coercion != "@id" && p.Coercion != "@vocab" {
			continue
		}
		switch p.Type.Kind {
		case model.TypeEnum:
			if e := x.enums[p.Type.Name]; e != nil {
				reached[e] = true
				capabilities = capabilities || e.IRI == CapabilityClassIRI
			}
		case model.TypeClass:
			if c := x.classes[p.Type.Name]; c != nil {
				capabilities = capabilities || c.IRI == CapabilityClassIRI
			}
		}
	}
	var out []*model.EnumMember
	seen := map[*model.EnumMember]bool{}
	take := func(mb *model.EnumMember) {
		if mb.IRI != "" && !seen[mb] {
			seen[mb] = true
			out = append(out, mb)
		}
	}
	for _, e := range x.m.Enums {
		if reached[e] {
			for _, mb := range e.Members {
				take(mb)
			}
		}
	}
	if capabilities {
		for _, mb := range x.capabilities {
			take(mb)
		}
	}
	return out
}

// writeContext writes the document: prefixes sorted, then the entries in
// the order given.
func writeContext(used map[string]string, entries []entry) []byte {
	var b bytes.Buffer
	b.WriteString("{\n  \"@context\": {")
	first := true
	sep := func() {
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteString("\n    ")
	}
	names := make([]string, 0, len(used))
	for p := range used {
		names = append(names, p)
	}
	slices.Sort(names)
	for _, p := range names {
		sep()
		fmt.Fprintf(&b, "%s: %s", quote(p), quote(used[p]))
	}
	for _, e := range entries {
		sep()
		if e.typ == "" && e.container == "" {
			fmt.Fprintf(&b, "%s: %s", quote(e.key), quote(e.id))
			continue
		}
		fmt.Fprintf(&b, "%s: {\n      \"@id\": %s", quote(e.key), quote(e.id))
		if e.typ != "" {
			fmt.Fprintf(&b, ",\n      \"@type\": %s", quote(e.typ))
		}
		if e.container != "" {
			fmt.Fprintf(&b, ",\n      \"@container\": %s", quote(e.container))
		}
		b.WriteString("\n    }")
	}
	if !first {
		b.WriteString("\n  ")
	}
	b.WriteString("}\n}\n")
	return b.Bytes()
}

// quote returns s as a JSON string, without escaping HTML characters.
func quote(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		// A Go string always encodes; keep the output valid regardless.
		return strconv.Quote(s)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// goFile returns jsonld/contexts.go for the documents, sorted by IRI.
func goFile(docs []*document) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("// " + emit.GoHeader + "\n\n")
	b.WriteString(`// Package jsonld holds the JSON-LD contexts of the model's media types,
// generated from the model beside this file, for a server to serve at
// their IRIs.
package jsonld

import (
	"embed"
	"io/fs"
)

`)
	for _, d := range docs {
		fmt.Fprintf(&b, "//go:embed %s\n", strings.TrimPrefix(d.file, Dir+"/"))
	}
	b.WriteString(`var files embed.FS

// Document describes one context document.
type Document struct {
	// IRI is the context's IRI, which documents name in @context.
	IRI string
	// Path is the document's path in FS.
	Path string
	// MediaTypes are the media types whose documents use the context.
	MediaTypes []string
}

// Documents returns every context document, sorted by IRI.
func Documents() []Document {
	return []Document{
`)
	for _, d := range docs {
		var mts []string
		for _, mt := range d.mediaTypes {
			mts = append(mts, strconv.Quote(mt))
		}
		fmt.Fprintf(&b, "\t\t{IRI: %s, Path: %s, MediaTypes: []string{%s}},\n",
			strconv.Quote(d.iri), strconv.Quote(strings.TrimPrefix(d.file, Dir+"/")), strings.Join(mts, ", "))
	}
	b.WriteString(`	}
}

// Context returns the context document whose IRI is iri, and whether
// there is one. The bytes are the caller's own.
func Context(iri string) ([]byte, bool) {
	var name string
	switch iri {
`)
	for _, d := range docs {
		fmt.Fprintf(&b, "\tcase %s:\n\t\tname = %s\n", strconv.Quote(d.iri), strconv.Quote(strings.TrimPrefix(d.file, Dir+"/")))
	}
	b.WriteString(`	default:
		return nil, false
	}
	data, err := files.ReadFile(name)
	return data, err == nil
}

// FS returns the context documents as a file system, at the paths
// Documents gives.
func FS() fs.FS { return files }
`)
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("formatting %s: %w", GoFile, err)
	}
	return src, nil
}

// ContextFile returns the path, under the output root, of the context
// document whose IRI is iri, as the emitter writes it
// ("jsonld/ctx/lti/v2/ToolProxy.jsonld"). Other emitters use it to find a
// context among the emitter's files.
func ContextFile(iri string) (string, error) { return contextFile(iri) }
