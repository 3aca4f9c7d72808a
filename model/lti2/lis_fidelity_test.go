package lti2

// The LIS part of the IMS fidelity comparison. The LTI 2.0 services
// exchange two LIS documents, the Result and the membership container,
// whose classes IMS modelled outside its core model: LIS_Result.uml holds
// the Result, roster.uml the membership, and the W3C Linked Data Platform
// package of LTI_v2.uml the page and container classes a membership
// container is sent in. compareLIS holds lis.uml to them the way
// TestIMSFidelity holds lti.uml to the core, and its differences are rows
// of the same table.

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/internal/sharedtest"
	"github.com/ltiforge/ltiforge/model/uml"
	"github.com/ltiforge/ltiforge/model/umlfile"
)

// lisScope says which classes of one IMS model file an LIS media type
// holds.
type lisScope struct {
	mediaType string
	// model is the IMS model file and pkg the package of it whose classes
	// are compared.
	model, pkg string
	// definition is IMS's definition of the media type: its rdfType and
	// graphTypes name the root classes, its includes and excludes filter
	// the properties. IMS left none for the membership container; there,
	// context names the roots instead: the package's classes that the
	// media type's context defines as class terms.
	definition, context string
	// finalContext, when set, is the media type's 2.0 Final context. The
	// properties in scope must then be exactly the property terms it
	// defines, which shows that the IMS file is the one 2.0 Final was
	// built from.
	finalContext string
}

// membershipContext is the only copy of the membership container's context
// (the 2015-09 regeneration; no 2015-05 purl download of it exists).
const membershipContext = "spec/contexts/ctx-lis-v2-MembershipContainer.semantictools-2015-09.jsonld"

var lisScopes = []lisScope{
	{
		mediaType:    "application/vnd.ims.lis.v2.result+json",
		model:        "ims-model/uml/LIS_Result.uml",
		pkg:          "::LIS Outcomes::",
		definition:   "ims-model/rdf/Result.rich/context.properties",
		finalContext: "spec/contexts/ctx-lis-v2-Result.purl-wget-2015-05.jsonld",
	},
	{
		mediaType: "application/vnd.ims.lis.v2.membershipcontainer+json",
		model:     "ims-model/uml/roster.uml",
		pkg:       "::LIS Membership::",
		context:   membershipContext,
	},
	{
		mediaType: "application/vnd.ims.lis.v2.membershipcontainer+json",
		model:     imsModel,
		pkg:       "::W3C Linked Data Platform::",
		context:   membershipContext,
	},
}

// ourLIS are the packages of lis.uml the comparison looks in, at any depth.
var ourLIS = []string{"LTI2::Outcomes::", "LTI2::Membership::"}

