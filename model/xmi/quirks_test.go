package xmi

import (
	"context"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/model/doctext"
	"github.com/ltiforge/ltiforge/model/uml"
)

// Fragments for single quirks. Each is small enough to read in the test.
const (
	// fragEclipse: Eclipse UML2 with xmi:type omitted where EMF allows it,
	// -1 as unlimited, an idref child type, an href into OMG's library, a
	// stereotype at the root with attribute and child tags, and a comment
	// annotating its owner by IDREFS.
	fragEclipse = `<?xml version="1.0" encoding="UTF-8"?>
<xmi:XMI xmi:version="20131001" xmlns:xmi="http://www.omg.org/spec/XMI/20131001" xmlns:uml="http://www.eclipse.org/uml2/5.0.0/UML" xmlns:LTI="http:///schemas/LTI/_x/1">
  <uml:Model xmi:id="m" name="M">
    <packagedElement xmi:type="uml:Class" xmi:id="c" name="Person">
      <ownedComment xmi:id="cm" annotatedElement="c"><body>A person.</body></ownedComment>
      <ownedAttribute xmi:id="a1" name="nick">
        <type xmi:type="uml:PrimitiveType" href="http://www.omg.org/spec/UML/20131001/PrimitiveTypes.xmi#String"/>
        <lowerValue xmi:type="uml:LiteralInteger" xmi:id="a1l"/>
        <upperValue xmi:type="uml:LiteralUnlimitedNatural" xmi:id="a1u" value="-1"/>
      </ownedAttribute>
      <ownedAttribute xmi:id="a2" name="home">
        <type xmi:idref="addr"/>
      </ownedAttribute>
      <ownedOperation xmi:id="o" name="greet">
        <ownedParameter xmi:id="p" name="whom" type="c"/>
      </ownedOperation>
    </packagedElement>
    <packagedElement xmi:type="uml:DataType" xmi:id="addr" name="Address"/>
  </uml:Model>
  <LTI:MediaType xmi:id="s1" base_Class="c" type="application/vnd.ims.lti.v2.toolproxy+json">
    <formats>json</formats>
    <formats>jsonld</formats>
  </LTI:MediaType>
</xmi:XMI>`

	// fragEA: EA keeps documentation only in its extension.
	fragEA = `<?xml version="1.0" encoding="windows-1252"?>
<xmi:XMI xmi:version="2.1" xmlns:uml="http://schema.omg.org/spec/UML/2.1" xmlns:xmi="http://schema.omg.org/spec/XMI/2.1">
  <xmi:Documentation exporter="Enterprise Architect" exporterVersion="6.5"/>
  <uml:Model xmi:type="uml:Model" name="EA_Model">
    <packagedElement xmi:type="uml:Class" xmi:id="EAID_1" name="Tool">
      <ownedAttribute xmi:type="uml:Property" xmi:id="EAID_2" name="price">
        <type xmi:idref="EAJava_int"/>
      </ownedAttribute>
    </packagedElement>
  </uml:Model>
  <xmi:Extension extender="Enterprise Architect" extenderID="6.5">
    <elements>
      <element xmi:idref="EAID_1" xmi:type="uml:Class" name="Tool">
        <properties documentation="A tool &lt;b&gt;provider&lt;/b&gt; caf` + "\xe9" + `." sType="Class"/>
        <attributes>
          <attribute xmi:idref="EAID_2" name="price"><documentation value="In cents."/></attribute>
        </attributes>
      </element>
    </elements>
    <primitivetypes>
      <packagedElement xmi:type="uml:Package" xmi:id="EAPrimitiveTypesPackage" name="EA_PrimitiveTypes_Package">
        <packagedElement xmi:type="uml:Package" xmi:id="EAJavaTypesPackage" name="EA_Java_Types_Package">
          <packagedElement xmi:type="uml:PrimitiveType" xmi:id="EAJava_int" name="int"/>
        </packagedElement>
      </packagedElement>
    </primitivetypes>
  </xmi:Extension>
</xmi:XMI>`

	// fragModelioHTML: Modelio escapes the HTML of a note into the body.
	fragModelioHTML = `<?xml version="1.0" encoding="UTF-8"?><uml:Model xmlns:uml="http://www.omg.org/spec/UML/20110701" xmlns:xmi="http://schema.omg.org/spec/XMI/2.1" xmi:version="2.1" xmi:id="m" name="base">
  <packagedElement xmi:type="uml:Class" xmi:id="c" name="Job">
    <ownedComment xmi:type="uml:Comment" xmi:id="n"><body>&lt;p&gt;A &lt;strong&gt;job&lt;/strong&gt; offer.&lt;/p&gt;</body></ownedComment>
  </packagedElement>
</uml:Model>`

	// fragPartner references the standard model loaded with it.
	fragPartner = `<xmi:XMI xmlns:xmi="http://www.omg.org/spec/XMI/20131001" xmlns:uml="http://www.omg.org/spec/UML/20131001">
  <uml:Model xmi:id="m" name="Partner">
    <packagedElement xmi:type="uml:Class" xmi:id="ext" name="ExtendedToolProxy">
      <generalization xmi:type="uml:Generalization" xmi:id="g"><general href="../std/lti.xmi#tp"/></generalization>
      <ownedAttribute xmi:type="uml:Property" xmi:id="x" name="ctx"><type href="lti.xmi#ctx"/></ownedAttribute>
    </packagedElement>
  </uml:Model>
</xmi:XMI>`
	fragStandard = `<xmi:XMI xmlns:xmi="http://www.omg.org/spec/XMI/20131001" xmlns:uml="http://www.omg.org/spec/UML/20131001">
  <uml:Model xmi:id="m" name="LTI">
    <packagedElement xmi:type="uml:Class" xmi:id="tp" name="ToolProxy"/>
    <packagedElement xmi:type="uml:Class" xmi:id="ctx" name="Context"/>
  </uml:Model>
</xmi:XMI>`
)

