// Package doctext turns model documentation, plain text or HTML as the UML
// tools store it, into Markdown.
//
// MagicDraw stores rich text as whole HTML documents, Modelio and the IMS
// StarUML model mix HTML fragments (<p>, <code>, <pre>) into plain text, and
// Papyrus, Enterprise Architect and StarUML mostly store plain text. The
// generators want one form, so every reader passes documentation through
// Markdown once, and everything downstream can assume Markdown.
package doctext

import (
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlTag finds markup that a person would not type in plain prose: a known
// HTML tag name directly after '<' or '</'. Comparisons such as "a < b" are
// left alone.
var htmlTag = regexp.MustCompile(`(?i)</?(html|head|body|style|p|br|div|span|b|strong|i|em|u|code|tt|pre|ul|ol|li|a|h[1-6]|table|thead|tbody|tr|td|th|font|sub|sup|blockquote|hr|dl|dt|dd)\b[^>]*>`)

// Markdown converts documentation text to Markdown. Plain text keeps its
// lines and paragraphs, with line endings normalised and trailing spaces
// removed; text that contains HTML markup is converted element by element.
func Markdown(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = dropControls(s)
	if htmlTag.MatchString(s) {
		return fromHTML(s)
	}
	return tidy(s)
}

// tidy trims trailing spaces on each line, drops control characters and
// collapses runs of blank lines, so that plain documentation is stable Markdown.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := false
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

func dropControls(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' && r != '\t' {
			return -1
		}
		if r == 0x7f {
			return -1
		}
		return r
	}, s)
}

func fromHTML(s string) string {
	ctx := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(s), ctx)
	if err != nil {
		return tidy(htmlTag.ReplaceAllString(s, ""))
	}
	w := &writer{}
	for _, n := range nodes {
		w.node(n)
	}
	return tidy(w.b.String())
}

// writer renders an HTML tree as Markdown. Blocks are separated by blank
// lines; inline text has HTML's whitespace collapsing applied.
type writer struct {
	b      strings.Builder
	lists  []listState
	inPre  bool
	pendSp bool
}

type listState struct {
	ordered bool
	n       int
}

func (w *writer) atLineStart() bool {
	s := w.b.String()
	return len(s) == 0 || s[len(s)-1] == '\n'
}

func (w *writer) block() {
	s := w.b.String()
	switch {
	case len(s) == 0, strings.HasSuffix(s, "\n\n"):
	case strings.HasSuffix(s, "\n"):
		w.b.WriteString("\n")
	default:
		w.b.WriteString("\n\n")
	}
	w.pendSp = false
}

func (w *writer) newline() {
	if !w.atLineStart() {
		w.b.WriteString("\n")
	}
	w.pendSp = false
}

func (w *writer) text(t string) {
	if w.inPre {
		w.b.WriteString(t)
		return
	}
	for i, f := range strings.Fields(t) {
		if i > 0 || (w.pendSp || startsWithSpace(t)) && !w.atLineStart() && !w.endsWithSpace() {
			w.b.WriteByte(' ')
		}
		w.pendSp = false
		w.b.WriteString(escape(f))
	}
	if strings.TrimSpace(t) == "" && t != "" {
		w.pendSp = true
	} else if endsWithSpace(t) {
		w.pendSp = true
	}
}

func (w *writer) endsWithSpace() bool {
	s := w.b.String()
	return len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\n')
}

func startsWithSpace(s string) bool { return s != "" && strings.ContainsRune(" \t\n", rune(s[0])) }
func endsWithSpace(s string) bool {
	return s != "" && strings.ContainsRune(" \t\n", rune(s[len(s)-1]))
}

// escape protects the characters that would otherwise start Markdown
// syntax in running text.
func escape(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch r {
		case '\\', '*', '`', '[', ']', '<':
			b.WriteByte('\\')
		case '_':
			// An underscore inside a word (user_id) is literal in
			// CommonMark; only one at a word's edge needs escaping.
			if i == 0 || i == len(s)-1 {
				b.WriteByte('\\')
			}
		case '#', '-', '+', '>':
			if i == 0 && len(s) == 1 {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (w *writer) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c)
	}
}

