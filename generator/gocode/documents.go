package gocode

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/ltiforge/ltiforge/model"
)

// fileDocuments writes the media-type constants and one document type per
// JSON media type.
func (g *gen) fileDocuments(f *jen.File) {
	var consts []jen.Code
	for _, x := range g.media {
		consts = append(consts, jen.Comment(fmt.Sprintf("// %s is the media type of %s documents.", x.constMT, x.name)),
			jen.Id(x.constMT).Op("=").Lit(x.mt.Name))
		if x.constCx != "" {
			consts = append(consts, jen.Comment(fmt.Sprintf("// %s is the standard JSON-LD context of %s documents.", x.constCx, x.name)),
				jen.Id(x.constCx).Op("=").Lit(x.mt.Context))
		}
	}
	if len(consts) > 0 {
		f.Comment("// Media types and their standard contexts.")
		f.Const().Defs(consts...)
	}
	g.documentInterface(f)
	for _, x := range g.media {
		switch x.mt.Form {
		case model.FormJSONLD:
			if x.root.roots[0] == x {
				g.rootDocument(f, x.root)
			}
		case model.FormGraph:
			g.graphDocument(f, x)
		case model.FormSimple:
			g.simpleDocument(f, x)
		}
		if x.termFn != "" {
			var lits []jen.Code
			for _, t := range x.terms {
				lits = append(lits, jen.Lit(t))
			}
			f.Comment(fmt.Sprintf("// %s reports whether the standard context of %s defines name as a term or prefix.", x.termFn, x.mt.Name))
			f.Func().Id(x.termFn).Params(jen.Id("name").String()).Bool().Block(
				jen.Switch(jen.Id("name")).Block(jen.Case(lits...).Block(jen.Return(jen.True()))),
				jen.Return(jen.False()))
		}
	}
	g.rules(f)
}

