package staruml

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/ltiforge/ltiforge/model/uml"
	"github.com/ltiforge/ltiforge/model/xmltree"
)

// libraryName is the library of the primitive types StarUML models name
// without declaring them (uml.Graph.LibraryType).
const libraryName = "StarUML"

// typedUse is an attribute's or parameter's type and value as written,
// waiting for the classifiers of the whole file to be known.
type typedUse struct {
	te   *uml.TypedElement
	elem *uml.Element
	what string // "attribute" or "parameter"
	line int
	// expr is the TypeExpression; guid the Type_ reference, if any.
	expr, guid string
	hasGUID    bool
	// value is the InitialValue (attributes) or DefaultValue (parameters).
	value    string
	hasValue bool
	pkg      *uml.Package
	cls      *uml.Classifier
}

// typedUse records the type and value fields of o.
func (r *reader) typedUse(o *xmltree.Element, te *uml.TypedElement, e *uml.Element, what, valueField string, sc scope) {
	t := &typedUse{te: te, elem: e, what: what, line: o.Line, pkg: sc.pkg, cls: sc.cls}
	t.expr, _, _ = attr(o, "TypeExpression")
	t.expr = strings.TrimSpace(t.expr)
	t.guid, _, t.hasGUID = ref(o, "Type_")
	t.value, _, t.hasValue = attr(o, valueField)
	t.hasValue = t.hasValue && strings.TrimSpace(t.value) != ""
	r.typed = append(r.typed, t)
}

// resolveType settles one element's type: the Type_ reference when there
// is one (StarUML keeps a stale TypeExpression after a rename, so the
// reference wins), else the TypeExpression looked up by name among the
// file's classifiers, else a library primitive of that name.
func (r *reader) resolveType(t *typedUse) {
	switch {
	case t.hasGUID && t.guid != "":
		t.te.TypeRef = t.guid
		n, ok := r.nodes[t.guid]
		if !ok {
			if t.expr != "" {
				t.te.TypeRef = t.expr // more telling than a guid in reports
			}
			break // reported as a dangling reference
		}
		c, ok := n.target.(*uml.Classifier)
		if !ok {
			r.g.Errorf(r.pos(t.line), t.elem, "the type of the %s %q is the %s %q at line %d, not a classifier", t.what, t.elem.Name, n.typ, n.name, n.line)
			break
		}
		t.te.Type = c
	case t.expr == "":
		// Untyped, as UML allows.
	case isValueText(t.expr):
		// IMS writes the facets of «simpleType» classes (maxLength : 128,
		// pattern : \S*) with the value where the type would go.
		if t.hasValue {
			r.g.Warnf(r.pos(t.line), t.elem, "the type expression %q of the %s %q is not a type name, and the %s also has a value; the type expression is ignored", t.expr, t.what, t.elem.Name, t.what)
			break
		}
		if t.cls == nil || t.cls.Stereotype("simpleType") == nil {
			r.g.Warnf(r.pos(t.line), t.elem, "the type expression %q of the %s %q is not a type name; it is kept as the %s's value", t.expr, t.what, t.elem.Name, t.what)
		}
		t.te.Default = facetValue(t.expr)
		return
	default:
		t.te.TypeRef = t.expr
		if c := r.lookupName(t); c != nil {
			t.te.Type = c
			break
		}
		t.te.Type = r.g.LibraryType(libraryName, t.expr)
		if !knownPrimitive(t.expr) {
			r.g.Warnf(r.pos(t.line), t.elem, "the type %q of the %s %q is neither declared in this file nor a known primitive type; it is kept as a library type", t.expr, t.what, t.elem.Name)
		}
	}
	if t.hasValue {
		t.te.Default = parseValue(t.value, t.te.Type)
	}
}

