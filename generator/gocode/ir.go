package gocode

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/ltiforge/ltiforge/generator/emit"
	"github.com/ltiforge/ltiforge/model"
	"github.com/ltiforge/ltiforge/model/naming"
)

// valueKind is how a property's values are held in Go.
type valueKind int

const (
	vkString   valueKind = iota // string or a named string type
	vkDateTime                  // ld.DateTime
	vkFloat                     // float64
	vkInt                       // int64
	vkBool                      // bool
	vkObject                    // an embedded object of a class without subclasses
	vkIface                     // an embedded object of a class with subclasses
	vkRaw                       // untyped: raw JSON values
)

// gen holds the IR of one run: names and decisions computed once from the
// semantic model, which the writers only print.
type gen struct {
	m      *model.Model
	o      emit.Options
	pkg    string // import path of the emitted types package
	ldPath string

	classes  []*class
	byName   map[string]*class // by qualified name
	simples  map[string]*simple
	simpleL  []*simple
	enums    map[string]*enum
	enumL    []*enum
	media    []*media
	names    *naming.Namer // package-level identifiers
	prefixes map[string]string
	curies   curies
}

type class struct {
	k        *model.Class
	name     string // Go name of the struct (concrete) or interface (abstract)
	iface    string // interface of the class and its subclasses; "" when it has none
	abstract bool
	open     bool // no properties: its keys are data (PropertyMap)
	typed    bool // always written with @type
	own      bool // emitted in this run
	imp      string
	supers   []*class // all ancestors
	subs     []*class // concrete descendants, most specific first, then itself if concrete
	props    []*prop
	names    []string // accepted @type values for this class alone
	typeFn   string   // func(string) bool matching names
	inFn     string   // func(string) bool matching the class or a subclass
	readFn   string   // for classes with an interface: reads one value of it
	roots    []*media // the jsonld media types whose root this class is
}

type prop struct {
	p        *model.Property
	field    string
	term     string
	many     bool
	kind     valueKind
	goType   string // element type name for strings (named or "string")
	named    *simple
	enum     *enum
	target   *class // vkObject, vkIface
	key      string // "DeclaringClass.property", for media-type includes
	want     string // description of the expected JSON value
	declared *class
}

type simple struct {
	s       *model.SimpleType
	name    string
	pattern *regexp.Regexp
	note    string // why the pattern is not checked
}

type enum struct {
	e       *model.Enum
	name    string
	members []*member
}

type member struct {
	m     *model.EnumMember
	name  string
	value string
	alts  []string // other spellings accepted as the member
	doc   string
}

type media struct {
	mt      *model.MediaType
	name    string // document type
	base    string // name without "Document"
	constMT string
	constCx string
	root    *class
	rules   string // rules constant, "" when none
	termFn  string
	terms   []string
}

