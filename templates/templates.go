// Package templates holds the templates of the generator's outputs that
// are not Go source: the reference documentation site's page templates
// (html/template), its style sheet and its search script, under site/.
// Go source is built with jennifer instead, so that imports are always
// exact.
package templates

import (
	"embed"
	"io/fs"
)

//go:embed site/*
var site embed.FS

// Site returns the site's templates and assets, at "site/<name>".
func Site() fs.FS { return site }
