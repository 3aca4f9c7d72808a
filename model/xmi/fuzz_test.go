package xmi

import (
	"context"
	"os"
	"testing"

	"github.com/ltiforge/ltiforge/internal/sharedtest"
	"github.com/ltiforge/ltiforge/model/uml"
)

// FuzzLoad feeds arbitrary bytes to Load, alone and next to a small model
// it may reference. The reader must not panic, and every diagnostic must
// name the file and either a positive line or none (a whole-file problem).
func FuzzLoad(f *testing.F) {
	for _, p := range sharedtest.Glob("xmi-samples/*.xmi") {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{fragEclipse, fragEA, fragModelioHTML, fragPartner, fragStandard,
		head + `<packagedElement xmi:type="uml:Klass" xmi:id="c"/>` + tail,
		head + `<packagedElement xmi:type="uml:AssociationClass" xmi:id="c" memberEnd="a b"><ownedAttribute xmi:id="a" association="c"/><ownedEnd xmi:id="b"/></packagedElement>` + tail,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g := uml.NewGraph()
		err := Load(context.Background(), g,
			uml.Source{Path: "partner/ext.xmi", Data: data},
			uml.Source{Path: "std/lti.xmi", Data: []byte(fragStandard)},
		)
		if err != nil {
			t.Fatalf("Load returned %v without a cancelled context", err)
		}
		for _, d := range g.Diagnostics {
			if d.Pos.File == "" || d.Pos.Line < 0 {
				t.Fatalf("diagnostic without a file or with a bad line: %s", d)
			}
		}
		g.Finish()
	})
}
