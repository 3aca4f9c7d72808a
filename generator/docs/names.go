package docs

import (
	"strconv"
	"strings"
)

// Directories of the site, under its root.
const (
	dirVocabularies = "vocabularies"
	dirClasses      = "classes"
	dirTypes        = "types"
	dirMediaTypes   = "media-types"
	dirServices     = "services"
	dirMessages     = "messages"
	dirAssets       = "assets"
)

// Pages that exist once.
const (
	pageIndex        = "index.html"
	pageCapabilities = "capabilities.html"
	pageRoles        = "roles.html"
	pageProfile      = "profile.html"
	fileSearchIndex  = "search-index.js"
	fileStyle        = dirAssets + "/style.css"
	fileSearchJS     = dirAssets + "/search.js"
	fileIcon         = dirAssets + "/icon.svg"
)

// slug turns a qualified name ("LTI2::Core::ToolProxy") into a file name
// part ("LTI2.Core.ToolProxy"): "::" becomes ".", and every character
// other than ASCII letters, digits, '.', '-' and '_' becomes '_'.
func slug(qualified string) string {
	s := strings.ReplaceAll(qualified, "::", ".")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	out := strings.Trim(b.String(), ".")
	if out == "" {
		out = "_"
	}
	return out
}

// anchor returns an HTML id: prefix, '-', and the sanitised name.
func anchor(prefix, name string) string { return prefix + "-" + slug(name) }

// namer hands out unique page paths within the site. Paths are compared
// without regard to case, so the site unpacks on case-insensitive file
// systems too; a clash gets "-2", "-3", … in the order names are claimed,
// which is model order, so paths are stable.
type namer struct {
	used map[string]bool
}

func newNamer() *namer { return &namer{used: map[string]bool{}} }

// page claims dir/slug(name).html.
func (n *namer) page(dir, name string) string {
	base := dir + "/" + slug(name)
	p := base + ".html"
	for i := 2; n.used[strings.ToLower(p)]; i++ {
		p = base + "-" + strconv.Itoa(i) + ".html"
	}
	n.used[strings.ToLower(p)] = true
	return p
}

// ids hands out unique ids within one page, in the same way.
type ids struct {
	used map[string]bool
}

func newIDs(reserved ...string) *ids {
	x := &ids{used: map[string]bool{}}
	for _, r := range reserved {
		x.used[r] = true
	}
	return x
}

// claim returns anchor(prefix, name), made unique on the page.
func (x *ids) claim(prefix, name string) string {
	base := anchor(prefix, name)
	id := base
	for i := 2; x.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	x.used[id] = true
	return id
}

// rel returns the relative URL from the page at path from to target (a
// site path, optionally with "#fragment").
func rel(from, target string) string {
	depth := strings.Count(from, "/")
	return strings.Repeat("../", depth) + target
}

// rootOf returns the relative prefix from the page at path p to the site
// root ("" or "../").
func rootOf(p string) string { return strings.Repeat("../", strings.Count(p, "/")) }
