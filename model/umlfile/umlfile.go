// Package umlfile loads model files of every supported format (XMI 2.x as
// the UML tools write it, and StarUML 5 projects) into one UML graph,
// picking the reader for each file from its content.
package umlfile

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ltiforge/ltiforge/model/staruml"
	"github.com/ltiforge/ltiforge/model/uml"
	"github.com/ltiforge/ltiforge/model/xmi"
	"github.com/ltiforge/ltiforge/model/xmltree"
)

// Extensions are the file name endings taken when a directory is loaded.
var extensions = []string{".xmi", ".uml", ".xml"}

// Load reads the named files, and the model files directly inside named
// directories, into one graph and finishes it. Problems, including files
// that cannot be read, are diagnostics in the graph; the error is non-nil
// only when ctx is cancelled.
func Load(ctx context.Context, paths ...string) (*uml.Graph, error) {
	return LoadWith(ctx, nil, paths...)
}

// LoadWith reads the sources already in memory (such as the embedded
// standard model) together with the named files and directories, so that
// the files may reference the sources, as Load does.
func LoadWith(ctx context.Context, base []uml.Source, paths ...string) (*uml.Graph, error) {
	g := uml.NewGraph()
	srcs := append([]uml.Source{}, base...)
	for _, p := range paths {
		files, err := expand(p)
		if err != nil {
			g.Errorf(uml.Pos{File: p}, nil, "%s", err)
			continue
		}
		for _, f := range files {
			data, err := readFile(f)
			if err != nil {
				g.Errorf(uml.Pos{File: f}, nil, "%s", err)
				continue
			}
			srcs = append(srcs, uml.Source{Path: f, Data: data})
		}
	}
	return g, loadInto(ctx, g, srcs)
}

// LoadSources reads model files already in memory into one graph and
// finishes it, as Load does.
func LoadSources(ctx context.Context, srcs ...uml.Source) (*uml.Graph, error) {
	g := uml.NewGraph()
	return g, loadInto(ctx, g, srcs)
}

func loadInto(ctx context.Context, g *uml.Graph, srcs []uml.Source) error {
	defer g.Finish()
	// XMI files are read together so that they can reference each other;
	// StarUML projects are self-contained.
	var xmis []uml.Source
	for _, s := range srcs {
		switch {
		case staruml.Detect(s.Data):
			if err := staruml.Load(ctx, g, s); err != nil {
				return err
			}
		case xmi.Detect(s.Data):
			xmis = append(xmis, s)
		case len(bytes.TrimSpace(s.Data)) == 0:
			g.Errorf(uml.Pos{File: s.Path, Line: 1}, nil, "file is empty")
		default:
			g.Errorf(uml.Pos{File: s.Path, Line: 1}, nil, "not a model file: expected XMI 2.x (an xmi:XMI or uml:Model root) or a StarUML 5 project (an XPD:PROJECT root)")
		}
	}
	if len(xmis) > 0 {
		return xmi.Load(ctx, g, xmis...)
	}
	return ctx.Err()
}

// expand turns a directory into the model files directly inside it, sorted.
func expand(path string) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, unwrapPathError(err))
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, fmt.Errorf("cannot list %s: %w", path, unwrapPathError(err))
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && slices.Contains(extensions, strings.ToLower(filepath.Ext(e.Name()))) {
			out = append(out, filepath.Join(path, e.Name()))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("directory %s holds no model files (%s)", path, strings.Join(extensions, ", "))
	}
	return out, nil
}

// readFile reads a file, refusing one larger than the XML reader accepts
// before reading it into memory.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, unwrapPathError(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, xmltree.DefaultMaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, unwrapPathError(err))
	}
	if len(data) > xmltree.DefaultMaxBytes {
		return nil, fmt.Errorf("file is over the %d MiB limit for model files", xmltree.DefaultMaxBytes>>20)
	}
	return data, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