// loadIMSFile loads one IMS model file (relative to the shared folder),
// skipping without ../shared and failing on any error.
func loadIMSFile(t *testing.T, rel string) *uml.Graph {
	t.Helper()
	g, err := umlfile.Load(context.Background(), sharedtest.Path(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range g.Diagnostics {
		if d.Severity == uml.Error {
			t.Fatalf("%s no longer loads cleanly: %s", rel, d)
		}
	}
	return g
}

// contextTerms returns the class terms (capitalised keys) and property
// terms (the other keys) of a JSON-LD context, leaving out prefixes (keys
// whose value is a namespace IRI).
func contextTerms(t *testing.T, rel string) (classes, props map[string]bool) {
	t.Helper()
	var doc struct {
		Context map[string]json.RawMessage `json:"@context"`
	}
	if err := json.Unmarshal(sharedtest.Read(t, rel), &doc); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	if len(doc.Context) == 0 {
		t.Fatalf("%s: no @context object", rel)
	}
	classes, props = map[string]bool{}, map[string]bool{}
	for k, raw := range doc.Context {
		var s string
		isString := json.Unmarshal(raw, &s) == nil
		switch {
		case isString && (strings.HasSuffix(s, "#") || strings.HasSuffix(s, "/")):
			// a prefix
		case isString && k[0] >= 'A' && k[0] <= 'Z':
			classes[k] = true
		default:
			props[k] = true
		}
	}
	return classes, props
}

// compute returns the classes and properties of g that the media type
// holds, as its definition or context delimits them.
func (s lisScope) compute(t *testing.T, g *uml.Graph) (classes map[*uml.Classifier]bool, props map[*uml.Property]bool) {
	t.Helper()
	byName := map[string]*uml.Classifier{}
	subs := map[*uml.Classifier][]*uml.Classifier{}
	for _, c := range g.Classifiers() {
		if !strings.Contains(c.QualifiedName, s.pkg) {
			continue
		}
		if _, dup := byName[c.Name]; dup {
			t.Fatalf("%s: two classes named %s in %s", s.model, c.Name, s.pkg)
		}
		byName[c.Name] = c
		for _, gen := range c.Generals {
			subs[gen] = append(subs[gen], c)
		}
	}
	var queue []*uml.Classifier
	filter := func(class, prop string) bool { return true }
	if s.definition != "" {
		def := properties(string(sharedtest.Read(t, s.definition)))
		if def["mediaType"] != s.mediaType {
			t.Fatalf("%s defines %q, not %s", s.definition, def["mediaType"], s.mediaType)
		}
		filter = func(class, prop string) bool {
			if inc, ok := def[class+".includes"]; ok {
				return slices.Contains(localNames(inc), prop)
			}
			return !slices.Contains(localNames(def[class+".excludes"]), prop)
		}
		for _, n := range append(localNames(def["rdfType"]), localNames(def["graphTypes"])...) {
			c := byName[n]
			if c == nil {
				t.Fatalf("%s: root class %s not found in %s of %s", s.definition, n, s.pkg, s.model)
			}
			queue = append(queue, c)
		}
	} else {
		terms, _ := contextTerms(t, s.context)
		for _, c := range g.Classifiers() {
			if byName[c.Name] == c && terms[c.Name] {
				queue = append(queue, c)
			}
		}
	}
	if len(queue) == 0 {
		t.Fatalf("%s: no root class of %s found in %s", s.model, s.mediaType, s.pkg)
	}
	classes, props = map[*uml.Classifier]bool{}, map[*uml.Property]bool{}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if classes[c] {
			continue
		}
		classes[c] = true
		for _, anc := range ancestors(c) {
			classes[anc] = true
			for _, p := range anc.Attributes {
				if !filter(c.Name, p.Name) {
					continue
				}
				props[p] = true
				if p.Type != nil && strings.Contains(p.Type.QualifiedName, s.pkg) {
					queue = append(queue, p.Type)
				}
			}
		}
		queue = append(queue, subs[c]...)
	}
	return classes, props
}

// classNameIn returns the class name a rendered class cell gives
// ("abstract class Name «…» extends …"), or "" for none.
func classNameIn(cell string) string {
	f := strings.Fields(strings.TrimPrefix(cell, "abstract "))
	if len(f) < 2 {
		return ""
	}
	return f[1]
}

// compareLIS compares the LIS classes in scope with lis.uml and returns the
// differences. ims is the loaded LTI_v2.uml and core its core scope, whose
// class names the LIS classes must not share (a row names its element by
// the IMS name alone). A row that gives an LIS class another name in our
// model renames it wherever it is a property's type or a general, too.
func compareLIS(t *testing.T, ims *uml.Graph, core *imsScope, ours *uml.Graph, typeName func(string) string, rowFor map[string]*row) []diff {
	oursByName := map[string]*uml.Classifier{}
	for _, c := range ours.Classifiers() {
		if !slices.ContainsFunc(ourLIS, func(p string) bool { return strings.HasPrefix(c.QualifiedName, p) }) {
			continue
		}
		if o, dup := oursByName[c.Name]; dup {
			t.Fatalf("lis.uml: %s and %s share a name; the comparison finds classes by name", o.QualifiedName, c.QualifiedName)
		}
		oursByName[c.Name] = c
	}
	taken := map[string]string{}
	for c := range core.classes {
		taken[c.Name] = imsModel + " (core)"
	}
	for c := range core.simple {
		taken[c.Name] = imsModel + " (core)"
	}

	type scoped struct {
		lisScope
		g       *uml.Graph
		classes map[*uml.Classifier]bool
		props   map[*uml.Property]bool
	}
	graphs := map[string]*uml.Graph{imsModel: ims}
	var all []scoped
	renames := map[string]string{}
	for _, s := range lisScopes {
		g := graphs[s.model]
		if g == nil {
			g = loadIMSFile(t, s.model)
			graphs[s.model] = g
		}
		classes, props := s.compute(t, g)
		for c := range classes {
			if where, ok := taken[c.Name]; ok {
				t.Fatalf("IMS class %s of %s has the name of a class of %s; the table could not tell their rows apart", c.Name, s.model, where)
			}
			taken[c.Name] = s.model
			if r := rowFor[c.Name]; r != nil && r.ours != "none" {
				if n := classNameIn(r.ours); n != "" && n != c.Name {
					renames[c.Name] = n
				}
			}
		}
		all = append(all, scoped{s, g, classes, props})
	}
	lisTypeName := func(n string) string {
		if m, ok := renames[n]; ok {
			return m
		}
		return typeName(n)
	}

	var found []diff
	for _, s := range all {
		if s.finalContext != "" {
			_, terms := contextTerms(t, s.finalContext)
			var got []string
			for p := range s.props {
				got = append(got, p.Name)
			}
			var want []string
			for k := range terms {
				want = append(want, k)
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%s: the properties in scope are %v, but the 2.0 Final context %s defines %v", s.model, got, s.finalContext, want)
			}
		}
		classes, props, individuals := 0, 0, 0
		for _, c := range s.g.Classifiers() {
			if !s.classes[c] {
				continue
			}
			classes++
			oc := oursByName[lisTypeName(c.Name)]
			if oc == nil || oc.Name != c.Name || !sameClass(c, oc, lisTypeName) {
				found = append(found, diff{c.Name, renderClass(c, false), renderClass(oc, true)})
			}
			// IMS models the members of an enumerable class as objects; ours
			// are enumeration literals. (When the class itself is missing,
			// its row says so for them.)
			for _, pkg := range s.g.Packages() {
				for _, in := range pkg.Instances {
					if !slices.Contains(in.Classifiers, c) {
						continue
					}
					individuals++
					if oc != nil && !slices.ContainsFunc(oc.Literals, func(l *uml.Literal) bool { return l.Name == in.Name }) {
						found = append(found, diff{c.Name + "." + in.Name, "individual " + in.Name, "none"})
					}
				}
			}
			if oc == nil {
				continue
			}
			d, n := compareAttributes(c, oc, func(p *uml.Property) bool { return s.props[p] }, lisTypeName, rowFor)
			found = append(found, d...)
			props += n
		}
		if classes == 0 || props == 0 {
			t.Fatalf("%s: only %d classes and %d properties in scope of %s; the scope rules no longer match the IMS model", s.model, classes, props, s.mediaType)
		}
		t.Logf("compared %d IMS classes, %d properties and %d individuals of %s (package %s) that %s holds", classes, props, individuals, s.model, strings.Trim(s.pkg, ":"), s.mediaType)
	}
	return found
}
