package docs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/ltiforge/ltiforge/model"
)

// exampleHost is the host of every URL in the examples.
const exampleHost = "https://lms.example.edu"

// capabilityClassIRI is the LTI class of capabilities: a property typed by
// it takes capability and variable names.
const capabilityClassIRI = "http://purl.imsglobal.org/vocab/lti/v2/lti#Capability"

// object is a JSON object whose keys keep their order.
type object struct {
	keys []string
	vals map[string]any
}

func newObject() *object { return &object{vals: map[string]any{}} }

func (o *object) set(k string, v any) {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

// encodeJSON writes v (an *object, []any, string, int64, float64 or bool)
// as indented JSON.
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := writeJSON(&b, v); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func writeJSON(b *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case *object:
		b.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, k)
			b.WriteByte(':')
			if err := writeJSON(b, v.vals[k]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case string:
		writeString(b, v)
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case float64:
		b.WriteString(strconv.FormatFloat(v, 'f', -1, 64))
	case bool:
		b.WriteString(strconv.FormatBool(v))
	default:
		return fmt.Errorf("docs: example value of type %T", v)
	}
	return nil
}

func writeString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	b.Truncate(b.Len() - 1)
}

// exampler builds the example document of one media type.
type exampler struct {
	x       *index
	mt      *model.MediaType
	include map[*model.Property]bool
	ids     map[string]int // per class term: objects numbered so far
}

// example returns the example document of a JSON media type, or nil for
// an XML one or one without a known root.
func (x *index) example(mt *model.MediaType) ([]byte, error) {
	root := mt.RootClass()
	if root == nil || mt.Form == model.FormXML {
		return nil, nil
	}
	e := &exampler{x: x, mt: mt, include: x.includeSet(mt), ids: map[string]int{}}
	var doc any
	switch mt.Form {
	case model.FormSimple:
		o := newObject()
		o.set("chapter", "3")
		o.set("section", "1")
		o.set("isbn", "978-0000000000")
		doc = o
	case model.FormGraph:
		o := newObject()
		if mt.Context != "" {
			o.set("@context", mt.Context)
		}
		var items []any
		for _, c := range e.graphClasses(root) {
			items = append(items, e.object(c, map[*model.Class]bool{}, true))
		}
		o.set("@graph", items)
		doc = o
	default:
		o := e.object(e.x.concrete(root), map[*model.Class]bool{}, true)
		if mt.Context != "" {
			withCtx := newObject()
			withCtx.set("@context", mt.Context)
			for _, k := range o.keys {
				withCtx.set(k, o.vals[k])
			}
			o = withCtx
		}
		doc = o
	}
	return encodeJSON(doc)
}

// graphClasses are the concrete classes a graph document lists: the root's
// concrete specializations (at most three), or the root itself.
func (e *exampler) graphClasses(root *model.Class) []*model.Class {
	var out []*model.Class
	var walk func(c *model.Class)
	seen := map[*model.Class]bool{}
	walk = func(c *model.Class) {
		if seen[c] || len(out) >= 3 {
			return
		}
		seen[c] = true
		if !c.Abstract && c != root {
			out = append(out, c)
		}
		for _, s := range e.x.subs[c] {
			walk(s)
		}
	}
	walk(root)
	if len(out) == 0 {
		out = append(out, e.x.concrete(root))
	}
	return out
}

// needsID reports whether objects of c carry @id in this media type.
func (e *exampler) needsID(c *model.Class) bool {
	if c.Addressable || c.IDRequired {
		return true
	}
	for _, r := range e.mt.RequireID {
		if r == c.Origin.QualifiedName || r == c.Name {
			return true
		}
	}
	return false
}

// object builds an object of class c. path holds the classes being built
// above it, so that a cycle of compositions ends.
func (e *exampler) object(c *model.Class, path map[*model.Class]bool, typed bool) *object {
	o := newObject()
	if typed || c.Term != "" {
		o.set("@type", c.Term)
	}
	if e.needsID(c) {
		o.set("@id", e.newID(c))
	}
	path[c] = true
	defer delete(path, c)
	for _, p := range c.AllProperties() {
		if e.include != nil && !e.include[p] {
			continue
		}
		if p.Cardinality.Max == 0 || p.ReadOnly && !p.Cardinality.Required() {
			continue
		}
		n := 1
		if p.Cardinality.Min > 1 {
			n = p.Cardinality.Min
		}
		var vals []any
		for i := 0; i < n; i++ {
			v, ok := e.value(p, path, i)
			if !ok {
				break
			}
			vals = append(vals, v)
		}
		if len(vals) < n && p.Cardinality.Required() {
			// A required composition that would repeat a class above it:
			// give the smallest object of the class instead.
			if k := e.x.classByQN[p.Type.Name]; k != nil {
				vals = vals[:0]
				for i := 0; i < n; i++ {
					vals = append(vals, e.minimal(e.x.concrete(k)))
				}
			}
		}
		switch {
		case len(vals) == 0:
		case p.Cardinality.Many():
			o.set(p.Term, vals)
		default:
			o.set(p.Term, vals[0])
		}
	}
	return o
}

// minimal is an object of c with only @type and @id.
func (e *exampler) minimal(c *model.Class) *object {
	o := newObject()
	o.set("@type", c.Term)
	if e.needsID(c) {
		o.set("@id", e.newID(c))
	}
	return o
}

