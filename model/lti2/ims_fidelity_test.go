package lti2

// These tests hold the standard model (lti.uml, lis.uml and the LTI
// profile) to the IMS LTI 2.0 UML model, read at test time from ../shared;
// contexts_test.go holds it to the official JSON-LD contexts. Every
// intentional difference from the IMS model is a row of the table in
// docs/lti2-model.md, which the test reads, so that the documentation and
// the model cannot drift apart.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/internal/mdtable"
	"github.com/ltiforge/ltiforge/internal/sharedtest"
	"github.com/ltiforge/ltiforge/model/uml"
	"github.com/ltiforge/ltiforge/model/umlfile"
)

const (
	// docFile holds the type-name table and the differences table.
	docFile = "../../docs/lti2-model.md"
	// imsModel is the IMS model, relative to the shared folder.
	imsModel = "ims-model/uml/LTI_v2.uml"
	// profileURI is the LTI profile's namespace.
	profileURI = "http://ltiforge.org/schemas/LTI/1.0"

	typesHeading = "## Type names"
	diffsHeading = "## Differences from the IMS UML model"
)

// coreMediaTypes are the folders of IMS's per-media-type definitions
// (ims-model/rdf/<folder>/context.properties) of the core media types. Their
// root classes, graph types, includes and excludes define which IMS classes
// and properties the core media types hold.
var coreMediaTypes = []string{"ToolConsumerProfile", "ToolProxy", "ToolProxy.id", "ToolSettings"}

// The IMS model's packages that the core media types draw on.
const (
	imsCorePkg   = "::LTI Core::"
	imsSimplePkg = "::LTI Simple Types::"
)

// The packages of lti.uml the comparison looks in.
const (
	ourCore   = "LTI2::Core::"
	ourSimple = "LTI2::SimpleTypes::"
)

// classStereotypes are the class stereotypes compared, by lower-case name.
var classStereotypes = []string{"addressable", "embeddable", "enumerable"}

