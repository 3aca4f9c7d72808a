// Package xmltree reads an XML document into a small element tree that keeps
// each element's line, resolves namespace prefixes (also inside attribute
// values such as xmi:type="uml:Class"), and enforces the limits that make it
// safe on untrusted input: a size bound, a depth bound, no entity expansion
// and only the character sets model files are written in.
//
// Both model readers (XMI and StarUML) build on it, so the XML concerns live
// in one place.
package xmltree

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// Default limits. They are far above any real model file and far below what
// would hurt the process.
const (
	DefaultMaxBytes = 64 << 20
	DefaultMaxDepth = 512
)

// Options tune Parse.
type Options struct {
	// MaxBytes bounds the input size; zero means DefaultMaxBytes.
	MaxBytes int
	// MaxDepth bounds element nesting; zero means DefaultMaxDepth.
	MaxDepth int
	// Skip is asked about each element once its start tag is read (its
	// attributes are set, its children are not). Returning true drops the
	// element and its whole subtree without building it, which keeps
	// diagram and vendor-extension payloads out of memory.
	Skip func(e *Element) bool
}

// Attr is an attribute with its namespace resolved.
type Attr struct {
	// Space is the namespace URI; empty for an unprefixed attribute.
	Space string
	// Prefix is the prefix as written.
	Prefix string
	Local  string
	Value  string
}

// Element is one XML element.
type Element struct {
	// Space is the element's namespace URI.
	Space string
	// Prefix is the prefix as written.
	Prefix string
	Local  string
	Attrs  []Attr
	// Children are the child elements in document order.
	Children []*Element
	// Text is the character data directly inside the element, joined.
	Text string
	// Line is the line of the start tag, counted from 1.
	Line   int
	Parent *Element

	ns *scope
}

// scope is one level of namespace declarations; levels link to their parent
// so that every element can resolve prefixes after parsing.
type scope struct {
	parent   *scope
	prefixes map[string]string
}

func (s *scope) lookup(prefix string) (string, bool) {
	for ; s != nil; s = s.parent {
		if uri, ok := s.prefixes[prefix]; ok {
			return uri, true
		}
	}
	switch prefix {
	case "xml":
		return "http://www.w3.org/XML/1998/namespace", true
	case "xmlns":
		return "http://www.w3.org/2000/xmlns/", true
	}
	return "", false
}

// Get returns the value of the attribute with the given namespace URI and
// local name. An empty space matches an unprefixed attribute only.
func (e *Element) Get(space, local string) (string, bool) {
	for _, a := range e.Attrs {
		if a.Local == local && a.Space == space {
			return a.Value, true
		}
	}
	return "", false
}

// GetLocal returns the first attribute with the given local name, whatever
// its namespace.
func (e *Element) GetLocal(local string) (string, bool) {
	for _, a := range e.Attrs {
		if a.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// ResolveQName resolves a QName written in an attribute value, such as
// "uml:Class", against the namespace declarations in scope at e. An
// unprefixed name takes the default namespace. ok is false when the prefix
// is not declared.
func (e *Element) ResolveQName(qname string) (space, local string, ok bool) {
	prefix, local, found := strings.Cut(qname, ":")
	if !found {
		local, prefix = prefix, ""
	}
	space, ok = e.ns.lookup(prefix)
	if !ok && prefix == "" {
		return "", local, true
	}
	return space, local, ok
}

// Namespaces returns every prefix declared on this element and its
// ancestors, nearest declaration winning.
func (e *Element) Namespaces() map[string]string {
	out := make(map[string]string)
	for s := e.ns; s != nil; s = s.parent {
		for p, uri := range s.prefixes {
			if _, seen := out[p]; !seen {
				out[p] = uri
			}
		}
	}
	return out
}

// Error is a problem with the XML itself, with the line it was found on.
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// Parse reads src into a tree and returns its root element.
func Parse(src []byte, opts Options) (*Element, error) {
	maxBytes := opts.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	maxDepth := opts.MaxDepth
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	if len(src) > maxBytes {
		return nil, &Error{Msg: fmt.Sprintf("file is %d bytes, over the %d-byte limit", len(src), maxBytes)}
	}
	if len(bytes.TrimSpace(src)) == 0 {
		return nil, &Error{Line: 1, Msg: "file is empty"}
	}
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		src = src[3:]
	}
	p := &parser{dec: xml.NewDecoder(bytes.NewReader(src)), maxDepth: maxDepth, skip: opts.Skip}
	p.dec.Strict = true
	p.dec.CharsetReader = charsetReader
	// No Entity map: only the five predefined entities and character
	// references are expanded, and DTD declarations are never processed.
	return p.run()
}

type parser struct {
	dec      *xml.Decoder
	maxDepth int
	skip     func(*Element) bool
}

func (p *parser) fail(err error) error {
	line, _ := p.dec.InputPos()
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		line = se.Line
		msg := se.Msg
		if strings.Contains(msg, "unexpected EOF") {
			msg = "the file ends in the middle of the document (truncated?)"
		}
		return &Error{Line: line, Msg: "malformed XML: " + msg}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return &Error{Line: line, Msg: "malformed XML: the file ends in the middle of the document (truncated?)"}
	}
	msg := err.Error()
	// encoding/xml prefixes the CharsetReader's error with its own words
	// and does not wrap it; keep only the sentence meant for a person.
	if _, after, ok := strings.Cut(msg, unsupportedEncoding); ok {
		msg = strings.TrimSpace(unsupportedEncoding + after)
	}
	return &Error{Line: line, Msg: msg}
}

