package jsonschema_test

// The golden test: testdata/shop.txtar holds a small model (model.uml) and
// the schema files the emitter must write for it (out/...). After an
// intended change, refresh it with
//
//	LTIGEN_UPDATE_GOLDEN=1 go test ./generator/jsonschema
//
// and review the diff. The schemas are also compiled and held to small
// documents of the model.

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/ltiforge/ltiforge/internal/golden"

	sj "github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/tools/txtar"

	"github.com/ltiforge/ltiforge/generator/emit"
	"github.com/ltiforge/ltiforge/generator/jsonschema"
	"github.com/ltiforge/ltiforge/model"
	"github.com/ltiforge/ltiforge/model/uml"
)

const shopArchive = "testdata/shop.txtar"

// shop loads the golden model and builds its schemas.
func shop(t *testing.T) (*txtar.Archive, []*jsonschema.Document, []emit.File) {
	t.Helper()
	ar, err := txtar.ParseFile(shopArchive)
	if err != nil {
		t.Fatal(err)
	}
	var srcs []uml.Source
	for _, f := range ar.Files {
		if f.Name == "model.uml" {
			srcs = append(srcs, uml.Source{Path: f.Name, Data: f.Data})
		}
	}
	m, err := model.LoadSources(context.Background(), srcs...)
	if err != nil {
		t.Fatal(err)
	}
	if m.Diagnostics.HasErrors() {
		t.Fatalf("the golden model has errors: %v", m.Diagnostics)
	}
	opts := emit.Options{Root: "example.com/gen", Standard: "example.com/gen", Package: "shop"}
	docs, err := jsonschema.Build(m, opts)
	if err != nil {
		t.Fatal(err)
	}
	files, err := jsonschema.New().Emit(context.Background(), m, opts)
	if err != nil {
		t.Fatal(err)
	}
	again, err := jsonschema.New().Emit(context.Background(), m, opts)
	if err != nil || len(again) != len(files) {
		t.Fatalf("a second run gave %d files (%v), the first %d", len(again), err, len(files))
	}
	for i := range files {
		if files[i].Path != again[i].Path || !bytes.Equal(files[i].Data, again[i].Data) {
			t.Errorf("a second run gave other output for %s: the emitter is not deterministic", files[i].Path)
		}
	}
	return ar, docs, files
}

