package lti2_test

// These tests hold the published LTI 2.0 Final example documents to the
// cardinalities of the standard model. A small checker, written here and
// independent of any generated code, walks each document's JSON from the
// root class of its media type and counts the values of every property of
// every object it meets.
//
// How the checker reads a document:
//
//   - The media type is the one whose context the document's @context names;
//     a document with no @context (the simple form) takes the media type the
//     scope table gives it. The table's media type must agree with the
//     document's.
//   - Forms: a jsonld document is one object of the root class; a graph
//     document is a top-level @context and an @graph array of objects of the
//     root class or its subclasses, each selected by its @type; a simple
//     document is one flat JSON object whose values are all strings.
//   - A property's count is the number of its values: an absent key and a
//     JSON null count 0, an array counts its non-null elements, and any
//     other value (a string, number, boolean or object) counts 1. So a bare
//     value where the model allows many counts 1 and is not reported: FACTS
//     §1.6 rule 3 asks for an array, but that is the shape of the JSON
//     binding, not a cardinality, and FACTS §8 tells readers to accept a
//     bare string there.
//   - Every property of the object's class, inherited ones included, is
//     counted against its Min and Max. When a media type includes only some
//     properties (Class.property), the others are not checked.
//   - Values of a class-typed property that is not @id-coerced are embedded
//     objects; each is checked in turn against that class, or against the
//     subclass its @type names. Values of an @id-coerced property are
//     references and are not entered.
//   - JSON-LD keywords (FACTS §1.6): a top-level object needs @context and
//     @type; an embedded object needs @type when its property's class is
//     abstract, and a present @type must name that class or a subclass of
//     it; @id is optional, except on classes whose instances must carry one,
//     where it must be present and not a blank node. Other keywords are not
//     properties and are skipped.
//   - Keys the class does not define are extensions and are allowed.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ltiforge/ltiforge/internal/sharedtest"
	"github.com/ltiforge/ltiforge/model"
)

// Media types of the examples, as the model names them.
const (
	mtToolConsumerProfile = "application/vnd.ims.lti.v2.toolconsumerprofile+json"
	mtToolProxy           = "application/vnd.ims.lti.v2.toolproxy+json"
	mtToolProxyID         = "application/vnd.ims.lti.v2.toolproxy.id+json"
	mtToolSettings        = "application/vnd.ims.lti.v2.toolsettings+json"
	mtToolSettingsSimple  = "application/vnd.ims.lti.v2.toolsettings.simple+json"
	mtResult              = "application/vnd.ims.lis.v2.result+json"
	mtMembership          = "application/vnd.ims.lis.v2.membershipcontainer+json"
)

// example is one file of the shared examples, in scope or not.
type example struct {
	// file is relative to the shared folder.
	file string
	// mediaType is the media type the file is a document of; empty when
	// the file is out of scope.
	mediaType string
	// note says where the file comes from (in scope) or why it is left
	// out (out of scope).
	note string
}

