package model

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/model/uml"
)

// TestBadModelsWithProfileFile repeats the bad models with the LTI
// profile file loaded, whose stereotype definitions then give the tag
// kinds: every problem must still be found, at the same place.
func TestBadModelsWithProfileFile(t *testing.T) {
	const profile = "lti2/profile/lti.profile.uml"
	data, err := os.ReadFile(profile)
	if err != nil {
		t.Skipf("profile file not there yet: %v", err)
	}
	for _, tt := range badCases() {
		t.Run(tt.name, func(t *testing.T) {
			src := xmiDoc(tt.elements, tt.apps)
			line := lineOf(t, src, tt.at)
			m, err := LoadSources(context.Background(), uml.Source{Path: badFile, Data: []byte(src)}, uml.Source{Path: profile, Data: data})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range m.Diagnostics {
				if strings.Contains(d.Message, tt.msg) {
					if d.Pos.File != badFile || d.Pos.Line != line {
						t.Errorf("reported as %s, want %s:%d", d, badFile, line)
					}
					return
				}
			}
			t.Errorf("no diagnostic says %q; got:\n%s", tt.msg, m.Diagnostics.Error())
		})
	}
}

// miniProfile is an LTI profile file whose HttpMethod enumeration adds
// PATCH and whose Addressable stereotype types idRequired as Integer.
const miniProfile = `<?xml version="1.0" encoding="UTF-8"?>
<xmi:XMI xmi:version="20131001" xmlns:xmi="http://www.omg.org/spec/XMI/20131001" xmlns:uml="http://www.eclipse.org/uml2/5.0.0/UML">
<uml:Profile xmi:id="LTI" name="LTI" URI="http://ltiforge.org/schemas/LTI/1.0">
<packagedElement xmi:type="uml:Enumeration" xmi:id="HttpMethod" name="HttpMethod">
<ownedLiteral xmi:id="HttpMethod.GET" name="GET"/>
<ownedLiteral xmi:id="HttpMethod.PATCH" name="PATCH"/>
</packagedElement>
<packagedElement xmi:type="uml:Stereotype" xmi:id="HttpOperation" name="HttpOperation">
<ownedAttribute xmi:id="HttpOperation.base" name="base_Operation"/>
<ownedAttribute xmi:id="HttpOperation.method" name="method" type="HttpMethod"/>
<ownedAttribute xmi:id="HttpOperation.path" name="path"><type xmi:type="uml:PrimitiveType" href="pathmap://UML_LIBRARIES/UMLPrimitiveTypes.library.uml#String"/></ownedAttribute>
<ownedAttribute xmi:id="HttpOperation.status" name="status"><type xmi:type="uml:PrimitiveType" href="pathmap://UML_LIBRARIES/UMLPrimitiveTypes.library.uml#String"/></ownedAttribute>
</packagedElement>
<packagedElement xmi:type="uml:Stereotype" xmi:id="Addressable" name="Addressable">
<ownedAttribute xmi:id="Addressable.idRequired" name="idRequired"><type xmi:type="uml:PrimitiveType" href="pathmap://UML_LIBRARIES/UMLPrimitiveTypes.library.uml#Integer"/></ownedAttribute>
</packagedElement>
</uml:Profile>
</xmi:XMI>
`

// TestProfileFileGivesTagKinds checks that a loaded profile's definitions
// decide tag kinds and literals, and that where they depart from
// docs/profile.md the profile file is reported.
func TestProfileFileGivesTagKinds(t *testing.T) {
	src := xmiDoc(vocabPkg+service, vocabApp+mtApp+serviceApp+
		`<LTI:HttpOperation base_Operation="S.get" method="PATCH" path="/a/{id}" status="200 The A."/>
<LTI:Addressable base_Class="A" idRequired="true"/>`)
	m, err := LoadSources(context.Background(), uml.Source{Path: badFile, Data: []byte(src)}, uml.Source{Path: "mini.profile.uml", Data: []byte(miniProfile)})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`mini.profile.uml:4: warning: the profile's enumeration HttpMethod has the literals GET, PATCH, but docs/profile.md specifies GET, PUT, POST, DELETE`,
		`mini.profile.uml:15: warning: tag idRequired of stereotype Addressable is of kind Integer in the profile file but Boolean in docs/profile.md`,
		`mini.profile.uml:3: warning: the LTI profile file defines no stereotype Vocabulary, which docs/profile.md specifies`,
		`mini.profile.uml:8: warning: the profile's stereotype HttpOperation lacks the tag offer that docs/profile.md specifies`,
		lineText(src, `idRequired="true"`) + `: error: tag idRequired of «Addressable» is "true", but an Integer tag is a whole number`,
	}
	got := m.Diagnostics.Error()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("no diagnostic %q; got:\n%s", w, got)
		}
	}
	if strings.Contains(got, `"PATCH"`) {
		t.Errorf("PATCH, a literal of the loaded profile, was refused:\n%s", got)
	}
}

func lineText(src, text string) string {
	return fmt.Sprintf("%s:%d", badFile, strings.Count(src[:strings.Index(src, text)], "\n")+1)
}
