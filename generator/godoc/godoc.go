// Package godoc turns the model's documentation, which is Markdown, into
// Go doc comments: the one rendering every Go emitter uses, so that the
// types, the handlers and the clients document the model alike.
package godoc

import (
	"strings"
	"unicode"
)

// Width is the width doc comments are wrapped to, "// " included.
const Width = 80

// Comment renders Markdown as Go comment lines ("// ..."), one paragraph
// per block, prose wrapped at Width; list items, table rows,
// headings and code are kept line by line. Control characters are
// dropped. The result starts with "//" so that jennifer prints it as it
// is, and is empty for empty text.
func Comment(paragraphs ...string) string {
	var blocks []string
	for _, p := range paragraphs {
		if b := renderMarkdown(p); b != "" {
			blocks = append(blocks, b)
		}
	}
	return strings.Join(blocks, "\n//\n")
}

func renderMarkdown(md string) string {
	md = strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t':
			return ' '
		case unicode.IsControl(r), r == '\u2028', r == '\u2029':
			return -1
		}
		return r
	}, md)
	var out []string
	var para []string
	flush := func() {
		if len(para) > 0 {
			out = append(out, Wrap(strings.Join(para, " "), Width-3)...)
			para = nil
		}
	}
	inFence := false
	for _, line := range strings.Split(md, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "```"):
			flush()
			inFence = !inFence
			continue
		case inFence:
			out = append(out, "  "+strings.TrimRight(line, " "))
			continue
		case trimmed == "":
			flush()
			if len(out) > 0 && out[len(out)-1] != "" {
				out = append(out, "")
			}
			continue
		case isListItem(trimmed), strings.HasPrefix(trimmed, "|"), strings.HasPrefix(trimmed, "#"):
			flush()
			out = append(out, "  "+strings.TrimLeft(trimmed, "#"))
			continue
		}
		para = append(para, trimmed)
	}
	flush()
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	for i, l := range out {
		if l == "" {
			out[i] = "//"
		} else {
			out[i] = "// " + l
		}
	}
	return strings.Join(out, "\n")
}

func isListItem(s string) bool {
	if strings.HasPrefix(s, "- ") || strings.HasPrefix(s, "* ") || strings.HasPrefix(s, "+ ") {
		return true
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i > 0 && i+1 < len(s) && (s[i] == '.' || s[i] == ')') && s[i+1] == ' '
}

// Wrap splits text into lines of at most width bytes at spaces; a word
// longer than width gets a line of its own.
func Wrap(text string, width int) []string {
	var lines []string
	var cur strings.Builder
	for _, w := range strings.Fields(text) {
		if cur.Len() > 0 && cur.Len()+1+len(w) > width {
			lines = append(lines, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(w)
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}