func (g *gen) documentInterface(f *jen.File) {
	f.Comment("// Document is a decoded document of one of the package's media types.")
	f.Type().Id("Document").Interface(
		jen.Comment("// MediaType returns the document's media type."),
		jen.Id("MediaType").Params().String(),
		jen.Comment("// Encode writes the document in its canonical compact form."),
		jen.Id("Encode").Params().Params(jen.Index().Byte(), jen.Error()),
		jen.Comment("// Validate checks the document against the model and returns ld.ValidationErrors."),
		jen.Id("Validate").Params().Error(),
	)
	var cases []jen.Code
	for _, x := range g.media {
		fn := "Decode" + x.name
		if x.mt.Form == model.FormJSONLD {
			fn = "Decode" + x.root.name
		}
		cases = append(cases, jen.Case(g.ld("SameMediaType").Call(jen.Id("mediaType"), jen.Id(x.constMT))).Block(
			jen.Return(jen.Id("asDocument").Call(jen.Id(fn).Call(jen.Id("data"), jen.Id("opts").Op("..."))))))
	}
	f.Comment("// asDocument returns d as a Document, or the error (never a typed nil).")
	f.Func().Id("asDocument").Types(jen.Id("T").Id("Document")).Params(jen.Id("d").Id("T"), jen.Err().Error()).Params(jen.Id("Document"), jen.Error()).Block(
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("d"), jen.Nil()))
	f.Comment("// DecodeDocument decodes data as a document of mediaType (compared without regard to case or parameters).")
	f.Func().Id("DecodeDocument").Params(jen.Id("mediaType").String(), jen.Id("data").Index().Byte(), jen.Id("opts").Op("...").Add(g.ld("Option"))).Params(jen.Id("Document"), jen.Error()).Block(
		jen.Switch().Block(cases...),
		jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit(g.o.Package+": no JSON media type %q in this package"), jen.Id("mediaType"))))
	var lits []jen.Code
	for _, x := range g.media {
		lits = append(lits, jen.Id(x.constMT))
	}
	f.Comment("// MediaTypes returns the package's JSON media types, in model order.")
	f.Func().Id("MediaTypes").Params().Index().String().Block(jen.Return(jen.Index().String().Values(lits...)))

	// DetectMediaType: by a standard context IRI first, then by the root's
	// @type, then the simple form for an object with neither.
	var byContext, byType []jen.Code
	simple := ""
	for _, x := range g.media {
		if x.constCx != "" {
			byContext = append(byContext, jen.If(jen.Qual("slices", "Contains").Call(jen.Id("iris"), jen.Id(x.constCx))).Block(jen.Return(jen.Id(x.constMT))))
		}
		switch x.mt.Form {
		case model.FormJSONLD:
			byType = append(byType, jen.If(g.ld("HasType").Call(jen.Id("types"), jen.Id(x.root.typeFn))).Block(jen.Return(jen.Id(x.constMT))))
		case model.FormGraph:
			byType = append(byType, jen.If(jen.Id("graph")).Block(jen.Return(jen.Id(x.constMT))))
		case model.FormSimple:
			if simple == "" {
				simple = x.constMT
			}
		}
	}
	tail := jen.Return(jen.Lit(""))
	if simple != "" {
		tail = jen.If(jen.Len(jen.Id("types")).Op("==").Lit(0).Op("&&").Id("ctx").Dot("IsZero").Call()).Block(jen.Return(jen.Id(simple))).Line().Return(jen.Lit(""))
	}
	body := []jen.Code{
		jen.Id("r").Op(":=").Add(g.ld("NewReader")).Call(jen.Id("data")),
		jen.If(jen.Op("!").Id("r").Dot("OpenObject").Call()).Block(jen.Return(jen.Lit(""))),
		jen.Var().Defs(jen.Id("ctx").Add(g.ld("Context")), jen.Id("types").Index().String(), jen.Id("graph").Bool()),
		jen.For(jen.List(jen.Id("key"), jen.Id("more")).Op(":=").Id("r").Dot("NextKey").Call(), jen.Id("more"),
			jen.List(jen.Id("key"), jen.Id("more")).Op("=").Id("r").Dot("NextKey").Call()).Block(
			jen.Switch(jen.String().Parens(jen.Id("key"))).Block(
				jen.Case(jen.Lit("@context")).Block(jen.If(jen.Op("!").Id("ctx").Dot("ReadLD").Call(jen.Id("r"))).Block(jen.Id("r").Dot("Skip").Call())),
				jen.Case(jen.Lit("@type")).Block(jen.If(jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Add(g.ld("ReadStrings")).Types(jen.String()).Call(jen.Id("r")), jen.Id("ok")).Block(
					jen.Id("types").Op("=").Id("v")).Else().Block(jen.Id("r").Dot("Skip").Call())),
				jen.Case(jen.Lit("@graph")).Block(jen.Id("graph").Op("=").True(), jen.Id("r").Dot("Skip").Call()),
				jen.Default().Block(jen.Id("r").Dot("Skip").Call()))),
		jen.If(jen.Id("r").Dot("End").Call().Op("!=").Nil()).Block(jen.Return(jen.Lit(""))),
		jen.Id("iris").Op(":=").Id("ctx").Dot("IRIs").Call(),
		jen.List(jen.Id("_"), jen.Id("_"), jen.Id("_")).Op("=").List(jen.Id("iris"), jen.Id("types"), jen.Id("graph")),
	}
	body = append(body, byContext...)
	body = append(body, byType...)
	body = append(body, tail)
	f.Comment("// DetectMediaType names the media type of a document: the one whose standard context its @context references, else the one whose root class its @type names (the first in model order), else, for an object with neither, the simple form. It returns \"\" when none fits or data is not a JSON object.")
	f.Func().Id("DetectMediaType").Params(jen.Id("data").Index().Byte()).String().Block(body...)
}

func (g *gen) rulesValue(x *media) jen.Code {
	if x.rules == "" {
		return jen.Nil()
	}
	return jen.Id(x.rules)
}

func (g *gen) docIntro(x *media, what string) string {
	s := fmt.Sprintf("%s is a document of the media type %s", x.name, x.mt.Name)
	if x.mt.Context != "" {
		s += fmt.Sprintf(" (standard context %s)", x.mt.Context)
	}
	return s + ": " + what
}

