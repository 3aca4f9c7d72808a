package model

import (
	"context"
	"fmt"

	"github.com/ltiforge/ltiforge/model/lti2"
	"github.com/ltiforge/ltiforge/model/naming"
	"github.com/ltiforge/ltiforge/model/uml"
	"github.com/ltiforge/ltiforge/model/umlfile"
)

// Load reads the named model files (and the model files directly inside
// named directories) together, as model/umlfile does, and builds their
// semantic model. Problems are in Model.Diagnostics; the error is non-nil
// only when ctx is cancelled.
func Load(ctx context.Context, files ...string) (*Model, error) {
	g, err := umlfile.Load(ctx, files...)
	if err != nil {
		return nil, err
	}
	return FromGraph(g), nil
}

// LoadStandard builds the semantic model of the LTI 2.0 standard model
// embedded in the binary, together with the named files and directories: a
// partner's model extends the standard one by referencing its files by name
// (href="lti.uml#ToolProxy").
func LoadStandard(ctx context.Context, files ...string) (*Model, error) {
	std, err := lti2.Sources()
	if err != nil {
		return nil, fmt.Errorf("reading the embedded standard model: %w", err)
	}
	g, err := umlfile.LoadWith(ctx, std, files...)
	if err != nil {
		return nil, err
	}
	return FromGraph(g), nil
}

// LoadSources builds the semantic model of model files already in memory,
// as Load does.
func LoadSources(ctx context.Context, srcs ...uml.Source) (*Model, error) {
	g, err := umlfile.LoadSources(ctx, srcs...)
	if err != nil {
		return nil, err
	}
	return FromGraph(g), nil
}

// FromGraph builds the semantic model of a finished graph. The graph is
// not changed; its diagnostics are copied into the model's.
func FromGraph(g *uml.Graph) *Model {
	b := &builder{
		g: g,
		m: &Model{Files: append([]string{}, g.Files...), Vocabularies: []*Vocabulary{}, Classes: []*Class{},
			SimpleTypes: []*SimpleType{}, Enums: []*Enum{}, MediaTypes: []*MediaType{}, Services: []*Service{},
			Messages: []*Message{}, MessageReturns: []*MessageReturn{}, Capabilities: []*Capability{},
			Variables: []*Variable{}, Roles: []*Role{}},
		prefixes:    newPrefixTable(),
		types:       naming.NewNamer(),
		goNames:     map[*uml.Classifier]string{},
		classes:     map[*uml.Classifier]*Class{},
		simples:     map[*uml.Classifier]*SimpleType{},
		enums:       map[*uml.Classifier]*Enum{},
		mediaTypes:  map[*uml.Classifier]*MediaType{},
		messages:    map[*uml.Classifier]*Message{},
		vocabByPkg:  map[*uml.Package]*Vocabulary{},
		mediaByName: map[string]*MediaType{},
	}
	b.buildSchema()
	b.checkStereotypes()
	cs := b.modelClassifiers()
	b.names = newResolver(g, cs)
	b.buildVocabularies()
	b.declareMediaTypePrefixes(cs)
	b.nameTypes(cs)
	b.buildClasses(cs)
	b.buildEnums(cs)
	b.buildMediaTypes(cs)
	b.buildServices(cs)
	b.buildMessages(cs)
	b.checkMediaTypeTerms()

	b.m.Diagnostics = append(append(uml.Diagnostics(nil), g.Diagnostics...), b.diags...)
	if b.dropped > 0 {
		b.m.Diagnostics = append(b.m.Diagnostics, uml.Diagnostic{Severity: uml.Error,
			Message: fmt.Sprintf("%d further problems of the semantic model were not reported; fix the ones above first", b.dropped)})
	}
	b.m.Diagnostics.Sort()
	return b.m
}

// modelClassifiers returns the classifiers the model is built from, in
// document order: every classifier outside profile packages.
func (b *builder) modelClassifiers() []*uml.Classifier {
	var out []*uml.Classifier
	var walk func(*uml.Package)
	walk = func(p *uml.Package) {
		if p.Kind == uml.KindProfile {
			return
		}
		for _, c := range p.Classifiers {
			if c.Kind != uml.KindStereotype {
				out = append(out, c)
			}
		}
		for _, sub := range p.Packages {
			walk(sub)
		}
	}
	for _, r := range b.g.Roots {
		walk(r)
	}
	return out
}

// role tells what a classifier becomes in the model.
type role int

const (
	roleNone role = iota
	roleClass
	roleSimple
	roleEnum
	roleMediaType
	roleService
	roleMessage
	roleMessageReturn
)

func (b *builder) roleOf(c *uml.Classifier) role {
	e := &c.Element
	switch c.Kind {
	case uml.KindInterface:
		if b.lti(e, StRestService) != nil {
			return roleService
		}
	case uml.KindClass:
		switch {
		case b.lti(e, StMediaType) != nil:
			return roleMediaType
		case b.lti(e, StMessage) != nil:
			return roleMessage
		case b.lti(e, StMessageReturn) != nil:
			return roleMessageReturn
		case b.lti(e, StEnumerable) != nil:
			return roleEnum
		}
		return roleClass
	case uml.KindDataType, uml.KindPrimitive:
		if b.lti(e, StSimpleType) != nil {
			return roleSimple
		}
		if c.Kind == uml.KindDataType {
			return roleClass
		}
	case uml.KindEnumeration:
		return roleEnum
	}
	return roleNone
}

// nameTypes gives every classifier that becomes a type its Go name, in
// document order from one namer, and warns when a name had to be
// suffixed.
func (b *builder) nameTypes(cs []*uml.Classifier) {
	for _, c := range cs {
		if b.roleOf(c) == roleNone {
			continue
		}
		base := naming.GoName(c.Name)
		got := b.types.Name(c.Name)
		if got != base {
			b.warnf(&c.Element, "Go name %s is already taken by another type of the model; this one is named %s", base, got)
		}
		b.goNames[c] = got
	}
}
