package rest

import (
	"strings"

	"github.com/ltiforge/ltiforge/generator/godoc"
)

// comment renders text (the model's Markdown documentation, or the
// emitter's own prose) as Go comment lines, as every Go emitter does.
func comment(text string) string { return godoc.Comment(text) }

// sentence ends text with a full stop unless it ends with punctuation.
func sentence(text string) string {
	text = strings.TrimSpace(text)
	if text == "" || strings.HasSuffix(text, ".") || strings.HasSuffix(text, "!") || strings.HasSuffix(text, "?") || strings.HasSuffix(text, ":") {
		return text
	}
	return text + "."
}
