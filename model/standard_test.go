package model

import (
	"context"
	"os"
	"testing"
)

// TestStandardModel loads the standard LTI 2.0 model with the profile and
// checks that every part of the semantic model is populated. Its
// diagnostics are logged (run with -v); the model is still being written,
// so they are not asserted here.
func TestStandardModel(t *testing.T) {
	for _, f := range []string{"lti2/lti.uml", "lti2/profile/lti.profile.uml"} {
		if _, err := os.Stat(f); err != nil {
			t.Skipf("standard model not there yet: %v", err)
		}
	}
	m, err := Load(context.Background(), "lti2", "lti2/profile")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range m.Diagnostics {
		t.Log(d)
	}
	counts := map[string]int{
		"vocabularies": len(m.Vocabularies), "classes": len(m.Classes), "simple types": len(m.SimpleTypes),
		"media types": len(m.MediaTypes), "services": len(m.Services), "messages": len(m.Messages),
		"capabilities": len(m.Capabilities), "variables": len(m.Variables), "roles": len(m.Roles),
	}
	for what, n := range counts {
		if n == 0 {
			t.Errorf("the standard model gives no %s", what)
		}
	}
	for _, mt := range m.MediaTypes {
		if mt.JSONLD() && mt.RootClass() != nil && len(mt.Terms) == 0 {
			t.Errorf("JSON-LD media type %s has no terms", mt.Name)
		}
	}
}