func newGen(m *model.Model, o emit.Options) (*gen, error) {
	g := &gen{m: m, o: o, pkg: o.TypesImport(model.Origin{}), ldPath: o.SupportImport("ld"),
		byName: map[string]*class{}, simples: map[string]*simple{}, enums: map[string]*enum{},
		names: naming.NewNamer(), prefixes: map[string]string{}}
	if len(o.Files) > 0 {
		g.pkg = emitPath(o)
	}
	for _, v := range m.Vocabularies {
		g.prefixes[v.Prefix] = v.Namespace
	}
	g.curies = newCuries(m.Vocabularies)
	// Every model Go name is taken first, so that generated helpers never
	// take one.
	for _, k := range m.Classes {
		g.names.Reserve(k.GoName)
	}
	for _, e := range m.Enums {
		g.names.Reserve(e.GoName)
	}
	for _, s := range m.SimpleTypes {
		g.names.Reserve(s.GoName)
	}
	for _, mt := range m.MediaTypes {
		g.names.Reserve(mt.GoName)
	}
	for _, s := range m.SimpleTypes {
		if !constrained(s) {
			continue
		}
		x := &simple{s: s, name: s.GoName}
		if s.Pattern != "" {
			re, err := regexp.Compile("^(?:" + s.Pattern + ")$")
			if err != nil {
				x.note = fmt.Sprintf("The pattern %s is not checked: Go's regexp package cannot compile it (%v).", s.Pattern, err)
			} else {
				x.pattern = re
			}
		}
		g.simples[s.Origin.QualifiedName] = x
		g.simpleL = append(g.simpleL, x)
	}
	roles := map[string]*model.Role{}
	for _, r := range m.Roles {
		roles[r.Enum+"."+r.GoName] = r
	}
	for _, e := range m.Enums {
		x := &enum{e: e, name: e.GoName}
		for _, mm := range e.Members {
			mb := &member{m: mm, name: g.names.Claim(e.GoName + mm.GoName), value: mm.Term, doc: mm.Doc}
			if r := roles[e.GoName+"."+mm.GoName]; r != nil && r.URN != "" {
				mb.value = r.URN
				mb.alts = append(mb.alts, mm.Term)
				if r.Short != "" {
					mb.alts = append(mb.alts, r.Short)
				}
			}
			if mm.IRI != "" {
				mb.alts = append(mb.alts, mm.IRI)
				if c := g.curie(mm.IRI); c != "" {
					mb.alts = append(mb.alts, c)
				}
			}
			x.members = append(x.members, mb)
		}
		g.enums[e.Origin.QualifiedName] = x
		g.enumL = append(g.enumL, x)
	}
	for _, k := range m.Classes {
		c := &class{k: k, name: k.GoName, abstract: k.Abstract, own: o.Emits(k.Origin), imp: o.TypesImport(k.Origin)}
		if len(o.Files) > 0 && c.own {
			c.imp = g.pkg
		}
		g.classes = append(g.classes, c)
		g.byName[k.Origin.QualifiedName] = c
	}
	for _, c := range g.classes {
		g.ancestors(c)
	}
	for _, c := range g.classes {
		for _, s := range c.supers {
			if !c.abstract {
				s.subs = append(s.subs, c)
			}
		}
	}
	for _, c := range g.classes {
		// Most specific first: deeper classes before their ancestors.
		slices.SortStableFunc(c.subs, func(a, b *class) int { return len(b.supers) - len(a.supers) })
		if len(c.subs) > 0 || c.abstract {
			if c.abstract {
				c.iface = c.name
			} else {
				c.iface = g.names.Claim("Any" + c.name)
			}
			c.readFn = g.names.Claim("read" + c.iface)
		}
		if !c.abstract {
			c.subs = append(c.subs, c)
		}
		c.names = g.typeNames(c.k)
		c.typeFn = g.names.Claim("typeIs" + c.name)
		c.inFn = g.names.Claim("typeIn" + c.name)
	}
	for _, c := range g.classes {
		if err := g.buildProps(c); err != nil {
			return nil, err
		}
	}
	for _, c := range g.classes {
		c.open = len(c.props) == 0 && !c.abstract && len(c.subs) == 1
	}
	for _, mt := range m.MediaTypes {
		if mt.Form == model.FormXML || !o.Emits(mt.Origin) {
			continue
		}
		x := &media{mt: mt, name: mt.GoName, root: g.byName[mt.Root]}
		if x.root == nil {
			return nil, fmt.Errorf("media type %s: root class %s is not a class of the model", mt.Name, mt.Root)
		}
		x.base = strings.TrimSuffix(mt.GoName, "Document")
		if x.base == "" {
			x.base = mt.GoName
		}
		x.constMT = g.names.Claim("MediaType" + x.base)
		if mt.Context != "" {
			x.constCx = g.names.Claim("Context" + x.base)
		}
		switch mt.Form {
		case model.FormJSONLD:
			if x.root.abstract || !x.root.own {
				return nil, fmt.Errorf("media type %s: the root class %s must be concrete and emitted in this run", mt.Name, x.root.k.Name)
			}
			x.root.typed = true
			x.root.roots = append(x.root.roots, x)
		case model.FormGraph:
			for _, s := range x.root.subs {
				s.typed = true
			}
			if x.root.readFn == "" {
				x.root.readFn = g.names.Claim("read" + x.root.name + "Node")
			}
		}
		if len(mt.Include) > 0 || len(mt.RequireID) > 0 {
			x.rules = g.names.Claim("rules" + mt.GoName)
		}
		if mt.JSONLD() {
			x.termFn = g.names.Claim("isTermOf" + mt.GoName)
			x.terms = g.contextNames(mt)
		}
		g.media = append(g.media, x)
	}
	// Objects in a polymorphic position always carry @type.
	for _, c := range g.classes {
		for _, p := range c.props {
			if p.kind == vkIface {
				for _, s := range p.target.subs {
					if s != p.target {
						s.typed = true
					}
				}
			}
		}
	}
	return g, nil
}

// emitPath is the emitted package's import path.
func emitPath(o emit.Options) string { return strings.TrimSuffix(o.Root, "/") + "/" + o.Package }

// constrained reports whether a simple type becomes a named Go type: a
// string type with a length or pattern facet. The XML Schema built-ins
// map to Go types (string, int64, float64, bool, ld.DateTime).
func constrained(s *model.SimpleType) bool {
	return s.GoType == "string" && (s.MaxLength > 0 || s.Pattern != "")
}

func (g *gen) ancestors(c *class) {
	seen := map[*class]bool{}
	var walk func(k *model.Class)
	walk = func(k *model.Class) {
		for _, s := range k.SuperClasses() {
			sc := g.byName[s.Origin.QualifiedName]
			if sc == nil || seen[sc] || sc == c {
				continue
			}
			seen[sc] = true
			c.supers = append(c.supers, sc)
			walk(s)
		}
	}
	walk(c.k)
}

// curie returns the compact IRI of iri under the model's vocabularies, or
// "" when no vocabulary's namespace prefixes it.
func (g *gen) curie(iri string) string { return g.curies.compact(iri) }

