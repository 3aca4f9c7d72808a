package model

import (
	"context"
	"slices"
	"testing"

	"github.com/ltiforge/ltiforge/model/uml"
)

// TestMediaTypeTerms checks which classes a media type's terms come from:
// the root and what it embeds, each with its specializations and
// generalizations; a reference or an enumeration adds only its type's
// class term, not the referenced class's properties.
func TestMediaTypeTerms(t *testing.T) {
	elements := `<packagedElement xmi:type="uml:Package" xmi:id="V" name="V">
<packagedElement xmi:type="uml:Class" xmi:id="Base" name="Base" isAbstract="true">
<ownedAttribute xmi:id="Base.b" name="b">` + stringType + `</ownedAttribute>
</packagedElement>
<packagedElement xmi:type="uml:Class" xmi:id="A" name="A">
<generalization xmi:id="A.g" general="Base"/>
<ownedAttribute xmi:id="A.part" name="part" type="Part" aggregation="composite"/>
<ownedAttribute xmi:id="A.ref" name="ref" type="Other"/>
<ownedAttribute xmi:id="A.kind" name="kind" type="E"/>
<ownedAttribute xmi:id="A.emb" name="emb" type="Emb"/>
<ownedAttribute xmi:id="A.url" name="url">` + stringType + `</ownedAttribute>
</packagedElement>
<packagedElement xmi:type="uml:Class" xmi:id="Part" name="Part" isAbstract="true">
<ownedAttribute xmi:id="Part.p1" name="p1">` + stringType + `</ownedAttribute>
</packagedElement>
<packagedElement xmi:type="uml:Class" xmi:id="PartX" name="PartX">
<generalization xmi:id="PartX.g" general="Part"/>
<ownedAttribute xmi:id="PartX.px" name="px">` + stringType + `</ownedAttribute>
</packagedElement>
<packagedElement xmi:type="uml:Class" xmi:id="Other" name="Other">
<ownedAttribute xmi:id="Other.secret" name="secret">` + stringType + `</ownedAttribute>
</packagedElement>
<packagedElement xmi:type="uml:Class" xmi:id="Emb" name="Emb">
<ownedAttribute xmi:id="Emb.e1" name="e1">` + stringType + `</ownedAttribute>
</packagedElement>
<packagedElement xmi:type="uml:Enumeration" xmi:id="E" name="E">
<ownedLiteral xmi:id="E.x" name="x"/>
</packagedElement>
<packagedElement xmi:type="uml:Class" xmi:id="AJ" name="AJ"/>
</packagedElement>`
	apps := vocabApp + mtApp + `<LTI:Term base_Property="A.ref" type="@id"/>
<LTI:Term base_Property="A.kind" type="@id"/>
<LTI:Term base_Property="A.url" type="xs:anyURI"/>`
	m, err := LoadSources(context.Background(), uml.Source{Path: badFile, Data: []byte(xmiDoc(elements, apps))})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Diagnostics) > 0 {
		t.Fatalf("diagnostics:\n%s", m.Diagnostics.Error())
	}
	if len(m.MediaTypes) != 1 {
		t.Fatalf("media types = %+v", m.MediaTypes)
	}
	var got []string
	for _, tm := range m.MediaTypes[0].Terms {
		got = append(got, tm.Kind+" "+tm.Name)
		if tm.Name == "url" && (tm.Coercion != "xs:anyURI" || tm.CoercionIRI != "http://www.w3.org/2001/XMLSchema#anyURI") {
			t.Errorf("url: coercion %q (%q), want xs:anyURI expanded", tm.Coercion, tm.CoercionIRI)
		}
	}
	want := []string{
		"class A", "class Base", "property b",
		"property part", "property ref", "class Other", "property kind", "class E", "property emb", "property url",
		"class Part", "property p1",
		"class PartX", "property px",
		"class Emb", "property e1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("terms:\n got %q\nwant %q", got, want)
	}
}