func load(t *testing.T, srcs ...uml.Source) *uml.Graph {
	t.Helper()
	g := uml.NewGraph()
	if err := Load(context.Background(), g, srcs...); err != nil {
		t.Fatalf("Load: %v", err)
	}
	g.Finish()
	return g
}

func noErrors(t *testing.T, g *uml.Graph) {
	t.Helper()
	for _, d := range g.Diagnostics {
		t.Errorf("unexpected diagnostic: %s", d)
	}
}

func TestQuirksEclipse(t *testing.T) {
	g := load(t, uml.Source{Path: "q.uml", Data: []byte(fragEclipse)})
	noErrors(t, g)
	person := g.Lookup("M::Person")
	if person == nil || len(person.Attributes) != 2 {
		t.Fatalf("Person = %+v, want a class with the two attributes whose xmi:type was omitted", person)
	}
	nick := person.Attributes[0]
	checkProp(t, nick, "String", "UMLPrimitiveTypes", "*")
	home := person.Attributes[1]
	if home.Type != g.Lookup("M::Address") || home.Multiplicity != uml.One {
		t.Errorf("home: type %v [%s], want the Address data type through the idref child, [1]", home.Type, home.Multiplicity)
	}
	if op := person.Operations; len(op) != 1 || op[0].Params[0].Direction != uml.In || op[0].Params[0].Type != person {
		t.Errorf("operation read wrong: %+v", op)
	}
	if person.Doc != "A person." {
		t.Errorf("doc = %q", person.Doc)
	}
	st := person.Stereotype("MediaType")
	if st == nil {
		t.Fatalf("no MediaType stereotype on Person: %+v", person.Stereotypes)
	}
	want := map[string]string{"type": "application/vnd.ims.lti.v2.toolproxy+json", "formats": "json jsonld"}
	if st.Profile != "http:///schemas/LTI/_x/1" || st.ID != "s1" || len(st.Tags) != 2 || st.Tags["type"] != want["type"] || st.Tags["formats"] != want["formats"] {
		t.Errorf("stereotype = %+v, want profile http:///schemas/LTI/_x/1 with tags %v", st, want)
	}
	if st.Pos.Line != 20 || st.Pos.File != "q.uml" {
		t.Errorf("stereotype position %s, want q.uml:20", st.Pos)
	}
	if nick.Pos.Line != 6 {
		t.Errorf("nick position %s, want line 6", nick.Pos)
	}
}