// examples lists every file of ../shared/spec/examples and every
// ../shared/ims-model/rdf/*/sample.json: which belong to LTI 2.0 Final and
// are checked, and which are not and why. TestExampleScopeIsComplete fails
// when a file is missing from the table, so a new example has to be placed.
var examples = []example{
	{"spec/examples/toolproxy.ims-final-2014-01-figure1.json", mtToolProxy,
		"Figure 1 of the ToolProxy media-type document, Final, 6 January 2014 (FACTS §9)."},
	{"spec/examples/toolproxy.ims-doc-sample.context-simplified.json", mtToolProxy,
		"IMS's ToolProxy sample as semantictools served it in 2015; Figure 1 with a single @context."},
	{"spec/examples/toolconsumerprofile.ims-doc-sample.json", mtToolConsumerProfile,
		"IMS's ToolConsumerProfile sample (ld_repo, 2015)."},
	{"spec/examples/toolconsumerprofile.ims-lti-ruby-2.0.x-fixture.json", mtToolConsumerProfile,
		"instructure/ims-lti 2.0.x fixture; the same JSON as IMS's sample."},
	{"spec/examples/toolconsumerprofile.vitalsource-ri-template.json", mtToolConsumerProfile,
		"The VitalSource reference TC's 2.0 profile template; its {placeholders} and malformed timestamps are lexical, not cardinality, problems."},
	{"spec/examples/toolproxy-id.ims-doc-sample.json", mtToolProxyID,
		"IMS's ToolProxy.id sample (ld_repo, 2015), with custom_url."},
	{"spec/examples/toolsettings.graph.ims-doc-sample.json", mtToolSettings,
		"IMS's ToolSettings sample in graph form."},
	{"spec/examples/toolsettings.simple.ims-doc-sample.json", mtToolSettingsSimple,
		"IMS's ToolSettings sample in simple form."},
	{"spec/examples/result.lis-v2.ims-doc-sample.json", mtResult,
		"IMS's LIS v2 Result sample, the LTI 2.0 outcomes document."},
	{"spec/examples/membershipcontainer-page.ltilibrary-fixture.json", mtMembership,
		"LtiLibrary's copy of the Membership Service v1.0 (Final, 2016) page sample; the service works with LTI 2.0 (FACTS §2.10, §3.7)."},
	{"spec/examples/lisresult.lis-v2p1-draft.ims-doc-sample.json", "",
		"LTI 2.1 draft: context ctx/lis/v2p1/Result and type LISResult, never finalised (FACTS §1.1)."},
	{"spec/examples/testvector.launch-form.ltilibrary-fixture.key12345-secret-secret.html", "",
		"An OAuth signature test vector (a launch form, FACTS §7 V5), not a media-type document."},
	{"spec/examples/testvector.oauth-bodyhash.toolproxy-body.ddo-oauth-1.0a.compact.json", "",
		"A body-hash test vector (FACTS §7 V7) whose bytes matter, not a sample; it is an LTI-2p1 tool proxy."},

	{"ims-model/rdf/ToolConsumerProfile/sample.json", mtToolConsumerProfile,
		"The sample printed in IMS's generated ToolConsumerProfile page (pre-final spellings, FACTS §0 S4)."},
	{"ims-model/rdf/ToolProxy/sample.json", mtToolProxy,
		"The sample printed in IMS's generated ToolProxy page (pre-final spellings, FACTS §0 S4)."},
	{"ims-model/rdf/ToolProxy.id/sample.json", mtToolProxyID,
		"The sample printed in IMS's generated ToolProxy.id page."},
	{"ims-model/rdf/ToolSettings/sample.json", mtToolSettings,
		"The sample printed in IMS's generated ToolSettings page."},
	{"ims-model/rdf/ToolSettings.simple/sample.json", mtToolSettingsSimple,
		"The sample printed in IMS's generated ToolSettings.simple page."},
	{"ims-model/rdf/LineItem/sample.json", "",
		"LTI 2.1 draft: application/vnd.ims.lis.v2.lineitem+json was never finalised (FACTS §1.1)."},
	{"ims-model/rdf/LineItemContainer/sample.json", "",
		"LTI 2.1 draft: application/vnd.ims.lis.v2.lineitemcontainer+json was never finalised (FACTS §1.1)."},
	{"ims-model/rdf/ResultContainer/sample.json", "",
		"LTI 2.1 draft: application/vnd.ims.lis.v2.resultcontainer+json was never finalised (FACTS §1.1)."},
	{"ims-model/rdf/Result.rich/sample.json", "",
		"LTI 2.1 draft rich result (lineItem, normalScore, totalScore, …): the 2.0 Result context defines only resultScore and comment (FACTS §1.3)."},
}

// Kinds of violation.
const (
	kindMissing  = "missing"      // fewer values than Min
	kindTooMany  = "too many"     // more values than Max
	kindNotObj   = "not object"   // an embedded object was expected
	kindNotStr   = "not string"   // a simple-form value that is not a string
	kindType     = "@type"        // @type missing or naming no suitable class
	kindID       = "@id"          // a required @id missing or blank, or @id not one string
	kindContext  = "@context"     // a top-level @context missing
	kindDocument = "document"     // the document's shape or media type
	kindModel    = "model lookup" // the model lacks a class it names
)

// knownViolation is a violation that an example really has: the example,
// not the model, deviates from LTI 2.0 Final.
type knownViolation struct {
	file, pointer, kind string
	// reason says how the example deviates, with the FACTS section that
	// shows it.
	reason string
}

