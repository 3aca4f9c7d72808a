package staruml

import (
	"context"
	"os"
	"testing"

	"github.com/ltiforge/ltiforge/internal/sharedtest"
	"github.com/ltiforge/ltiforge/model/uml"
)

// FuzzLoad checks that Load never panics and positions every diagnostic.
func FuzzLoad(f *testing.F) {
	for _, p := range sharedtest.Glob("ims-model/uml/*.uml") {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		"",
		project(""),
		project(class("C", "A", `<XPD:ATTR name="IsAbstract" type="boolean">True</XPD:ATTR>
<XPD:OBJ name="Attributes[0]" type="UMLAttribute" guid="X">
<XPD:ATTR name="Name" type="string">x</XPD:ATTR>
<XPD:ATTR name="Multiplicity" type="string">0..*</XPD:ATTR>
<XPD:ATTR name="TypeExpression" type="string">A</XPD:ATTR>
<XPD:ATTR name="InitialValue" type="string">"v"</XPD:ATTR>
</XPD:OBJ>
`)),
		project(class("C", "A", "") + association("AS", end("E0", "", "C", ""), end("E1", "b", "C", ""))),
		project(`<XPD:OBJ name="OwnedElements[0]" type="UMLEnumeration" guid="E">
<XPD:OBJ name="Literals[0]" type="UMLEnumerationLiteral" guid="L"><XPD:ATTR name="Name" type="string">A</XPD:ATTR></XPD:OBJ>
</XPD:OBJ>
<XPD:OBJ name="OwnedElements[1]" type="UMLObject" guid="O"><XPD:REF name="Classifier">E</XPD:REF></XPD:OBJ>
<XPD:OBJ name="OwnedElements[2]" type="UMLGeneralization" guid="G"><XPD:REF name="Child">E</XPD:REF><XPD:REF name="Parent">O</XPD:REF></XPD:OBJ>`),
		`<XPD:PROJECT xmlns:XPD="http://www.staruml.com"><XPD:BODY><XPD:OBJ type="UMLProject"/></XPD:BODY></XPD:PROJECT>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g := uml.NewGraph()
		if err := Load(context.Background(), g, uml.Source{Path: "f.uml", Data: data}); err != nil {
			t.Fatalf("Load returned %v with a live context", err)
		}
		g.Finish()
		for _, d := range g.Diagnostics {
			// Finish's own "further problems" summary is the one
			// diagnostic with no position.
			if d.Pos.File == "" && d.Pos.Line == 0 && len(g.Diagnostics) > uml.MaxDiagnostics {
				continue
			}
			if d.Pos.File != "f.uml" || d.Pos.Line < 1 || d.Message == "" {
				t.Fatalf("diagnostic not positioned: %#v", d)
			}
		}
	})
}