// newID numbers the objects of a class.
func (e *exampler) newID(c *model.Class) string {
	e.ids[c.Term]++
	return fmt.Sprintf("%s/%s/%d", exampleHost, strings.ToLower(kebab(c.Term)), e.ids[c.Term])
}

// value is the i-th example value of property p; false when there is
// none (a composition cycle).
func (e *exampler) value(p *model.Property, path map[*model.Class]bool, i int) (any, bool) {
	switch p.Type.Kind {
	case model.TypeClass:
		k := e.x.classByQN[p.Type.Name]
		if k == nil {
			return scalar(p.Term, p.Type, i), true
		}
		if reference(p) {
			return fmt.Sprintf("%s/%s/%d", exampleHost, strings.ToLower(kebab(k.Term)), i+1), true
		}
		if e.x.openMap(k) {
			m := newObject()
			m.set("chapter", "3")
			m.set("style", "compact")
			return m, true
		}
		k = e.x.concrete(k)
		if path[k] {
			return nil, false
		}
		return e.object(k, path, true), true
	case model.TypeEnum:
		en := e.x.enumByQN[p.Type.Name]
		if en != nil && len(en.Members) > 0 {
			return en.Members[i%len(en.Members)].Term, true
		}
		if en != nil && en.IRI == capabilityClassIRI && len(e.x.m.Capabilities) > 0 {
			return e.x.m.Capabilities[i%len(e.x.m.Capabilities)].Name, true
		}
		return "Example", true
	case model.TypeSimple:
		if st := e.x.simpleByQN[e.x.typeQN(p.Type)]; st != nil {
			if strings.EqualFold(p.Term, "variable") && len(e.x.m.Variables) > 0 {
				return e.x.m.Variables[i%len(e.x.m.Variables)].Name, true
			}
			return simpleValue(p.Term, st, i), true
		}
	}
	return scalar(p.Term, p.Type, i), true
}

// simpleValue is an example value of a simple type.
func simpleValue(term string, st *model.SimpleType, i int) any {
	v := scalar(term, model.TypeRef{Kind: model.TypeSimple, GoType: st.GoType, XSD: st.Base}, i)
	s, ok := v.(string)
	if !ok {
		return v
	}
	if st.Pattern != "" {
		// Try the value, then forms of it without spaces; the pattern is
		// anchored, as XML Schema patterns are.
		if re, err := regexp.Compile(`^(?:` + st.Pattern + `)$`); err == nil {
			for _, c := range []string{s, strings.ReplaceAll(s, " ", "-"), kebab(term), "example"} {
				if re.MatchString(c) {
					s = c
					break
				}
			}
		}
	}
	if st.MaxLength > 0 && len(s) > st.MaxLength {
		s = s[:st.MaxLength]
	}
	return s
}

// scalar is a plausible value of a property named term with type t.
func scalar(term string, t model.TypeRef, i int) any {
	switch t.GoType {
	case "int64":
		return int64(i + 1)
	case "float64":
		return 0.85
	case "bool":
		return true
	case "time.Time":
		return "2016-03-01T09:30:00Z"
	case "[]byte":
		return "ZXhhbXBsZQ=="
	}
	xsd := strings.TrimPrefix(strings.TrimPrefix(t.XSD, "xs:"), "xsd:")
	lower := strings.ToLower(term)
	switch {
	case xsd == "date":
		return "2016-03-01"
	case xsd == "language" || strings.Contains(lower, "locale"):
		return "en-US"
	case lower == "lti_version":
		return "LTI-2p0"
	case strings.Contains(lower, "email"):
		return "support@lms.example.edu"
	case xsd == "anyURI" || strings.HasSuffix(lower, "url") || strings.Contains(lower, "website") || lower == "endpoint" || lower == "path":
		return fmt.Sprintf("%s/%s/%d", exampleHost, kebab(term), i+1)
	case strings.Contains(lower, "guid"):
		return fmt.Sprintf("g%08x-1d2c-4b5a-9e8f-%012d", 0xa1b2c3d4+i, i+1)
	case lower == "format":
		return "application/vnd.ims.lti.v2.toolproxy+json"
	case strings.Contains(lower, "version"):
		return "1.0"
	case lower == "code" || strings.HasSuffix(lower, "_code"):
		return "example" + suffix(i)
	case lower == "key":
		return "product.name"
	case strings.Contains(lower, "secret"):
		return "s3cr3t-example-value"
	case strings.Contains(lower, "score"):
		return "0.85"
	case xsd == "NCName" || xsd == "Name" || xsd == "token" || xsd == "NMTOKEN" || xsd == "ID":
		return "example-" + kebab(term) + suffix(i)
	}
	return "Example " + strings.ReplaceAll(term, "_", " ") + suffix(i)
}

func suffix(i int) string {
	if i == 0 {
		return ""
	}
	return "-" + strconv.Itoa(i+1)
}

// kebab writes a name in lower case with '-' between words ("tool_proxy",
// "ToolProxy" → "tool-proxy").
func kebab(s string) string {
	var b strings.Builder
	prevLower := false
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			if prevLower {
				b.WriteByte('-')
			}
			b.WriteRune(unicode.ToLower(r))
			prevLower = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
			prevLower = true
		default:
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
				b.WriteByte('-')
			}
			prevLower = false
		}
	}
	return strings.Trim(b.String(), "-")
}