func (w *writer) inline(n *html.Node, mark string) {
	inner := &writer{lists: w.lists}
	inner.children(n)
	t := strings.TrimSpace(inner.b.String())
	if t == "" {
		return
	}
	if w.pendSp && !w.atLineStart() && !w.endsWithSpace() {
		w.b.WriteByte(' ')
	}
	w.pendSp = false
	w.b.WriteString(mark + t + mark)
}

func (w *writer) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.ElementNode:
	default:
		if n.Type == html.DocumentNode {
			w.children(n)
		}
		return
	}
	switch n.DataAtom {
	case atom.Head, atom.Style, atom.Script, atom.Title:
		return
	case atom.P, atom.Div, atom.Blockquote, atom.Table, atom.Dl:
		w.block()
		w.children(n)
		w.block()
	case atom.Tr, atom.Dt, atom.Dd:
		w.newline()
		w.children(n)
		w.newline()
	case atom.Td, atom.Th:
		if !w.atLineStart() {
			w.b.WriteString(" | ")
		}
		w.children(n)
	case atom.Br:
		if w.inPre {
			w.b.WriteString("\n")
		} else if !w.atLineStart() {
			w.b.WriteString("\\\n")
		}
		w.pendSp = false
	case atom.Hr:
		w.block()
		w.b.WriteString("---")
		w.block()
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		w.block()
		w.b.WriteString(strings.Repeat("#", int(n.Data[1]-'0')) + " ")
		w.children(n)
		w.block()
	case atom.B, atom.Strong:
		w.inline(n, "**")
	case atom.I, atom.Em:
		w.inline(n, "*")
	case atom.Code, atom.Tt, atom.Kbd, atom.Samp:
		w.code(n)
	case atom.Pre:
		w.block()
		w.b.WriteString("```\n")
		inner := &writer{inPre: true}
		inner.children(n)
		w.b.WriteString(strings.Trim(inner.b.String(), "\n"))
		w.b.WriteString("\n```")
		w.block()
	case atom.Ul, atom.Ol:
		if len(w.lists) == 0 {
			w.block()
		} else {
			w.newline()
		}
		w.lists = append(w.lists, listState{ordered: n.DataAtom == atom.Ol})
		w.children(n)
		w.lists = w.lists[:len(w.lists)-1]
		if len(w.lists) == 0 {
			w.block()
		}
	case atom.Li:
		w.newline()
		depth := len(w.lists)
		marker := "- "
		if depth > 0 && w.lists[depth-1].ordered {
			w.lists[depth-1].n++
			marker = strconv.Itoa(w.lists[depth-1].n) + ". "
		}
		if depth > 1 {
			w.b.WriteString(strings.Repeat("  ", depth-1))
		}
		w.b.WriteString(marker)
		w.children(n)
		w.newline()
	case atom.A:
		href := attr(n, "href")
		inner := &writer{}
		inner.children(n)
		t := strings.TrimSpace(inner.b.String())
		if w.pendSp && !w.atLineStart() && !w.endsWithSpace() {
			w.b.WriteByte(' ')
		}
		w.pendSp = false
		// Tool-internal links (MagicDraw's mdel://) mean nothing outside
		// the tool: keep their text only.
		if href == "" || !(strings.HasPrefix(href, "http://") || strings.HasPrefix(href, "https://") || strings.HasPrefix(href, "mailto:")) {
			w.b.WriteString(t)
			return
		}
		if t == "" {
			t = escape(href)
		}
		w.b.WriteString("[" + t + "](" + strings.ReplaceAll(href, ")", "%29") + ")")
	default:
		w.children(n)
	}
}

func (w *writer) code(n *html.Node) {
	var b strings.Builder
	var collect func(*html.Node)
	collect = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			collect(c)
		}
	}
	collect(n)
	t := strings.Join(strings.Fields(b.String()), " ")
	if t == "" {
		return
	}
	if w.pendSp && !w.atLineStart() && !w.endsWithSpace() {
		w.b.WriteByte(' ')
	}
	w.pendSp = false
	fence := "`"
	for strings.Contains(t, fence) {
		fence += "`"
	}
	if strings.HasPrefix(t, "`") || strings.HasSuffix(t, "`") {
		t = " " + t + " "
	}
	w.b.WriteString(fence + t + fence)
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