// wrongExamples are the violations of the in-scope examples. The test fails
// when one of them no longer occurs and when a violation occurs that is not
// listed.
var wrongExamples = []knownViolation{
	{"ims-model/rdf/ToolConsumerProfile/sample.json", "/product_instance/service_provider/service_provider_name", kindMissing,
		"The sample names the service provider with the pre-final key provider_name; 2.0 Final requires service_provider_name [1] (FACTS §2.4 and its note, §1.3)."},
	{"ims-model/rdf/ToolProxy/sample.json", "/tool_profile/product_instance/service_provider/service_provider_name", kindMissing,
		"The sample names the service provider with the pre-final key provider_name; 2.0 Final requires service_provider_name [1] (FACTS §2.4 and its note, §1.3)."},
}

var (
	stdOnce  sync.Once
	stdModel *model.Model
	stdErr   error
)

// standard loads the standard model once for all tests of this file.
func standard(t *testing.T) *model.Model {
	t.Helper()
	stdOnce.Do(func() { stdModel, stdErr = model.LoadStandard(context.Background()) })
	if stdErr != nil {
		t.Fatalf("loading the standard model: %v", stdErr)
	}
	return stdModel
}

// mediaType returns the model's media type of that name, failing the test
// when it is missing or has no root class.
func mediaType(t *testing.T, m *model.Model, name string) *model.MediaType {
	t.Helper()
	for _, mt := range m.MediaTypes {
		if strings.EqualFold(mt.Name, name) {
			if mt.RootClass() == nil {
				t.Fatalf("media type %s has no root class (root %q)", name, mt.Root)
			}
			return mt
		}
	}
	t.Fatalf("the standard model has no media type %s", name)
	return nil
}

// violation is one problem the checker found.
type violation struct {
	// pointer is the RFC 6901 JSON pointer of the value, or of the key
	// that is missing.
	pointer string
	kind    string
	detail  string
}

func (v violation) String() string { return fmt.Sprintf("%s: %s: %s", v.pointer, v.kind, v.detail) }

// checker checks one document against one media type.
type checker struct {
	mt *model.MediaType
	// byName finds a class by qualified name; byTerm by its @type term.
	byName map[string]*model.Class
	byTerm map[string][]*model.Class
	// include holds Class.property for the media type's included
	// properties; nil when every property is included.
	include map[string]bool
	out     []violation
	// extensions are the pointers of keys that no checked property of
	// their object's class defines: allowed, and logged for review.
	extensions []string
}

func newChecker(m *model.Model, mt *model.MediaType) *checker {
	c := &checker{mt: mt, byName: map[string]*model.Class{}, byTerm: map[string][]*model.Class{}}
	for _, k := range m.Classes {
		c.byName[k.Origin.QualifiedName] = k
		c.byTerm[k.Term] = append(c.byTerm[k.Term], k)
	}
	if len(mt.Include) > 0 {
		c.include = map[string]bool{}
		for _, p := range mt.Include {
			c.include[p] = true
		}
	}
	return c
}

func (c *checker) report(pointer, kind, format string, args ...any) {
	c.out = append(c.out, violation{pointer: pointer, kind: kind, detail: fmt.Sprintf(format, args...)})
}

// check walks a parsed document and returns its violations, sorted.
func (c *checker) check(doc any) []violation {
	root := c.mt.RootClass()
	obj, ok := doc.(map[string]any)
	if !ok {
		c.report("", kindDocument, "a %s document is a JSON object, not %s", c.mt.Name, jsonKind(doc))
		return c.out
	}
	switch c.mt.Form {
	case model.FormSimple:
		for _, key := range sortedKeys(obj) {
			if _, ok := obj[key].(string); !ok {
				c.report(pointer("", key), kindNotStr, "the simple form holds strings only, not %s", jsonKind(obj[key]))
			}
		}
	case model.FormGraph:
		c.needContext(obj)
		graph, ok := obj["@graph"]
		if !ok {
			c.report("/@graph", kindDocument, "a graph-form document holds its objects in @graph")
		}
		for _, it := range values(pointer("", "@graph"), graph) {
			if o, ok := it.v.(map[string]any); ok {
				c.object(it.ptr, o, root, true)
			} else {
				c.report(it.ptr, kindNotObj, "a member of @graph is an object, not %s", jsonKind(it.v))
			}
		}
	default:
		c.needContext(obj)
		c.object("", obj, root, true)
	}
	slices.SortFunc(c.out, func(a, b violation) int {
		return strings.Compare(a.pointer+"\x00"+a.kind, b.pointer+"\x00"+b.kind)
	})
	return c.out
}

