package lti2_test

// TestContextFidelity holds the semantic model to the official JSON-LD
// contexts: every term an official context defines must mean the same in
// the model (same IRI, type coercion and container), or be a row of the
// table "Context terms not modelled" in docs/lti2-model.md, which says why
// the model leaves it out. The contexts are read at test time from
// ../shared.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/internal/mdtable"
	"github.com/ltiforge/ltiforge/internal/sharedtest"
	"github.com/ltiforge/ltiforge/model"
)

const (
	// modelDoc holds the table of context terms the model leaves out.
	modelDoc          = "../../docs/lti2-model.md"
	notModelledHeader = "## Context terms not modelled"
)

// officialContexts are the contexts the model must reproduce: the LTI 2.0
// Final state (the May 2015 purl downloads) and, since no download of it
// survives, the September 2015 regeneration of the MembershipContainer
// context. name is how the table of docs/lti2-model.md names each.
var officialContexts = []struct {
	name, file, iri string
}{
	{"ToolConsumerProfile", "spec/contexts/ctx-lti-v2-ToolConsumerProfile.purl-wget-2015-05.jsonld", "http://purl.imsglobal.org/ctx/lti/v2/ToolConsumerProfile"},
	{"ToolProxy", "spec/contexts/ctx-lti-v2-ToolProxy.purl-wget-2015-05.jsonld", "http://purl.imsglobal.org/ctx/lti/v2/ToolProxy"},
	{"ToolProxyId", "spec/contexts/ctx-lti-v2-ToolProxyId.purl-wget-2015-05.jsonld", "http://purl.imsglobal.org/ctx/lti/v2/ToolProxyId"},
	{"ToolSettings", "spec/contexts/ctx-lti-v2-ToolSettings.purl-wget-2015-05.jsonld", "http://purl.imsglobal.org/ctx/lti/v2/ToolSettings"},
	{"Result", "spec/contexts/ctx-lis-v2-Result.purl-wget-2015-05.jsonld", "http://purl.imsglobal.org/ctx/lis/v2/Result"},
	{"MembershipContainer", "spec/contexts/ctx-lis-v2-MembershipContainer.semantictools-2015-09.jsonld", "http://purl.imsglobal.org/ctx/lis/v2/MembershipContainer"},
}

// ctxTerm is one definition of an official context.
type ctxTerm struct {
	key string
	// namespace is set for a prefix definition; iri is then the namespace.
	namespace bool
	// iri is the expanded @id; typ the expanded @type ("" for none, or a
	// keyword such as "@id"); container the @container.
	iri, typ, container string
}

// officialContext is one parsed context: its prefixes and its terms,
// sorted by key.
type officialContext struct {
	prefixes map[string]string
	terms    []ctxTerm
}

// readOfficialContext parses an official context and checks its @id.
func readOfficialContext(t *testing.T, rel, wantID string) *officialContext {
	t.Helper()
	var doc struct {
		Context map[string]json.RawMessage `json:"@context"`
		ID      string                     `json:"@id"`
	}
	if err := json.Unmarshal(sharedtest.Read(t, rel), &doc); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	if doc.ID != wantID {
		t.Fatalf("%s: @id is %q, want %q", rel, doc.ID, wantID)
	}
	oc := &officialContext{prefixes: map[string]string{}}
	type raw struct{ key, id, typ, container string }
	var defs []raw
	for k, v := range doc.Context {
		var s string
		if json.Unmarshal(v, &s) == nil {
			if isNamespace(s) {
				oc.prefixes[k] = s
				oc.terms = append(oc.terms, ctxTerm{key: k, namespace: true, iri: s})
				continue
			}
			defs = append(defs, raw{key: k, id: s})
			continue
		}
		var o map[string]string
		if err := json.Unmarshal(v, &o); err != nil {
			t.Fatalf("%s: term %q is neither a string nor an object of strings: %v", rel, k, err)
		}
		for f := range o {
			if f != "@id" && f != "@type" && f != "@container" {
				t.Fatalf("%s: term %q has %s, which this test does not compare", rel, k, f)
			}
		}
		if o["@id"] == "" {
			t.Fatalf("%s: term %q has no @id", rel, k)
		}
		defs = append(defs, raw{key: k, id: o["@id"], typ: o["@type"], container: o["@container"]})
	}
	for _, d := range defs {
		ct := ctxTerm{key: d.key, iri: expandCURIE(oc.prefixes, d.id), typ: d.typ, container: d.container}
		if ct.typ != "" && !strings.HasPrefix(ct.typ, "@") {
			ct.typ = expandCURIE(oc.prefixes, ct.typ)
		}
		oc.terms = append(oc.terms, ct)
	}
	sort.Slice(oc.terms, func(i, j int) bool { return oc.terms[i].key < oc.terms[j].key })
	return oc
}

