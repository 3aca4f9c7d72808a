package xmi

import (
	"strings"

	"github.com/ltiforge/ltiforge/model/doctext"
	"github.com/ltiforge/ltiforge/model/uml"
	"github.com/ltiforge/ltiforge/model/xmltree"
)

// comment reads an owned comment. Its body is a child element (Papyrus,
// Modelio) or an attribute (MagicDraw); it documents the elements in its
// annotatedElement (IDREFS attribute or child idrefs), or its owner when it
// names none. Bodies go through doctext.Markdown; several comments on one
// element are joined as paragraphs, in file order.
func (b *builder) comment(e *xmltree.Element, owner uml.Node) {
	if _, ok := b.metaclass(e, nil); !ok {
		return
	}
	body, ok := e.Get("", "body")
	if !ok {
		for _, c := range e.Children {
			if c.Space == "" && c.Local == "body" {
				body += c.Text
			}
		}
	}
	if b.f.d.skipComment(body) {
		return
	}
	doc := doctext.Markdown(body)
	if doc == "" {
		return
	}
	targets := b.refsOf(e, "annotatedElement")
	if len(targets) == 0 {
		if owner != nil {
			appendDoc(owner.Base(), doc)
		}
		return
	}
	for _, rt := range targets {
		b.addRef(rt, nil, "annotatedElement", refQuiet, func(t target) bool {
			if t.node != nil {
				appendDoc(t.node.Base(), doc)
			}
			return true
		})
	}
}

// appendDoc adds a paragraph of documentation to el.
func appendDoc(el *uml.Element, doc string) {
	doc = strings.TrimSpace(doc)
	switch {
	case doc == "":
	case el.Doc == "":
		el.Doc = doc
	default:
		el.Doc += "\n\n" + doc
	}
}