// decodeFunc writes Decode<Doc>, UnmarshalJSON and MediaType, given that
// the document type has decode(data, o, slow bool) error.
func (g *gen) decodeFuncs(f *jen.File, x *media) {
	d := jen.Id("d")
	f.Comment(fmt.Sprintf("// Decode%s decodes a %s document. A document whose @context is not the standard one is compacted to it first when ld.WithLoader is given, and rejected (ld.ErrUnfamiliarContext) otherwise. Decoding checks the JSON shape only; call Validate for the model's rules.", x.name, x.mt.Name))
	f.Func().Id("Decode"+x.name).Params(jen.Id("data").Index().Byte(), jen.Id("opts").Op("...").Add(g.ld("Option"))).Params(jen.Op("*").Id(x.name), jen.Error()).Block(
		jen.Id("d").Op(":=").New(jen.Id(x.name)),
		jen.If(jen.Err().Op(":=").Id("d").Dot("decode").Call(jen.Id("data"), g.ld("Apply").Call(jen.Id("opts")), jen.True()), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("d"), jen.Nil()))
	f.Comment(fmt.Sprintf("// UnmarshalJSON decodes a %s document written against its standard context (see Decode%s for others).", x.mt.Name, x.name))
	f.Func().Params(d.Clone().Op("*").Id(x.name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(
		jen.Return(jen.Id("d").Dot("decode").Call(jen.Id("data"), g.ld("Options").Values(), jen.True())))
	f.Comment(fmt.Sprintf("// MediaType returns %s.", x.constMT))
	f.Func().Params(jen.Op("*").Id(x.name)).Id("MediaType").Params().String().Block(jen.Return(jen.Id(x.constMT)))
	f.Comment("// Encode writes the document in its canonical compact form: the @context as received (the standard context when none was), single values bare, multi-valued properties as arrays, extensions kept.")
	f.Func().Params(d.Clone().Op("*").Id(x.name)).Id("Encode").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Var().Id("w").Add(g.ld("Writer")),
		jen.Id("d").Dot("WriteLD").Call(jen.Op("&").Id("w")),
		jen.Return(jen.Id("w").Dot("Bytes").Call()))
	f.Comment("// MarshalJSON is Encode.")
	f.Func().Params(d.Clone().Id(x.name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(jen.Id("d").Dot("Encode").Call()))
}

// slowPath is the code that sends a document with an unfamiliar context
// through compaction: it assumes d.Context is read.
func (g *gen) slowPath(x *media, graph bool) jen.Code {
	return jen.If(jen.Id("slow").Op("&&").Op("!").Id("d").Dot("Context").Dot("IsZero").Call().Op("&&").Op("!").Id("d").Dot("Context").Dot("Standard").Call(jen.Id(x.constCx), jen.Id(x.termFn))).Block(
		jen.If(jen.Id("o").Dot("Loader").Op("==").Nil()).Block(
			jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit(g.o.Package+": %w (@context %s)"), g.ld("ErrUnfamiliarContext"), jen.Qual("strings", "Join").Call(jen.Id("d").Dot("Context").Dot("IRIs").Call(), jen.Lit(", "))))),
		jen.List(jen.Id("compacted"), jen.Err()).Op(":=").Add(g.ld("Compact")).Call(jen.Id("data"), jen.Id(x.constCx), jen.Lit(graph), jen.Id("o").Dot("Loader")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit(g.o.Package+": %w"), jen.Err()))),
		jen.Return(jen.Id("d").Dot("decode").Call(jen.Id("compacted"), jen.Id("o"), jen.False())))
}

