package staruml

import (
	"context"
	"testing"

	"github.com/ltiforge/ltiforge/internal/sharedtest"
	"github.com/ltiforge/ltiforge/model/uml"
)

// imsFiles are the four StarUML projects of IMS's LTI 2.0 model.
var imsFiles = []string{"LTI_v2.uml", "LTI_v2p1.uml", "LIS_Result.uml", "roster.uml"}

// readShared reads one IMS model file, skipping the test when ../shared is
// not checked out next to the project.
func readShared(tb testing.TB, name string) []byte {
	tb.Helper()
	return sharedtest.Read(tb, "ims-model/uml/"+name)
}

// load reads src into a fresh, finished graph.
func load(tb testing.TB, path string, data []byte) *uml.Graph {
	tb.Helper()
	g := uml.NewGraph()
	if err := Load(context.Background(), g, uml.Source{Path: path, Data: data}); err != nil {
		tb.Fatalf("Load(%s): %v", path, err)
	}
	g.Finish()
	return g
}

// classifier finds a classifier by simple name, failing the test if absent.
func classifier(tb testing.TB, g *uml.Graph, name string) *uml.Classifier {
	tb.Helper()
	for _, c := range g.Classifiers() {
		if c.Name == name {
			return c
		}
	}
	tb.Fatalf("no classifier named %q", name)
	return nil
}

// attribute finds a classifier's attribute by name.
func attribute(tb testing.TB, c *uml.Classifier, name string) *uml.Property {
	tb.Helper()
	for _, a := range c.Attributes {
		if a.Name == name {
			return a
		}
	}
	tb.Fatalf("%s has no attribute %q", c.Name, name)
	return nil
}
