package gocode

import (
	"fmt"

	"github.com/dave/jennifer/jen"
)

// fileValidate writes ValidateLD and Validate for every struct.
func (g *gen) fileValidate(f *jen.File) {
	for _, c := range g.classes {
		if !c.own || c.abstract {
			continue
		}
		body := []jen.Code{
			jen.Id("c").Dot("Type").Call(jen.Id("ptr"), jen.Id("x").Dot("Type"), jen.Id(c.inFn), jen.Id("typed"), jen.Lit(c.k.Term)),
		}
		var required jen.Code = jen.Id("c").Dot("RequiresID").Call(jen.Lit(c.k.Origin.QualifiedName))
		if c.k.IDRequired {
			required = jen.True()
		}
		body = append(body, jen.Id("c").Dot("ID").Call(jen.Id("ptr"), jen.Id("x").Dot("ID"), required, jen.Lit(c.k.Term)))
		for _, p := range c.props {
			body = append(body, g.validateProp(c, p))
		}
		if c.open {
			body = append(body, jen.For(jen.Id("k").Op(":=").Range().Id("x").Dot("Extensions")).Block(
				jen.If(jen.Op("!").Qual("strings", "HasPrefix").Call(jen.Id("k"), jen.Lit("@"))).Block(
					jen.Id("c").Dot("Add").Call(g.ld("Pointer").Call(jen.Id("ptr"), jen.Id("k")),
						jen.Lit(fmt.Sprintf("a %s maps names to strings; this value is not a string", c.k.Term))))))
		}
		f.Comment(fmt.Sprintf("// ValidateLD reports into c where the %s breaks the model: cardinalities, required properties, simple-type facets, closed enumerations, @type and @id. ptr is the object's JSON pointer; typed says that its position requires @type.", c.name))
		f.Func().Params(jen.Id("x").Op("*").Id(c.name)).Id("ValidateLD").Params(
			jen.Id("c").Op("*").Add(g.ld("Checker")), jen.Id("ptr").String(), jen.Id("typed").Bool()).Block(body...)
		if len(c.roots) > 0 {
			continue // documents.go writes Validate for document roots
		}
		f.Comment(fmt.Sprintf("// Validate checks the %s against the model, as an object embedded in a document, and returns ld.ValidationErrors.", c.name))
		f.Func().Params(jen.Id("x").Op("*").Id(c.name)).Id("Validate").Params().Error().Block(
			jen.Var().Id("c").Add(g.ld("Checker")),
			jen.Id("x").Dot("ValidateLD").Call(jen.Op("&").Id("c"), jen.Lit(""), jen.False()),
			jen.Return(jen.Id("c").Dot("Err").Call()))
	}
}

func (g *gen) validateProp(c *class, p *prop) jen.Code {
	card := p.p.Cardinality
	name := c.k.Term + "." + p.term
	field := jen.Id("x").Dot(p.field)
	var inner []jen.Code
	needCount := card.Min > 0 || (p.many && card.Max >= 0) || (!p.many && card.Max == 0)
	if needCount {
		var n jen.Code
		switch {
		case p.many:
			n = jen.Len(field.Clone())
		case p.kind == vkString || p.kind == vkDateTime:
			n = g.ld("One").Call(field.Clone().Op("!=").Lit(""))
		default:
			n = g.ld("One").Call(field.Clone().Op("!=").Nil())
		}
		inner = append(inner, jen.Id("c").Dot("Count").Call(jen.Id("p"), n, jen.Lit(card.Min), jen.Lit(card.Max), jen.Lit(name)))
	}
	if p.many {
		if chk := g.valueCheck(p, jen.Id("x").Dot(p.field).Index(jen.Id("i")), g.ld("Index").Call(jen.Id("p"), jen.Id("i"))); chk != nil {
			inner = append(inner, jen.For(jen.Id("i").Op(":=").Range().Add(field.Clone())).Block(chk))
		}
	} else if chk := g.valueCheck(p, field.Clone(), jen.Id("p")); chk != nil {
		var present jen.Code
		switch p.kind {
		case vkString, vkDateTime:
			present = field.Clone().Op("!=").Lit("")
		default:
			present = field.Clone().Op("!=").Nil()
		}
		inner = append(inner, jen.If(present).Block(chk))
	}
	if len(inner) == 0 {
		inner = nil
	}
	misfit := jen.If(jen.List(jen.Id("raw"), jen.Id("bad")).Op(":=").Id("x").Dot("Extensions").Index(jen.Lit(p.term)), jen.Id("bad")).Block(
		jen.Id("c").Dot("Misfit").Call(jen.Id("p"), jen.Id("raw"), jen.Lit(card.Min), jen.Lit(card.Max), jen.Lit(name), jen.Lit(p.want)))
	if inner != nil {
		misfit = misfit.Else().Block(inner...)
	}
	return jen.If(jen.Id("c").Dot("Includes").Call(jen.Lit(p.key))).Block(
		jen.Id("p").Op(":=").Add(g.ld("Pointer")).Call(jen.Id("ptr"), jen.Lit(p.term)),
		misfit)
}

// valueCheck checks one value v at pointer ptr, or is nil when values of
// p need no check of their own.
func (g *gen) valueCheck(p *prop, v, ptr jen.Code) jen.Code {
	switch p.kind {
	case vkString:
		switch {
		case p.named != nil:
			return jen.Add(v).Dot("CheckLD").Call(jen.Id("c"), ptr)
		case p.enum != nil && !p.enum.e.Extensible:
			return jen.Id("c").Dot("Enum").Call(ptr, jen.String().Parens(v), jen.Add(v).Dot("Known").Call(), jen.Lit(p.enum.e.Name))
		}
	case vkDateTime:
		return jen.Id("c").Dot("DateTime").Call(ptr, v)
	case vkObject:
		return jen.Add(v).Dot("ValidateLD").Call(jen.Id("c"), ptr, jen.False())
	case vkIface:
		return jen.If(jen.Add(v).Op("!=").Nil()).Block(
			jen.Add(v).Dot("ValidateLD").Call(jen.Id("c"), ptr, jen.Lit(p.target.abstract)))
	}
	return nil
}