// rootDocument writes the document API of a class that is the root of
// jsonld media types: Decode<Class>, decode, MediaType, Encode,
// MarshalJSON, UnmarshalJSON and Validate.
func (g *gen) rootDocument(f *jen.File, c *class) {
	def := c.roots[0]
	for _, x := range c.roots {
		if len(x.mt.Include) == 0 {
			def = x
			break
		}
	}
	var mts []string
	for _, x := range c.roots {
		mts = append(mts, x.mt.Name)
	}
	x := jen.Id("x")
	f.Comment(comment(fmt.Sprintf("Decode%s decodes a document whose root is a %s (%s; the @context tells them apart). "+
		"A document whose @context is not a standard one is compacted to %s's context first when ld.WithLoader is given, "+
		"and rejected (ld.ErrUnfamiliarContext) otherwise. Decoding checks the JSON shape only; call Validate for the model's rules.",
		c.name, c.k.Term, strings.Join(mts, ", "), def.mt.Name)))
	f.Func().Id("Decode"+c.name).Params(jen.Id("data").Index().Byte(), jen.Id("opts").Op("...").Add(g.ld("Option"))).Params(jen.Op("*").Id(c.name), jen.Error()).Block(
		jen.Id("x").Op(":=").New(jen.Id(c.name)),
		jen.If(jen.Err().Op(":=").Id("x").Dot("decode").Call(jen.Id("data"), g.ld("Apply").Call(jen.Id("opts")), jen.True()), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("x"), jen.Nil()))
	f.Comment("// decode reads the document; slow allows compaction of an unfamiliar context.")
	f.Func().Params(x.Clone().Op("*").Id(c.name)).Id("decode").Params(jen.Id("data").Index().Byte(), jen.Id("o").Add(g.ld("Options")), jen.Id("slow").Bool()).Error().Block(
		jen.Op("*").Id("x").Op("=").Id(c.name).Values(),
		jen.Id("r").Op(":=").Add(g.ld("NewReader")).Call(jen.Id("data")),
		jen.If(jen.Op("!").Id("x").Dot("ReadLD").Call(jen.Id("r")).Op("&&").Id("r").Dot("Err").Call().Op("==").Nil()).Block(
			jen.Return(jen.Qual("errors", "New").Call(jen.Lit(fmt.Sprintf("%s: a %s document is a JSON object", g.o.Package, c.k.Term))))),
		jen.If(jen.Err().Op(":=").Id("r").Dot("End").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit(g.o.Package+": %w"), jen.Err()))),
		jen.If(jen.Id("slow").Op("&&").Op("!").Id("x").Dot("Context").Dot("IsZero").Call().Op("&&").Id("x").Dot("MediaType").Call().Op("==").Lit("")).Block(
			jen.If(jen.Id("o").Dot("Loader").Op("==").Nil()).Block(
				jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit(g.o.Package+": %w (@context %s)"), g.ld("ErrUnfamiliarContext"), jen.Qual("strings", "Join").Call(jen.Id("x").Dot("Context").Dot("IRIs").Call(), jen.Lit(", "))))),
			jen.List(jen.Id("compacted"), jen.Err()).Op(":=").Add(g.ld("Compact")).Call(jen.Id("data"), jen.Id(def.constCx), jen.False(), jen.Id("o").Dot("Loader")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit(g.o.Package+": %w"), jen.Err()))),
			jen.Return(jen.Id("x").Dot("decode").Call(jen.Id("compacted"), jen.Id("o"), jen.False()))),
		jen.Return(jen.Nil()))
	var cases []jen.Code
	for _, m := range c.roots {
		cases = append(cases, jen.Case(jen.Id("x").Dot("Context").Dot("Standard").Call(jen.Id(m.constCx), jen.Id(m.termFn))).Block(jen.Return(jen.Id(m.constMT))))
	}
	f.Comment(fmt.Sprintf("// MediaType returns the media type whose standard context the document's @context references (%s), or \"\" when it references none.", strings.Join(mts, ", ")))
	f.Func().Params(x.Clone().Op("*").Id(c.name)).Id("MediaType").Params().String().Block(
		jen.Switch().Block(cases...), jen.Return(jen.Lit("")))
	f.Comment(fmt.Sprintf("// Encode writes the document in its canonical compact form: the @context as received (when empty, the standard context of %s), single values bare, multi-valued properties as arrays, extensions kept.", def.mt.Name))
	f.Func().Params(x.Clone().Op("*").Id(c.name)).Id("Encode").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Var().Id("w").Add(g.ld("Writer")),
		jen.Id("w").Dot("Grow").Call(jen.Lit(4096)),
		jen.Id("w").Dot("OpenObject").Call(),
		jen.Id("w").Dot("Key").Call(jen.Lit("@context")),
		jen.If(jen.Id("x").Dot("Context").Dot("IsZero").Call()).Block(jen.Id("w").Dot("String").Call(jen.Id(def.constCx))).Else().Block(
			jen.Id("x").Dot("Context").Dot("WriteLD").Call(jen.Op("&").Id("w"))),
		jen.Id("x").Dot("writeMembers").Call(jen.Op("&").Id("w")),
		jen.Id("w").Dot("CloseObject").Call(),
		jen.Return(jen.Id("w").Dot("Bytes").Call()))
	f.Comment("// MarshalJSON is Encode.")
	f.Func().Params(x.Clone().Id(c.name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(jen.Id("x").Dot("Encode").Call()))
	f.Comment(fmt.Sprintf("// UnmarshalJSON decodes a document written against a standard context (see Decode%s for others).", c.name))
	f.Func().Params(x.Clone().Op("*").Id(c.name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(
		jen.Return(jen.Id("x").Dot("decode").Call(jen.Id("data"), g.ld("Options").Values(), jen.True())))
	var rcases []jen.Code
	for _, m := range c.roots {
		if m.rules != "" {
			rcases = append(rcases, jen.Case(jen.Id(m.constMT)).Block(jen.Id("c").Dot("Rules").Op("=").Id(m.rules)))
		}
	}
	body := []jen.Code{jen.Var().Id("c").Add(g.ld("Checker"))}
	if len(rcases) > 0 {
		mt := jen.Id("x").Dot("MediaType").Call()
		if def.rules != "" {
			rcases = append(rcases, jen.Case(jen.Lit("")).Block(jen.Id("c").Dot("Rules").Op("=").Id(def.rules)))
		}
		body = append(body, jen.Switch(mt).Block(rcases...))
	}
	body = append(body,
		jen.If(jen.Id("x").Dot("Context").Dot("IsZero").Call()).Block(
			jen.Id("c").Dot("Add").Call(jen.Lit("/@context"), jen.Lit("a top-level object references its context(s) in @context"))),
		jen.Id("x").Dot("ValidateLD").Call(jen.Op("&").Id("c"), jen.Lit(""), jen.True()),
		jen.Return(jen.Id("c").Dot("Err").Call()))
	f.Comment(fmt.Sprintf("// Validate checks the document against the model as its media type (MediaType; %s when its @context names none) carries it: included properties, required @ids, cardinalities, facets, enumerations, and the top-level @context and @type. It returns ld.ValidationErrors.", def.mt.Name))
	f.Func().Params(x.Clone().Op("*").Id(c.name)).Id("Validate").Params().Error().Block(body...)
}

func (g *gen) graphDocument(f *jen.File, x *media) {
	root := x.root
	elem := jen.Id(root.iface)
	if root.iface == "" {
		elem = jen.Op("*").Id(root.name)
	}
	f.Comment(comment(g.docIntro(x, fmt.Sprintf("a @context and an @graph array of %s objects (or of its subclasses, told apart by @type).", root.k.Term)), x.mt.Doc))
	f.Type().Id(x.name).Struct(
		jen.Comment("// Context is the document's @context as received; Encode writes the standard context when it is empty."),
		jen.Id("Context").Add(g.ld("Context")),
		jen.Comment("// Graph holds the objects of @graph, in document order."),
		jen.Id("Graph").Index().Add(elem),
		jen.Comment("// Extensions holds the other top-level keys, raw."),
		jen.Id("Extensions").Map(jen.String()).Qual("encoding/json", "RawMessage"),
	)
	g.decodeFuncs(f, x)
	ext := jen.Op("&").Id("d").Dot("Extensions")
	f.Comment("// decode reads the document; slow allows compaction of an unfamiliar context.")
	f.Func().Params(jen.Id("d").Op("*").Id(x.name)).Id("decode").Params(jen.Id("data").Index().Byte(), jen.Id("o").Add(g.ld("Options")), jen.Id("slow").Bool()).Error().Block(
		jen.Op("*").Id("d").Op("=").Id(x.name).Values(),
		jen.Id("r").Op(":=").Add(g.ld("NewReader")).Call(jen.Id("data")),
		jen.If(jen.Op("!").Id("r").Dot("OpenObject").Call()).Block(
			jen.If(jen.Err().Op(":=").Id("r").Dot("Err").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			jen.Return(jen.Qual("errors", "New").Call(jen.Lit(fmt.Sprintf("%s: a %s document is a JSON object", g.o.Package, x.mt.Name))))),
		jen.For(jen.List(jen.Id("key"), jen.Id("more")).Op(":=").Id("r").Dot("NextKey").Call(), jen.Id("more"),
			jen.List(jen.Id("key"), jen.Id("more")).Op("=").Id("r").Dot("NextKey").Call()).Block(
			jen.Id("m").Op(":=").Id("r").Dot("Mark").Call(),
			jen.Switch(jen.String().Parens(jen.Id("key"))).Block(
				jen.Case(jen.Lit("@context")).Block(jen.If(jen.Op("!").Id("d").Dot("Context").Dot("ReadLD").Call(jen.Id("r"))).Block(
					jen.Id("r").Dot("Misfit").Call(jen.Id("m"), jen.Id("key"), ext.Clone()))),
				jen.Case(jen.Lit("@graph")).Block(
					jen.If(jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Add(g.ld("ReadManyOf")).Call(jen.Id("r"), jen.Id(root.readFn)), jen.Id("ok")).Block(
						jen.Id("d").Dot("Graph").Op("=").Id("v")).Else().Block(jen.Id("r").Dot("Misfit").Call(jen.Id("m"), jen.Id("key"), ext.Clone()))),
				jen.Default().Block(jen.Id("r").Dot("Extension").Call(jen.Id("key"), ext.Clone())))),
		jen.If(jen.Err().Op(":=").Id("r").Dot("End").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit(g.o.Package+": %w"), jen.Err()))),
		g.slowPath(x, true),
		jen.Return(jen.Nil()))
	f.Comment("// WriteLD writes the document: @context, @graph (always an array), then the other keys.")
	f.Func().Params(jen.Id("d").Op("*").Id(x.name)).Id("WriteLD").Params(jen.Id("w").Op("*").Add(g.ld("Writer"))).Block(
		jen.Id("w").Dot("OpenObject").Call(),
		jen.Id("w").Dot("Key").Call(jen.Lit("@context")),
		jen.If(jen.Id("d").Dot("Context").Dot("IsZero").Call()).Block(jen.Id("w").Dot("String").Call(jen.Id(x.constCx))).Else().Block(
			jen.Id("d").Dot("Context").Dot("WriteLD").Call(jen.Id("w"))),
		jen.Id("w").Dot("Key").Call(jen.Lit("@graph")),
		jen.Id("w").Dot("OpenArray").Call(),
		jen.For(jen.List(jen.Id("_"), jen.Id("v")).Op(":=").Range().Id("d").Dot("Graph")).Block(
			jen.If(jen.Id("v").Op("!=").Nil()).Block(jen.Id("v").Dot("WriteLD").Call(jen.Id("w")))),
		jen.Id("w").Dot("CloseArray").Call(),
		jen.Id("w").Dot("Extensions").Call(jen.Id("d").Dot("Extensions")),
		jen.Id("w").Dot("CloseObject").Call())
	f.Comment(fmt.Sprintf("// Validate checks the document against the model as %s documents carry it, each @graph member with its @type, and returns ld.ValidationErrors.", x.mt.Name))
	f.Func().Params(jen.Id("d").Op("*").Id(x.name)).Id("Validate").Params().Error().Block(
		jen.Id("c").Op(":=").Add(g.ld("Checker")).Values(jen.Dict{jen.Id("Rules"): g.rulesValue(x)}),
		jen.If(jen.Id("d").Dot("Context").Dot("IsZero").Call()).Block(
			jen.Id("c").Dot("Add").Call(jen.Lit("/@context"), jen.Lit("a top-level object references its context(s) in @context"))),
		jen.If(jen.List(jen.Id("raw"), jen.Id("bad")).Op(":=").Id("d").Dot("Extensions").Index(jen.Lit("@graph")), jen.Id("bad")).Block(
			jen.Id("c").Dot("Misfit").Call(jen.Lit("/@graph"), jen.Id("raw"), jen.Lit(0), jen.Lit(-1), jen.Lit("@graph"), jen.Lit("an array of "+root.k.Term+" objects"))).Else().If(jen.Id("d").Dot("Graph").Op("==").Nil()).Block(
			jen.Id("c").Dot("Add").Call(jen.Lit("/@graph"), jen.Lit("a graph-form document holds its objects in @graph"))),
		jen.For(jen.List(jen.Id("i"), jen.Id("v")).Op(":=").Range().Id("d").Dot("Graph")).Block(
			jen.If(jen.Id("v").Op("!=").Nil()).Block(
				jen.Id("v").Dot("ValidateLD").Call(jen.Op("&").Id("c"), g.ld("Index").Call(jen.Lit("/@graph"), jen.Id("i")), jen.True()))),
		jen.Return(jen.Id("c").Dot("Err").Call()))
}

func (g *gen) simpleDocument(f *jen.File, x *media) {
	f.Comment(comment(g.docIntro(x, "a flat JSON object of names to strings, with no context."), x.mt.Doc))
	f.Type().Id(x.name).Map(jen.String()).String()
	f.Comment(fmt.Sprintf("// Decode%s decodes a %s document; a value that is not a string is reported as ld.ValidationErrors.", x.name, x.mt.Name))
	f.Func().Id("Decode"+x.name).Params(jen.Id("data").Index().Byte(), jen.Id("_").Op("...").Add(g.ld("Option"))).Params(jen.Op("*").Id(x.name), jen.Error()).Block(
		jen.Id("d").Op(":=").Make(jen.Id(x.name)),
		jen.If(jen.Err().Op(":=").Id("d").Dot("UnmarshalJSON").Call(jen.Id("data")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Op("&").Id("d"), jen.Nil()))
	f.Comment("// UnmarshalJSON reads the flat object; a value that is not a string is reported as ld.ValidationErrors.")
	f.Func().Params(jen.Id("d").Op("*").Id(x.name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(
		jen.Id("r").Op(":=").Add(g.ld("NewReader")).Call(jen.Id("data")),
		jen.If(jen.Op("!").Id("r").Dot("OpenObject").Call()).Block(
			jen.If(jen.Err().Op(":=").Id("r").Dot("Err").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			jen.Return(g.ld("ValidationErrors").Values(jen.Values(jen.Dict{jen.Id("Message"): jen.Lit("the simple form is a JSON object of names to strings")})))),
		jen.Id("out").Op(":=").Id(x.name).Values(),
		jen.Var().Id("c").Add(g.ld("Checker")),
		jen.For(jen.List(jen.Id("key"), jen.Id("more")).Op(":=").Id("r").Dot("NextKey").Call(), jen.Id("more"),
			jen.List(jen.Id("key"), jen.Id("more")).Op("=").Id("r").Dot("NextKey").Call()).Block(
			jen.If(jen.List(jen.Id("s"), jen.Id("ok")).Op(":=").Id("r").Dot("String").Call(), jen.Id("ok")).Block(
				jen.Id("out").Index(jen.String().Parens(jen.Id("key"))).Op("=").Id("s"),
				jen.Continue()),
			jen.Id("raw").Op(":=").Id("r").Dot("Raw").Call(),
			jen.If(jen.Id("r").Dot("Err").Call().Op("==").Nil()).Block(
				jen.Id("c").Dot("Misfit").Call(g.ld("Pointer").Call(jen.Lit(""), jen.String().Parens(jen.Id("key"))), jen.Id("raw"), jen.Lit(0), jen.Lit(1), jen.String().Parens(jen.Id("key")), jen.Lit("a string")))),
		jen.If(jen.Err().Op(":=").Id("r").Dot("End").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.If(jen.Err().Op(":=").Id("c").Dot("Err").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Op("*").Id("d").Op("=").Id("out"),
		jen.Return(jen.Nil()))
	f.Comment(fmt.Sprintf("// MediaType returns %s.", x.constMT))
	f.Func().Params(jen.Op("*").Id(x.name)).Id("MediaType").Params().String().Block(jen.Return(jen.Id(x.constMT)))
	f.Comment("// Encode writes the object with its names in order.")
	f.Func().Params(jen.Id("d").Op("*").Id(x.name)).Id("Encode").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Var().Id("w").Add(g.ld("Writer")),
		jen.Id("w").Dot("OpenObject").Call(),
		jen.Id("w").Dot("Values").Call(jen.Op("*").Id("d")),
		jen.Id("w").Dot("CloseObject").Call(),
		jen.Return(jen.Id("w").Dot("Bytes").Call()))
	f.Comment("// MarshalJSON is Encode.")
	f.Func().Params(jen.Id("d").Id(x.name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(jen.Id("d").Dot("Encode").Call()))
	f.Comment("// Validate reports nothing: every name-to-string map is a valid simple-form document.")
	f.Func().Params(jen.Op("*").Id(x.name)).Id("Validate").Params().Error().Block(jen.Return(jen.Nil()))
}

func (g *gen) rules(f *jen.File) {
	var withRules []*media
	for _, x := range g.media {
		if x.rules != "" {
			withRules = append(withRules, x)
		}
	}
	if len(withRules) == 0 {
		return
	}
	f.Comment("// documentRules narrow validation to one media type (ld.Rules).")
	f.Type().Id("documentRules").Int()
	var defs []jen.Code
	for i, x := range withRules {
		d := jen.Id(x.rules)
		if i == 0 {
			d = d.Id("documentRules").Op("=").Iota().Op("+").Lit(1)
		}
		defs = append(defs, jen.Comment(fmt.Sprintf("// %s are the rules of %s.", x.rules, x.mt.Name)), d)
	}
	f.Const().Defs(defs...)
	var inc, req []jen.Code
	for _, x := range withRules {
		if len(x.mt.Include) > 0 {
			var lits []jen.Code
			for _, p := range x.mt.Include {
				lits = append(lits, jen.Lit(lastSegment(strings.TrimSpace(p))))
			}
			inc = append(inc, jen.Case(jen.Id(x.rules)).Block(jen.Switch(jen.Id("property")).Block(
				jen.Case(lits...).Block(jen.Return(jen.True()))), jen.Return(jen.False())))
		}
		if len(x.mt.RequireID) > 0 {
			var lits []jen.Code
			for _, c := range x.mt.RequireID {
				lits = append(lits, jen.Lit(c))
			}
			req = append(req, jen.Case(jen.Id(x.rules)).Block(jen.Switch(jen.Id("class")).Block(
				jen.Case(lits...).Block(jen.Return(jen.True())))))
		}
	}
	f.Comment("// Includes reports whether the media type's documents carry the property (\"Class.property\").")
	f.Func().Params(jen.Id("r").Id("documentRules")).Id("Includes").Params(jen.Id("property").String()).Bool().Block(
		jen.Switch(jen.Id("r")).Block(inc...), jen.Return(jen.True()))
	f.Comment("// RequiresID reports whether the media type requires @id on objects of the class (qualified name).")
	f.Func().Params(jen.Id("r").Id("documentRules")).Id("RequiresID").Params(jen.Id("class").String()).Bool().Block(
		jen.Switch(jen.Id("r")).Block(req...), jen.Return(jen.False()))
}