// isNamespace reports whether a term's value is a namespace IRI, which
// makes the term a prefix.
func isNamespace(v string) bool {
	return (strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://")) &&
		(strings.HasSuffix(v, "#") || strings.HasSuffix(v, "/"))
}

// expandCURIE expands a CURIE whose prefix is in prefixes; anything else
// (a full IRI, a keyword) is returned as it is.
func expandCURIE(prefixes map[string]string, v string) string {
	if p, local, ok := strings.Cut(v, ":"); ok && !strings.HasPrefix(local, "//") {
		if ns, ok := prefixes[p]; ok {
			return ns + local
		}
	}
	return v
}

// notModelled is one row of the table of context terms the model leaves
// out.
type notModelled struct {
	context, term, reason string
	line                  int
}

func readNotModelled(t *testing.T) map[[2]string]*notModelled {
	t.Helper()
	data, err := os.ReadFile(modelDoc)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := mdtable.Section(mdtable.Lines(string(data)), notModelledHeader, 3)
	if err != nil {
		t.Fatalf("%s: %v", modelDoc, err)
	}
	known := map[string]bool{}
	for _, c := range officialContexts {
		known[c.name] = true
	}
	out := map[[2]string]*notModelled{}
	for _, r := range rows {
		n := &notModelled{context: mdtable.Value(r.Cells[0]), term: mdtable.Value(r.Cells[1]), reason: strings.TrimSpace(r.Cells[2]), line: r.Line}
		switch {
		case !known[n.context]:
			t.Errorf("%s:%d: context %q is not one of the official contexts the test reads", modelDoc, n.line, n.context)
		case n.term == "":
			t.Errorf("%s:%d: the row names no term", modelDoc, n.line)
		case n.reason == "":
			t.Errorf("%s:%d: %s %s: a term the model leaves out needs a reason", modelDoc, n.line, n.context, n.term)
		}
		key := [2]string{n.context, n.term}
		if first := out[key]; first != nil {
			t.Errorf("%s:%d: %s %s is already listed at line %d", modelDoc, n.line, n.context, n.term, first.line)
			continue
		}
		out[key] = n
	}
	return out
}

// modelIndex is what the checks look terms up in.
type modelIndex struct {
	prefixes    map[string]string // vocabulary prefix to namespace
	simple      map[string]*model.SimpleType
	individuals map[string][]individual // by IRI
	classes     map[string]string       // class and enumeration IRIs to qualified names
	properties  map[string][]string     // property IRIs to Class.property
}

// individual is a named individual of the model: an enumeration member,
// which may be a capability or a variable.
type individual struct {
	term, what string
}

func indexModel(m *model.Model) *modelIndex {
	x := &modelIndex{prefixes: map[string]string{}, simple: map[string]*model.SimpleType{},
		individuals: map[string][]individual{}, classes: map[string]string{}, properties: map[string][]string{}}
	for _, v := range m.Vocabularies {
		x.prefixes[v.Prefix] = v.Namespace
	}
	for _, s := range m.SimpleTypes {
		if s.IRI != "" {
			x.simple[s.IRI] = s
		}
	}
	kind := map[[2]string]string{}
	for _, c := range m.Capabilities {
		kind[[2]string{c.Enum, c.GoName}] = "capability"
	}
	for _, v := range m.Variables {
		kind[[2]string{v.Enum, v.GoName}] = "variable"
	}
	for _, e := range m.Enums {
		if e.IRI != "" {
			x.classes[e.IRI] = e.Origin.QualifiedName
		}
		for _, mb := range e.Members {
			if mb.IRI == "" {
				continue
			}
			what := kind[[2]string{e.GoName, mb.GoName}]
			if what == "" {
				what = "member"
			}
			x.individuals[mb.IRI] = append(x.individuals[mb.IRI], individual{term: mb.Term, what: what + " " + e.Name + "." + mb.Name})
		}
	}
	for _, c := range m.Classes {
		if c.IRI != "" {
			x.classes[c.IRI] = c.Origin.QualifiedName
		}
		for _, p := range c.Properties {
			if p.IRI != "" {
				x.properties[p.IRI] = append(x.properties[p.IRI], c.Name+"."+p.Name)
			}
		}
	}
	return x
}

// check says how the model carries one term of an official context:
// mapped is true when the model has the term, and problems lists how the
// model's term differs from the official one. hint, for a term that does
// not map, says what the model has that comes close.
func (x *modelIndex) check(mt *model.MediaType, terms map[string]*model.Term, oc *officialContext, ct ctxTerm) (kind string, mapped bool, problems []string, hint string) {
	if ct.namespace {
		kind = "prefix"
		got, where := x.prefixes[ct.key], "vocabulary"
		if mt != nil {
			if i := slices.IndexFunc(mt.Prefixes, func(p model.Prefix) bool { return p.Prefix == ct.key }); i >= 0 {
				got, where = mt.Prefixes[i].IRI, "media type prefix"
			}
		}
		if got == "" {
			for p, ns := range x.prefixes {
				if ns == ct.iri {
					hint = fmt.Sprintf("the model's vocabulary for %s has the prefix %q", ns, p)
				}
			}
			return kind, false, nil, hint
		}
		if got != ct.iri {
			problems = append(problems, fmt.Sprintf("the model's %s %q is %s", where, ct.key, got))
		}
		return kind, true, problems, ""
	}
	if strings.Contains(ct.key, ":") {
		// A CURIE key (ltiv:User.id) names the individual it expands to.
		kind = "individual"
		if k := expandCURIE(oc.prefixes, ct.key); k != ct.iri {
			problems = append(problems, fmt.Sprintf("the key expands to %s but the term to %s", k, ct.iri))
		}
		return kind, len(x.individuals[ct.iri]) > 0, problems, ""
	}
	if mt != nil {
		if mtTerm := terms[ct.key]; mtTerm != nil {
			kind = mtTerm.Kind
			if mtTerm.IRI != ct.iri {
				problems = append(problems, fmt.Sprintf("IRI %s, from %s", mtTerm.IRI, mtTerm.Source))
			}
			got := mtTerm.CoercionIRI
			if got == "" {
				got = mtTerm.Coercion
			}
			if got != ct.typ {
				problems = append(problems, fmt.Sprintf("coercion %q (want %q), from %s", got, ct.typ, mtTerm.Source))
			}
			if mtTerm.Container != ct.container {
				problems = append(problems, fmt.Sprintf("container %q (want %q), from %s", mtTerm.Container, ct.container, mtTerm.Source))
			}
			return kind, true, problems, ""
		}
	}
	if ct.typ != "" || ct.container != "" {
		// Only properties are coerced: the media type must define it.
		kind = "property"
	} else if s := x.simple[ct.iri]; s != nil {
		if s.Name != ct.key {
			problems = append(problems, fmt.Sprintf("simple type %s has that IRI", s.Origin.QualifiedName))
		}
		return "simple type", true, problems, ""
	} else if ins := x.individuals[ct.iri]; len(ins) > 0 {
		for _, in := range ins {
			if in.term != ct.key {
				problems = append(problems, fmt.Sprintf("%s has that IRI but the term %q", in.what, in.term))
			}
		}
		return "individual", true, problems, ""
	}
	if kind == "" {
		kind = "class or property"
	}
	switch {
	case x.classes[ct.iri] != "":
		hint = fmt.Sprintf("the model's %s has that IRI, but the media type does not reach it", x.classes[ct.iri])
	case len(x.properties[ct.iri]) > 0:
		hint = fmt.Sprintf("the model's properties %s have that IRI, but the media type does not reach them", strings.Join(x.properties[ct.iri], ", "))
	}
	return kind, false, nil, hint
}

func TestContextFidelity(t *testing.T) {
	sharedtest.Path(t, officialContexts[0].file)
	m, err := model.LoadStandard(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// A term defined by several properties with different coercions is
	// a warning of the model, and the media type's Terms keep only the
	// first definition, so warnings fail the test too.
	for _, d := range m.Diagnostics {
		t.Errorf("the standard model has a diagnostic: %s", d)
	}
	if t.Failed() {
		t.FailNow()
	}
	listed := readNotModelled(t)
	x := indexModel(m)
	used := map[[2]string]bool{}
	checked := map[string]bool{}
	for _, c := range officialContexts {
		t.Run(c.name, func(t *testing.T) {
			oc := readOfficialContext(t, c.file, c.iri)
			checked[c.name] = true
			var mt *model.MediaType
			for _, cand := range m.MediaTypes {
				if cand.Context == c.iri {
					if mt != nil {
						t.Errorf("media types %s and %s both have the context %s", mt.Name, cand.Name, c.iri)
					}
					mt = cand
				}
			}
			if mt == nil {
				t.Errorf("no media type of the model has the context %s", c.iri)
			}
			terms := map[string]*model.Term{}
			if mt != nil {
				for _, tm := range mt.Terms {
					terms[tm.Name] = tm
				}
			}
			counts := map[string]int{}
			official := map[string]bool{}
			for _, ct := range oc.terms {
				official[ct.key] = true
				kind, mapped, problems, hint := x.check(mt, terms, oc, ct)
				row := listed[[2]string{c.name, ct.key}]
				if row != nil {
					used[[2]string{c.name, ct.key}] = true
				}
				switch {
				case mapped && row != nil:
					t.Errorf("%s:%d: %s is listed as not modelled, but the model carries it; remove the row", modelDoc, row.line, ct.key)
				case !mapped && row == nil:
					msg := fmt.Sprintf("%s term %q (%s) is not in the model, and %s does not list it under %q", kind, ct.key, ct.iri, modelDoc, notModelledHeader)
					if hint != "" {
						msg += "; " + hint
					}
					t.Error(msg)
				case !mapped:
					counts["not modelled"]++
				default:
					counts[kind]++
				}
				for _, p := range problems {
					t.Errorf("%s term %q (%s, coercion %q, container %q): the model differs: %s", kind, ct.key, ct.iri, ct.typ, ct.container, p)
				}
			}
			t.Logf("%d terms: %v", len(oc.terms), counts)
			// The other direction is not an error: the model's media
			// types may carry terms the official contexts lack.
			if mt != nil {
				var extra []string
				for _, tm := range mt.Terms {
					if !official[tm.Name] {
						extra = append(extra, tm.Name)
					}
				}
				if len(extra) > 0 {
					t.Logf("media type %s has %d terms the official context lacks: %s", mt.Name, len(extra), strings.Join(extra, " "))
				}
			}
		})
	}
	var stale []*notModelled
	for key, row := range listed {
		if checked[row.context] && !used[key] {
			stale = append(stale, row)
		}
	}
	sort.Slice(stale, func(i, j int) bool { return stale[i].line < stale[j].line })
	for _, row := range stale {
		t.Errorf("%s:%d: the %s context has no term %q; remove the row", modelDoc, row.line, row.context, row.term)
	}
}