func TestGolden(t *testing.T) {
	ar, _, files := shop(t)
	if golden.Updating() {
		var kept []txtar.File
		for _, f := range ar.Files {
			if f.Name == "model.uml" {
				kept = append(kept, f)
			}
		}
		for _, f := range files {
			kept = append(kept, txtar.File{Name: "out/" + f.Path, Data: f.Data})
		}
		ar.Files = kept
		if err := os.WriteFile(shopArchive, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := map[string][]byte{}
	for _, f := range ar.Files {
		if len(f.Name) > 4 && f.Name[:4] == "out/" {
			want[f.Name[4:]] = f.Data
		}
	}
	for _, f := range files {
		w, ok := want[f.Path]
		switch {
		case !ok:
			t.Errorf("the emitter wrote %s, which the golden file lacks", f.Path)
		case !bytes.Equal(w, f.Data):
			t.Errorf("%s differs from the golden file (LTIGEN_UPDATE_GOLDEN=1 updates it):\n--- got ---\n%s", f.Path, f.Data)
		}
		delete(want, f.Path)
	}
	for p := range want {
		t.Errorf("the emitter did not write %s, which the golden file has", p)
	}
}

// TestShopDocuments holds the small model's schemas to documents that show
// each rule.
func TestShopDocuments(t *testing.T) {
	_, docs, _ := shop(t)
	schemas := map[string]*sj.Schema{}
	for _, d := range docs {
		s, err := compile(d)
		if err != nil {
			t.Fatalf("%s: %v", d.Path, err)
		}
		schemas[d.MediaType.Name] = s
	}
	const (
		order  = "application/vnd.example.order+json"
		orders = "application/vnd.example.orders+json"
		note   = "application/vnd.example.note+json"
		ctx    = `"@context": "http://example.org/ctx/Order"`
	)
	tests := []struct {
		name, mediaType, doc string
		valid                bool
	}{
		{"minimal order", order, `{` + ctx + `, "customer": "http://x/c/1", "@type": "Order", "@id": "http://x/o/1", "items": [{"@type": "Book", "sku": "A1"}]}`, true},
		{"one item bare", order, `{` + ctx + `, "customer": "http://x/c/1", "@type": "Order", "@id": "http://x/o/1", "items": {"@type": "Pen", "sku": "P1", "color": "red"}}`, true},
		{"no items", order, `{` + ctx + `, "customer": "http://x/c/1", "@type": "Order", "@id": "http://x/o/1", "items": []}`, false},
		{"abstract item without @type", order, `{` + ctx + `, "customer": "http://x/c/1", "@type": "Order", "@id": "http://x/o/1", "items": [{"sku": "A1"}]}`, false},
		{"@type by IRI and CURIE", order, `{` + ctx + `, "customer": "http://x/c/1", "@type": "shop:Order", "@id": "http://x/o/1", "items": [{"@type": "http://example.org/vocab/shop#Book", "sku": "A1"}]}`, true},
		{"the subclass's properties", order, `{` + ctx + `, "customer": "http://x/c/1", "@type": "Order", "@id": "http://x/o/1", "items": [{"@type": "Book", "sku": "A1", "pages": "many"}]}`, false},
		{"closed enumeration", order, `{` + ctx + `, "customer": "http://x/c/1", "@type": "Order", "@id": "http://x/o/1", "items": [{"@type": "Pen", "sku": "P1", "color": ["red", "shop:blue"]}]}`, true},
		{"outside the closed enumeration", order, `{` + ctx + `, "customer": "http://x/c/1", "@type": "Order", "@id": "http://x/o/1", "items": [{"@type": "Pen", "sku": "P1", "color": "green"}]}`, false},
		{"open enumeration", order, `{` + ctx + `, "customer": "http://x/c/1", "@type": "Order", "@id": "http://x/o/1", "items": [{"@type": "Book", "sku": "A1"}], "tags": ["x", "y"]}`, true},
		{"too many tags", order, `{` + ctx + `, "customer": "http://x/c/1", "@type": "Order", "@id": "http://x/o/1", "items": [{"@type": "Book", "sku": "A1"}], "tags": ["x", "y", "z"]}`, false},
		{"required @id", order, `{` + ctx + `, "customer": "http://x/c/1", "@type": "Order", "items": [{"@type": "Book", "sku": "A1"}]}`, false},
		{"blank-node @id", order, `{` + ctx + `, "customer": "http://x/c/1", "@type": "Order", "@id": "_:o", "items": [{"@type": "Book", "sku": "A1"}]}`, false},
		{"reference", order, `{` + ctx + `, "customer": "http://x/c/1", "@type": "Order", "@id": "http://x/o/1", "items": [{"@type": "Book", "sku": "A1"}]}`, true},
		{"embedded reference", order, `{` + ctx + `, "customer": {"@id": "http://x/c/1"}, "@type": "Order", "@id": "http://x/o/1", "items": [{"@type": "Book", "sku": "A1"}]}`, false},
		{"note maps to strings", order, `{` + ctx + `, "customer": "http://x/c/1", "@type": "Order", "@id": "http://x/o/1", "items": [{"@type": "Book", "sku": "A1"}], "note": {"@id": "http://x/n", "a": "b"}}`, true},
		{"note with a number", order, `{` + ctx + `, "customer": "http://x/c/1", "@type": "Order", "@id": "http://x/o/1", "items": [{"@type": "Book", "sku": "A1"}], "note": {"a": 1}}`, false},
		{"graph with include", orders, `{"@context": "http://example.org/ctx/Orders", "@graph": [{"@type": "Order", "@id": "http://x/o/1", "items": [{"@type": "Book", "sku": "A"}], "total": "not checked"}]}`, true},
		{"graph member without @type", orders, `{"@context": "http://example.org/ctx/Orders", "@graph": [{"@id": "http://x/o/1", "items": [{"@type": "Book", "sku": "A1"}]}]}`, false},
		{"simple", note, `{"a": "b"}`, true},
		{"simple with an object", note, `{"a": {}}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := schemas[tc.mediaType].Validate(parse(t, []byte(tc.doc)))
			if (err == nil) != tc.valid {
				t.Errorf("valid %v, want %v: %v", err == nil, tc.valid, err)
			}
		})
	}
}