// needContext checks the top-level @context: at least one context.
func (c *checker) needContext(obj map[string]any) {
	if len(values("", obj["@context"])) == 0 {
		c.report("/@context", kindContext, "a top-level object references its context(s) in @context")
	}
}

// object checks one object whose property (or media type) declares class
// declared.
// idRequired reports whether objects of k must carry @id in the media
// type's documents: everywhere («Addressable» idRequired), or in this media
// type only (its requireId list).
func (c *checker) idRequired(k *model.Class) bool {
	return k.IDRequired || slices.Contains(c.mt.RequireID, k.Origin.QualifiedName)
}

func (c *checker) object(ptr string, obj map[string]any, declared *model.Class, top bool) {
	k := declared
	if t, ok := obj["@type"]; ok {
		k = c.resolveType(t, declared)
		if k == nil {
			c.report(pointer(ptr, "@type"), kindType, "%s names neither %s nor a subclass of it", compact(t), declared.Term)
			return
		}
	} else if top {
		c.report(pointer(ptr, "@type"), kindType, "a top-level object names its class (%s) in @type", declared.Term)
	} else if declared.Abstract {
		c.report(pointer(ptr, "@type"), kindType, "%s is abstract, so the object names its subclass in @type", declared.Term)
	}
	id, hasID := obj["@id"]
	if s, isStr := id.(string); hasID && !isStr {
		c.report(pointer(ptr, "@id"), kindID, "@id is one IRI, not %s", jsonKind(id))
	} else if c.idRequired(k) && !hasID {
		c.report(pointer(ptr, "@id"), kindID, "a %s carries an @id", k.Term)
	} else if c.idRequired(k) && strings.HasPrefix(s, "_:") {
		c.report(pointer(ptr, "@id"), kindID, "a %s's required @id is not a blank node (%s)", k.Term, s)
	}
	known := map[string]bool{}
	for _, p := range properties(k) {
		if c.include != nil && !c.include[lastSegment(p.Class)+"."+p.Name] {
			continue
		}
		known[p.Term] = true
		vals := values(pointer(ptr, p.Term), obj[p.Term])
		card := p.Cardinality
		switch n := len(vals); {
		case n < card.Min:
			c.report(pointer(ptr, p.Term), kindMissing, "%s.%s [%s] has %d value(s)", k.Term, p.Term, card, n)
		case card.Max != model.Unbounded && n > card.Max:
			c.report(pointer(ptr, p.Term), kindTooMany, "%s.%s [%s] has %d values", k.Term, p.Term, card, n)
		}
		if p.Type.Kind != model.TypeClass || p.Coercion == "@id" {
			continue
		}
		sub := c.byName[p.Type.Name]
		if sub == nil {
			c.report(pointer(ptr, p.Term), kindModel, "the model has no class %s, the type of %s.%s", p.Type.Name, k.Term, p.Term)
			continue
		}
		for _, it := range vals {
			if o, ok := it.v.(map[string]any); ok {
				c.object(it.ptr, o, sub, false)
			} else {
				c.report(it.ptr, kindNotObj, "a %s is an embedded object, not %s", sub.Term, jsonKind(it.v))
			}
		}
	}
	for _, key := range sortedKeys(obj) {
		if !known[key] && !strings.HasPrefix(key, "@") {
			c.extensions = append(c.extensions, pointer(ptr, key))
		}
	}
}

// resolveType returns the class an @type value names among declared and its
// subclasses, or nil. An @type array names the object's classes; the first
// one that fits is taken.
func (c *checker) resolveType(t any, declared *model.Class) *model.Class {
	for _, it := range values("", t) {
		name, ok := it.v.(string)
		if !ok {
			continue
		}
		for _, k := range c.byTerm[name] {
			if descends(k, declared) {
				return k
			}
		}
	}
	return nil
}

// descends reports whether k is of or a subclass of the class of.
func descends(k, of *model.Class) bool {
	if k == of {
		return true
	}
	for _, s := range k.SuperClasses() {
		if descends(s, of) {
			return true
		}
	}
	return false
}