func (p *parser) run() (*Element, error) {
	var root, cur *Element
	var text []string
	depth, skipping := 0, 0
	rootScope := &scope{}
	for {
		// The position before the token is where its '<' stands, which is
		// the line a person looks for even when a start tag spans lines.
		start, _ := p.dec.InputPos()
		tok, err := p.dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, p.fail(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > p.maxDepth {
				return nil, &Error{Line: start, Msg: fmt.Sprintf("elements nest deeper than %d levels", p.maxDepth)}
			}
			if skipping > 0 {
				skipping++
				continue
			}
			if cur == nil && root != nil {
				return nil, &Error{Line: start, Msg: "malformed XML: more than one root element"}
			}
			e, err := p.element(t, cur, rootScope, start)
			if err != nil {
				return nil, err
			}
			if p.skip != nil && cur != nil && p.skip(e) {
				skipping = 1
				continue
			}
			if cur != nil {
				if len(text) > 0 {
					cur.Text += strings.Join(text, "")
					text = text[:0]
				}
				cur.Children = append(cur.Children, e)
			} else {
				root = e
			}
			cur = e
		case xml.EndElement:
			depth--
			if skipping > 0 {
				skipping--
				continue
			}
			if cur == nil {
				return nil, &Error{Line: start, Msg: "malformed XML: unexpected end tag"}
			}
			// RawToken leaves tag matching to the caller.
			if t.Name.Space != cur.Prefix || t.Name.Local != cur.Local {
				return nil, &Error{Line: start, Msg: fmt.Sprintf("malformed XML: end tag </%s> does not match <%s> opened at line %d", rawName(t.Name), cur.qname(), cur.Line)}
			}
			if len(text) > 0 {
				cur.Text += strings.Join(text, "")
				text = text[:0]
			}
			cur = cur.Parent
		case xml.CharData:
			if skipping == 0 && cur != nil {
				text = append(text, string(t))
			}
		case xml.Directive:
			if bytes.HasPrefix(bytes.TrimSpace(t), []byte("DOCTYPE")) && bytes.Contains(t, []byte("ENTITY")) {
				return nil, &Error{Line: start, Msg: "the document declares entities; model files never need them and they are not expanded"}
			}
		}
	}
	if root == nil {
		return nil, &Error{Line: p.endLine(), Msg: "malformed XML: no root element"}
	}
	if cur != nil {
		return nil, &Error{Line: p.endLine(), Msg: fmt.Sprintf("malformed XML: element <%s> is not closed (truncated file?)", cur.qname())}
	}
	return root, nil
}

func rawName(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

func (p *parser) endLine() int {
	line, _ := p.dec.InputPos()
	return line
}

func (e *Element) qname() string {
	if e.Prefix != "" {
		return e.Prefix + ":" + e.Local
	}
	return e.Local
}

func (p *parser) element(t xml.StartElement, parent *Element, rootScope *scope, line int) (*Element, error) {
	sc := rootScope
	if parent != nil {
		sc = parent.ns
	}
	var decl map[string]string
	for _, a := range t.Attr {
		switch {
		case a.Name.Space == "xmlns":
			if decl == nil {
				decl = make(map[string]string)
			}
			decl[a.Name.Local] = a.Value
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			if decl == nil {
				decl = make(map[string]string)
			}
			decl[""] = a.Value
		}
	}
	if decl != nil {
		sc = &scope{parent: sc, prefixes: decl}
	}
	e := &Element{Prefix: t.Name.Space, Local: t.Name.Local, Line: line, Parent: parent, ns: sc}
	if uri, ok := sc.lookup(t.Name.Space); ok {
		e.Space = uri
	} else if t.Name.Space != "" {
		return nil, &Error{Line: line, Msg: fmt.Sprintf("malformed XML: element <%s:%s> uses the undeclared namespace prefix %q", t.Name.Space, t.Name.Local, t.Name.Space)}
	}
	if n := len(t.Attr) - len(decl); n > 0 {
		e.Attrs = make([]Attr, 0, n)
	}
	for _, a := range t.Attr {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
			continue
		}
		at := Attr{Prefix: a.Name.Space, Local: a.Name.Local, Value: a.Value}
		if a.Name.Space != "" {
			uri, ok := sc.lookup(a.Name.Space)
			if !ok {
				return nil, &Error{Line: line, Msg: fmt.Sprintf("malformed XML: attribute %s:%s uses the undeclared namespace prefix %q", a.Name.Space, a.Name.Local, a.Name.Space)}
			}
			at.Space = uri
		}
		e.Attrs = append(e.Attrs, at)
	}
	return e, nil
}

// unsupportedEncoding starts the message for an encoding the reader refuses.
const unsupportedEncoding = "the file declares the character encoding"

// charsetReader accepts the encodings UML tools write: UTF-8 (and its
// ASCII subset), windows-1252 (Enterprise Architect) and ISO-8859-1.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return r, nil
	case "windows-1252", "cp1252", "x-cp1252":
		return charmap.Windows1252.NewDecoder().Reader(r), nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1":
		return charmap.ISO8859_1.NewDecoder().Reader(r), nil
	case "iso-8859-15", "latin-9":
		return charmap.ISO8859_15.NewDecoder().Reader(r), nil
	}
	return nil, fmt.Errorf("%s %q, which is not supported (use UTF-8, windows-1252 or ISO-8859-1)", unsupportedEncoding, label)
}
