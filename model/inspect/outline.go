package inspect

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/ltiforge/ltiforge/model/uml"
)

// WriteOutline writes a readable outline of g: packages as an indented
// tree, each classifier with its stereotypes, generalizations, attributes
// and literals, then the associations and a summary line.
func WriteOutline(w io.Writer, g *uml.Graph) error {
	bw := bufio.NewWriter(w)
	o := &outline{w: bw}
	for _, r := range g.Roots {
		o.pkg(r, 0)
	}
	var nc, na, ne, nl int
	for _, c := range g.Classifiers() {
		nc++
		na += len(c.Attributes)
		if c.Kind == uml.KindEnumeration {
			ne++
		}
		nl += len(c.Literals)
	}
	errs := g.Diagnostics.Errors()
	fmt.Fprintf(bw, "\n%s, %s (%s), %s, %s, %s; %s, %s\n",
		count(len(g.Files), "file"), count(nc, "classifier"), count(ne, "enumeration"),
		count(na, "attribute"), count(nl, "literal"), count(len(g.Associations()), "association"),
		count(errs, "error"), count(len(g.Diagnostics)-errs, "warning"))
	return bw.Flush()
}

type outline struct {
	w *bufio.Writer
}

func (o *outline) line(depth int, format string, args ...any) {
	o.w.WriteString(strings.Repeat("  ", depth))
	fmt.Fprintf(o.w, format, args...)
	o.w.WriteByte('\n')
}

func (o *outline) pkg(p *uml.Package, depth int) {
	o.line(depth, "%s %s%s  [%s]", p.Kind, display(p.Name), stereo(p.Stereotypes), p.Pos)
	for _, c := range p.Classifiers {
		o.classifier(c, depth+1)
	}
	for _, in := range p.Instances {
		cls := make([]string, 0, len(in.Classifiers))
		for _, c := range in.Classifiers {
			cls = append(cls, c.Name)
		}
		o.line(depth+1, "object %s : %s", display(in.Name), strings.Join(cls, ", "))
	}
	for _, a := range p.Associations {
		o.association(a, depth+1)
	}
	for _, sub := range p.Packages {
		o.pkg(sub, depth+1)
	}
}

func (o *outline) classifier(c *uml.Classifier, depth int) {
	head := string(c.Kind)
	if c.Abstract {
		head = "abstract " + head
	}
	var gen string
	if len(c.Generals) > 0 {
		parts := make([]string, len(c.Generals))
		for i, g := range c.Generals {
			parts[i] = g.Name
		}
		gen = " extends " + strings.Join(parts, ", ")
	}
	o.line(depth, "%s %s%s%s", head, display(c.Name), stereo(c.Stereotypes), gen)
	for _, a := range c.Attributes {
		s := fmt.Sprintf("%s : %s [%s]", display(a.Name), display(shortType(&a.TypedElement)), a.Multiplicity)
		if a.Default != nil {
			s += " = " + a.Default.Text
		}
		if a.Aggregation != uml.AggregationNone {
			s += " {" + string(a.Aggregation) + "}"
		}
		o.line(depth+1, "%s%s", s, stereo(a.Stereotypes))
	}
	for _, op := range c.Operations {
		params := []string{}
		ret := ""
		for _, p := range op.Params {
			if p.Direction == uml.Return {
				ret = " : " + shortType(&p.TypedElement)
				continue
			}
			params = append(params, p.Name+" : "+shortType(&p.TypedElement))
		}
		o.line(depth+1, "%s(%s)%s", display(op.Name), strings.Join(params, ", "), ret)
	}
	for _, l := range c.Literals {
		o.line(depth+1, "%s", display(l.Name))
	}
}

func (o *outline) association(a *uml.Association, depth int) {
	ends := make([]string, 0, len(a.Ends))
	for _, e := range a.Ends {
		s := display(shortType(&e.TypedElement))
		if e.Name != "" {
			s += "." + e.Name
		}
		s += " [" + e.Multiplicity.String() + "]"
		if e.Navigable {
			s += " navigable"
		}
		ends = append(ends, s)
	}
	o.line(depth, "association %s: %s", display(a.Name), strings.Join(ends, " -- "))
}

func display(name string) string {
	if name == "" {
		return "(unnamed)"
	}
	return name
}

func stereo(ss []*uml.StereotypeApplication) string {
	if len(ss) == 0 {
		return ""
	}
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = s.Name
	}
	return " «" + strings.Join(names, ", ") + "»"
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// shortType names a type by its own name: the outline is read next to the
// package tree, where the rest of the qualified name is visible.
func shortType(t *uml.TypedElement) string {
	if t.Type != nil {
		return t.Type.Name
	}
	return t.TypeRef
}
