package model

import (
	"slices"
	"strings"

	"github.com/ltiforge/ltiforge/model/uml"
)

// buildMediaTypes reads every «MediaType» class: its name (unique, without
// regard to case), root class, form, context, include list and prefixes.
func (b *builder) buildMediaTypes(cs []*uml.Classifier) {
	for _, c := range cs {
		if b.roleOf(c) != roleMediaType {
			continue
		}
		e := &c.Element
		app := b.lti(e, StMediaType)
		mt := &MediaType{Origin: originOf(e), Name: tag(app, "name"), GoName: b.goNames[c], Class: c.Name,
			Context: tag(app, "context"), Form: tag(app, "form"), Include: tagList(app, "include"), Terms: []*Term{}, Doc: c.Doc}
		if mt.Form == "" {
			mt.Form = FormJSONLD
		}
		for _, pair := range tagList(app, "prefixes") {
			if p, iri, ok := strings.Cut(pair, "="); ok && p != "" && iri != "" {
				mt.Prefixes = append(mt.Prefixes, Prefix{Prefix: p, IRI: iri})
			}
		}
		if mt.Context != "" && !isAbsoluteIRI(mt.Context) {
			b.tagErrorf(e, app, "context %q of media type %s is not an absolute IRI", mt.Context, mt.Name)
		}
		if mt.JSONLD() && mt.Context == "" {
			b.tagWarnf(e, app, "JSON-LD media type %s has no context IRI", mt.Name)
		}
		if ref := tag(app, "root"); ref != "" {
			root, why := b.names.classifier(ref)
			switch {
			case root == nil:
				b.tagErrorf(e, app, "root %q of media type %s is unknown: %s", ref, mt.Name, why)
			case b.classes[root] == nil:
				b.tagErrorf(e, app, "root %s of media type %s is a %s, not a class that documents carry", root.QualifiedName, mt.Name, metaclassOf(root))
			default:
				mt.root = b.classes[root]
				mt.Root = root.QualifiedName
			}
		}
		for _, ref := range tagList(app, "requireId") {
			c, why := b.names.classifier(ref)
			switch {
			case c == nil:
				b.tagErrorf(e, app, "requireId %q of media type %s is unknown: %s", ref, mt.Name, why)
				continue
			case b.classes[c] == nil:
				b.tagErrorf(e, app, "requireId %s of media type %s is a %s, not a class that documents carry", c.QualifiedName, mt.Name, metaclassOf(c))
				continue
			}
			mt.RequireID = append(mt.RequireID, c.QualifiedName)
		}
		if mt.Name != "" {
			key := strings.ToLower(mt.Name)
			if first := b.mediaByName[key]; first != nil {
				b.tagErrorf(e, app, "media type %s is declared twice; first by %s at %s", mt.Name, first.Origin.QualifiedName, first.Origin.Pos())
			} else {
				b.mediaByName[key] = mt
			}
		}
		b.mediaTypes[c] = mt
		b.m.MediaTypes = append(b.m.MediaTypes, mt)
	}
}

// mediaType returns the media type with the given name, or nil.
func (b *builder) mediaType(name string) *MediaType {
	return b.mediaByName[strings.ToLower(name)]
}

