package rest

import "strings"

// commentWidth is the width generated comments are wrapped to.
const commentWidth = 76

// comment turns text (the model's Markdown documentation, or the
// emitter's own prose) into a Go comment: every line starts with "// ",
// paragraphs are wrapped, and lines that start a list item, a heading or
// an indented block are kept as they are.
func comment(text string) string {
	var lines []string
	for _, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		if len(lines) > 0 {
			lines = append(lines, "//")
		}
		for _, line := range strings.Split(para, "\n") {
			line = strings.TrimRight(line, " \t")
			if line == "" {
				continue
			}
			if strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t") || strings.HasPrefix(line, "#") {
				lines = append(lines, "// "+line)
				continue
			}
			for _, w := range wrap(line, commentWidth) {
				lines = append(lines, "// "+w)
			}
		}
	}
	return strings.Join(lines, "\n")
}

// wrap breaks a line at spaces so that no piece is longer than width,
// except a single word longer than width.
func wrap(line string, width int) []string {
	var out []string
	var cur strings.Builder
	for _, word := range strings.Fields(line) {
		if cur.Len() > 0 && cur.Len()+1+len(word) > width {
			out = append(out, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(word)
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// sentence ends text with a full stop unless it ends with punctuation.
func sentence(text string) string {
	text = strings.TrimSpace(text)
	if text == "" || strings.HasSuffix(text, ".") || strings.HasSuffix(text, "!") || strings.HasSuffix(text, "?") || strings.HasSuffix(text, ":") {
		return text
	}
	return text + "."
}
