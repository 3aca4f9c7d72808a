package model

import (
	"context"
	"os"
	"testing"

	"github.com/ltiforge/ltiforge/model/uml"
)

// FuzzLoad feeds arbitrary files to LoadSources: whatever the input, it
// must return a model (with diagnostics) and never panic.
func FuzzLoad(f *testing.F) {
	for _, tt := range badCases() {
		f.Add([]byte(xmiDoc(tt.elements, tt.apps)))
	}
	f.Add([]byte(xmiDoc(vocabPkg+service, vocabApp+mtApp+serviceApp+okOp)))
	if data, err := os.ReadFile("lti2/examples/course-catalog.uml"); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := LoadSources(context.Background(), uml.Source{Path: "fuzz.uml", Data: data})
		if err != nil {
			t.Fatalf("error without cancellation: %v", err)
		}
		if m == nil {
			t.Fatal("nil model")
		}
		for _, d := range m.Diagnostics {
			if d.Message == "" {
				t.Fatalf("diagnostic without a message: %+v", d)
			}
		}
	})
}
