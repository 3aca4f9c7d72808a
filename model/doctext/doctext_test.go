package doctext

import (
	"strings"
	"testing"
)

func TestMarkdown(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain text keeps paragraphs", "First line.\r\nSecond line.  \r\n\r\n\r\nNext paragraph.", "First line.\nSecond line.\n\nNext paragraph."},
		{"comparison is not markup", "lower < upper and a > b", "lower < upper and a > b"},
		{"paragraph and code", "The LIS id.  \n<p>It matches <code>personRecord/sourcedId</code></p>", "The LIS id.\n\nIt matches `personRecord/sourcedId`"},
		{"emphasis", "<p>A <strong>bold</strong> and <em>soft</em> word.</p>", "A **bold** and *soft* word."},
		{"list", "<ul><li>one</li><li>two</li></ul>", "- one\n- two"},
		{"ordered nested list", "<ol><li>a<ul><li>x</li></ul></li><li>b</li></ol>", "1. a\n  - x\n2. b"},
		{"pre keeps lines", "<pre>a/b\n  c/d\n</pre>", "```\na/b\n  c/d\n```"},
		{"magicdraw html wrapper", "<html><head><style>p {padding:0px;}</style></head><body><p>Kind of event.</p></body></html>", "Kind of event."},
		{"external link", `See <a href="https://example.org/x">the spec</a>.`, "See [the spec](https://example.org/x)."},
		{"tool link keeps text only", `<p>See <a href="mdel://_19_0_1">Event</a>.</p>`, "See Event."},
		{"markdown specials escaped", "<p>use *all* [x]</p>", `use \*all\* \[x\]`},
		{"identifier underscores stay", "<p>the user_id value</p>", "the user_id value"},
		{"line break", "<p>one<br/>two</p>", "one\\\ntwo"},
		{"control characters dropped", "bad\x00text\x07", "badtext"},
		{"empty", "  \n ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Markdown(tt.in)
			if got != tt.want {
				t.Errorf("Markdown(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{"<p>a <b>b</b></p>", "x < y", "<ul><li><ol><li>z</ol>", "<pre>```</pre>", "<code>`a`</code>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Markdown(s)
		if strings.ContainsAny(got, "\x00\r") {
			t.Errorf("Markdown(%q) = %q keeps control characters", s, got)
		}
		if !htmlTag.MatchString(s) {
			if again := Markdown(got); again != got {
				t.Errorf("plain text is not stable: %q -> %q -> %q", s, got, again)
			}
		}
	})
}