// properties returns a class's properties, inherited ones first, one per
// JSON key: where a subclass redefines a key, its own property counts.
func properties(k *model.Class) []*model.Property {
	all := k.AllProperties()
	var out []*model.Property
	at := map[string]int{}
	for _, p := range all {
		if i, ok := at[p.Term]; ok {
			out[i] = p
			continue
		}
		at[p.Term] = len(out)
		out = append(out, p)
	}
	return out
}

// item is one value of a property and its JSON pointer.
type item struct {
	ptr string
	v   any
}

// values returns the values a JSON value holds, by the counting rule at the
// top of this file: none for an absent key or null, the non-null elements
// of an array, and otherwise the value itself.
func values(ptr string, v any) []item {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		var out []item
		for i, e := range v {
			if e != nil {
				out = append(out, item{pointer(ptr, strconv.Itoa(i)), e})
			}
		}
		return out
	}
	return []item{{ptr, v}}
}

// pointer appends a reference token to a JSON pointer (RFC 6901).
func pointer(ptr, token string) string {
	return ptr + "/" + strings.NewReplacer("~", "~0", "/", "~1").Replace(token)
}

func lastSegment(qualified string) string {
	if i := strings.LastIndex(qualified, "::"); i >= 0 {
		return qualified[i+2:]
	}
	return qualified
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number, float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// parseJSON parses a document, numbers kept as written and a UTF-8 byte
// order mark (the membership fixture has one) ignored.
func parseJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("data after the JSON value")
	}
	return v, nil
}

// documentMediaTypes returns the JSON-LD media types whose context the
// document's top-level @context references.
func documentMediaTypes(m *model.Model, doc any) []string {
	obj, _ := doc.(map[string]any)
	var out []string
	for _, it := range values("", obj["@context"]) {
		iri, _ := it.v.(string)
		for _, mt := range m.MediaTypes {
			if iri != "" && mt.JSONLD() && mt.Context == iri {
				out = append(out, mt.Name)
			}
		}
	}
	return out
}

// TestExampleScopeIsComplete checks that the scope table lists every example
// file exactly once, and only files that exist.
func TestExampleScopeIsComplete(t *testing.T) {
	dir := sharedtest.Dir()
	if dir == "" {
		t.Skip("../shared (beside the repository) not found: this test reads spec/examples and ims-model/rdf from it")
	}
	listed := map[string]int{}
	for _, e := range examples {
		listed[e.file]++
		if listed[e.file] == 2 {
			t.Errorf("%s is listed twice in the scope table", e.file)
		}
		if e.note == "" {
			t.Errorf("%s: the scope table gives no source or reason", e.file)
		}
	}
	var found []string
	for _, pattern := range []string{"spec/examples/*", "ims-model/rdf/*/sample.json"} {
		for _, p := range sharedtest.Glob(pattern) {
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				t.Fatal(err)
			}
			found = append(found, filepath.ToSlash(rel))
		}
	}
	if len(found) == 0 {
		t.Fatalf("no examples found under %s", dir)
	}
	for _, f := range found {
		if listed[f] == 0 {
			t.Errorf("%s is not in the scope table: say whether it belongs to LTI 2.0 Final", f)
		}
		delete(listed, f)
	}
	for f := range listed {
		t.Errorf("the scope table lists %s, which does not exist", f)
	}
}

// TestExamplesMatchCardinalities checks every in-scope example against the
// model's cardinalities. The violations found must be exactly those
// wrongExamples lists.
func TestExamplesMatchCardinalities(t *testing.T) {
	if sharedtest.Dir() == "" {
		t.Skip("../shared (beside the repository) not found: this test reads spec/examples and ims-model/rdf from it")
	}
	m := standard(t)
	inScope := map[string]bool{}
	for _, e := range examples {
		if e.mediaType != "" {
			inScope[e.file] = true
		}
	}
	for _, w := range wrongExamples {
		if !inScope[w.file] {
			t.Errorf("wrongExamples lists %s, which is not an in-scope example", w.file)
		}
	}
	for _, e := range examples {
		if e.mediaType == "" {
			continue
		}
		t.Run(e.file, func(t *testing.T) {
			doc, err := parseJSON(sharedtest.Read(t, e.file))
			if err != nil {
				t.Fatalf("parsing %s: %v", e.file, err)
			}
			mt := mediaType(t, m, e.mediaType)
			got := documentMediaTypes(m, doc)
			switch {
			case mt.Context == "" && len(got) > 0:
				t.Fatalf("the table says %s (no context), but the document's @context names %v", mt.Name, got)
			case mt.Context != "" && !slices.Equal(got, []string{mt.Name}):
				t.Fatalf("the table says %s, but the document's @context names the context(s) of %v", mt.Name, got)
			}
			want := map[[2]string]string{}
			for _, w := range wrongExamples {
				if w.file == e.file {
					want[[2]string{w.pointer, w.kind}] = w.reason
				}
			}
			c := newChecker(m, mt)
			for _, v := range c.check(doc) {
				key := [2]string{v.pointer, v.kind}
				if _, ok := want[key]; ok {
					t.Logf("known: %s", v)
					delete(want, key)
					continue
				}
				t.Errorf("%s", v)
			}
			if len(c.extensions) > 0 {
				t.Logf("extension keys (allowed): %s", strings.Join(c.extensions, " "))
			}
			for key, reason := range want {
				t.Errorf("%s: %s: listed as a fault of the example, but no longer found (%s)", key[0], key[1], reason)
			}
		})
	}
}