// lookupName finds the classifier a TypeExpression names. A qualified name
// ("Pkg::Class") must match the trailing package names. Among several
// classifiers of one name, the one whose package is nearest the user's
// wins; a tie is reported and the first in the file is used.
func (r *reader) lookupName(t *typedUse) *uml.Classifier {
	parts := strings.Split(t.expr, "::")
	name := strings.TrimSpace(parts[len(parts)-1])
	var cands []*uml.Classifier
	for _, c := range r.byName[name] {
		if qualifiedBy(c, parts[:len(parts)-1]) {
			cands = append(cands, c)
		}
	}
	switch len(cands) {
	case 0:
		return nil
	case 1:
		return cands[0]
	}
	here := ancestry(t.pkg)
	best, bestScore, tie := cands[0], -1, false
	for _, c := range cands {
		s := commonDepth(here, ancestry(c.Owner))
		switch {
		case s > bestScore:
			best, bestScore, tie = c, s, false
		case s == bestScore:
			tie = true
		}
	}
	if tie {
		r.g.Warnf(r.pos(t.line), t.elem, "the type name %q of the %s %q matches %d classifiers equally well; the one at line %d is used", t.expr, t.what, t.elem.Name, len(cands), best.Pos.Line)
	}
	return best
}

// qualifiedBy reports whether c's enclosing package names end with quals.
func qualifiedBy(c *uml.Classifier, quals []string) bool {
	p := c.Owner
	for i := len(quals) - 1; i >= 0; i-- {
		if p == nil || p.Name != strings.TrimSpace(quals[i]) {
			return false
		}
		p = p.Owner
	}
	return true
}

// ancestry lists p and its enclosing packages, outermost first.
func ancestry(p *uml.Package) []*uml.Package {
	var out []*uml.Package
	for ; p != nil; p = p.Owner {
		out = append(out, p)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// commonDepth counts the packages two ancestries share from the top.
func commonDepth(a, b []*uml.Package) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// isValueText reports whether a TypeExpression is a value rather than a
// type name: a number, or text with characters no type name holds (a
// regular expression such as \S*).
func isValueText(s string) bool {
	if isNumber(s) {
		return true
	}
	for _, c := range s {
		if unicode.IsLetter(c) || unicode.IsDigit(c) || strings.ContainsRune("_.-:[]<>, ", c) {
			continue
		}
		return true
	}
	first := []rune(s)[0]
	return !unicode.IsLetter(first) && first != '_'
}

// facetValue reads a value written as a TypeExpression.
func facetValue(s string) *uml.Value {
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return &uml.Value{Kind: uml.ValueInteger, Text: s}
	}
	if isNumber(s) {
		return &uml.Value{Kind: uml.ValueReal, Text: s}
	}
	return &uml.Value{Kind: uml.ValueString, Text: s}
}

// parseValue reads an initial or default value. For an enumeration-typed
// element a literal's name (optionally written Type.LITERAL or
// Type::LITERAL) is that literal.
func parseValue(raw string, typ *uml.Classifier) *uml.Value {
	s := strings.TrimSpace(raw)
	if s == "" {
		return nil
	}
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return &uml.Value{Kind: uml.ValueString, Text: s[1 : len(s)-1]}
	}
	if typ != nil && typ.Kind == uml.KindEnumeration {
		name := s
		if i := strings.LastIndexAny(name, ".:"); i >= 0 {
			name = name[i+1:]
		}
		for _, l := range typ.Literals {
			if l.Name == name {
				return &uml.Value{Kind: uml.ValueLiteral, Text: name, Literal: l}
			}
		}
	}
	switch strings.ToLower(s) {
	case "true", "false":
		return &uml.Value{Kind: uml.ValueBoolean, Text: strings.ToLower(s)}
	case "null", "nil":
		return &uml.Value{Kind: uml.ValueNull, Text: s}
	}
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return &uml.Value{Kind: uml.ValueInteger, Text: s}
	}
	if isNumber(s) {
		return &uml.Value{Kind: uml.ValueReal, Text: s}
	}
	return &uml.Value{Kind: uml.ValueExpression, Text: s}
}

// isNumber reports whether s is a decimal number. ParseFloat alone would
// also take words such as "Inf" and "NaN", which may well be type names.
func isNumber(s string) bool {
	if s == "" || !strings.ContainsRune("0123456789+-.", rune(s[0])) {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