// curies compacts IRIs under a model's vocabularies: the shortest CURIE
// wins, and of equally short ones that of the vocabulary listed first.
// The vocabularies are indexed by namespace, so that compacting an IRI
// looks up its candidate namespaces (each prefix of it ending in a byte
// that ends a namespace) instead of trying every vocabulary: the
// emitter compacts an IRI per class, member and term, and a model with
// more of those has more vocabularies too.
type curies struct {
	vocabs []*model.Vocabulary
	// byNamespace gives, for each namespace, the index in vocabs of its
	// vocabulary with the shortest prefix (the first of those).
	byNamespace map[string]int
	// ends holds the last bytes of the namespaces.
	ends [256]bool
}

func newCuries(vs []*model.Vocabulary) curies {
	c := curies{vocabs: vs, byNamespace: map[string]int{}}
	for i, v := range vs {
		if j, ok := c.byNamespace[v.Namespace]; !ok || len(v.Prefix) < len(vs[j].Prefix) {
			c.byNamespace[v.Namespace] = i
		}
		if v.Namespace != "" {
			c.ends[v.Namespace[len(v.Namespace)-1]] = true
		}
	}
	return c
}

func (c *curies) compact(iri string) string {
	best, bestAt := "", -1
	// The local part is not empty, so a namespace ends before iri's last
	// byte. (An empty namespace, which the model refuses, prefixes any.)
	for n := 0; n < len(iri); n++ {
		if n > 0 && !c.ends[iri[n-1]] {
			continue
		}
		i, ok := c.byNamespace[iri[:n]]
		if !ok {
			continue
		}
		cur := c.vocabs[i].Prefix + ":" + iri[n:]
		if best == "" || len(cur) < len(best) || len(cur) == len(best) && i < bestAt {
			best, bestAt = cur, i
		}
	}
	return best
}

func (g *gen) typeNames(k *model.Class) []string {
	names := []string{k.Term}
	if k.IRI != "" {
		names = append(names, k.IRI)
		if c := g.curie(k.IRI); c != "" {
			names = append(names, c)
		}
	}
	return uniq(names)
}

func uniq(s []string) []string {
	var out []string
	for _, v := range s {
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// reservedFields are the struct members every class type has.
var reservedFields = []string{"ID", "Type", "Extensions", "Values", "Validate", "ValidateLD", "ReadLD", "WriteLD",
	"MarshalJSON", "UnmarshalJSON"}

func (g *gen) buildProps(c *class) error {
	names := naming.NewNamer(reservedFields...)
	for _, p := range c.k.AllProperties() {
		x := &prop{p: p, term: p.Term, many: p.Cardinality.Many(), declared: g.byName[classOf(p)]}
		x.field = p.GoName
		if names.Taken(x.field) {
			x.field = names.Claim(x.field + "Property")
		} else {
			names.Claim(x.field)
		}
		x.key = lastSegment(classOf(p)) + "." + p.Name
		switch t := p.Type; t.Kind {
		case model.TypeClass:
			target := g.byName[t.Name]
			switch {
			case p.Coercion == "@id" || target == nil:
				x.kind, x.goType, x.want = vkString, "string", "a reference (an IRI string)"
			case target.iface != "":
				x.kind, x.target, x.want = vkIface, target, "a "+target.k.Term+" object"
			default:
				x.kind, x.target, x.want = vkObject, target, "a "+target.k.Term+" object"
			}
		case model.TypeEnum:
			x.enum = g.enums[t.Name]
			x.kind, x.goType, x.want = vkString, "string", "a string"
			if x.enum != nil {
				x.goType = x.enum.name
			}
		case model.TypeSimple, model.TypePrimitive:
			x.named = g.simples[t.Name]
			switch {
			case x.named != nil:
				x.kind, x.goType, x.want = vkString, x.named.name, "a string"
			case t.GoType == "time.Time":
				x.kind, x.want = vkDateTime, "an xs:dateTime string"
			case t.GoType == "float64":
				x.kind, x.want = vkFloat, "a number"
			case t.GoType == "int64":
				x.kind, x.want = vkInt, "an integer"
			case t.GoType == "bool":
				x.kind, x.want = vkBool, "a boolean"
			default:
				x.kind, x.goType, x.want = vkString, "string", "a string"
			}
		default:
			x.kind, x.many, x.want = vkRaw, true, "JSON values"
		}
		c.props = append(c.props, x)
	}
	return nil
}

func classOf(p *model.Property) string { return p.Class }

func lastSegment(qn string) string {
	if i := strings.LastIndex(qn, "::"); i >= 0 {
		return qn[i+2:]
	}
	return qn
}

// contextNames are the names a media type's standard context defines as
// terms or prefixes; an inline context that redefines one of them sends a
// document down the slow path.
func (g *gen) contextNames(mt *model.MediaType) []string {
	var out []string
	add := func(iri string) {
		if c := g.curie(iri); c != "" {
			out = append(out, c[:strings.IndexByte(c, ':')])
		}
	}
	for _, t := range mt.Terms {
		out = append(out, t.Name)
		add(t.IRI)
		add(t.CoercionIRI)
	}
	for _, p := range mt.Prefixes {
		out = append(out, p.Prefix)
	}
	out = uniq(out)
	slices.Sort(out)
	return out
}
