package gocode

import (
	"fmt"

	"github.com/dave/jennifer/jen"
)

// fileCodec writes the JSON readers and writers of the classes.
func (g *gen) fileCodec(f *jen.File) {
	for _, c := range g.classes {
		if !c.own {
			continue
		}
		g.typePredicates(f, c)
		if c.readFn != "" {
			g.interfaceReader(f, c)
		}
		if c.abstract {
			continue
		}
		g.readLD(f, c)
		g.writeLD(f, c)
		if len(c.roots) > 0 {
			continue // documents.go writes the document API
		}
		x := jen.Id("x")
		f.Comment(fmt.Sprintf("// MarshalJSON writes the %s as a JSON-LD object: single values bare, multi-valued properties as arrays, extensions after the properties in key order.", c.name))
		f.Func().Params(x.Clone().Id(c.name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
			jen.Var().Id("w").Add(g.ld("Writer")),
			jen.Id("x").Dot("WriteLD").Call(jen.Op("&").Id("w")),
			jen.Return(jen.Id("w").Dot("Bytes").Call()))
		f.Comment(fmt.Sprintf("// UnmarshalJSON reads a %s from a JSON object, accepting one value or an array wherever the model allows many, and keeping unknown keys in Extensions.", c.name))
		f.Func().Params(x.Clone().Op("*").Id(c.name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(
			jen.Op("*").Id("x").Op("=").Id(c.name).Values(),
			jen.Id("r").Op(":=").Add(g.ld("NewReader")).Call(jen.Id("data")),
			jen.If(jen.Op("!").Id("x").Dot("ReadLD").Call(jen.Id("r")).Op("&&").Id("r").Dot("Err").Call().Op("==").Nil()).Block(
				jen.Return(jen.Qual("errors", "New").Call(jen.Lit(fmt.Sprintf("%s: a %s is a JSON object", g.o.Package, c.k.Term))))),
			jen.Return(jen.Id("r").Dot("End").Call()))
	}
}

func (g *gen) typePredicates(f *jen.File, c *class) {
	var lits []jen.Code
	for _, n := range c.names {
		lits = append(lits, jen.Lit(n))
	}
	f.Comment(fmt.Sprintf("// %s reports whether a @type value names the class %s.", c.typeFn, c.k.Name))
	f.Func().Id(c.typeFn).Params(jen.Id("s").String()).Bool().Block(
		jen.Switch(jen.Id("s")).Block(jen.Case(lits...).Block(jen.Return(jen.True()))),
		jen.Return(jen.False()))
	var ors []jen.Code
	seen := map[*class]bool{}
	for _, s := range append([]*class{c}, g.descendants(c)...) {
		if seen[s] {
			continue
		}
		seen[s] = true
		if s.imp != g.pkg {
			continue
		}
		ors = append(ors, jen.Id(s.typeFn).Call(jen.Id("s")))
	}
	expr := ors[0]
	for _, o := range ors[1:] {
		expr = jen.Add(expr).Op("||").Add(o)
	}
	f.Comment(fmt.Sprintf("// %s reports whether a @type value names the class %s or a subclass.", c.inFn, c.k.Name))
	f.Func().Id(c.inFn).Params(jen.Id("s").String()).Bool().Block(jen.Return(expr))
}

// descendants are every class below c, abstract ones included.
func (g *gen) descendants(c *class) []*class {
	var out []*class
	for _, s := range g.classes {
		for _, a := range s.supers {
			if a == c {
				out = append(out, s)
			}
		}
	}
	return out
}

// interfaceReader writes the function that reads one object of a class
// with subclasses, choosing the struct from @type.
func (g *gen) interfaceReader(f *jen.File, c *class) {
	ret := c.iface
	retType := jen.Id(ret)
	if ret == "" {
		ret = c.name
		retType = jen.Op("*").Id(c.name)
	}
	if len(c.subs) == 0 {
		f.Comment(fmt.Sprintf("// %s reads nothing: no concrete class implements %s.", c.readFn, ret))
		f.Func().Id(c.readFn).Params(jen.Id("r").Op("*").Add(g.ld("Reader"))).Params(retType, jen.Bool()).Block(
			jen.Return(jen.Nil(), jen.False()))
		return
	}
	var cases []jen.Code
	for _, s := range c.subs[:len(c.subs)-1] {
		cases = append(cases, jen.Case(g.ld("HasType").Call(jen.Id("types"), jen.Id(s.typeFn))).Block(
			jen.Id("v").Op("=").New(g.classRef(s, false))))
	}
	last := c.subs[len(c.subs)-1]
	cases = append(cases, jen.Default().Block(jen.Id("v").Op("=").New(g.classRef(last, false))))
	f.Comment(fmt.Sprintf("// %s reads one object of %s, choosing its type from @type (*%s when @type names no class of the set; Validate then reports it). ok is false, with nothing consumed, when the next value is not an object.", c.readFn, ret, last.name))
	body := []jen.Code{
		jen.If(jen.Id("r").Dot("Kind").Call().Op("!=").Add(g.ld("KindObject"))).Block(jen.Return(jen.Nil(), jen.False())),
	}
	if len(c.subs) == 1 {
		body = append(body, jen.Id("v").Op(":=").New(g.classRef(last, false)))
	} else {
		body = append(body, jen.Id("types").Op(":=").Id("r").Dot("PeekTypes").Call(),
			jen.Var().Id("v").Add(retType),
			jen.Switch().Block(cases...))
	}
	body = append(body, jen.Return(jen.Id("v"), jen.Id("v").Dot("ReadLD").Call(jen.Id("r"))))
	f.Func().Id(c.readFn).Params(jen.Id("r").Op("*").Add(g.ld("Reader"))).Params(retType, jen.Bool()).Block(body...)
}

func (g *gen) readLD(f *jen.File, c *class) {
	x := jen.Id("x")
	ext := jen.Op("&").Id("x").Dot("Extensions")
	misfit := func(assign jen.Code, read jen.Code) jen.Code {
		return jen.Block(
			jen.Id("m").Op(":=").Id("r").Dot("Mark").Call(),
			jen.If(jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Add(read), jen.Id("ok")).Block(assign).Else().Block(
				jen.Id("r").Dot("Misfit").Call(jen.Id("m"), jen.Id("key"), ext.Clone())))
	}
	cases := []jen.Code{
		jen.Case(jen.Lit("@id")).Add(misfit(jen.Id("x").Dot("ID").Op("=").Id("v"),
			g.ld("ReadString").Types(jen.String()).Call(jen.Id("r")))),
		jen.Case(jen.Lit("@type")).Add(misfit(jen.Id("x").Dot("Type").Op("=").Id("v"),
			g.ld("ReadStrings").Types(jen.String()).Call(jen.Id("r")))),
	}
	if len(c.roots) > 0 {
		cases = append(cases, jen.Case(jen.Lit("@context")).Block(
			jen.Id("m").Op(":=").Id("r").Dot("Mark").Call(),
			jen.If(jen.Op("!").Id("x").Dot("Context").Dot("ReadLD").Call(jen.Id("r"))).Block(
				jen.Id("r").Dot("Misfit").Call(jen.Id("m"), jen.Id("key"), ext.Clone()))))
	}
	for _, p := range c.props {
		cases = append(cases, jen.Case(jen.Lit(p.term)).Add(misfit(
			jen.Id("x").Dot(p.field).Op("=").Id("v"), g.readExpr(p))))
	}
	var def jen.Code
	if c.open {
		def = jen.Default().Block(
			jen.If(jen.Id("r").Dot("Kind").Call().Op("==").Add(g.ld("KindString"))).Block(
				jen.If(jen.List(jen.Id("s"), jen.Id("ok")).Op(":=").Id("r").Dot("String").Call(), jen.Id("ok")).Block(
					jen.If(jen.Id("x").Dot("Values").Op("==").Nil()).Block(
						jen.Id("x").Dot("Values").Op("=").Map(jen.String()).String().Values()),
					jen.Id("x").Dot("Values").Index(jen.String().Parens(jen.Id("key"))).Op("=").Id("s")),
				jen.Continue()),
			jen.Id("r").Dot("Extension").Call(jen.Id("key"), ext.Clone()))
	} else {
		def = jen.Default().Block(jen.Id("r").Dot("Extension").Call(jen.Id("key"), ext.Clone()))
	}
	cases = append(cases, def)
	f.Comment(fmt.Sprintf("// ReadLD reads a %s from the object at r. It returns false, having consumed nothing, when the next value is not an object; syntax errors stay in r.", c.name))
	f.Func().Params(x.Clone().Op("*").Id(c.name)).Id("ReadLD").Params(jen.Id("r").Op("*").Add(g.ld("Reader"))).Bool().Block(
		jen.If(jen.Op("!").Id("r").Dot("OpenObject").Call()).Block(jen.Return(jen.False())),
		jen.For(jen.List(jen.Id("key"), jen.Id("more")).Op(":=").Id("r").Dot("NextKey").Call(), jen.Id("more"),
			jen.List(jen.Id("key"), jen.Id("more")).Op("=").Id("r").Dot("NextKey").Call()).Block(
			jen.Switch(jen.String().Parens(jen.Id("key"))).Block(cases...)),
		jen.Return(jen.True()))
}

// readExpr is the call that reads p's value(s), returning (value, ok).
func (g *gen) readExpr(p *prop) *jen.Statement {
	r := jen.Id("r")
	switch p.kind {
	case vkString, vkDateTime:
		fn := "ReadString"
		if p.many {
			fn = "ReadStrings"
		}
		return g.ld(fn).Types(g.elemType(p)).Call(r)
	case vkFloat, vkInt, vkBool:
		m := map[valueKind]string{vkFloat: "Float", vkInt: "Int", vkBool: "Bool"}[p.kind]
		fn := "ReadScalar"
		if p.many {
			fn = "ReadScalars"
		}
		return g.ld(fn).Call(r, jen.Id("r").Dot(m))
	case vkObject:
		fn := "ReadOne"
		if p.many {
			fn = "ReadMany"
		}
		return g.ld(fn).Types(g.elemType(p)).Call(r)
	case vkIface:
		fn := "ReadOneOf"
		if p.many {
			fn = "ReadManyOf"
		}
		read := jen.Id(p.target.readFn)
		if p.target.imp != g.pkg {
			read = jen.Qual(p.target.imp, p.target.readFn)
		}
		return g.ld(fn).Call(r, read)
	}
	// Raw values always fit.
	return g.ld("ReadRaw").Call(r)
}

func (g *gen) writeLD(f *jen.File, c *class) {
	var body []jen.Code
	typeWrite := jen.If(jen.Len(jen.Id("x").Dot("Type")).Op(">").Lit(0)).Block(
		jen.Id("w").Dot("Key").Call(jen.Lit("@type")),
		jen.Id("x").Dot("Type").Dot("WriteLD").Call(jen.Id("w")))
	if c.typed {
		typeWrite = typeWrite.Else().Block(
			jen.Id("w").Dot("Key").Call(jen.Lit("@type")),
			jen.Id("w").Dot("String").Call(jen.Lit(c.k.Term)))
	}
	body = append(body, typeWrite,
		jen.If(jen.Id("x").Dot("ID").Op("!=").Lit("")).Block(
			jen.Id("w").Dot("Key").Call(jen.Lit("@id")),
			jen.Id("w").Dot("String").Call(jen.Id("x").Dot("ID"))))
	for _, p := range c.props {
		body = append(body, g.writeProp(p))
	}
	if c.open {
		body = append(body, jen.Id("w").Dot("Values").Call(jen.Id("x").Dot("Values")))
	}
	body = append(body, jen.Id("w").Dot("Extensions").Call(jen.Id("x").Dot("Extensions")))
	f.Comment(fmt.Sprintf("// WriteLD writes the %s as a JSON object to w.", c.name))
	open := []jen.Code{jen.Id("w").Dot("OpenObject").Call()}
	if len(c.roots) > 0 {
		open = append(open, jen.If(jen.Op("!").Id("x").Dot("Context").Dot("IsZero").Call()).Block(
			jen.Id("w").Dot("Key").Call(jen.Lit("@context")), jen.Id("x").Dot("Context").Dot("WriteLD").Call(jen.Id("w"))))
	}
	f.Func().Params(jen.Id("x").Op("*").Id(c.name)).Id("WriteLD").Params(jen.Id("w").Op("*").Add(g.ld("Writer"))).Block(
		append(open, jen.Id("x").Dot("writeMembers").Call(jen.Id("w")),
			jen.Id("w").Dot("CloseObject").Call())...)
	f.Comment(fmt.Sprintf("// writeMembers writes the members of the %s's object.", c.name))
	f.Func().Params(jen.Id("x").Op("*").Id(c.name)).Id("writeMembers").Params(jen.Id("w").Op("*").Add(g.ld("Writer"))).Block(body...)
}

func (g *gen) writeProp(p *prop) jen.Code {
	field := jen.Id("x").Dot(p.field)
	key := jen.Id("w").Dot("Key").Call(jen.Lit(p.term))
	switch p.kind {
	case vkString, vkDateTime:
		if p.many {
			return g.ld("WriteStrings").Call(jen.Id("w"), jen.Lit(p.term), field)
		}
		return jen.If(field.Clone().Op("!=").Lit("")).Block(key,
			jen.Id("w").Dot("String").Call(jen.String().Parens(field.Clone())))
	case vkFloat, vkInt, vkBool:
		m := map[valueKind]string{vkFloat: "Float", vkInt: "Int", vkBool: "Bool"}[p.kind]
		if p.many {
			return jen.If(jen.Len(field).Op(">").Lit(0)).Block(key,
				jen.Id("w").Dot("OpenArray").Call(),
				jen.For(jen.List(jen.Id("_"), jen.Id("v")).Op(":=").Range().Add(field.Clone())).Block(
					jen.Id("w").Dot(m).Call(jen.Id("v"))),
				jen.Id("w").Dot("CloseArray").Call())
		}
		return jen.If(field.Clone().Op("!=").Nil()).Block(key, jen.Id("w").Dot(m).Call(jen.Op("*").Add(field.Clone())))
	case vkObject:
		if p.many {
			return g.ld("WriteMany").Call(jen.Id("w"), jen.Lit(p.term), field)
		}
		return jen.If(field.Clone().Op("!=").Nil()).Block(key, field.Clone().Dot("WriteLD").Call(jen.Id("w")))
	case vkIface:
		if p.many {
			return jen.If(jen.Len(field).Op(">").Lit(0)).Block(key,
				jen.Id("w").Dot("OpenArray").Call(),
				jen.For(jen.List(jen.Id("_"), jen.Id("v")).Op(":=").Range().Add(field.Clone())).Block(
					jen.If(jen.Id("v").Op("!=").Nil()).Block(jen.Id("v").Dot("WriteLD").Call(jen.Id("w")))),
				jen.Id("w").Dot("CloseArray").Call())
		}
		return jen.If(field.Clone().Op("!=").Nil()).Block(key, field.Clone().Dot("WriteLD").Call(jen.Id("w")))
	}
	return g.ld("WriteRaw").Call(jen.Id("w"), jen.Lit(p.term), field)
}
