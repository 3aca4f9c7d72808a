package uml

import (
	"fmt"
)

// MaxDiagnostics bounds the diagnostics one graph keeps, so that a hostile
// or badly broken file cannot make the report itself the problem.
const MaxDiagnostics = 1000

// Source is one model file's name and content.
type Source struct {
	// Path names the file in diagnostics and resolves relative references.
	Path string
	Data []byte
}

// Graph is the resolved model read from one or more files.
type Graph struct {
	// Files lists the loaded files in load order.
	Files []string
	// Roots are the top-level models and packages of every file, in load
	// order.
	Roots []*Package
	// Library holds the standard-library primitive types that the files
	// reference without declaring, in order of first use.
	Library []*Classifier
	// Diagnostics collects every problem found; sorted by Finish.
	Diagnostics Diagnostics

	library  map[string]*Classifier
	dropped  int
	byQName  map[string]*Classifier
	finished bool
}

// NewGraph returns an empty graph.
func NewGraph() *Graph { return &Graph{} }

// Report adds a diagnostic. Past MaxDiagnostics it counts what it drops and
// Finish says so once.
func (g *Graph) Report(d Diagnostic) {
	if len(g.Diagnostics) >= MaxDiagnostics {
		g.dropped++
		return
	}
	g.Diagnostics = append(g.Diagnostics, d)
}

// Errorf reports an error at pos about the element e (which may be nil).
func (g *Graph) Errorf(pos Pos, e *Element, format string, args ...any) {
	g.Report(newDiag(Error, pos, e, fmt.Sprintf(format, args...)))
}

// Warnf reports a warning at pos about the element e (which may be nil).
func (g *Graph) Warnf(pos Pos, e *Element, format string, args ...any) {
	g.Report(newDiag(Warning, pos, e, fmt.Sprintf(format, args...)))
}

func newDiag(sev Severity, pos Pos, e *Element, msg string) Diagnostic {
	d := Diagnostic{Severity: sev, Pos: pos, Message: msg, elem: e}
	if e != nil {
		d.ElementID = e.ID
		d.Element = e.QualifiedName
		if d.Element == "" {
			d.Element = e.Name
		}
	}
	return d
}

// LibraryType returns the primitive type name from the standard library lib,
// creating it on first use so that every reference to it shares one node.
func (g *Graph) LibraryType(lib, name string) *Classifier {
	key := lib + "\x00" + name
	if c, ok := g.library[key]; ok {
		return c
	}
	if g.library == nil {
		g.library = make(map[string]*Classifier)
	}
	c := &Classifier{Kind: KindPrimitive, Library: lib}
	c.Name = name
	c.QualifiedName = lib + "::" + name
	g.library[key] = c
	g.Library = append(g.Library, c)
	return c
}

// Finish computes qualified names and sorts the diagnostics. Readers call it
// once every file is loaded; calling it again has no further effect.
func (g *Graph) Finish() {
	if g.finished {
		return
	}
	g.finished = true
	g.byQName = make(map[string]*Classifier)
	for _, r := range g.Roots {
		g.name(r, "")
	}
	for i := range g.Diagnostics {
		if e := g.Diagnostics[i].elem; e != nil && e.QualifiedName != "" {
			g.Diagnostics[i].Element = e.QualifiedName
		}
	}
	if g.dropped > 0 {
		g.Diagnostics = append(g.Diagnostics, Diagnostic{
			Severity: Error,
			Message:  fmt.Sprintf("%d further problems were not reported; fix the ones above first", g.dropped),
		})
	}
	g.Diagnostics.Sort()
}

func (g *Graph) name(p *Package, prefix string) {
	p.QualifiedName = join(prefix, p.Name)
	for _, c := range p.Classifiers {
		c.QualifiedName = join(p.QualifiedName, c.Name)
		if _, dup := g.byQName[c.QualifiedName]; !dup {
			g.byQName[c.QualifiedName] = c
		}
		for _, a := range c.Attributes {
			a.QualifiedName = join(c.QualifiedName, a.Name)
		}
		for _, o := range c.Operations {
			o.QualifiedName = join(c.QualifiedName, o.Name)
			for _, prm := range o.Params {
				prm.QualifiedName = join(o.QualifiedName, prm.Name)
			}
		}
		for _, l := range c.Literals {
			l.QualifiedName = join(c.QualifiedName, l.Name)
		}
	}
	for _, in := range p.Instances {
		in.QualifiedName = join(p.QualifiedName, in.Name)
	}
	for _, a := range p.Associations {
		a.QualifiedName = join(p.QualifiedName, a.Name)
		for _, e := range a.OwnedEnds {
			e.QualifiedName = join(a.QualifiedName, e.Name)
		}
	}
	for _, sub := range p.Packages {
		g.name(sub, p.QualifiedName)
	}
}

// join builds a qualified name. An unnamed element has none, as in UML.
func join(prefix, name string) string {
	if name == "" {
		return ""
	}
	if prefix == "" {
		return name
	}
	return prefix + "::" + name
}

// Lookup returns the classifier with the given qualified name, or nil. It
// works once Finish has run.
func (g *Graph) Lookup(qualifiedName string) *Classifier { return g.byQName[qualifiedName] }

// Classifiers returns every declared classifier, depth first in document
// order. Library types are not included.
func (g *Graph) Classifiers() []*Classifier {
	var out []*Classifier
	g.Walk(func(p *Package) { out = append(out, p.Classifiers...) })
	return out
}

// Associations returns every association, depth first in document order.
func (g *Graph) Associations() []*Association {
	var out []*Association
	g.Walk(func(p *Package) { out = append(out, p.Associations...) })
	return out
}

// Packages returns every package, depth first in document order.
func (g *Graph) Packages() []*Package {
	var out []*Package
	g.Walk(func(p *Package) { out = append(out, p) })
	return out
}

// Walk calls fn for every package, parents before children, in document
// order.
func (g *Graph) Walk(fn func(*Package)) {
	var walk func(*Package)
	walk = func(p *Package) {
		fn(p)
		for _, sub := range p.Packages {
			walk(sub)
		}
	}
	for _, r := range g.Roots {
		walk(r)
	}
}
