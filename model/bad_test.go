package model

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/model/uml"
)

// badFile is the name the bad models are loaded under.
const badFile = "bad.uml"

// xmiDoc wraps model elements and stereotype applications in a Papyrus
// file.
func xmiDoc(elements, applications string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<xmi:XMI xmi:version="20131001" xmlns:xmi="http://www.omg.org/spec/XMI/20131001" xmlns:uml="http://www.eclipse.org/uml2/5.0.0/UML" xmlns:LTI="http://ltiforge.org/schemas/LTI/1.0">
<uml:Model xmi:id="m" name="M">
` + elements + `
</uml:Model>
` + applications + `
</xmi:XMI>
`
}

const (
	stringType = `<type xmi:type="uml:PrimitiveType" href="pathmap://UML_LIBRARIES/UMLPrimitiveTypes.library.uml#String"/>`
	// vocabPkg is a vocabulary package V with a class A (property x) and
	// a media type class AJ.
	vocabPkg = `<packagedElement xmi:type="uml:Package" xmi:id="V" name="V">
<packagedElement xmi:type="uml:Class" xmi:id="A" name="A">
<ownedAttribute xmi:id="A.x" name="x">` + stringType + `</ownedAttribute>
</packagedElement>
<packagedElement xmi:type="uml:Class" xmi:id="AJ" name="AJ"/>
</packagedElement>`
	vocabApp = `<LTI:Vocabulary base_Package="V" namespace="http://example.org/v#" prefix="v"/>`
	mtApp    = `<LTI:MediaType base_Class="AJ" name="application/vnd.a+json" root="A" context="http://example.org/ctx/A"/>`
	// service is an interface S with one operation get.
	service = `<packagedElement xmi:type="uml:Interface" xmi:id="S" name="S">
<ownedOperation xmi:id="S.get" name="get">
<ownedParameter xmi:id="S.get.id" name="id"/>
<ownedParameter xmi:id="S.get.r" name="return" direction="return" type="AJ"/>
</ownedOperation>
</packagedElement>`
	serviceApp = `<LTI:RestService base_Interface="S" mediaTypes="application/vnd.a+json"/>
<LTI:PathParam base_Parameter="S.get.id"/>`
	okOp = `<LTI:HttpOperation base_Operation="S.get" method="GET" path="/a/{id}" response="application/vnd.a+json" status="200 The A."/>`
)

type badCase struct {
	name     string
	elements string
	apps     string
	// msg is a part of the expected message; at is a text on the line the
	// diagnostic must point to.
	msg, at string
	sev     uml.Severity
}

func badCases() []badCase {
	return []badCase{
		{name: "property without IRI",
			elements: `<packagedElement xmi:type="uml:Class" xmi:id="A" name="A">
<ownedAttribute xmi:id="A.x" name="x">` + stringType + `</ownedAttribute>
</packagedElement>
<packagedElement xmi:type="uml:Class" xmi:id="AJ" name="AJ"/>`,
			apps: mtApp + `<LTI:Term base_Class="A" iri="http://example.org/A"/>`,
			msg:  "property A.x has no IRI (its class is in no «Vocabulary» and it has no «Term» iri), but media type application/vnd.a+json carries it",
			at:   `xmi:id="A.x"`},
		{name: "one term two IRIs",
			elements: `<packagedElement xmi:type="uml:Package" xmi:id="V" name="V">
<packagedElement xmi:type="uml:Class" xmi:id="A" name="A">
<ownedAttribute xmi:id="A.name" name="name">` + stringType + `</ownedAttribute>
<ownedAttribute xmi:id="A.b" name="b" type="B"/>
</packagedElement>
<packagedElement xmi:type="uml:Class" xmi:id="AJ" name="AJ"/>
</packagedElement>
<packagedElement xmi:type="uml:Package" xmi:id="W" name="W">
<packagedElement xmi:type="uml:Class" xmi:id="B" name="B">
<ownedAttribute xmi:id="B.name" name="name">` + stringType + `</ownedAttribute>
</packagedElement>
</packagedElement>`,
			apps: vocabApp + mtApp + `<LTI:Vocabulary base_Package="W" namespace="http://example.org/w#" prefix="w"/>`,
			msg:  `in the context of media type application/vnd.a+json, term "name" means http://example.org/w#name here but http://example.org/v#name in M::V::A::name`,
			at:   `xmi:id="B.name"`},
		{name: "service names an unknown media type",
			elements: vocabPkg + service, apps: vocabApp + mtApp + okOp +
				`<LTI:RestService base_Interface="S" mediaTypes="application/vnd.a+json application/vnd.nope+json"/>
<LTI:PathParam base_Parameter="S.get.id"/>`,
			msg: "service S names the unknown media type application/vnd.nope+json", at: "vnd.nope"},
		{name: "operation names an unknown media type",
			elements: vocabPkg + service, apps: vocabApp + mtApp + serviceApp +
				`<LTI:HttpOperation base_Operation="S.get" method="GET" path="/a/{id}" response="application/vnd.b+json" status="200 The A."/>`,
			msg: "operation get names the unknown media type application/vnd.b+json", at: "vnd.b+json"},
		{name: "media type root unknown",
			elements: vocabPkg, apps: vocabApp + `<LTI:MediaType base_Class="AJ" name="application/vnd.a+json" root="Nope"/>`,
			msg: `root "Nope" of media type application/vnd.a+json is unknown: no classifier is named "Nope"`, at: `root="Nope"`},
		{name: "media type requireId unknown",
			elements: vocabPkg, apps: vocabApp + `<LTI:MediaType base_Class="AJ" name="application/vnd.a+json" root="A" requireId="Nope"/>`,
			msg: `requireId "Nope" of media type application/vnd.a+json is unknown: no classifier is named "Nope"`, at: `requireId="Nope"`},
		{name: "media type root ambiguous",
			elements: vocabPkg + `<packagedElement xmi:type="uml:Package" xmi:id="W" name="W"><packagedElement xmi:type="uml:Class" xmi:id="A2" name="A"/></packagedElement>`,
			apps:     vocabApp + mtApp,
			msg:      `the name "A" is ambiguous: it names M::V::A, M::W::A; use a qualified name`, at: `root="A"`},
		{name: "media type root qualified unknown",
			elements: vocabPkg, apps: vocabApp + `<LTI:MediaType base_Class="AJ" name="application/vnd.a+json" root="M::A"/>`,
			msg: `no classifier has the qualified name "M::A"`, at: `root="M::A"`},
		{name: "required property with no type",
			elements: `<packagedElement xmi:type="uml:Class" xmi:id="A" name="A">
<ownedAttribute xmi:id="A.x" name="x"/>
</packagedElement>`,
			msg: "required property A.x [1] has no type", at: `xmi:id="A.x"`},
		{name: "Boolean tag yes",
			elements: vocabPkg, apps: vocabApp + `<LTI:Addressable base_Class="A" idRequired="yes"/>`,
			msg: `tag idRequired of «Addressable» is "yes", but a Boolean tag is true or false`, at: `idRequired="yes"`},
		{name: "Integer tag abc",
			elements: `<packagedElement xmi:type="uml:DataType" xmi:id="T" name="T"/>`,
			apps:     `<LTI:SimpleType base_DataType="T" base="xs:string" maxLength="abc"/>`,
			msg:      `tag maxLength of «SimpleType» is "abc", but an Integer tag is a whole number`, at: `maxLength="abc"`},
		{name: "enumeration tag with unknown literal",
			elements: vocabPkg + service, apps: vocabApp + mtApp + serviceApp +
				`<LTI:HttpOperation base_Operation="S.get" method="FETCH" path="/a/{id}" status="200 The A."/>`,
			msg: `tag method of «HttpOperation» is "FETCH", which is no literal of HttpMethod (GET, PUT, POST, DELETE)`, at: `method="FETCH"`},
		{name: "missing required tag",
			elements: vocabPkg, apps: `<LTI:Vocabulary base_Package="V" namespace="http://example.org/v#"/>`,
			msg: "stereotype «Vocabulary» lacks its required tag prefix", at: "<LTI:Vocabulary"},
		{name: "CURIE with unknown prefix",
			elements: vocabPkg, apps: vocabApp + `<LTI:Term base_Property="A.x" iri="zz:x"/>`,
			msg: `tag iri of «Term»: CURIE "zz:x" has the unknown prefix "zz" (known: owl, rdf, rdfs, v, xs, xsd)`, at: `iri="zz:x"`},
		{name: "duplicate media type names",
			elements: vocabPkg + `<packagedElement xmi:type="uml:Class" xmi:id="AJ2" name="AJ2"/>`,
			apps: vocabApp + mtApp + `
<LTI:MediaType base_Class="AJ2" name="application/VND.A+json" root="A" context="http://example.org/ctx/A2"/>`,
			msg: "media type application/vnd.a+json is declared twice; first by M::AJ2 at bad.uml:9", at: `name="application/vnd.a+json"`},
		{name: "operation without method",
			elements: vocabPkg + service, apps: vocabApp + mtApp + serviceApp +
				`<LTI:HttpOperation base_Operation="S.get" path="/a/{id}" status="200 The A."/>`,
			msg: "stereotype «HttpOperation» lacks its required tag method", at: `<LTI:HttpOperation`},
		{name: "operation without path",
			elements: vocabPkg + service, apps: vocabApp + mtApp + serviceApp +
				`<LTI:HttpOperation base_Operation="S.get" method="GET" status="200 The A."/>`,
			msg: "stereotype «HttpOperation» lacks its required tag path", at: `<LTI:HttpOperation`},
		{name: "operation without status",
			elements: vocabPkg + service, apps: vocabApp + mtApp + serviceApp +
				`<LTI:HttpOperation base_Operation="S.get" method="GET" path="/a/{id}"/>`,
			msg: "stereotype «HttpOperation» lacks its required tag status", at: `<LTI:HttpOperation`},
		{name: "bad status line",
			elements: vocabPkg + service, apps: vocabApp + mtApp + serviceApp +
				`<LTI:HttpOperation base_Operation="S.get" method="GET" path="/a/{id}" status="200 The A.&#xA;OK fine"/>`,
			msg: `status line "OK fine" of operation get is not "<code> <meaning>" with a code from 100 to 599`, at: `<LTI:HttpOperation`},
		{name: "template variable without path parameter",
			elements: vocabPkg + service, apps: vocabApp + mtApp + serviceApp +
				`<LTI:HttpOperation base_Operation="S.get" method="GET" path="/a/{id}/{sub}" status="200 The A."/>`,
			msg: `path "/a/{id}/{sub}" of operation get has the variable {sub} but the operation has no «PathParam» sub`, at: `<LTI:HttpOperation`},
		{name: "path parameter not in the template",
			elements: vocabPkg + service, apps: vocabApp + mtApp + serviceApp +
				`<LTI:HttpOperation base_Operation="S.get" method="GET" path="/a" status="200 The A."/>`,
			msg: `«PathParam» id is not a variable of the path "/a" of operation get`, at: `xmi:id="S.get.id"`},
		{name: "unclosed template expression",
			elements: vocabPkg + service, apps: vocabApp + mtApp + serviceApp +
				`<LTI:HttpOperation base_Operation="S.get" method="GET" path="/a/{id" status="200 The A."/>`,
			msg: `path "/a/{id" of operation get: a { is not closed`, at: `<LTI:HttpOperation`},
		{name: "stereotype on the wrong metaclass",
			elements: vocabPkg, apps: vocabApp + `<LTI:Addressable base_Property="A.x"/>`,
			msg: "stereotype «Addressable» applies to Class, not to a Property", at: `<LTI:Addressable`},
		{name: "unknown stereotype",
			elements: vocabPkg, apps: vocabApp + `<LTI:Adressable base_Class="A"/>`,
			msg: "unknown stereotype «Adressable» of the LTI profile", at: `<LTI:Adressable`},
		{name: "unknown tag",
			elements: vocabPkg, apps: vocabApp + `<LTI:Addressable base_Class="A" idRequierd="true"/>`,
			msg: "stereotype «Addressable» has no tag idRequierd; its value is ignored", at: `<LTI:Addressable`, sev: uml.Warning},
		{name: "message return for an unknown message",
			elements: `<packagedElement xmi:type="uml:Class" xmi:id="R" name="R"/>`,
			apps:     `<LTI:MessageReturn base_Class="R" messageType="nope-request"/>`,
			msg:      "message return R is for message type nope-request, which no «Message» declares", at: `<LTI:MessageReturn`},
		{name: "message parameter without use",
			elements: `<packagedElement xmi:type="uml:Class" xmi:id="Msg" name="Msg">
<ownedAttribute xmi:id="Msg.p" name="p">` + stringType + `</ownedAttribute>
</packagedElement>`,
			apps: `<LTI:Message base_Class="Msg" messageType="x-request" versions="LTI-2p0"/>
<LTI:Parameter base_Property="Msg.p"/>`,
			msg: "stereotype «Parameter» lacks its required tag use", at: `<LTI:Parameter`},
		{name: "vocabulary namespace without # or /",
			elements: vocabPkg, apps: `<LTI:Vocabulary base_Package="V" namespace="http://example.org/v" prefix="v"/>`,
			msg: `vocabulary namespace "http://example.org/v" must end in # or /`, at: `<LTI:Vocabulary`},
		{name: "prefix bound twice",
			elements: vocabPkg + `<packagedElement xmi:type="uml:Package" xmi:id="W" name="W"/>`,
			apps:     vocabApp + `<LTI:Vocabulary base_Package="W" namespace="http://example.org/w#" prefix="v"/>`,
			msg:      `prefix "v" is bound to http://example.org/w# here but to http://example.org/v# by «Vocabulary» M::V; the first is kept`, at: `base_Package="W"`},
		{name: "Go name collision",
			elements: `<packagedElement xmi:type="uml:Class" xmi:id="A1" name="tool_proxy"/>
<packagedElement xmi:type="uml:Class" xmi:id="A2" name="ToolProxy"/>`,
			msg: "Go name ToolProxy is already taken by another type of the model; this one is named ToolProxy2", at: `xmi:id="A2"`, sev: uml.Warning},
	}
}

