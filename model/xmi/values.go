package xmi

import (
	"strconv"
	"strings"

	"github.com/ltiforge/ltiforge/model/uml"
	"github.com/ltiforge/ltiforge/model/xmltree"
)

// multiplicity reads lowerValue and upperValue. An absent bound is 1 (the
// UML default; MagicDraw moves such bounds into its extension, which is not
// read); a literal without a value is 0; "*" and EA's "-1" are unlimited;
// either literal type may hold either bound. A bad bound is an error at its
// line and leaves that bound at its default.
func (b *builder) multiplicity(e *xmltree.Element, te *uml.TypedElement, about *uml.Element) {
	te.Multiplicity = uml.One
	for _, ch := range e.Children {
		if ch.Space != "" {
			continue
		}
		switch ch.Local {
		case "lowerValue":
			if v, ok := b.bound(ch, about, "lower"); ok {
				if v == uml.Unlimited {
					// EA and StarUML write [*] as lower "*" or "-1": zero.
					v = 0
				}
				te.Lower = v
			}
		case "upperValue":
			if v, ok := b.bound(ch, about, "upper"); ok {
				te.Upper = v
			}
		}
	}
	if te.Upper != uml.Unlimited && te.Lower > te.Upper {
		b.g.Errorf(b.pos(e), about, "bad multiplicity [%d..%d]: the lower bound is greater than the upper bound", te.Lower, te.Upper)
	}
	if te.Upper == 0 && te.Lower == 0 {
		// [0..0] is legal UML but almost always a missing upper bound
		// written as an empty literal; say so rather than guess.
		b.g.Warnf(b.pos(e), about, "multiplicity [0..0] allows no values")
	}
}

// bound reads one multiplicity bound.
func (b *builder) bound(e *xmltree.Element, about *uml.Element, which string) (int, bool) {
	if _, ok := b.metaclass(e, about); !ok {
		return 0, false
	}
	text, ok := e.Get("", "value")
	if !ok {
		text = bodyText(e)
	}
	text = strings.TrimSpace(text)
	switch text {
	case "":
		return 0, true
	case "*", "-1":
		return uml.Unlimited, true
	}
	n, err := strconv.Atoi(text)
	if err != nil {
		b.g.Errorf(b.pos(e), about, "bad multiplicity: the %s bound %q is not a whole number or *", which, text)
		return 0, false
	}
	if n < 0 {
		b.g.Errorf(b.pos(e), about, "bad multiplicity: the %s bound %d is negative", which, n)
		return 0, false
	}
	return n, true
}

// value reads a value specification (a default value, a literal's
// specification, a slot value).
func (b *builder) value(e *xmltree.Element, about *uml.Element) *uml.Value {
	mc, ok := b.metaclass(e, about)
	if !ok {
		return nil
	}
	text, has := e.Get("", "value")
	switch mc {
	case "LiteralString":
		return &uml.Value{Kind: uml.ValueString, Text: text}
	case "LiteralInteger", "LiteralUnlimitedNatural":
		return &uml.Value{Kind: uml.ValueInteger, Text: orDefault(text, has, "0")}
	case "LiteralBoolean":
		return &uml.Value{Kind: uml.ValueBoolean, Text: orDefault(text, has, "false")}
	case "LiteralReal":
		return &uml.Value{Kind: uml.ValueReal, Text: orDefault(text, has, "0")}
	case "LiteralNull":
		return &uml.Value{Kind: uml.ValueNull}
	case "InstanceValue":
		v := &uml.Value{Kind: uml.ValueLiteral}
		for _, rt := range b.refsOf(e, "instance") {
			v.Text = rt.text
			b.addRef(rt, about, "instance", 0, func(t target) bool {
				switch n := t.node.(type) {
				case *uml.Literal:
					v.Literal, v.Text = n, n.Name
				case *uml.Instance:
					v.Text = n.Name
				default:
					return false
				}
				return true
			})
			break
		}
		return v
	case "":
		if has {
			return &uml.Value{Kind: uml.ValueString, Text: text}
		}
		return nil
	default:
		body, _ := b.specification(e, about)
		return &uml.Value{Kind: uml.ValueExpression, Text: body}
	}
}

func orDefault(text string, has bool, def string) string {
	if !has || strings.TrimSpace(text) == "" {
		return def
	}
	return text
}

// specification returns the text and language of a value specification:
// an opaque expression's body and language children (or attributes), or a
// literal's value.
func (b *builder) specification(e *xmltree.Element, about *uml.Element) (body, language string) {
	if v, ok := e.Get("", "value"); ok {
		return v, ""
	}
	var bodies, langs []string
	if v, ok := e.Get("", "body"); ok {
		bodies = append(bodies, v)
	}
	if v, ok := e.Get("", "language"); ok {
		langs = append(langs, v)
	}
	if v, ok := e.Get("", "symbol"); ok && len(bodies) == 0 {
		bodies = append(bodies, v)
	}
	for _, c := range e.Children {
		if c.Space != "" {
			continue
		}
		switch c.Local {
		case "body":
			bodies = append(bodies, c.Text)
		case "language":
			langs = append(langs, strings.TrimSpace(c.Text))
		}
	}
	return strings.Join(bodies, "\n"), strings.Join(langs, " ")
}

// bodyText returns the text of e's body children joined, for bounds written
// as opaque expressions.
func bodyText(e *xmltree.Element) string {
	var parts []string
	for _, c := range e.Children {
		if c.Space == "" && c.Local == "body" {
			parts = append(parts, c.Text)
		}
	}
	return strings.Join(parts, " ")
}