// loadOurs loads the LTI profile and every model file of this directory and
// fails on any error.
func loadOurs(t *testing.T) *uml.Graph {
	t.Helper()
	files, err := filepath.Glob("*.uml")
	if err != nil || !slices.Contains(files, "lti.uml") {
		t.Fatalf("lti.uml not found in model/lti2 (glob: %v, %v)", files, err)
	}
	g, err := umlfile.Load(context.Background(), append([]string{"profile/lti.profile.uml"}, files...)...)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range g.Diagnostics {
		if d.Severity == uml.Error {
			t.Errorf("%s", d)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	return g
}

func loadIMS(t *testing.T) *uml.Graph {
	t.Helper()
	return loadIMSFile(t, imsModel)
}

// lastSegment returns the last "::" segment of a qualified name.
func lastSegment(q string) string {
	if i := strings.LastIndex(q, "::"); i >= 0 {
		return q[i+2:]
	}
	return q
}

// ---- the tables of docs/lti2-model.md

// row is one row of the differences table: the cells as the test reads them
// (a cell's first code span, or its text when it has none).
type row struct {
	element, ims, ours, reason string
	line                       int
	used                       bool
}

// docTable returns the body rows of the first table of the section
// heading, checking it has want columns.
func docTable(t *testing.T, lines []string, heading string, want int) []mdtable.Row {
	t.Helper()
	rows, err := mdtable.Section(lines, heading, want)
	if err != nil {
		t.Fatalf("%s: %v", docFile, err)
	}
	return rows
}

// readDoc returns the type-name map (IMS name to ltiforge name) and the
// differences table.
func readDoc(t *testing.T) (typeMap map[string]string, diffs []*row) {
	t.Helper()
	data, err := os.ReadFile(docFile)
	if err != nil {
		t.Fatal(err)
	}
	lines := mdtable.Lines(string(data))
	typeMap = map[string]string{}
	for _, r := range docTable(t, lines, typesHeading, 3) {
		ims, ours := mdtable.Value(r.Cells[0]), mdtable.Value(r.Cells[1])
		if _, dup := typeMap[ims]; dup || ims == "" || ours == "" {
			t.Errorf("%s:%d: bad or repeated type-name row %q", docFile, r.Line, ims)
		}
		typeMap[ims] = ours
	}
	seen := map[string]bool{}
	for _, r := range docTable(t, lines, diffsHeading, 4) {
		c := r.Cells
		d := &row{element: mdtable.Value(c[0]), ims: mdtable.Value(c[1]), ours: mdtable.Value(c[2]), reason: strings.TrimSpace(c[3]), line: r.Line}
		if d.element == "" || d.ims == "" || d.ours == "" || d.reason == "" {
			t.Errorf("%s:%d: every cell of a difference must be filled in", docFile, d.line)
		}
		if seen[d.element] {
			t.Errorf("%s:%d: element %s has two rows; one row per element", docFile, d.line, d.element)
		}
		seen[d.element] = true
		diffs = append(diffs, d)
	}
	return typeMap, diffs
}

// ---- which IMS classes and properties the core media types hold

// properties reads the keys of a Java properties file: logical lines joined
// over trailing backslashes, comments skipped, key up to '=' or ':'.
func properties(data string) map[string]string {
	out := map[string]string{}
	var logical []string
	cur := ""
	cont := false
	for _, line := range strings.Split(strings.ReplaceAll(data, "\r\n", "\n"), "\n") {
		if cont {
			line = strings.TrimLeft(line, " \t\f")
		}
		trail := len(line) - len(strings.TrimRight(line, "\\"))
		if trail%2 == 1 {
			cur += line[:len(line)-1]
			cont = true
			continue
		}
		logical = append(logical, cur+line)
		cur, cont = "", false
	}
	if cur != "" {
		logical = append(logical, cur)
	}
	for _, l := range logical {
		l = strings.TrimLeft(l, " \t\f")
		if l == "" || l[0] == '#' || l[0] == '!' {
			continue
		}
		i := strings.IndexAny(l, "=:")
		if i < 0 {
			continue
		}
		out[strings.TrimSpace(l[:i])] = strings.TrimSpace(l[i+1:])
	}
	return out
}

// localNames returns the local names (after '#') of whitespace-separated IRIs.
func localNames(v string) []string {
	var out []string
	for _, f := range strings.Fields(v) {
		if i := strings.LastIndexByte(f, '#'); i >= 0 {
			f = f[i+1:]
		}
		out = append(out, f)
	}
	return out
}

// imsScope is what the core media types hold of the IMS model.
type imsScope struct {
	classes map[*uml.Classifier]bool
	props   map[*uml.Property]bool
	simple  map[*uml.Classifier]bool
}

func computeScope(t *testing.T, ims *uml.Graph) *imsScope {
	t.Helper()
	byName := map[string]*uml.Classifier{}
	subs := map[*uml.Classifier][]*uml.Classifier{}
	for _, c := range ims.Classifiers() {
		if !strings.Contains(c.QualifiedName, imsCorePkg) {
			continue
		}
		if _, dup := byName[c.Name]; dup {
			t.Fatalf("IMS model: two classes named %s in LTI Core", c.Name)
		}
		byName[c.Name] = c
		for _, g := range c.Generals {
			subs[g] = append(subs[g], c)
		}
	}
	s := &imsScope{classes: map[*uml.Classifier]bool{}, props: map[*uml.Property]bool{}, simple: map[*uml.Classifier]bool{}}
	for _, mt := range coreMediaTypes {
		props := properties(string(sharedtest.Read(t, "ims-model/rdf/"+mt+"/context.properties")))
		filter := func(class, prop string) bool {
			if inc, ok := props[class+".includes"]; ok {
				return slices.Contains(localNames(inc), prop)
			}
			return !slices.Contains(localNames(props[class+".excludes"]), prop)
		}
		var queue []*uml.Classifier
		for _, n := range append(localNames(props["rdfType"]), localNames(props["graphTypes"])...) {
			c := byName[n]
			if c == nil {
				t.Fatalf("IMS media type %s: root class %s not found in LTI Core", mt, n)
			}
			queue = append(queue, c)
		}
		reached := map[*uml.Classifier]bool{}
		for len(queue) > 0 {
			c := queue[0]
			queue = queue[1:]
			if reached[c] {
				continue
			}
			reached[c] = true
			s.classes[c] = true
			for _, anc := range ancestors(c) {
				s.classes[anc] = true
				for _, p := range anc.Attributes {
					if !filter(c.Name, p.Name) {
						continue
					}
					s.props[p] = true
					switch {
					case p.Type == nil:
					case strings.Contains(p.Type.QualifiedName, imsCorePkg):
						queue = append(queue, p.Type)
					case strings.Contains(p.Type.QualifiedName, imsSimplePkg):
						s.simple[p.Type] = true
					}
				}
			}
			queue = append(queue, subs[c]...)
		}
	}
	return s
}

// ancestors returns c and its generals, transitively, c first.
func ancestors(c *uml.Classifier) []*uml.Classifier {
	out := []*uml.Classifier{c}
	for i := 0; i < len(out); i++ {
		for _, g := range out[i].Generals {
			if !slices.Contains(out, g) {
				out = append(out, g)
			}
		}
	}
	return out
}

// ---- rendering, as the table's cells write elements

func renderProp(p *uml.Property) string {
	if p == nil {
		return "none"
	}
	return fmt.Sprintf("%s: %s [%s]", p.Name, lastSegment(p.TypeName()), p.Multiplicity.String())
}

// stereotypesOf returns the compared class stereotypes applied to c, as
// written, in a stable order. ours limits them to the LTI profile's.
func stereotypesOf(c *uml.Classifier, ours bool) []string {
	var out []string
	for _, s := range c.Stereotypes {
		if ours && s.Profile != profileURI {
			continue
		}
		if slices.Contains(classStereotypes, strings.ToLower(s.Name)) {
			out = append(out, s.Name)
		}
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i]) < strings.ToLower(out[j]) })
	return out
}

