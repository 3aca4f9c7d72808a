package model

import (
	"fmt"
	"strings"
)

// prefixTable maps prefixes to namespace IRIs.
type prefixTable struct {
	iri    map[string]string
	source map[string]string // where each prefix was declared, for messages
}

// builtinPrefixes returns the prefixes every model may use.
func builtinPrefixes() []Prefix {
	return []Prefix{
		{"xs", "http://www.w3.org/2001/XMLSchema#"},
		{"xsd", "http://www.w3.org/2001/XMLSchema#"},
		{"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
		{"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
		{"owl", "http://www.w3.org/2002/07/owl#"},
	}
}

func newPrefixTable() *prefixTable {
	t := &prefixTable{iri: map[string]string{}, source: map[string]string{}}
	for _, p := range builtinPrefixes() {
		t.iri[p.Prefix] = p.IRI
		t.source[p.Prefix] = "built in"
	}
	return t
}

// declare adds a prefix. It returns a sentence when the prefix is already
// bound to another IRI (the first binding is kept).
func (t *prefixTable) declare(prefix, iri, source string) string {
	if old, ok := t.iri[prefix]; ok {
		if old != iri {
			return fmt.Sprintf("prefix %q is bound to %s here but to %s by %s; the first is kept", prefix, iri, old, t.source[prefix])
		}
		return ""
	}
	t.iri[prefix] = iri
	t.source[prefix] = source
	return ""
}

// isAbsoluteIRI reports whether v is written as a full IRI rather than a
// CURIE.
func isAbsoluteIRI(v string) bool {
	if strings.Contains(v, "://") {
		return true
	}
	for _, scheme := range []string{"urn:", "http:", "https:", "mailto:", "tag:"} {
		if len(v) >= len(scheme) && strings.EqualFold(v[:len(scheme)], scheme) {
			return true
		}
	}
	return false
}

// expand turns an IRI, CURIE or (with a vocabulary namespace vocab) a bare
// name into a full IRI. It returns "" and a sentence when v is a CURIE with
// an unknown prefix, or a bare name with no vocabulary to resolve it.
func (t *prefixTable) expand(v, vocab string) (string, string) {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return "", ""
	case isAbsoluteIRI(v):
		return v, ""
	}
	prefix, local, ok := strings.Cut(v, ":")
	if !ok {
		if vocab == "" {
			return "", fmt.Sprintf("%q is neither an IRI nor a CURIE, and no vocabulary's namespace applies to resolve it", v)
		}
		return vocab + v, ""
	}
	ns, known := t.iri[prefix]
	if !known {
		return "", fmt.Sprintf("CURIE %q has the unknown prefix %q (known: %s)", v, prefix, strings.Join(t.known(), ", "))
	}
	return ns + local, ""
}

func (t *prefixTable) known() []string {
	out := make([]string, 0, len(t.iri))
	for p := range t.iri {
		out = append(out, p)
	}
	sortStrings(out)
	return out
}
