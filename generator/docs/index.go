package docs

import (
	"strings"

	"github.com/ltiforge/ltiforge/model"
)

// index holds the model's elements by name and every page's path, decided
// once, in model order, before any page is rendered.
type index struct {
	m *model.Model

	classByQN  map[string]*model.Class
	enumByQN   map[string]*model.Enum
	simpleByQN map[string]*model.SimpleType
	mediaByKey map[string]*model.MediaType // by lower-case media-type string

	vocabPage   map[*model.Vocabulary]string
	classPage   map[*model.Class]string
	simplePage  map[*model.SimpleType]string
	enumPage    map[*model.Enum]string
	mediaPage   map[*model.MediaType]string
	servicePage map[*model.Service]string
	messagePage map[*model.Message]string
	returnPage  map[*model.MessageReturn]string

	// subs are each class's direct specializations, in model order.
	subs map[*model.Class][]*model.Class
	// usedBy are the properties (of any class) typed by each class, enum
	// or simple type, by qualified name, in model order.
	usedBy map[string][]*model.Property
	// paramsByVariable are the message parameters each variable fills.
	paramsByVariable map[string][]paramRef
	// capVar tells the capability and variable literals apart from the
	// other enumeration members: enum Go name + member Go name.
	capability map[[2]string]*model.Capability
	variable   map[[2]string]*model.Variable
	role       map[[2]string]*model.Role
	// variableByName finds a variable by its name.
	variableByName map[string]*model.Variable
}

// paramRef is one message parameter and the message (or return) holding it.
type paramRef struct {
	page  string
	title string
	param *model.MessageParam
}

func newIndex(m *model.Model) *index {
	x := &index{
		m:         m,
		classByQN: map[string]*model.Class{}, enumByQN: map[string]*model.Enum{},
		simpleByQN: map[string]*model.SimpleType{}, mediaByKey: map[string]*model.MediaType{},
		vocabPage: map[*model.Vocabulary]string{}, classPage: map[*model.Class]string{},
		simplePage: map[*model.SimpleType]string{}, enumPage: map[*model.Enum]string{},
		mediaPage: map[*model.MediaType]string{}, servicePage: map[*model.Service]string{},
		messagePage: map[*model.Message]string{}, returnPage: map[*model.MessageReturn]string{},
		subs: map[*model.Class][]*model.Class{}, usedBy: map[string][]*model.Property{},
		paramsByVariable: map[string][]paramRef{},
		capability:       map[[2]string]*model.Capability{}, variable: map[[2]string]*model.Variable{},
		role: map[[2]string]*model.Role{}, variableByName: map[string]*model.Variable{},
	}
	n := newNamer()
	for _, v := range m.Vocabularies {
		x.vocabPage[v] = n.page(dirVocabularies, v.Origin.QualifiedName)
	}
	for _, c := range m.Classes {
		x.classByQN[c.Origin.QualifiedName] = c
		x.classPage[c] = n.page(dirClasses, c.Origin.QualifiedName)
	}
	for _, c := range m.Classes {
		for _, s := range c.SuperClasses() {
			x.subs[s] = append(x.subs[s], c)
		}
	}
	for _, s := range m.SimpleTypes {
		x.simpleByQN[s.Origin.QualifiedName] = s
		x.simplePage[s] = n.page(dirTypes, s.Origin.QualifiedName)
	}
	for _, e := range m.Enums {
		x.enumByQN[e.Origin.QualifiedName] = e
		x.enumPage[e] = n.page(dirTypes, e.Origin.QualifiedName)
	}
	for _, mt := range m.MediaTypes {
		x.mediaByKey[strings.ToLower(mt.Name)] = mt
		x.mediaPage[mt] = n.page(dirMediaTypes, mt.Origin.QualifiedName)
	}
	for _, sv := range m.Services {
		x.servicePage[sv] = n.page(dirServices, sv.Origin.QualifiedName)
	}
	for _, msg := range m.Messages {
		x.messagePage[msg] = n.page(dirMessages, msg.Origin.QualifiedName)
	}
	for _, r := range m.MessageReturns {
		x.returnPage[r] = n.page(dirMessages, r.Origin.QualifiedName)
	}
	for _, msg := range m.Messages {
		for _, p := range msg.Params {
			if p.Variable != "" {
				x.paramsByVariable[p.Variable] = append(x.paramsByVariable[p.Variable], paramRef{x.messagePage[msg], msg.Name, p})
			}
		}
	}
	for _, c := range m.Capabilities {
		x.capability[[2]string{c.Enum, c.GoName}] = c
	}
	for _, v := range m.Variables {
		x.variable[[2]string{v.Enum, v.GoName}] = v
		if _, dup := x.variableByName[v.Name]; !dup {
			x.variableByName[v.Name] = v
		}
	}
	for _, r := range m.Roles {
		x.role[[2]string{r.Enum, r.GoName}] = r
	}
	for _, c := range m.Classes {
		for _, p := range c.Properties {
			if k := x.typeQN(p.Type); k != "" {
				x.usedBy[k] = append(x.usedBy[k], p)
			}
		}
	}
	return x
}