func renderClass(c *uml.Classifier, ours bool) string {
	if c == nil {
		return "none"
	}
	var b strings.Builder
	if c.Abstract {
		b.WriteString("abstract ")
	}
	fmt.Fprintf(&b, "%s %s", c.Kind, c.Name)
	if st := stereotypesOf(c, ours); len(st) > 0 {
		fmt.Fprintf(&b, " «%s»", strings.Join(st, ", "))
	}
	if len(c.Generals) > 0 {
		var gs []string
		for _, g := range c.Generals {
			gs = append(gs, g.Name)
		}
		fmt.Fprintf(&b, " extends %s", strings.Join(gs, ", "))
	}
	if c.Kind == uml.KindEnumeration {
		var ls []string
		for _, l := range c.Literals {
			ls = append(ls, l.Name)
		}
		fmt.Fprintf(&b, " {%s}", strings.Join(ls, " "))
	}
	return b.String()
}

// sameClass compares the parts of two classes the IMS model and ours share:
// kind, abstractness, class stereotypes (ignoring case), generals (by
// mapped name) and enumeration literals.
func sameClass(ims, ours *uml.Classifier, typeName func(string) string) bool {
	if ims.Kind != ours.Kind || ims.Abstract != ours.Abstract {
		return false
	}
	a, b := stereotypesOf(ims, false), stereotypesOf(ours, true)
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(a[i], b[i]) {
			return false
		}
	}
	if len(ims.Generals) != len(ours.Generals) {
		return false
	}
	for i := range ims.Generals {
		if typeName(ims.Generals[i].Name) != ours.Generals[i].Name {
			return false
		}
	}
	if len(ims.Literals) != len(ours.Literals) {
		return false
	}
	for i := range ims.Literals {
		if ims.Literals[i].Name != ours.Literals[i].Name {
			return false
		}
	}
	return true
}

// renderIMSSimple describes an IMS simple type: its base (the general) and
// its maxLength and pattern pseudo-attributes.
func renderIMSSimple(c *uml.Classifier) string {
	parts := []string{}
	for _, g := range c.Generals {
		parts = append(parts, "base xs:"+g.Name)
	}
	for _, facet := range []string{"maxLength", "pattern"} {
		for _, a := range c.Attributes {
			if a.Name == facet && a.Default != nil {
				parts = append(parts, facet+" "+a.Default.Text)
			}
		}
	}
	return strings.Join(parts, ", ")
}

// renderOurSimple describes one of our simple types by its SimpleType tags.
func renderOurSimple(c *uml.Classifier) string {
	if c == nil {
		return "none"
	}
	st := c.Stereotype("SimpleType")
	if st == nil {
		return "no SimpleType"
	}
	parts := []string{"base " + st.Tags["base"]}
	for _, facet := range []string{"maxLength", "pattern"} {
		if v, ok := st.Tags[facet]; ok {
			parts = append(parts, facet+" "+v)
		}
	}
	return strings.Join(parts, ", ")
}