func TestQuirksEADocumentation(t *testing.T) {
	g := load(t, uml.Source{Path: "ea.xmi", Data: []byte(fragEA)})
	noErrors(t, g)
	tool := g.Lookup("EA_Model::Tool")
	if tool == nil {
		t.Fatal("Tool not read")
	}
	// The windows-1252 byte 0xE9 arrives as é.
	if want := doctext.Markdown("A tool <b>provider</b> café."); tool.Doc != want {
		t.Errorf("Tool doc = %q, want %q", tool.Doc, want)
	}
	price := tool.Attributes[0]
	if price.Doc != "In cents." {
		t.Errorf("price doc = %q", price.Doc)
	}
	checkProp(t, price, "int", "EA_Java_Types_Package", "1")
}

func TestQuirksHTMLDoc(t *testing.T) {
	g := load(t, uml.Source{Path: "modelio.xmi", Data: []byte(fragModelioHTML)})
	noErrors(t, g)
	job := g.Lookup("base::Job")
	if want := doctext.Markdown("<p>A <strong>job</strong> offer.</p>"); job.Doc != want {
		t.Errorf("doc = %q, want the unescaped HTML through doctext.Markdown: %q", job.Doc, want)
	}
}

func TestQuirksCrossFile(t *testing.T) {
	g := load(t,
		uml.Source{Path: "partner/ext.xmi", Data: []byte(fragPartner)},
		uml.Source{Path: "std/lti.xmi", Data: []byte(fragStandard)},
	)
	noErrors(t, g)
	ext := g.Lookup("Partner::ExtendedToolProxy")
	// "../std/lti.xmi" resolves relative to partner/; "lti.xmi" only by base name.
	if len(ext.Generals) != 1 || ext.Generals[0] != g.Lookup("LTI::ToolProxy") {
		t.Errorf("generals = %+v, want LTI::ToolProxy from the other file", ext.Generals)
	}
	if ty := ext.Attributes[0].Type; ty != g.Lookup("LTI::Context") {
		t.Errorf("ctx type = %+v, want LTI::Context by base-name fallback", ty)
	}
	if len(g.Roots) != 2 || len(g.Files) != 2 || g.Files[1] != "std/lti.xmi" {
		t.Errorf("roots %d files %v", len(g.Roots), g.Files)
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		data string
		want bool
	}{
		{"xmi root", fragEclipse, true},
		{"modelio model root", fragModelioHTML, true},
		{"ea windows-1252", fragEA, true},
		{"model root without xmi", `<uml:Model xmlns:uml="http://www.omg.org/spec/UML/20131001" name="x"/>`, false},
		{"xmi 1.x", `<?xml version="1.0"?><XMI xmi.version="1.2"><XMI.header/></XMI>`, true},
		{"staruml json", `{"_type":"Project"}`, false},
		{"other xml", `<project><name>x</name></project>`, false},
		{"empty", ``, false},
	}
	for _, tt := range tests {
		if got := Detect([]byte(tt.data)); got != tt.want {
			t.Errorf("%s: Detect = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestLoadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Load(ctx, uml.NewGraph(), uml.Source{Path: "q.uml", Data: []byte(fragEclipse)})
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Errorf("Load with a cancelled context = %v, want the context's error", err)
	}
}

// fragMisc: association class, association-owned ends with
// navigableOwnedEnd children, an instance with slots, an enumeration
// literal with a specification, InstanceValue and LiteralBoolean defaults,
// an EA 2.5.1-style mangled stereotype name, and a class-owned constraint.
const fragMisc = `<xmi:XMI xmlns:xmi="http://www.omg.org/spec/XMI/20131001" xmlns:uml="http://www.omg.org/spec/UML/20161101" xmlns:EAUML="http://www.sparxsystems.com/profiles/EAUML/1.0">
  <uml:Model xmi:type="uml:Model" xmi:id="m" name="M">
    <packagedElement xmi:type="uml:Enumeration" xmi:id="e" name="Role">
      <ownedLiteral xmi:type="uml:EnumerationLiteral" xmi:id="l1" name="Learner">
        <specification xmi:type="uml:LiteralString" xmi:id="l1s" value="urn:lti:role:ims/lis/Learner"/>
      </ownedLiteral>
      <ownedLiteral xmi:type="uml:EnumerationLiteral" xmi:id="l2" name="Instructor"/>
    </packagedElement>
    <packagedElement xmi:type="uml:Class" xmi:id="u" name="User">
      <ownedAttribute xmi:type="uml:Property" xmi:id="role" name="role" type="e">
        <defaultValue xmi:type="uml:InstanceValue" xmi:id="rv" instance="l2"/>
      </ownedAttribute>
      <ownedAttribute xmi:type="uml:Property" xmi:id="act" name="active">
        <type href="http://www.omg.org/spec/UML/20161101/PrimitiveTypes.xmi#Boolean"/>
        <defaultValue xmi:type="uml:LiteralBoolean" xmi:id="av"/>
      </ownedAttribute>
      <ownedRule xmi:type="uml:Constraint" xmi:id="r1" name="hasRole">
        <specification xmi:type="uml:OpaqueExpression" xmi:id="r1s"><body>self.role-&gt;notEmpty()</body><language>OCL</language></specification>
      </ownedRule>
    </packagedElement>
    <packagedElement xmi:type="uml:Class" xmi:id="c" name="Course"/>
    <packagedElement xmi:type="uml:AssociationClass" xmi:id="en" name="Enrolment">
      <memberEnd xmi:idref="en_u"/>
      <memberEnd xmi:idref="en_c"/>
      <navigableOwnedEnd xmi:idref="en_c"/>
      <ownedAttribute xmi:type="uml:Property" xmi:id="since" name="since"/>
      <ownedEnd xmi:type="uml:Property" xmi:id="en_u" name="user" type="u" association="en"/>
      <ownedEnd xmi:type="uml:Property" xmi:id="en_c" name="course" type="c" association="en"/>
    </packagedElement>
    <packagedElement xmi:type="uml:InstanceSpecification" xmi:id="i" name="alice" classifier="u">
      <slot xmi:type="uml:Slot" xmi:id="s" definingFeature="role">
        <value xmi:type="uml:InstanceValue" xmi:id="sv" instance="l1"/>
      </slot>
    </packagedElement>
  </uml:Model>
  <EAUML:model_document xmi:id="st" base_Class="c" __EAStereoName="model document" EAUML__PackageRef="x"/>
</xmi:XMI>`

func TestQuirksMisc(t *testing.T) {
	g := load(t, uml.Source{Path: "misc.xmi", Data: []byte(fragMisc)})
	noErrors(t, g)
	role := g.Lookup("M::Role")
	if role.Literals[0].Value != "urn:lti:role:ims/lis/Learner" || role.Literals[1].Value != "" {
		t.Errorf("literal values %q %q", role.Literals[0].Value, role.Literals[1].Value)
	}
	user := g.Lookup("M::User")
	def := user.Attributes[0].Default
	if def == nil || def.Kind != uml.ValueLiteral || def.Literal != role.Literals[1] || def.Text != "Instructor" {
		t.Errorf("role default = %+v, want the Instructor literal", def)
	}
	if d := user.Attributes[1].Default; d == nil || d.Kind != uml.ValueBoolean || d.Text != "false" {
		t.Errorf("active default = %+v, want boolean false", d)
	}
	if len(user.Constraints) != 1 || user.Constraints[0].Body != "self.role->notEmpty()" || user.Constraints[0].Language != "OCL" {
		t.Errorf("constraints = %+v", user.Constraints)
	}
	en := g.Lookup("M::Enrolment")
	if en == nil || en.Kind != uml.KindClass || len(en.Attributes) != 1 {
		t.Fatalf("association class as classifier = %+v", en)
	}
	var a *uml.Association
	for _, x := range g.Associations() {
		if x.ID == "en" {
			a = x
		}
	}
	if a == nil || len(a.Ends) != 2 || len(a.OwnedEnds) != 2 {
		t.Fatalf("association class as association = %+v", a)
	}
	if a.Ends[0].Name != "user" || a.Ends[0].Navigable || !a.Ends[1].Navigable {
		t.Errorf("navigability: user %v course %v, want false true", a.Ends[0].Navigable, a.Ends[1].Navigable)
	}
	if in := g.Packages()[0].Instances; len(in) != 1 || len(in[0].Classifiers) != 1 || in[0].Classifiers[0] != user ||
		len(in[0].Slots) != 1 || in[0].Slots[0].Feature != user.Attributes[0] || in[0].Slots[0].Values[0] != "Learner" {
		t.Errorf("instance = %+v", in)
	}
	st := g.Lookup("M::Course").Stereotype("model document")
	if st == nil || st.Tags["EAUML__PackageRef"] != "x" || len(st.Tags) != 1 {
		t.Errorf("EA stereotype = %+v, want name from __EAStereoName and one tag", g.Lookup("M::Course").Stereotypes)
	}
}