// checkMediaTypeTerms computes each JSON-LD media type's terms and
// reports properties without IRIs and terms with two meanings.
//
// The terms are those of the classes a document can hold, found from the
// root: the root and every class embedded through a composite property
// (or a class-typed property that is not a reference), each with its
// specializations, since a document may carry any of them where the class
// is expected, and its generalizations, which are types of the same
// objects. Each such class gives a class term and its properties'
// terms. A reference (a non-composite property coerced to @id or @vocab)
// and an enumeration-typed property add only their value type's class
// term: the referenced object is not in the document, so its properties
// are not terms of the media type.
func (b *builder) checkMediaTypeTerms() {
	noIRI := map[any]bool{}
	subs := map[*Class][]*Class{}
	for _, k := range b.m.Classes {
		for _, s := range k.supers {
			subs[s] = append(subs[s], k)
		}
	}
	for _, mt := range b.m.MediaTypes {
		if mt.root == nil || !mt.JSONLD() {
			continue
		}
		include := b.includeSet(mt)
		byName := map[string]*Term{}
		add := func(t *Term, e *uml.Element) {
			if strings.HasPrefix(t.Name, "@") {
				return
			}
			first := byName[t.Name]
			switch {
			case first == nil:
				byName[t.Name] = t
				mt.Terms = append(mt.Terms, t)
			case first.IRI != t.IRI:
				b.errorf(e, "in the context of media type %s, term %q means %s here but %s in %s", mt.Name, t.Name, t.IRI, first.IRI, first.Source)
			case first.Coercion != t.Coercion || first.Container != t.Container:
				b.warnf(e, "in the context of media type %s, term %q is coerced to %q (container %q) here but to %q (container %q) in %s",
					mt.Name, t.Name, t.Coercion, t.Container, first.Coercion, first.Container, first.Source)
			}
		}
		termed := map[*Class]bool{}
		classTerm := func(k *Class) {
			if termed[k] {
				return
			}
			termed[k] = true
			e := &uml.Element{ID: k.Origin.ID, QualifiedName: k.Origin.QualifiedName, Pos: k.Origin.Pos()}
			if k.IRI == "" {
				// An abstract class without an IRI types no object.
				if !k.Abstract && !noIRI[k] {
					noIRI[k] = true
					b.report(uml.Error, k.Origin.Pos(), e,
						"class %s has no IRI (its package is in no «Vocabulary» and it has no «Term» iri), but media type %s carries it", k.Name, mt.Name)
				}
				return
			}
			add(&Term{Name: k.Term, IRI: k.IRI, Kind: "class", Source: k.Origin.QualifiedName}, e)
		}
		var queue []*Class
		seen := map[*Class]bool{}
		var embed func(*Class)
		embed = func(k *Class) {
			if seen[k] {
				return
			}
			seen[k] = true
			queue = append(queue, k)
			for _, s := range subs[k] {
				embed(s)
			}
		}
		embed(mt.root)
		for len(queue) > 0 {
			k := queue[0]
			queue = queue[1:]
			classTerm(k)
			for _, s := range k.allSupers() {
				classTerm(s)
			}
			for _, p := range k.AllProperties() {
				if include != nil && !include[p] {
					continue
				}
				if p.IRI == "" && !strings.HasPrefix(p.Term, "@") {
					if !noIRI[p] {
						noIRI[p] = true
						b.errorf(&p.uml.Element, "property %s.%s has no IRI (its class is in no «Vocabulary» and it has no «Term» iri), but media type %s carries it", k.Name, p.Name, mt.Name)
					}
					continue
				}
				add(&Term{Name: p.Term, IRI: p.IRI, Kind: "property", Coercion: p.Coercion, CoercionIRI: p.CoercionIRI, Container: p.Container, Source: p.Origin.QualifiedName}, &p.uml.Element)
				if p.uml.Type == nil {
					continue
				}
				if en := b.enums[p.uml.Type]; en != nil && en.IRI != "" {
					add(&Term{Name: en.Name, IRI: en.IRI, Kind: "class", Source: en.Origin.QualifiedName},
						&uml.Element{ID: en.Origin.ID, QualifiedName: en.Origin.QualifiedName, Pos: en.Origin.Pos()})
				}
				next := b.classes[p.uml.Type]
				switch {
				case next == nil:
				case p.reference():
					classTerm(next)
				default:
					embed(next)
				}
			}
		}
	}
}

// reference reports whether the property's values are references to
// objects outside the document (IRIs), not embedded objects.
func (p *Property) reference() bool {
	return !p.Composite && (p.Coercion == "@id" || p.Coercion == "@vocab")
}

// allSupers returns the class's generalizations, nearest first, each once.
func (c *Class) allSupers() []*Class {
	var out []*Class
	seen := map[*Class]bool{c: true}
	for level := c.supers; len(level) > 0; {
		var next []*Class
		for _, s := range level {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
				next = append(next, s.supers...)
			}
		}
		level = next
	}
	return out
}

// includeSet resolves a media type's include tag into the properties it
// names; nil when the tag is absent. Unknown entries are reported.
func (b *builder) includeSet(mt *MediaType) map[*Property]bool {
	if len(mt.Include) == 0 {
		return nil
	}
	set := map[*Property]bool{}
	for _, ref := range mt.Include {
		i := strings.LastIndex(ref, ".")
		if i <= 0 || i == len(ref)-1 {
			b.report(uml.Error, mt.Origin.Pos(), mt.element(), "include entry %q of media type %s is not Class.property", ref, mt.Name)
			continue
		}
		c, why := b.names.classifier(ref[:i])
		if c == nil {
			b.report(uml.Error, mt.Origin.Pos(), mt.element(), "include entry %q of media type %s: %s", ref, mt.Name, why)
			continue
		}
		k := b.classes[c]
		var found *Property
		if k != nil {
			props := k.AllProperties()
			if j := slices.IndexFunc(props, func(p *Property) bool { return p.Name == ref[i+1:] }); j >= 0 {
				found = props[j]
			}
		}
		if found == nil {
			b.report(uml.Error, mt.Origin.Pos(), mt.element(), "include entry %q of media type %s: %s has no property %s", ref, mt.Name, c.QualifiedName, ref[i+1:])
			continue
		}
		set[found] = true
	}
	return set
}

func (m *MediaType) element() *uml.Element {
	return &uml.Element{ID: m.Origin.ID, QualifiedName: m.Origin.QualifiedName}
}
