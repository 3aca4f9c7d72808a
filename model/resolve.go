package model

import (
	"fmt"
	"strings"

	"github.com/ltiforge/ltiforge/model/uml"
)

// resolver finds classifiers by qualified name or by a plain name unique
// among the loaded models.
type resolver struct {
	g      *uml.Graph
	byName map[string][]*uml.Classifier
}

func newResolver(g *uml.Graph, cs []*uml.Classifier) *resolver {
	r := &resolver{g: g, byName: map[string][]*uml.Classifier{}}
	for _, c := range cs {
		if c.Name != "" {
			r.byName[c.Name] = append(r.byName[c.Name], c)
		}
	}
	return r
}

// classifier resolves ref. On failure it returns nil and a sentence saying
// why: no such name, or a plain name several classifiers share (listed).
func (r *resolver) classifier(ref string) (*uml.Classifier, string) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, "the name is empty"
	}
	if strings.Contains(ref, "::") {
		if c := r.g.Lookup(ref); c != nil {
			return c, ""
		}
		return nil, fmt.Sprintf("no classifier has the qualified name %q", ref)
	}
	cands := r.byName[ref]
	switch len(cands) {
	case 0:
		return nil, fmt.Sprintf("no classifier is named %q", ref)
	case 1:
		return cands[0], ""
	}
	qs := make([]string, len(cands))
	for i, c := range cands {
		qs[i] = c.QualifiedName
	}
	return nil, fmt.Sprintf("the name %q is ambiguous: it names %s; use a qualified name", ref, strings.Join(qs, ", "))
}