// ---- the comparison

// diff is one difference found: element, and the IMS and our cells.
type diff struct{ element, ims, ours string }

// compareAttributes compares the attributes of the IMS class c that are in
// scope with those of our class oc: name, type (through typeName) and
// multiplicity. A row of the table may give a property another name in our
// model. An attribute of oc that matches none of c's is a difference too.
// It returns the differences and the number of IMS properties compared.
func compareAttributes(c, oc *uml.Classifier, inScope func(*uml.Property) bool, typeName func(string) string, rowFor map[string]*row) (found []diff, n int) {
	matched := map[*uml.Property]bool{}
	imsNames := map[string]bool{}
	for _, p := range c.Attributes {
		imsNames[p.Name] = true
	}
	for _, p := range c.Attributes {
		if !inScope(p) {
			continue
		}
		n++
		element := c.Name + "." + p.Name
		name := p.Name
		if r := rowFor[element]; r != nil && r.ours != "none" {
			// A row may give the property another name in our model.
			name, _, _ = strings.Cut(r.ours, ":")
		}
		var op *uml.Property
		for _, a := range oc.Attributes {
			if a.Name == name {
				op = a
			}
		}
		if op != nil {
			matched[op] = true
		}
		if op == nil || op.Name != p.Name || typeName(lastSegment(p.TypeName())) != lastSegment(op.TypeName()) || op.Multiplicity != p.Multiplicity {
			found = append(found, diff{element, renderProp(p), renderProp(op)})
		}
	}
	for _, a := range oc.Attributes {
		if !matched[a] && !imsNames[a.Name] {
			found = append(found, diff{c.Name + "." + a.Name, "none", renderProp(a)})
		}
	}
	return found, n
}

func TestIMSFidelity(t *testing.T) {
	ims := loadIMS(t)
	ours := loadOurs(t)
	typeMap, rows := readDoc(t)
	scope := computeScope(t, ims)
	typeName := func(n string) string {
		if m, ok := typeMap[n]; ok {
			return m
		}
		return n
	}
	rowFor := map[string]*row{}
	for _, r := range rows {
		rowFor[r.element] = r
	}

	var found []diff
	classes := 0
	props := 0
	for _, c := range ims.Classifiers() {
		if !scope.classes[c] {
			continue
		}
		classes++
		oc := ours.Lookup(ourCore + c.Name)
		if oc == nil || !sameClass(c, oc, typeName) {
			found = append(found, diff{c.Name, renderClass(c, false), renderClass(oc, true)})
		}
		if oc == nil {
			continue
		}
		d, n := compareAttributes(c, oc, func(p *uml.Property) bool { return scope.props[p] }, typeName, rowFor)
		found = append(found, d...)
		props += n
	}
	for _, c := range ims.Classifiers() {
		if !scope.simple[c] {
			continue
		}
		classes++
		oc := ours.Lookup(ourSimple + typeName(c.Name))
		if a, b := renderIMSSimple(c), renderOurSimple(oc); a != b {
			found = append(found, diff{c.Name, a, b})
		}
	}
	if classes < 30 || props < 60 {
		t.Fatalf("only %d IMS classes and %d properties found in scope; the scope rules no longer match the IMS model", classes, props)
	}
	t.Logf("compared %d IMS classifiers and %d properties of the core media types", classes, props)
	found = append(found, compareLIS(t, ims, scope, ours, typeName, rowFor)...)

	for _, d := range found {
		r := rowFor[d.element]
		switch {
		case r == nil:
			t.Errorf("difference not in %s: | `%s` | `%s` | `%s` | <reason> |", docFile, d.element, d.ims, d.ours)
		case r.ims != d.ims || r.ours != d.ours:
			t.Errorf("%s:%d: row for %s says IMS `%s`, ltiforge `%s`; the models say IMS `%s`, ltiforge `%s`", docFile, r.line, d.element, r.ims, r.ours, d.ims, d.ours)
			r.used = true
		default:
			r.used = true
		}
	}
	for _, r := range rows {
		if !r.used {
			t.Errorf("%s:%d: row for %s matches no difference between the models; remove it", docFile, r.line, r.element)
		}
	}
}
