package apptest

import (
	"slices"
	"strings"

	"golang.org/x/net/html"
)

// Attr returns the value of n's attribute key, "" when it has none.
func Attr(n *html.Node, key string) string {
	v, _ := attr(n, key)
	return v
}

// HasAttr reports whether n has the attribute key.
func HasAttr(n *html.Node, key string) bool {
	_, ok := attr(n, key)
	return ok
}

// attr returns the value of n's attribute key, and whether it has one.
func attr(n *html.Node, key string) (string, bool) {
	if n == nil {
		return "", false
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// HasClass reports whether class is one of n's classes.
func HasClass(n *html.Node, class string) bool {
	return slices.Contains(strings.Fields(Attr(n, "class")), class)
}

// All returns the elements below n that match, in document order; none
// when n is nil.
func All(n *html.Node, match func(*html.Node) bool) []*html.Node {
	if n == nil {
		return nil
	}
	var out []*html.Node
	for c := range n.Descendants() {
		if c.Type == html.ElementNode && match(c) {
			out = append(out, c)
		}
	}
	return out
}

// First returns the first element below n that matches, nil when none.
func First(n *html.Node, match func(*html.Node) bool) *html.Node {
	if found := All(n, match); len(found) > 0 {
		return found[0]
	}
	return nil
}

// ByID returns the element below n whose id is id, nil when none.
func ByID(n *html.Node, id string) *html.Node {
	return First(n, func(c *html.Node) bool { return Attr(c, "id") == id })
}

// Tag matches the elements of a tag name.
func Tag(tag string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == tag }
}

// TagClass matches the elements of a tag name with a class.
func TagClass(tag, class string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == tag && HasClass(n, class) }
}

// TagAttr matches the elements of a tag name whose attribute key is val.
func TagAttr(tag, key, val string) func(*html.Node) bool {
	return func(n *html.Node) bool {
		v, ok := attr(n, key)
		return n.Data == tag && ok && v == val
	}
}

// Text returns the text of n, white space collapsed; "" when n is nil.
func Text(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
