package staruml

import (
	"context"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/model/uml"
)

// project wraps objects in a minimal StarUML project. The model's start
// tag is on line 6 and body starts on line 8.
func project(body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<XPD:PROJECT xmlns:XPD="http://www.staruml.com" version="1">
<XPD:HEADER><XPD:SUBUNITS></XPD:SUBUNITS></XPD:HEADER>
<XPD:BODY>
<XPD:OBJ name="DocumentElement" type="UMLProject" guid="P">
<XPD:OBJ name="OwnedElements[0]" type="UMLModel" guid="M">
<XPD:ATTR name="Name" type="string">M</XPD:ATTR>
` + body + `
</XPD:OBJ>
</XPD:OBJ>
</XPD:BODY>
</XPD:PROJECT>
`
}

// class writes a UMLClass object with the given guid, name and content.
func class(guid, name, inner string) string {
	return `<XPD:OBJ name="OwnedElements[0]" type="UMLClass" guid="` + guid + `">
<XPD:ATTR name="Name" type="string">` + name + `</XPD:ATTR>
` + inner + `</XPD:OBJ>
`
}

// loadString loads src under the name "t.uml" without finishing the graph.
func loadString(t *testing.T, src string) *uml.Graph {
	t.Helper()
	g := uml.NewGraph()
	if err := Load(context.Background(), g, uml.Source{Path: "t.uml", Data: []byte(src)}); err != nil {
		t.Fatalf("Load: %v", err)
	}
	return g
}

func TestBadInput(t *testing.T) {
	good := project(class("C", "A", ""))
	tests := []struct {
		name string
		src  string
		sev  uml.Severity
		line int
		msg  string
	}{
		{"empty file", "", uml.Error, 1, "file is empty"},
		{"blank file", " \n\t\n", uml.Error, 1, "file is empty"},
		{"truncated inside a tag", good[:len(good)/2+7], uml.Error, 6, "ends in the middle of the document (truncated?)"},
		{"truncated between elements", good[:strings.Index(good, "</XPD:BODY>")], uml.Error, 14, "element <XPD:BODY> is not closed (truncated file?)"},
		{"declared encoding not supported",
			strings.Replace(good, "UTF-8", "UTF-16", 1), uml.Error, 1, `character encoding "UTF-16"`},
		{"bytes not UTF-8",
			project(class("C", "A\xff\xfe", "")), uml.Error, 9, "invalid UTF-8"},
		{"not a StarUML file",
			"<?xml version=\"1.0\"?>\n<xmi:XMI xmlns:xmi=\"http://www.omg.org/spec/XMI/20131001\"/>\n",
			uml.Error, 2, "not a StarUML project: the root element is <xmi:XMI>"},
		{"no body",
			`<XPD:PROJECT xmlns:XPD="http://www.staruml.com"><XPD:HEADER/></XPD:PROJECT>`,
			uml.Error, 1, "has no <XPD:BODY>"},
		{"dangling Type_ reference",
			project(class("C", "A", `<XPD:OBJ name="Attributes[0]" type="UMLAttribute" guid="X">
<XPD:ATTR name="Name" type="string">x</XPD:ATTR>
<XPD:REF name="Type_">NOPE</XPD:REF>
</XPD:OBJ>
`)),
			uml.Error, 12, `the UMLAttribute "x" refers (Type_) to the guid "NOPE", which is not in the file`},
		{"dangling Participant",
			project(class("C", "A", "") + `<XPD:OBJ name="OwnedElements[1]" type="UMLAssociation" guid="AS">
<XPD:OBJ name="Connections[0]" type="UMLAssociationEnd" guid="E0">
<XPD:REF name="Participant">C</XPD:REF>
</XPD:OBJ>
<XPD:OBJ name="Connections[1]" type="UMLAssociationEnd" guid="E1">
<XPD:ATTR name="Name" type="string">b</XPD:ATTR>
<XPD:REF name="Participant">GONE</XPD:REF>
</XPD:OBJ>
</XPD:OBJ>`),
			uml.Error, 17, `the UMLAssociationEnd "b" refers (Participant) to the guid "GONE"`},
		{"duplicate guid",
			project(class("C", "A", "") + class("C", "B", "")),
			uml.Error, 11, `duplicate guid "C": the UMLClass at line 8 already uses it; this UMLClass is ignored`},
		{"malformed upper bound",
			project(class("C", "A", `<XPD:OBJ name="Attributes[0]" type="UMLAttribute" guid="X">
<XPD:ATTR name="Name" type="string">x</XPD:ATTR>
<XPD:ATTR name="Multiplicity" type="string">1..x</XPD:ATTR>
</XPD:OBJ>
`)),
			uml.Error, 10, `attribute "x" has the malformed multiplicity "1..x": the upper bound "x" is not a whole number or "*"`},
		{"reversed bounds",
			project(class("C", "A", `<XPD:OBJ name="Attributes[0]" type="UMLAttribute" guid="X">
<XPD:ATTR name="Name" type="string">x</XPD:ATTR>
<XPD:ATTR name="Multiplicity" type="string">3..1</XPD:ATTR>
</XPD:OBJ>
`)),
			uml.Error, 10, "the lower bound 3 is greater than the upper bound 1"},
		{"type is not a classifier",
			project(class("C", "A", `<XPD:OBJ name="Attributes[0]" type="UMLAttribute" guid="X">
<XPD:ATTR name="Name" type="string">x</XPD:ATTR>
<XPD:REF name="Type_">M</XPD:REF>
</XPD:OBJ>
`)),
			uml.Error, 10, `the type of the attribute "x" is the UMLModel "M" at line 6, not a classifier`},
		{"unknown object type",
			project(`<XPD:OBJ name="OwnedElements[0]" type="UMLWidget" guid="W"></XPD:OBJ>`),
			uml.Warning, 8, `unknown StarUML object type "UMLWidget" inside the UMLModel`},
		{"attribute outside a classifier",
			project(`<XPD:OBJ name="OwnedElements[0]" type="UMLAttribute" guid="W"></XPD:OBJ>`),
			uml.Warning, 8, "a UMLAttribute cannot stand inside a UMLModel"},
		{"bad boolean",
			project(class("C", "A", `<XPD:ATTR name="IsAbstract" type="boolean">Yes</XPD:ATTR>
`)),
			uml.Warning, 10, `IsAbstract of the UMLClass "A" is "Yes", not True or False`},
		{"undeclared type name",
			project(class("C", "A", `<XPD:OBJ name="Attributes[0]" type="UMLAttribute" guid="X">
<XPD:ATTR name="Name" type="string">x</XPD:ATTR>
<XPD:ATTR name="TypeExpression" type="string">Widget</XPD:ATTR>
</XPD:OBJ>
`)),
			uml.Warning, 10, `the type "Widget" of the attribute "x" is neither declared in this file nor a known primitive type`},
		{"one-ended association",
			project(class("C", "A", "") + `<XPD:OBJ name="OwnedElements[1]" type="UMLAssociation" guid="AS">
<XPD:OBJ name="Connections[0]" type="UMLAssociationEnd" guid="E0">
<XPD:REF name="Participant">C</XPD:REF>
</XPD:OBJ>
</XPD:OBJ>`),
			uml.Error, 11, "the association has 1 end(s) but needs at least two"},
		{"self generalization",
			project(class("C", "A", "") + `<XPD:OBJ name="OwnedElements[1]" type="UMLGeneralization" guid="G">
<XPD:REF name="Child">C</XPD:REF>
<XPD:REF name="Parent">C</XPD:REF>
</XPD:OBJ>`),
			uml.Error, 11, `the UMLGeneralization relates the classifier "A" to itself`},
		{"sub-unit",
			strings.Replace(project(""), "<XPD:SUBUNITS></XPD:SUBUNITS>", "<XPD:SUBUNITS><XPD:SUBUNIT>part.unt</XPD:SUBUNIT></XPD:SUBUNITS>", 1),
			uml.Warning, 3, `sub-unit "part.unt", which is not read`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := loadString(t, tt.src)
			if len(g.Diagnostics) != 1 {
				t.Fatalf("want exactly one diagnostic, got %d:\n%s", len(g.Diagnostics), g.Diagnostics.Error())
			}
			d := g.Diagnostics[0]
			if d.Severity != tt.sev || d.Pos.File != "t.uml" || d.Pos.Line != tt.line || !strings.Contains(d.Message, tt.msg) {
				t.Errorf("got  %s\nwant %s at t.uml:%d containing %q", d, tt.sev, tt.line, tt.msg)
			}
			if !g.Diagnostics.HasErrors() && tt.sev == uml.Error {
				t.Error("error not counted as one")
			}
		})
	}
}

// TestCancelled checks that a cancelled context stops Load with its error
// and adds no packages.
func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	g := uml.NewGraph()
	err := Load(ctx, g, uml.Source{Path: "t.uml", Data: []byte(project(class("C", "A", "")))})
	if err != context.Canceled || len(g.Roots) != 0 {
		t.Errorf("Load with a cancelled context: err %v, %d roots", err, len(g.Roots))
	}
}
