package gocode

import (
	"embed"
	"io/fs"
	"path"
	"strings"

	"github.com/ltiforge/ltiforge/generator/emit"
)

// templates holds the source of the ld support package: plain Go files,
// named *.go.tmpl so that the Go tool does not build them here.
//
//go:embed templates/ld/*.go.tmpl
var templates embed.FS

// supportFiles returns the ld package's files, each with the generated-code
// header.
func supportFiles() ([]emit.File, error) {
	entries, err := fs.ReadDir(templates, "templates/ld")
	if err != nil {
		return nil, err
	}
	var out []emit.File
	for _, e := range entries {
		data, err := fs.ReadFile(templates, "templates/ld/"+e.Name())
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(e.Name(), ".tmpl")
		out = append(out, emit.File{
			Path: path.Join("ld", name),
			Data: append([]byte("// "+emit.GoHeader+"\n\n"), data...),
		})
	}
	return out, nil
}
