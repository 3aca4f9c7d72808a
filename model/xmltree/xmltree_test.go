package xmltree

import (
	"errors"
	"strings"
	"testing"
)

func TestParseKeepsLinesAndNamespaces(t *testing.T) {
	src := `<?xml version="1.0"?>
<xmi:XMI xmlns:xmi="urn:xmi" xmlns:uml="urn:uml">
  <uml:Model xmi:id="m"
      name="Spread over lines">
    <packagedElement xmi:type="uml:Class" name="A">text<!-- c -->more</packagedElement>
    <inner xmlns="urn:default" xmlns:uml="urn:other">
      <leaf kind="uml:Thing"/>
    </inner>
  </uml:Model>
</xmi:XMI>`
	root, err := Parse([]byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if root.Space != "urn:xmi" || root.Local != "XMI" || root.Line != 2 {
		t.Errorf("root = %s:%s line %d", root.Space, root.Local, root.Line)
	}
	model := root.Children[0]
	if model.Line != 3 {
		t.Errorf("a start tag spread over lines reports line %d, want its first line 3", model.Line)
	}
	if id, ok := model.Get("urn:xmi", "id"); !ok || id != "m" {
		t.Errorf("xmi:id = %q, %v", id, ok)
	}
	if _, ok := model.Get("", "id"); ok {
		t.Error("an unprefixed lookup matched a prefixed attribute")
	}
	class := model.Children[0]
	if class.Line != 5 || class.Text != "textmore" {
		t.Errorf("class line %d text %q", class.Line, class.Text)
	}
	typ, _ := class.GetLocal("type")
	if space, local, ok := class.ResolveQName(typ); !ok || space != "urn:uml" || local != "Class" {
		t.Errorf("ResolveQName(%q) = %q %q %v", typ, space, local, ok)
	}
	inner := model.Children[1]
	if inner.Space != "urn:default" {
		t.Errorf("default namespace not applied: %q", inner.Space)
	}
	leaf := inner.Children[0]
	kind, _ := leaf.Get("", "kind")
	if space, _, _ := leaf.ResolveQName(kind); space != "urn:other" {
		t.Errorf("a nested redeclaration of a prefix is not honoured: %q", space)
	}
	if leaf.Parent != inner || leaf.Line != 7 {
		t.Errorf("leaf parent/line wrong: line %d", leaf.Line)
	}
	if _, _, ok := leaf.ResolveQName("nope:X"); ok {
		t.Error("an undeclared prefix in a value resolved")
	}
}

func TestParseSkipDropsSubtrees(t *testing.T) {
	src := `<r><keep/><drop><deep><deeper/></deep></drop><keep/></r>`
	root, err := Parse([]byte(src), Options{Skip: func(e *Element) bool { return e.Local == "drop" }})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range root.Children {
		names = append(names, c.Local)
	}
	if got := strings.Join(names, ","); got != "keep,keep" {
		t.Errorf("children = %s, want keep,keep", got)
	}
}

func TestParseEncodings(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"windows-1252", "<?xml version='1.0' encoding='windows-1252'?><r>\xe9t\xe9 \x80</r>", "été €"},
		{"iso-8859-1", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>\xe9</r>", "é"},
		{"utf-8 with byte order mark", "\xef\xbb\xbf<r>é</r>", "é"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, err := Parse([]byte(tt.src), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if root.Text != tt.want {
				t.Errorf("text %q, want %q", root.Text, tt.want)
			}
		})
	}
}

func TestParseRefusesBadInput(t *testing.T) {
	deep := strings.Repeat("<a>", 20) + strings.Repeat("</a>", 20)
	tests := []struct {
		name string
		src  string
		opts Options
		want string
		line int
	}{
		{"empty", " \n ", Options{}, "file is empty", 1},
		{"truncated", "<r>\n<a>\n<b>", Options{}, "element <b> is not closed", 3},
		{"truncated inside a tag", "<r>\n<a name=\"x", Options{}, "malformed XML", 2},
		{"mismatched end tag", "<r>\n<a></b>\n</r>", Options{}, "end tag </b> does not match <a> opened at line 2", 2},
		{"two roots", "<r/>\n<s/>", Options{}, "more than one root element", 2},
		{"entity declaration", "<!DOCTYPE r [<!ENTITY x \"boom\">]>\n<r>&x;</r>", Options{}, "declares entities", 1},
		{"undefined entity", "<r>\n&x;</r>", Options{}, "malformed XML", 2},
		{"undeclared element prefix", "<r>\n<p:a/></r>", Options{}, `undeclared namespace prefix "p"`, 2},
		{"undeclared attribute prefix", "<r>\n<a p:b=\"1\"/></r>", Options{}, `undeclared namespace prefix "p"`, 2},
		{"unsupported encoding", "<?xml version='1.0' encoding='koi8-r'?><r/>", Options{}, `the file declares the character encoding "koi8-r", which is not supported`, 1},
		{"invalid UTF-8", "<r>\xff\xfe</r>", Options{}, "malformed XML", 1},
		{"too deep", deep, Options{MaxDepth: 10}, "deeper than 10 levels", 1},
		{"too large", "<r>0123456789</r>", Options{MaxBytes: 8}, "over the 8-byte limit", 0},
		{"not XML", "{\"a\": 1}", Options{}, "malformed XML", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.src), tt.opts)
			var xe *Error
			if !errors.As(err, &xe) {
				t.Fatalf("err = %v, want an *Error", err)
			}
			if !strings.Contains(xe.Msg, tt.want) || xe.Line != tt.line {
				t.Errorf("got %q at line %d, want %q at line %d", xe.Msg, xe.Line, tt.want, tt.line)
			}
		})
	}
}
