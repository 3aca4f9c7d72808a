package naming

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// GoName returns the exported Go identifier for a model name, following
// the package's rules: "tool_proxy_guid" → "ToolProxyGUID", "@id" → "ID",
// "basic-lti-launch-request" → "BasicLTILaunchRequest".
func GoName(name string) string {
	words := split(name)
	if len(words) == 0 {
		return "Unnamed"
	}
	var b strings.Builder
	for _, w := range words {
		b.WriteString(exportWord(w))
	}
	id := b.String()
	if r, _ := utf8.DecodeRuneInString(id); !unicode.IsUpper(r) {
		id = "X" + id
	}
	return id
}

// Unexported returns the unexported Go identifier for a model name:
// "ToolProxy" → "toolProxy", "id" → "id", "URL" → "url", "type" → "type_".
func Unexported(name string) string {
	words := split(name)
	if len(words) == 0 {
		return "unnamed"
	}
	var b strings.Builder
	for i, w := range words {
		if i == 0 {
			b.WriteString(lowerWord(w))
			continue
		}
		b.WriteString(exportWord(w))
	}
	id := b.String()
	if r, _ := utf8.DecodeRuneInString(id); !unicode.IsLetter(r) {
		id = "x" + id
	}
	if IsReserved(id) {
		id += "_"
	}
	return id
}

// Words splits a model name into the words the identifiers are built
// from: at every character other than a letter or digit, and at case
// changes ("resultScore" → "result", "Score"; "HTTPMethod" → "HTTP",
// "Method"; a plural initialism such as "IDs" stays one word). Accents are
// removed from Latin letters first.
func Words(name string) []string {
	ws := split(name)
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.text
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// word is one word of a name. shout is set when the word is a whole
// field written in upper case ("GET", "USER" in "USER_ID"), as opposed to
// an acronym inside a camel-case field ("NC" in "NCName").
type word struct {
	text  string
	shout bool
}

func split(name string) []word {
	var words []word
	for _, field := range strings.FieldsFunc(stripMarks(name), isSeparator) {
		parts := splitCase([]rune(field))
		shout := len(parts) == 1 && !hasLower(field)
		for _, p := range parts {
			words = append(words, word{text: p, shout: shout})
		}
	}
	// Case splitting cuts "OAuth" into "O" and "Auth"; join them again.
	for i := 0; i+1 < len(words); i++ {
		if strings.EqualFold(words[i].text, "o") && strings.EqualFold(words[i+1].text, "auth") {
			words[i].text += words[i+1].text
			words = append(words[:i+1], words[i+2:]...)
		}
	}
	return words
}

func isSeparator(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// stripMarks removes combining marks after canonical decomposition, so
// that "é" becomes "e".
func stripMarks(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

// splitCase splits a run of letters and digits at case changes.
func splitCase(rs []rune) []string {
	var words []string
	start := 0
	for i := 1; i < len(rs); i++ {
		prev, cur := rs[i-1], rs[i]
		if !unicode.IsUpper(cur) {
			continue
		}
		switch {
		case unicode.IsLower(prev) || unicode.IsDigit(prev):
			// "resultScore", "sha256Hash": a new word starts at cur.
		case unicode.IsUpper(prev) && i+1 < len(rs) && unicode.IsLower(rs[i+1]):
			// "HTTPMethod": cur starts a new word, unless it ends a
			// plural initialism ("IDs", "URLsFor").
			if rs[i+1] == 's' && (i+2 == len(rs) || !unicode.IsLower(rs[i+2])) {
				continue
			}
		default:
			continue
		}
		words = append(words, string(rs[start:i]))
		start = i
	}
	return append(words, string(rs[start:]))
}

// exportWord writes one word of an exported identifier.
func exportWord(wd word) string {
	w := wd.text
	up := strings.ToUpper(w)
	if s, ok := initialism(up); ok {
		return s
	}
	if n := len(w); n > 2 && w[n-1] == 's' {
		if s, ok := initialism(up[:len(up)-1]); ok {
			return s + "s"
		}
	}
	r, size := utf8.DecodeRuneInString(w)
	rest := w[size:]
	if wd.shout {
		// "GET", "USER": a field written in upper case that is no
		// initialism is written as a word ("Get"), as net/http writes
		// MethodGet. An acronym inside camel case ("NCName") is kept.
		rest = strings.ToLower(rest)
	}
	return string(unicode.ToUpper(r)) + rest
}

// lowerWord writes the first word of an unexported identifier: an
// initialism, plural initialism or all-upper word entirely in lower case,
// any other word with its first letter lowered.
func lowerWord(wd word) string {
	w := wd.text
	e := exportWord(wd)
	up := strings.ToUpper(w)
	_, single := initialism(up)
	_, plural := initialism(strings.TrimSuffix(up, "S"))
	if single || (plural && strings.HasSuffix(w, "s")) || !hasLower(e) {
		return strings.ToLower(e)
	}
	r, size := utf8.DecodeRuneInString(e)
	return string(unicode.ToLower(r)) + e[size:]
}

func hasLower(s string) bool {
	for _, r := range s {
		if unicode.IsLower(r) {
			return true
		}
	}
	return false
}
