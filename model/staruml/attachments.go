package staruml

import (
	"strings"

	"github.com/ltiforge/ltiforge/model/uml"
)

// Names the package doc promises to readers of the graph.
const (
	// profileName is the Profile of every application this reader makes:
	// StarUML 5 writes stereotypes by name only, with no profile URI.
	profileName = "staruml"
	// attachmentsName carries an element's Attachments text as tags.
	attachmentsName = "attachments"
	// projectAttachmentsName carries the project's own Attachments on each
	// root package, since the project object has no node in the graph.
	projectAttachmentsName = "project-attachments"
)

// parseAttachments turns StarUML's free-form Attachments text into tags:
// one per non-blank line, "k=v" giving tag k the value v (both trimmed) and
// a line without "=" giving a tag named by the whole line with value "".
// A key written twice keeps both values, joined by one space, the way
// uml.StereotypeApplication holds multi-valued tags.
func parseAttachments(text string) map[string]string {
	tags := make(map[string]string)
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			k, v = line, ""
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if old, seen := tags[k]; seen && v != "" {
			if old != "" {
				v = old + " " + v
			}
		} else if seen {
			continue
		}
		tags[k] = v
	}
	return tags
}

// attachmentsApp builds the application for an Attachments text, or nil
// when the text holds no line.
func attachmentsApp(name, text string, pos uml.Pos) *uml.StereotypeApplication {
	tags := parseAttachments(text)
	if len(tags) == 0 {
		return nil
	}
	return &uml.StereotypeApplication{Profile: profileName, Name: name, Tags: tags, Pos: pos}
}
