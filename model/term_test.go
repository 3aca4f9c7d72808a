package model

import (
	"context"
	"testing"

	"github.com/ltiforge/ltiforge/model/uml"
)

// TestTermCoercion checks the three ways a property's coercion is set:
// from its «SimpleType»'s iri when the Term has no type tag, from the type
// tag, and none at all when the tag is present but empty.
func TestTermCoercion(t *testing.T) {
	elements := `<packagedElement xmi:type="uml:Package" xmi:id="V" name="V">
<packagedElement xmi:type="uml:PrimitiveType" xmi:id="T" name="T"/>
<packagedElement xmi:type="uml:Class" xmi:id="A" name="A">
<ownedAttribute xmi:id="A.byType" name="byType" type="T"/>
<ownedAttribute xmi:id="A.byTag" name="byTag" type="T"/>
<ownedAttribute xmi:id="A.none" name="none" type="T"/>
</packagedElement>
</packagedElement>`
	apps := vocabApp + `<LTI:SimpleType base_PrimitiveType="T" base="xs:token" iri="v:T"/>
<LTI:Term base_Property="A.byTag" type="@id"/>
<LTI:Term base_Property="A.none" type=""/>`
	m, err := LoadSources(context.Background(), uml.Source{Path: badFile, Data: []byte(xmiDoc(elements, apps))})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Diagnostics) > 0 {
		t.Fatalf("diagnostics:\n%s", m.Diagnostics.Error())
	}
	want := map[string][2]string{
		"byType": {"v:T", "http://example.org/v#T"},
		"byTag":  {"@id", ""},
		"none":   {"", ""},
	}
	if len(m.Classes) != 1 || len(m.Classes[0].Properties) != 3 {
		t.Fatalf("classes = %+v", m.Classes)
	}
	for _, p := range m.Classes[0].Properties {
		if got := [2]string{p.Coercion, p.CoercionIRI}; got != want[p.Name] {
			t.Errorf("%s: coercion %q, want %q", p.Name, got, want[p.Name])
		}
		if p.Type.Kind != TypeSimple || p.Type.GoName != "T" || p.Type.GoType != "string" {
			t.Errorf("%s: type %+v", p.Name, p.Type)
		}
	}
}

// TestServiceWithoutMediaTypes: a service whose operations carry no body
// may leave mediaTypes out.
func TestServiceWithoutMediaTypes(t *testing.T) {
	elements := `<packagedElement xmi:type="uml:Interface" xmi:id="S" name="S">
<ownedOperation xmi:id="S.put" name="confirm">
<ownedParameter xmi:id="S.put.id" name="id"/>
</ownedOperation>
</packagedElement>`
	apps := `<LTI:RestService base_Interface="S"/>
<LTI:HttpOperation base_Operation="S.put" method="PUT" path="/confirm/{id}" status="200 Done."/>
<LTI:PathParam base_Parameter="S.put.id"/>`
	m, err := LoadSources(context.Background(), uml.Source{Path: badFile, Data: []byte(xmiDoc(elements, apps))})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Diagnostics) > 0 {
		t.Fatalf("diagnostics:\n%s", m.Diagnostics.Error())
	}
	if len(m.Services) != 1 || len(m.Services[0].MediaTypes) != 0 || len(m.Services[0].Operations) != 1 {
		t.Errorf("services = %+v", m.Services)
	}
}