// TestBadModels loads each small bad model and checks that the expected
// diagnostic is reported at the expected line.
func TestBadModels(t *testing.T) {
	for _, tt := range badCases() {
		t.Run(tt.name, func(t *testing.T) {
			src := xmiDoc(tt.elements, tt.apps)
			line := lineOf(t, src, tt.at)
			m, err := LoadSources(context.Background(), uml.Source{Path: badFile, Data: []byte(src)})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range m.Diagnostics {
				if strings.Contains(d.Message, tt.msg) {
					if d.Pos.File != badFile || d.Pos.Line != line || d.Severity != tt.sev {
						t.Errorf("reported as %s, want %s at %s:%d", d, tt.sev, badFile, line)
					}
					return
				}
			}
			t.Errorf("no diagnostic says %q; got:\n%s", tt.msg, m.Diagnostics.Error())
		})
	}
}

// lineOf returns the line of src holding text, which must occur once.
func lineOf(t *testing.T, src, text string) int {
	t.Helper()
	if n := strings.Count(src, text); n != 1 {
		t.Fatalf("marker %q occurs %d times in the model", text, n)
	}
	return strings.Count(src[:strings.Index(src, text)], "\n") + 1
}

// TestGoodModelHasNoDiagnostics keeps the fragments the bad cases share
// honest: put together correctly they give no diagnostic at all.
func TestGoodModelHasNoDiagnostics(t *testing.T) {
	src := xmiDoc(vocabPkg+service, vocabApp+mtApp+serviceApp+okOp)
	m, err := LoadSources(context.Background(), uml.Source{Path: badFile, Data: []byte(src)})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Diagnostics) > 0 {
		t.Fatalf("diagnostics:\n%s", m.Diagnostics.Error())
	}
	if len(m.Services) != 1 || len(m.Services[0].Operations) != 1 || m.Services[0].Operations[0].Result != "application/vnd.a+json" {
		t.Errorf("services = %s", fmt.Sprint(m.Services))
	}
}
