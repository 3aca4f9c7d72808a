package model

import (
	"slices"
	"strings"

	"github.com/ltiforge/ltiforge/model/uml"
)

// schema is the LTI profile in effect: docs/profile.md's stereotypes, with
// tag kinds and enumeration literals taken from the profile file when it
// is loaded.
type schema struct {
	stereos map[string]*stereoDef
	enums   map[string][]string
	// uris holds the profile identifiers whose applications are read.
	uris map[string]bool
	// fromFile is set when an LTI profile file is loaded.
	fromFile bool
}

// isLTIProfile reports whether a package is the LTI profile.
func isLTIProfile(p *uml.Package) bool {
	return p.Kind == uml.KindProfile && (p.URI == ProfileURI || p.Name == ProfileName)
}

// buildSchema starts from the specified profile and overlays the loaded
// profile files, reporting where a profile file departs from the
// specification.
func (b *builder) buildSchema() {
	s := &schema{stereos: map[string]*stereoDef{}, enums: specifiedEnumerations(),
		uris: map[string]bool{ProfileURI: true, ProfileName: true}}
	for _, d := range specifiedStereotypes() {
		s.stereos[d.name] = &d
	}
	b.schema = s
	for _, p := range b.g.Packages() {
		if !isLTIProfile(p) {
			continue
		}
		s.fromFile = true
		if p.URI != "" {
			s.uris[p.URI] = true
		}
		b.overlayProfile(p)
	}
}

// overlayProfile reads one LTI profile file's stereotypes and enumerations.
func (b *builder) overlayProfile(p *uml.Package) {
	s := b.schema
	defined := map[string]bool{}
	var walk func(*uml.Package)
	walk = func(p *uml.Package) {
		for _, c := range p.Classifiers {
			switch c.Kind {
			case uml.KindEnumeration:
				lits := make([]string, len(c.Literals))
				for i, l := range c.Literals {
					lits[i] = l.Name
				}
				if want, ok := specifiedEnumerations()[c.Name]; ok && !sameSet(want, lits) {
					b.warnf(&c.Element, "the profile's enumeration %s has the literals %s, but docs/profile.md specifies %s; the profile file's are used",
						c.Name, strings.Join(lits, ", "), strings.Join(want, ", "))
				}
				s.enums[c.Name] = lits
			case uml.KindStereotype:
				defined[c.Name] = true
				b.overlayStereotype(c)
			}
		}
		for _, sub := range p.Packages {
			walk(sub)
		}
	}
	walk(p)
	for _, d := range specifiedStereotypes() {
		if !defined[d.name] {
			b.warnf(&p.Element, "the LTI profile file defines no stereotype %s, which docs/profile.md specifies", d.name)
		}
	}
}

// overlayStereotype takes tag kinds from a stereotype defined in the
// profile file, and reports tags the file and the specification disagree
// on.
func (b *builder) overlayStereotype(c *uml.Classifier) {
	d, known := b.schema.stereos[c.Name]
	if !known {
		b.warnf(&c.Element, "the LTI profile file defines stereotype %s, which docs/profile.md does not specify", c.Name)
		d = &stereoDef{name: c.Name}
		b.schema.stereos[c.Name] = d
	}
	seen := map[string]bool{}
	for _, a := range c.Attributes {
		seen[a.Name] = true
		kind := tagKindOf(a)
		i := slices.IndexFunc(d.tags, func(t tagDef) bool { return t.name == a.Name })
		if i < 0 {
			if known {
				b.warnf(&a.Element, "the profile gives stereotype %s a tag %s that docs/profile.md does not specify", c.Name, a.Name)
			}
			d.tags = append(d.tags, tagDef{name: a.Name, kind: kind})
			continue
		}
		if d.tags[i].kind != kind {
			b.warnf(&a.Element, "tag %s of stereotype %s is of kind %s in the profile file but %s in docs/profile.md; the profile file's kind is used",
				a.Name, c.Name, kind, d.tags[i].kind)
			d.tags[i].kind = kind
		}
	}
	if known {
		for _, t := range d.tags {
			if !seen[t.name] {
				b.warnf(&c.Element, "the profile's stereotype %s lacks the tag %s that docs/profile.md specifies", c.Name, t.name)
			}
		}
	}
}

// tagKindOf returns a tag definition's kind from its type.
func tagKindOf(a *uml.Property) string {
	if a.Type != nil && a.Type.Kind == uml.KindEnumeration {
		return a.Type.Name
	}
	switch xsd, _ := xsdOfPrimitive(a.TypeName()); xsd {
	case "xs:boolean":
		return kindBoolean
	case "xs:integer":
		return kindInteger
	}
	return kindString
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