// TestCardinalityChecker shows that the checker finds each kind of
// violation, and what it lets pass, on small documents written here.
func TestCardinalityChecker(t *testing.T) {
	m := standard(t)
	// tp is a minimal valid tool proxy; each case adds to it or breaks it.
	const tp = `{"@context": "http://purl.imsglobal.org/ctx/lti/v2/ToolProxy", "@type": "ToolProxy",
		"lti_version": "LTI-2p0", "tool_proxy_guid": "g", "tool_consumer_profile": "http://tc/profile",
		"tool_profile": {"lti_version": "LTI-2p0",
			"product_instance": {"guid": "p", "product_info": {"product_name": {"default_value": "P"},
				"product_version": "1", "product_family": {"code": "f", "vendor": {"code": "v",
					"vendor_name": {"default_value": "V"}, "timestamp": "2014-01-06T00:00:00Z"}}}},
			"base_url_choice": [{"default_base_url": "http://tp/"}]%s},
		"security_contract": {"shared_secret": "s"%s}%s}`
	tests := []struct {
		name, mediaType string
		doc             string
		want            []string // violation pointer and kind, "pointer kind"
	}{
		{"minimal tool proxy", mtToolProxy, fmt.Sprintf(tp, "", "", ""), nil},
		{"extension keys", mtToolProxy, fmt.Sprintf(tp, `, "x_vendor": [1, 2]`, "", `, "tc_half_shared_secret": "x"`), nil},
		{"bare value for many counts 1", mtToolProxy, fmt.Sprintf(tp, "", "", `, "enabled_capability": "OAuth.splitSecret"`), nil},
		{"null and empty array count 0", mtToolProxy, fmt.Sprintf(tp, `, "resource_handler": [], "message": null`, "", ""), nil},
		{"missing required", mtToolProxy,
			`{"@context": "http://purl.imsglobal.org/ctx/lti/v2/ToolProxy", "@type": "ToolProxy", "lti_version": null, "tool_profile": {}}`,
			[]string{"/lti_version missing", "/security_contract missing", "/tool_consumer_profile missing",
				"/tool_profile/base_url_choice missing", "/tool_profile/lti_version missing",
				"/tool_profile/product_instance missing", "/tool_proxy_guid missing"}},
		{"too many", mtToolProxy, fmt.Sprintf(tp, "", "", `, "custom": [{}, {}]`), []string{"/custom too many"}},
		{"single-element array counts 1", mtToolProxy, fmt.Sprintf(tp, "", "", `, "custom": [{}]`), nil},
		{"missing inside an array element", mtToolProxy,
			fmt.Sprintf(tp, `, "resource_handler": [{"resource_type": {"code": "r"}, "resource_name": {}, "message": [{"path": "/"}]}]`, "", ""),
			[]string{"/tool_profile/resource_handler/0/message/0/message_type missing"}},
		{"string for an embedded object", mtToolProxy, fmt.Sprintf(tp, "", "", `, "custom": "x"`), []string{"/custom not object"}},
		{"abstract class without @type", mtToolProxy,
			fmt.Sprintf(tp, "", `, "tool_service": [{"service": "http://tc/profile#X", "action": "GET"}]`, ""),
			[]string{"/security_contract/tool_service/0/@type @type"}},
		{"@type selects the subclass", mtToolProxy,
			fmt.Sprintf(tp, "", `, "tool_service": [{"@type": "RestServiceProfile", "service": "http://tc/profile#X"}]`, ""),
			[]string{"/security_contract/tool_service/0/action missing"}},
		{"@type outside the property's class", mtToolProxy,
			fmt.Sprintf(tp, "", `, "tool_service": [{"@type": "Vendor", "service": "http://tc/profile#X"}]`, ""),
			[]string{"/security_contract/tool_service/0/@type @type"}},
		{"top level without @context and @type", mtResult, `{"resultScore": 0.5}`, []string{"/@context @context", "/@type @type"}},
		{"required @id", mtToolConsumerProfile,
			`{"@context": "http://purl.imsglobal.org/ctx/lti/v2/ToolConsumerProfile", "@type": "ToolConsumerProfile",
				"lti_version": "LTI-2p0", "guid": "g", "product_instance": {"guid": "p",
					"product_info": {"product_name": {}, "product_version": "1", "product_family": {"code": "f",
						"vendor": {"code": "v", "vendor_name": {}, "timestamp": "2014-01-06T00:00:00Z"}}}},
				"service_offered": [{"@type": "RestService", "endpoint": "http://tc/a", "format": "a/b", "action": ["GET"]},
					{"@type": "RestService", "@id": "_:b0", "endpoint": "http://tc/b", "format": ["a/b"], "action": "GET"}]}`,
			[]string{"/service_offered/0/@id @id", "/service_offered/1/@id @id"}},
		{"included properties only", mtToolProxyID,
			`{"@context": "http://purl.imsglobal.org/ctx/lti/v2/ToolProxyId", "@type": "ToolProxy", "custom_url": ["http://a", "http://b"]}`,
			[]string{"/custom_url too many", "/tool_proxy_guid missing"}},
		{"graph members by @type", mtToolSettings,
			`{"@context": "http://purl.imsglobal.org/ctx/lti/v2/ToolSettings", "@graph": [
				{"@type": "LtiLink", "custom": {"a": "1"}}, {"custom": {}}, {"@type": "ToolProxy", "custom": [{}, {}]}, "x"]}`,
			[]string{"/@graph/1/@type @type", "/@graph/2/custom too many", "/@graph/3 not object"}},
		{"graph without @graph", mtToolSettings, `{"@context": "http://purl.imsglobal.org/ctx/lti/v2/ToolSettings"}`,
			[]string{"/@graph document"}},
		{"simple form holds strings", mtToolSettingsSimple, `{"a": "1", "b": 2, "c/d": {"e": "f"}}`,
			[]string{"/b not string", "/c~1d not string"}},
		{"not an object", mtResult, `["x"]`, []string{" document"}},
		{"membership page", mtMembership,
			`{"@context": "http://purl.imsglobal.org/ctx/lis/v2/MembershipContainer", "@type": "Page",
				"pageOf": {"@type": "LISMembershipContainer", "membershipSubject": {"@type": "Context",
					"membership": [{"member": {"@type": "LISPerson"}, "role": []}]}}}`,
			[]string{"/pageOf/membershipSubject/contextId missing", "/pageOf/membershipSubject/membership/0/member/userId missing",
				"/pageOf/membershipSubject/membership/0/role missing"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := parseJSON([]byte(tc.doc))
			if err != nil {
				t.Fatalf("parsing the test document: %v", err)
			}
			var got []string
			for _, v := range newChecker(m, mediaType(t, m, tc.mediaType)).check(doc) {
				got = append(got, v.pointer+" "+v.kind)
				t.Logf("%s", v)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("violations:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestParseJSONRejectsTrailingData guards the example reader: a file
// holding two JSON values is not one document.
func TestParseJSONRejectsTrailingData(t *testing.T) {
	if _, err := parseJSON([]byte("\xef\xbb\xbf{} {}")); err == nil {
		t.Error("parseJSON accepted two JSON values")
	}
	if v, err := parseJSON([]byte("\xef\xbb\xbf{\"a\": 1}")); err != nil || v.(map[string]any)["a"] != json.Number("1") {
		t.Errorf("parseJSON(BOM + object) = %v, %v", v, err)
	}
}

// TestCheckerReachesIntoExamples breaks one value deep inside a real example
// and checks that the checker reports exactly that: a passing example is
// then known to have been walked, not skipped.
func TestCheckerReachesIntoExamples(t *testing.T) {
	if sharedtest.Dir() == "" {
		t.Skip("../shared (beside the repository) not found: this test reads spec/examples from it")
	}
	m := standard(t)
	const (
		figure1    = "spec/examples/toolproxy.ims-final-2014-01-figure1.json"
		tcp        = "spec/examples/toolconsumerprofile.ims-doc-sample.json"
		settings   = "spec/examples/toolsettings.graph.ims-doc-sample.json"
		membership = "spec/examples/membershipcontainer-page.ltilibrary-fixture.json"
		proxyID    = "spec/examples/toolproxy-id.ims-doc-sample.json"
	)
	tests := []struct {
		file, mediaType, pointer string
		// set is the new value as JSON; empty deletes the key.
		set  string
		want string // "pointer kind"
	}{
		{figure1, mtToolProxy, "/tool_profile/resource_handler/0/message/0/path", "", "/tool_profile/resource_handler/0/message/0/path missing"},
		{figure1, mtToolProxy, "/tool_profile/resource_handler/0/icon_info/2/default_location", `[{"path": "a.png"}, {"path": "b.png"}]`, "/tool_profile/resource_handler/0/icon_info/2/default_location too many"},
		{figure1, mtToolProxy, "/security_contract/end_user_service/0/@type", "", "/security_contract/end_user_service/0/@type @type"},
		{figure1, mtToolProxy, "/tool_profile/product_instance/product_info/product_family/vendor/vendor_name", `"Acme"`, "/tool_profile/product_instance/product_info/product_family/vendor/vendor_name not object"},
		{tcp, mtToolConsumerProfile, "/service_offered/5/@id", "", "/service_offered/5/@id @id"},
		{tcp, mtToolConsumerProfile, "/product_instance/service_owner/support/email", "[]", "/product_instance/service_owner/support/email missing"},
		{settings, mtToolSettings, "/@graph/1/@type", "", "/@graph/1/@type @type"},
		{settings, mtToolSettings, "/@graph/2/custom", `[{}, {}]`, "/@graph/2/custom too many"},
		{membership, mtMembership, "/pageOf/membershipSubject/membership/0/member/userId", "", "/pageOf/membershipSubject/membership/0/member/userId missing"},
		{proxyID, mtToolProxyID, "/tool_proxy_guid", "", "/tool_proxy_guid missing"},
	}
	for _, tc := range tests {
		t.Run(tc.file+tc.pointer, func(t *testing.T) {
			doc, err := parseJSON(sharedtest.Read(t, tc.file))
			if err != nil {
				t.Fatalf("parsing %s: %v", tc.file, err)
			}
			var value any
			if tc.set != "" {
				if value, err = parseJSON([]byte(tc.set)); err != nil {
					t.Fatalf("parsing the new value: %v", err)
				}
			}
			if err := replaceAt(doc, tc.pointer, value, tc.set == ""); err != nil {
				t.Fatalf("%s: %v", tc.pointer, err)
			}
			var got []string
			for _, v := range newChecker(m, mediaType(t, m, tc.mediaType)).check(doc) {
				got = append(got, v.pointer+" "+v.kind)
			}
			if !slices.Equal(got, []string{tc.want}) {
				t.Errorf("violations:\n got %q\nwant %q", got, []string{tc.want})
			}
		})
	}
}

// replaceAt sets (or, with remove, deletes) the member of an object that a
// JSON pointer names. The pointer's tokens hold no escapes.
func replaceAt(doc any, ptr string, value any, remove bool) error {
	tokens := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	cur := doc
	for _, tok := range tokens[:len(tokens)-1] {
		switch v := cur.(type) {
		case map[string]any:
			cur = v[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(v) {
				return fmt.Errorf("no element %q", tok)
			}
			cur = v[i]
		default:
			return fmt.Errorf("cannot descend into %s at %q", jsonKind(cur), tok)
		}
	}
	obj, ok := cur.(map[string]any)
	last := tokens[len(tokens)-1]
	if !ok {
		return fmt.Errorf("the parent of %q is %s, not an object", last, jsonKind(cur))
	}
	if _, ok := obj[last]; !ok {
		return fmt.Errorf("no member %q", last)
	}
	if remove {
		delete(obj, last)
	} else {
		obj[last] = value
	}
	return nil
}
