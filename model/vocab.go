package model

import (
	"strings"

	"github.com/ltiforge/ltiforge/model/uml"
)

// buildVocabularies reads every «Vocabulary» package and declares its
// prefix.
func (b *builder) buildVocabularies() {
	for _, p := range b.g.Packages() {
		app := b.lti(&p.Element, StVocabulary)
		if app == nil {
			continue
		}
		v := &Vocabulary{Origin: originOf(&p.Element), Name: p.Name,
			Namespace: tag(app, "namespace"), Prefix: tag(app, "prefix"), Doc: p.Doc}
		if v.Namespace == "" || v.Prefix == "" {
			// checkTags reported the missing tag.
			continue
		}
		if !strings.HasSuffix(v.Namespace, "#") && !strings.HasSuffix(v.Namespace, "/") {
			b.tagErrorf(&p.Element, app, "vocabulary namespace %q must end in # or /", v.Namespace)
		}
		if !isAbsoluteIRI(v.Namespace) {
			b.tagErrorf(&p.Element, app, "vocabulary namespace %q is not an absolute IRI", v.Namespace)
		}
		if msg := b.prefixes.declare(v.Prefix, v.Namespace, "«Vocabulary» "+p.QualifiedName); msg != "" {
			b.tagErrorf(&p.Element, app, "%s", msg)
		}
		b.vocabByPkg[p] = v
		b.m.Vocabularies = append(b.m.Vocabularies, v)
	}
}

// vocabOf returns the vocabulary governing a package: its own, or its
// nearest enclosing package's.
func (b *builder) vocabOf(p *uml.Package) *Vocabulary {
	for ; p != nil; p = p.Owner {
		if v := b.vocabByPkg[p]; v != nil {
			return v
		}
	}
	return nil
}

// namespaceOf returns the namespace of a classifier's vocabulary, or "".
func (b *builder) namespaceOf(c *uml.Classifier) (string, string) {
	if v := b.vocabOf(c.Owner); v != nil {
		return v.Namespace, v.Prefix
	}
	return "", ""
}

// declareMediaTypePrefixes declares the prefix=IRI pairs of every
// «MediaType» prefixes tag, so that CURIEs anywhere may use them.
func (b *builder) declareMediaTypePrefixes(cs []*uml.Classifier) {
	for _, c := range cs {
		app := b.lti(&c.Element, StMediaType)
		if app == nil {
			continue
		}
		for _, pair := range tagList(app, "prefixes") {
			prefix, iri, ok := strings.Cut(pair, "=")
			if !ok || prefix == "" || iri == "" {
				b.tagErrorf(&c.Element, app, "prefixes entry %q is not a prefix=IRI pair", pair)
				continue
			}
			if msg := b.prefixes.declare(prefix, iri, "«MediaType» "+c.QualifiedName); msg != "" {
				b.tagErrorf(&c.Element, app, "%s", msg)
			}
		}
	}
}

// iri expands an IRI or CURIE written in a tag of e, reporting an unknown
// prefix. vocab is the namespace a bare name resolves against.
func (b *builder) iri(e *uml.Element, app *uml.StereotypeApplication, tagName, v, vocab string) string {
	full, msg := b.prefixes.expand(v, vocab)
	if msg != "" {
		b.tagErrorf(e, app, "tag %s of «%s»: %s", tagName, app.Name, msg)
	}
	return full
}