// typeQN returns the qualified name of the model type t refers to: its
// name, or for a simple type named plainly (an XML Schema type) the one
// with its Go name, which is unique among the model's types.
func (x *index) typeQN(t model.TypeRef) string {
	if t.Kind != model.TypeSimple && t.Kind != model.TypePrimitive {
		return t.Name
	}
	if _, ok := x.simpleByQN[t.Name]; ok || t.GoName == "" {
		return t.Name
	}
	for _, s := range x.m.SimpleTypes {
		if s.GoName == t.GoName {
			return s.Origin.QualifiedName
		}
	}
	return t.Name
}

// mediaType finds a media type by its media-type string.
func (x *index) mediaType(name string) *model.MediaType {
	return x.mediaByKey[strings.ToLower(name)]
}

// typePage returns the page of a property's or parameter's type, or "".
func (x *index) typePage(t model.TypeRef) string {
	switch t.Kind {
	case model.TypeClass:
		if c := x.classByQN[t.Name]; c != nil {
			return x.classPage[c]
		}
	case model.TypeEnum:
		if e := x.enumByQN[t.Name]; e != nil {
			return x.enumPage[e]
		}
	case model.TypeSimple, model.TypePrimitive:
		if s := x.simpleByQN[x.typeQN(t)]; s != nil {
			return x.simplePage[s]
		}
	}
	return ""
}

// typeName is a type's short display name.
func typeName(t model.TypeRef) string {
	switch {
	case t.Kind == model.TypeNone || t.Name == "":
		if t.GoType != "" {
			return "string"
		}
		return "—"
	}
	name := t.Name
	if i := strings.LastIndex(name, "::"); i >= 0 {
		name = name[i+2:]
	}
	return name
}

// concrete returns c when it is not abstract, else its first concrete
// specialization (breadth first, model order), else c.
func (x *index) concrete(c *model.Class) *model.Class {
	if !c.Abstract {
		return c
	}
	queue := append([]*model.Class(nil), x.subs[c]...)
	seen := map[*model.Class]bool{c: true}
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		if seen[k] {
			continue
		}
		seen[k] = true
		if !k.Abstract {
			return k
		}
		queue = append(queue, x.subs[k]...)
	}
	return c
}

// openMap reports whether documents carry a class as a free map of names
// to strings (PropertyMap): no properties, not abstract, no
// specializations.
func (x *index) openMap(c *model.Class) bool {
	return len(c.AllProperties()) == 0 && !c.Abstract && len(x.subs[c]) == 0
}

// reference reports whether a property's values are references (IRIs) to
// objects outside the document.
func reference(p *model.Property) bool {
	return !p.Composite && (p.Coercion == "@id" || p.Coercion == "@vocab")
}

// includeSet resolves a media type's include tag ("Class.property", the
// class by qualified or plain name); nil when there is none.
func (x *index) includeSet(mt *model.MediaType) map[*model.Property]bool {
	if len(mt.Include) == 0 {
		return nil
	}
	out := map[*model.Property]bool{}
	for _, inc := range mt.Include {
		i := strings.LastIndex(inc, ".")
		if i < 0 {
			continue
		}
		cls, prop := inc[:i], inc[i+1:]
		for _, c := range x.m.Classes {
			if c.Origin.QualifiedName != cls && c.Name != cls {
				continue
			}
			for _, p := range c.Properties {
				if p.Name == prop || p.Term == prop {
					out[p] = true
				}
			}
		}
	}
	return out
}

// carried returns the classes a media type's documents hold, in the order
// first reached from the root (through embedded values and
// specializations), and the properties they carry.
func (x *index) carried(mt *model.MediaType) ([]*model.Class, map[*model.Class][]*model.Property) {
	root := mt.RootClass()
	props := map[*model.Class][]*model.Property{}
	if root == nil {
		return nil, props
	}
	include := x.includeSet(mt)
	var order []*model.Class
	seen := map[*model.Class]bool{}
	// A generalization is shown with its own properties, but its other
	// specializations are not reached through it.
	type item struct {
		c    *model.Class
		subs bool
	}
	queue := []item{{root, true}}
	for len(queue) > 0 {
		it := queue[0]
		k := it.c
		queue = queue[1:]
		if seen[k] {
			continue
		}
		seen[k] = true
		order = append(order, k)
		if it.subs {
			for _, s := range x.subs[k] {
				queue = append(queue, item{s, true})
			}
		}
		for _, s := range k.SuperClasses() {
			queue = append(queue, item{s, false})
		}
		for _, p := range k.Properties {
			if include != nil && !include[p] {
				continue
			}
			props[k] = append(props[k], p)
		}
		for _, p := range k.AllProperties() {
			if include != nil && !include[p] {
				continue
			}
			if p.Type.Kind == model.TypeClass && !reference(p) {
				if next := x.classByQN[p.Type.Name]; next != nil {
					queue = append(queue, item{next, true})
				}
			}
		}
	}
	return order, props
}
