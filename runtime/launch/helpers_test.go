package launch

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// parsedForm is an HTML launch form as a browser would read it.
type parsedForm struct {
	action  string
	params  []Param
	scripts []string // each <script>: its src attribute, or "inline"
	buttons int      // submit buttons
}

// parseForm reads the first form of an HTML page with a real HTML parser.
func parseForm(t *testing.T, page []byte) parsedForm {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatalf("parsing the HTML: %v", err)
	}
	var f parsedForm
	forms := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			attr := func(name string) (string, bool) {
				for _, a := range n.Attr {
					if a.Key == name {
						return a.Val, true
					}
				}
				return "", false
			}
			switch n.Data {
			case "form":
				forms++
				f.action, _ = attr("action")
			case "input":
				name, _ := attr("name")
				value, _ := attr("value")
				if typ, _ := attr("type"); typ == "submit" {
					f.buttons++
				} else if name != "" {
					f.params = append(f.params, Param{Key: name, Value: value})
				}
			case "button":
				if typ, ok := attr("type"); !ok || typ == "submit" {
					f.buttons++
				}
			case "script":
				if src, ok := attr("src"); ok {
					f.scripts = append(f.scripts, src)
				} else {
					f.scripts = append(f.scripts, "inline")
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if forms != 1 {
		t.Fatalf("the page has %d forms, want 1", forms)
	}
	return f
}

// sameParams reports whether a and b hold the same pairs, in any order.
func sameParams(a, b []Param) bool {
	if len(a) != len(b) {
		return false
	}
	count := make(map[Param]int)
	for _, p := range a {
		count[p]++
	}
	for _, p := range b {
		count[p]--
		if count[p] < 0 {
			return false
		}
	}
	return true
}

func formatParams(ps []Param) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("\n\t" + p.Key + "=" + p.Value)
	}
	return b.String()
}
