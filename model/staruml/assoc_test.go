package staruml

import (
	"slices"
	"testing"

	"github.com/ltiforge/ltiforge/model/uml"
)

// end writes one UMLAssociationEnd.
func end(guid, name, participant, extra string) string {
	s := `<XPD:OBJ name="Connections[0]" type="UMLAssociationEnd" guid="` + guid + `">
`
	if name != "" {
		s += `<XPD:ATTR name="Name" type="string">` + name + `</XPD:ATTR>
`
	}
	return s + extra + `<XPD:REF name="Participant">` + participant + `</XPD:REF>
</XPD:OBJ>
`
}

// association writes a UMLAssociation with the given ends.
func association(guid string, ends ...string) string {
	s := `<XPD:OBJ name="OwnedElements[9]" type="UMLAssociation" guid="` + guid + `">
`
	for _, e := range ends {
		s += e
	}
	return s + "</XPD:OBJ>\n"
}

func TestAssociationEnds(t *testing.T) {
	own := `<XPD:OBJ name="Attributes[0]" type="UMLAttribute" guid="AT">
<XPD:ATTR name="Name" type="string">own</XPD:ATTR>
</XPD:OBJ>
`
	src := project(class("W", "Whole", own) + class("PT", "Part", "") +
		// Composite written on the whole's end: Whole.parts : Part [*] composite.
		association("A1",
			end("A1e0", "", "W", `<XPD:ATTR name="Aggregation" type="UMLAggregationKind">akComposite</XPD:ATTR>
`),
			end("A1e1", "parts", "PT", `<XPD:ATTR name="Multiplicity" type="string">*</XPD:ATTR>
`)) +
		// Named but not navigable: stays with the association.
		association("A2",
			end("A2e0", "back", "W", `<XPD:ATTR name="IsNavigable" type="boolean">False</XPD:ATTR>
`),
			end("A2e1", "", "PT", "")) +
		// Three ends: all owned by the association.
		association("A3", end("A3e0", "x", "W", ""), end("A3e1", "y", "PT", ""), end("A3e2", "z", "PT", "")))
	g := loadString(t, src)
	g.Finish()
	if len(g.Diagnostics) != 0 {
		t.Fatalf("diagnostics:\n%s", g.Diagnostics.Error())
	}
	whole := classifier(t, g, "Whole")
	var names []string
	for _, p := range whole.Attributes {
		names = append(names, p.Name)
	}
	if !slices.Equal(names, []string{"own", "parts"}) {
		t.Fatalf("Whole attributes %v, want [own parts]", names)
	}
	parts := whole.Attributes[1]
	if parts.Type.Name != "Part" || parts.Multiplicity.String() != "*" || parts.Aggregation != uml.AggregationComposite ||
		parts.Owner != whole || !parts.Navigable || parts.ID != "A1e1" {
		t.Errorf("Whole.parts = %s [%s] %s owner %v", parts.TypeName(), parts.Multiplicity, parts.Aggregation, parts.Owner)
	}
	a1 := parts.Association
	if len(a1.Ends) != 2 || a1.Ends[1] != parts || len(a1.OwnedEnds) != 1 || a1.OwnedEnds[0] != a1.Ends[0] {
		t.Errorf("A1 ends %d, owned %d", len(a1.Ends), len(a1.OwnedEnds))
	}
	if e := a1.Ends[0]; e.Type.Name != "Whole" || e.Aggregation != uml.AggregationNone || e.Multiplicity != uml.One {
		t.Errorf("A1 whole end = %s %s [%s]", e.TypeName(), e.Aggregation, e.Multiplicity)
	}
	if n := len(classifier(t, g, "Part").Attributes); n != 0 {
		t.Errorf("Part has %d attributes, want 0 (back is not navigable, x/y/z are n-ary)", n)
	}
	assocs := g.Associations()
	if len(assocs) != 3 {
		t.Fatalf("%d associations, want 3", len(assocs))
	}
	if a2 := assocs[1]; len(a2.OwnedEnds) != 2 || a2.Ends[0].Name != "back" || a2.Ends[0].Navigable {
		t.Errorf("A2: owned %d, first end %q navigable %v", len(a2.OwnedEnds), a2.Ends[0].Name, a2.Ends[0].Navigable)
	}
	if a3 := assocs[2]; len(a3.OwnedEnds) != 3 || len(a3.Ends) != 3 {
		t.Errorf("A3: %d ends, %d owned", len(a3.Ends), len(a3.OwnedEnds))
	}
}

// TestNodeAssociationsSkipped checks that an association between
// deployment nodes, as LTI_v2.uml has, is dropped without a word.
func TestNodeAssociationsSkipped(t *testing.T) {
	src := project(`<XPD:OBJ name="OwnedElements[0]" type="UMLNode" guid="N1"></XPD:OBJ>
<XPD:OBJ name="OwnedElements[1]" type="UMLNode" guid="N2"></XPD:OBJ>
` + association("A", end("e0", "", "N1", ""), end("e1", "hosts", "N2", "")))
	g := loadString(t, src)
	if len(g.Diagnostics) != 0 || len(g.Associations()) != 0 {
		t.Errorf("%d associations, diagnostics:\n%s", len(g.Associations()), g.Diagnostics.Error())
	}
}
