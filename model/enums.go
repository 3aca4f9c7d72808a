package model

import (
	"github.com/ltiforge/ltiforge/model/naming"
	"github.com/ltiforge/ltiforge/model/uml"
)

// buildEnums builds the enumerations and «Enumerable» classes with their
// members, and the capabilities, variables and roles among the literals.
func (b *builder) buildEnums(cs []*uml.Classifier) {
	var members map[*uml.Classifier][]*uml.Instance
	for _, c := range cs {
		if b.roleOf(c) != roleEnum {
			continue
		}
		e := &c.Element
		ns, _ := b.namespaceOf(c)
		en := &Enum{Origin: originOf(e), Name: c.Name, GoName: b.goNames[c],
			Extensible: b.lti(e, StEnumerable) != nil, Members: []*EnumMember{}, Doc: c.Doc}
		if ns != "" {
			en.IRI = ns + c.Name
		}
		if app := b.lti(e, StTerm); app != nil && tag(app, "iri") != "" {
			en.IRI = b.iri(e, app, "iri", tag(app, "iri"), ns)
		}
		names := naming.NewNamer()
		for _, l := range c.Literals {
			en.Members = append(en.Members, b.newLiteral(en, c, l, names, ns))
		}
		if c.Kind == uml.KindClass {
			if members == nil {
				members = b.instancesByClassifier()
			}
			for _, in := range members[c] {
				m := &EnumMember{Origin: originOf(&in.Element), Name: in.Name, GoName: names.Name(in.Name), Term: in.Name, Doc: in.Doc}
				if ns != "" && in.Name != "" {
					m.IRI = ns + in.Name
				}
				en.Members = append(en.Members, m)
			}
		}
		b.enums[c] = en
		b.m.Enums = append(b.m.Enums, en)
	}
}

func (b *builder) instancesByClassifier() map[*uml.Classifier][]*uml.Instance {
	out := map[*uml.Classifier][]*uml.Instance{}
	b.g.Walk(func(p *uml.Package) {
		for _, in := range p.Instances {
			for _, c := range in.Classifiers {
				out[c] = append(out[c], in)
			}
		}
	})
	return out
}

func (b *builder) newLiteral(en *Enum, c *uml.Classifier, l *uml.Literal, names *naming.Namer, ns string) *EnumMember {
	e := &l.Element
	m := &EnumMember{Origin: originOf(e), Name: l.Name, GoName: names.Name(l.Name), Term: l.Name, Doc: l.Doc}
	if ns != "" && l.Name != "" {
		m.IRI = ns + l.Name
	}
	if app := b.lti(e, StTerm); app != nil {
		if t := tag(app, "term"); t != "" {
			m.Term = t
		}
		if v := tag(app, "iri"); v != "" {
			m.IRI = b.iri(e, app, "iri", v, ns)
		}
	}
	if app := b.lti(e, StCapability); app != nil {
		if v := tag(app, "iri"); v != "" {
			m.IRI = b.iri(e, app, "iri", v, ns)
		}
		b.m.Capabilities = append(b.m.Capabilities, &Capability{Origin: m.Origin, Name: l.Name, GoName: m.GoName,
			Enum: en.GoName, IRI: m.IRI, Kind: tag(app, "kind"), Doc: l.Doc})
	}
	if app := b.lti(e, StVariable); app != nil {
		since := tag(app, "since")
		if since == "" {
			since = "2.0"
		}
		b.m.Variables = append(b.m.Variables, &Variable{Origin: m.Origin, Name: l.Name, GoName: m.GoName, Enum: en.GoName,
			LaunchParameter: tag(app, "launchParameter"), Source: tag(app, "source"), Since: since, Doc: l.Doc})
	}
	if app := b.lti(e, StRole); app != nil {
		urn := tag(app, "urn")
		if urn != "" && !isAbsoluteIRI(urn) {
			b.tagErrorf(e, app, "role urn %q is not a full URN or IRI", urn)
		}
		b.m.Roles = append(b.m.Roles, &Role{Origin: m.Origin, Name: l.Name, GoName: m.GoName, Enum: en.GoName,
			URN: urn, Short: tag(app, "short"), Kind: tag(app, "kind"), Doc: l.Doc})
	}
	return m
}
