package model

import (
	"strings"

	"github.com/ltiforge/ltiforge/model/naming"
	"github.com/ltiforge/ltiforge/model/uml"
)

// buildClasses builds the classes and simple types, then the classes'
// properties (which need every type's role first).
func (b *builder) buildClasses(cs []*uml.Classifier) {
	for _, c := range cs {
		switch b.roleOf(c) {
		case roleClass:
			b.newClass(c)
		case roleSimple:
			b.newSimpleType(c)
		}
	}
	ends := b.associationOwnedEnds()
	for _, c := range cs {
		k := b.classes[c]
		if k == nil {
			continue
		}
		for _, g := range c.Generals {
			if sup := b.classes[g]; sup != nil {
				k.supers = append(k.supers, sup)
				k.Supers = append(k.Supers, g.QualifiedName)
			}
		}
		props := naming.NewNamer()
		for _, a := range append(append([]*uml.Property(nil), c.Attributes...), ends[c]...) {
			k.Properties = append(k.Properties, b.newProperty(k, c, a, props))
		}
	}
}

func (b *builder) newClass(c *uml.Classifier) {
	e := &c.Element
	ns, prefix := b.namespaceOf(c)
	k := &Class{Origin: originOf(e), Name: c.Name, GoName: b.goNames[c], Term: c.Name,
		Vocabulary: prefix, Abstract: c.Abstract, Supers: []string{}, Properties: []*Property{}, Doc: c.Doc}
	if ns != "" {
		k.IRI = ns + c.Name
	}
	if app := b.lti(e, StTerm); app != nil {
		if t := tag(app, "term"); t != "" {
			k.Term = t
		}
		if v := tag(app, "iri"); v != "" {
			k.IRI = b.iri(e, app, "iri", v, ns)
		}
	}
	if app := b.lti(e, StAddressable); app != nil {
		k.Addressable = true
		k.IDRequired = tagBool(app, "idRequired", false)
	}
	if b.lti(e, StEmbeddable) != nil {
		k.Embeddable = true
		if k.Addressable {
			b.errorf(e, "class %s is both «Addressable» and «Embeddable»; an embeddable object carries no @id", c.Name)
		}
	}
	b.classes[c] = k
	b.m.Classes = append(b.m.Classes, k)
}

func (b *builder) newSimpleType(c *uml.Classifier) {
	e := &c.Element
	app := b.lti(e, StSimpleType)
	ns, _ := b.namespaceOf(c)
	s := &SimpleType{Origin: originOf(e), Name: c.Name, GoName: b.goNames[c], Base: tag(app, "base"),
		GoType: "string", MaxLength: tagInt(app, "maxLength"), Pattern: tag(app, "pattern"), Doc: c.Doc}
	if s.Base != "" {
		s.BaseIRI = b.iri(e, app, "base", s.Base, "")
		if local := xsdLocal(s.BaseIRI); local != "" {
			s.GoType = goTypeOfXSD(local)
		} else if s.BaseIRI != "" {
			b.tagWarnf(e, app, "base %q of simple type %s is not an XML Schema datatype; its values are strings in Go", s.Base, c.Name)
		}
	}
	if v := tag(app, "iri"); v != "" {
		s.IRI = b.iri(e, app, "iri", v, ns)
		s.CURIE = v
	}
	b.simples[c] = s
	b.m.SimpleTypes = append(b.m.SimpleTypes, s)
}

// associationOwnedEnds returns, for each class, the navigable ends that
// associations own on its behalf: in a binary association, an end the
// association owns is a property of the class at the other end.
func (b *builder) associationOwnedEnds() map[*uml.Classifier][]*uml.Property {
	out := map[*uml.Classifier][]*uml.Property{}
	for _, a := range b.g.Associations() {
		if len(a.Ends) != 2 {
			continue
		}
		for i, end := range a.Ends {
			other := a.Ends[1-i]
			if end.Owner != nil || !end.Navigable || end.Name == "" || other.Type == nil {
				continue
			}
			out[other.Type] = append(out[other.Type], end)
		}
	}
	return out
}

