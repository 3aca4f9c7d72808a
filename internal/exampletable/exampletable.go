// Package exampletable reads, for tests, the scope table of the LTI 2.0
// example documents that model/lti2/examples_test.go keeps: which files of
// the shared folder are documents of which media type. The table lives in
// a test file, which no other package can import, so it is read from its
// source with go/parser; it then has one definition, and a test that walks
// the examples walks the same list as the model's own test.
package exampletable

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"runtime"
	"strconv"
)

// Example is one in-scope example document.
type Example struct {
	// File is relative to the shared folder
	// ("spec/examples/toolproxy.ims-final-2014-01-figure1.json").
	File string
	// MediaType is the media type the document is of.
	MediaType string
}

// Violation is a fault the model's test lists for an in-scope example: the
// example, not the model, departs from LTI 2.0 Final.
type Violation struct {
	File, Pointer, Kind string
}

// Source is the path of the file holding the table.
func Source() (string, error) {
	_, here, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("exampletable: cannot locate its own source file")
	}
	return filepath.Join(filepath.Dir(here), "..", "..", "model", "lti2", "examples_test.go"), nil
}

// Read returns the in-scope examples (those with a media type), in table
// order, and the listed faults of the examples (wrongExamples).
func Read() ([]Example, []Violation, error) {
	src, err := Source()
	if err != nil {
		return nil, nil, err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, src, nil, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("exampletable: %w", err)
	}
	consts := map[string]string{}
	vars := map[string]*ast.CompositeLit{}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, spec := range gd.Specs {
			vs, ok := spec.(*ast.ValueSpec)
			if !ok {
				continue
			}
			for i, name := range vs.Names {
				if i >= len(vs.Values) {
					continue
				}
				switch v := vs.Values[i].(type) {
				case *ast.BasicLit:
					if s, err := strconv.Unquote(v.Value); err == nil && gd.Tok == token.CONST {
						consts[name.Name] = s
					}
				case *ast.CompositeLit:
					vars[name.Name] = v
				}
			}
		}
	}
	str := func(e ast.Expr) (string, error) {
		switch v := e.(type) {
		case *ast.BasicLit:
			return strconv.Unquote(v.Value)
		case *ast.Ident:
			if s, ok := consts[v.Name]; ok {
				return s, nil
			}
		}
		return "", fmt.Errorf("exampletable: %s: not a string literal or constant", fset.Position(e.Pos()))
	}
	rows := func(name string, n int) ([][]string, error) {
		lit, ok := vars[name]
		if !ok {
			return nil, fmt.Errorf("exampletable: %s has no table %s", src, name)
		}
		var out [][]string
		for _, el := range lit.Elts {
			row, ok := el.(*ast.CompositeLit)
			if !ok || len(row.Elts) < n {
				return nil, fmt.Errorf("exampletable: %s: a row of %s is not a literal of at least %d fields", fset.Position(el.Pos()), name, n)
			}
			var fields []string
			for _, e := range row.Elts[:n] {
				s, err := str(e)
				if err != nil {
					return nil, err
				}
				fields = append(fields, s)
			}
			out = append(out, fields)
		}
		return out, nil
	}
	exRows, err := rows("examples", 2)
	if err != nil {
		return nil, nil, err
	}
	var examples []Example
	for _, r := range exRows {
		if r[1] != "" {
			examples = append(examples, Example{File: r[0], MediaType: r[1]})
		}
	}
	wrongRows, err := rows("wrongExamples", 3)
	if err != nil {
		return nil, nil, err
	}
	var wrong []Violation
	for _, r := range wrongRows {
		wrong = append(wrong, Violation{File: r[0], Pointer: r[1], Kind: r[2]})
	}
	if len(examples) == 0 {
		return nil, nil, fmt.Errorf("exampletable: %s lists no in-scope example", src)
	}
	return examples, wrong, nil
}