func (b *builder) newProperty(k *Class, c *uml.Classifier, a *uml.Property, names *naming.Namer) *Property {
	e := &a.Element
	ns, _ := b.namespaceOf(c)
	p := &Property{Origin: originOf(e), Class: c.QualifiedName, Name: a.Name, GoName: names.Name(a.Name),
		Term: a.Name, Cardinality: cardinalityOf(a.Multiplicity), Composite: a.Aggregation == uml.AggregationComposite,
		ReadOnly: a.ReadOnly, Doc: a.Doc, uml: a}
	if a.Default != nil {
		p.Default = a.Default.Text
	}
	if ns != "" && a.Name != "" {
		p.IRI = ns + a.Name
	}
	p.Type = b.typeRef(e, &a.TypedElement)
	if p.Type.Kind == TypeNone && a.Lower > 0 && a.TypeRef == "" {
		b.errorf(e, "required property %s.%s [%s] has no type", c.Name, a.Name, p.Cardinality)
	}
	if p.Type.Kind == TypeSimple {
		if s := b.simples[a.Type]; s != nil && s.IRI != "" {
			p.Coercion, p.CoercionIRI = s.CURIE, s.IRI
		}
	}
	if app := b.lti(e, StTerm); app != nil {
		if t := tag(app, "term"); t != "" {
			p.Term = t
		}
		if v := tag(app, "iri"); v != "" {
			p.IRI = b.iri(e, app, "iri", v, ns)
		}
		if raw, present := app.Tags["type"]; present {
			// Present but empty means no coercion, whatever the type.
			v := strings.TrimSpace(raw)
			p.Coercion, p.CoercionIRI = v, ""
			switch {
			case v == "":
			case v == "@id" || v == "@vocab" || v == "@json" || v == "@none":
			case v[0] == '@':
				b.tagErrorf(e, app, "tag type of «Term» is %q, but a type coercion is @id, @vocab or a datatype IRI", v)
			default:
				p.CoercionIRI = b.iri(e, app, "type", v, "")
			}
		}
		if v := tag(app, "container"); v != "" {
			switch v {
			case "@set", "@list", "@language", "@index":
				p.Container = v
			default:
				b.tagErrorf(e, app, "tag container of «Term» is %q, but a container is @set, @list, @language or @index", v)
			}
		}
	}
	return p
}

// typeRef describes the value type of a property or parameter.
func (b *builder) typeRef(e *uml.Element, t *uml.TypedElement) TypeRef {
	c := t.Type
	if c == nil {
		// An unresolved reference was reported by the reader.
		return TypeRef{Kind: TypeNone, Name: t.TypeRef, GoType: "string"}
	}
	name := t.TypeName()
	switch {
	case b.simples[c] != nil:
		s := b.simples[c]
		// A simple type is named by its qualified name whether it is a
		// data type or a primitive type, so that generators can look it
		// up in Model.SimpleTypes the same way for both.
		return TypeRef{Kind: TypeSimple, Name: s.Origin.QualifiedName, GoName: s.GoName, GoType: s.GoType, XSD: s.Base}
	case b.enums[c] != nil || b.roleOf(c) == roleEnum:
		return TypeRef{Kind: TypeEnum, Name: name, GoName: b.goNames[c], GoType: "string"}
	case c.Kind == uml.KindPrimitive:
		xsd, ok := xsdOfPrimitive(c.Name)
		if !ok {
			b.warnf(e, "primitive type %s has no XML Schema equivalent known to ltiforge; its values are strings (give it a «SimpleType» to say otherwise)", name)
			xsd = "xs:string"
		}
		_, local, _ := cutPrefix(xsd)
		return TypeRef{Kind: TypePrimitive, Name: name, GoType: goTypeOfXSD(local), XSD: xsd}
	}
	gn := b.goNames[c]
	if gn == "" {
		gn = naming.GoName(c.Name)
	}
	return TypeRef{Kind: TypeClass, Name: name, GoName: gn, GoType: gn}
}

func cutPrefix(curie string) (string, string, bool) {
	for i := 0; i < len(curie); i++ {
		if curie[i] == ':' {
			return curie[:i], curie[i+1:], true
		}
	}
	return "", curie, false
}
