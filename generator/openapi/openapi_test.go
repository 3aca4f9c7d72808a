package openapi_test

// The OpenAPI document of the standard model is loaded and validated with
// github.com/getkin/kin-openapi (openapi3.NewLoader().LoadFromData and
// T.Validate, which checks an OpenAPI 3.1 document as 3.1: its structure,
// the references, the parameters against the path templates, and each
// schema as a 3.1 schema); the in-scope LTI 2.0 examples validate against
// the schemas of the document's content entries (kin-openapi's JSON Schema
// 2020-12 validator), which shows the $defs were inlined and their
// references rewritten correctly; and a small partner model is held to a
// golden file.

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/internal/golden"

	"github.com/getkin/kin-openapi/openapi3"
	"golang.org/x/tools/txtar"

	"github.com/ltiforge/ltiforge/generator/emit"
	"github.com/ltiforge/ltiforge/generator/openapi"
	"github.com/ltiforge/ltiforge/internal/exampletable"
	"github.com/ltiforge/ltiforge/internal/sharedtest"
	"github.com/ltiforge/ltiforge/model"
)

// standard emits the standard model's document.
func standard(t *testing.T) []byte {
	t.Helper()
	m, err := model.LoadStandard(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	files, err := openapi.New().Emit(context.Background(), m, emit.Options{Root: "x/gen", Standard: "x/gen", Package: emit.StandardPackage})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].Path != "openapi/lti2.openapi.json" {
		t.Fatalf("the emitter wrote %d files (%v), want openapi/lti2.openapi.json", len(files), files)
	}
	return files[0].Data
}

// load loads and validates a document with kin-openapi.
func load(t *testing.T, data []byte) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		t.Fatalf("kin-openapi cannot load the document: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("the document declares OpenAPI %s, not 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("kin-openapi finds the document invalid: %v", err)
	}
	return doc
}

func TestStandardDocumentValidates(t *testing.T) {
	doc := load(t, standard(t))
	// Every modelled operation is in it, once per path and method.
	m, err := model.LoadStandard(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range m.Services {
		for _, op := range s.Operations {
			item := doc.Paths.Find(op.Path)
			if item == nil {
				t.Errorf("%s: path %s is missing", op.GoName, op.Path)
				continue
			}
			o := item.GetOperation(op.Method)
			if o == nil {
				t.Errorf("%s: %s %s is missing", op.GoName, op.Method, op.Path)
				continue
			}
			if op.Offer != "" && o.Extensions["x-lti-offer"] != op.Offer {
				t.Errorf("%s: x-lti-offer %v, want %s", op.GoName, o.Extensions["x-lti-offer"], op.Offer)
			}
			for _, st := range op.Status {
				r := o.Responses.Status(st.Code)
				if r == nil || r.Value == nil || r.Value.Description == nil || !strings.Contains(*r.Value.Description, st.Meaning) {
					t.Errorf("%s: response %d does not carry the meaning %q", op.GoName, st.Code, st.Meaning)
				}
			}
			for _, mt := range op.Request {
				if o.RequestBody == nil || o.RequestBody.Value.Content.Get(mt) == nil {
					t.Errorf("%s: the request body lacks %s", op.GoName, mt)
				}
			}
		}
	}
	// The graph and simple forms of Tool Settings are one operation.
	get := doc.Paths.Find("/lti/links/{link_id}/custom").Get
	if get.OperationID != "GetLTILinkSettings" {
		t.Errorf("operationId %q, want GetLTILinkSettings", get.OperationID)
	}
	var types []string
	for k := range get.Responses.Status(200).Value.Content {
		types = append(types, k)
	}
	slices.Sort(types)
	if want := []string{"application/vnd.ims.lti.v2.toolsettings+json", "application/vnd.ims.lti.v2.toolsettings.simple+json"}; !slices.Equal(types, want) {
		t.Errorf("200 content %v, want %v", types, want)
	}
	ss := doc.Components.SecuritySchemes[openapi.SecurityScheme]
	if ss == nil || !strings.Contains(ss.Value.Description, "OAuth 1.0a") || !strings.Contains(ss.Value.Description, "HMAC-SHA1") || !strings.Contains(ss.Value.Description, "oauth_body_hash") {
		t.Errorf("the security scheme does not describe OAuth 1.0a with HMAC-SHA1 and a body hash: %+v", ss)
	}
}

// TestValidationCatchesFaults makes sure T.Validate is not vacuous here:
// documents broken in ways the emitter must never produce are refused.
func TestValidationCatchesFaults(t *testing.T) {
	good := standard(t)
	tests := []struct{ name, old, new string }{
		{"a dangling schema reference", `"#/components/schemas/ToolProxyDocument"`, `"#/components/schemas/NoSuchSchema"`},
		{"a path parameter missing from the path", `"/Result/{sourcedId}"`, `"/Result/{sourcedIdentifier}"`},
		{"a response without description", `"description": "The body is the result."`, `"x-description": "The body is the result."`},
		{"an invalid schema", `"minItems": 1`, `"minItems": "one"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !bytes.Contains(good, []byte(tc.old)) {
				t.Fatalf("the document holds no %s", tc.old)
			}
			bad := bytes.Replace(good, []byte(tc.old), []byte(tc.new), 1)
			doc, err := openapi3.NewLoader().LoadFromData(bad)
			if err == nil {
				err = doc.Validate(context.Background())
			}
			if err == nil {
				t.Errorf("kin-openapi accepts the document with %s", tc.name)
			} else {
				t.Logf("refused: %v", err)
			}
		})
	}
}

func TestExamplesValidateAgainstContent(t *testing.T) {
	if sharedtest.Dir() == "" {
		t.Skip("../shared (beside the repository) not found: this test reads spec/examples and ims-model/rdf from it")
	}
	examples, wrong, err := exampletable.Read()
	if err != nil {
		t.Fatal(err)
	}
	doc := load(t, standard(t))
	// The content schema of each media type, from any operation.
	content := map[string]*openapi3.SchemaRef{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody != nil {
				for mt, c := range op.RequestBody.Value.Content {
					content[mt] = c.Schema
				}
			}
			for _, r := range op.Responses.Map() {
				for mt, c := range r.Value.Content {
					content[mt] = c.Schema
				}
			}
		}
	}
	for _, ex := range examples {
		t.Run(ex.File, func(t *testing.T) {
			s := content[ex.MediaType]
			if s == nil || s.Value == nil {
				t.Fatalf("no operation has a %s body", ex.MediaType)
			}
			var v any
			if err := json.Unmarshal(bytes.TrimPrefix(sharedtest.Read(t, ex.File), []byte("\xef\xbb\xbf")), &v); err != nil {
				t.Fatal(err)
			}
			err := s.Value.VisitJSON(v, openapi3.EnableJSONSchema2020())
			faulty := slices.ContainsFunc(wrong, func(w exampletable.Violation) bool { return w.File == ex.File })
			switch {
			case faulty && err == nil:
				t.Errorf("the example passes, but it lacks service_provider_name (model/lti2/examples_test.go)")
			case faulty && !strings.Contains(err.Error(), "service_provider_name"):
				t.Errorf("the example fails, but not on service_provider_name: %v", err)
			case !faulty && err != nil:
				t.Errorf("the example does not validate: %v", err)
			}
		})
	}
}

func TestPaths(t *testing.T) {
	tests := []struct{ in, want, errHas string }{
		{in: "/profile/{profile_id}", want: "/profile/{profile_id}"},
		{in: "/a/{x}/b/{y}{?q,r}", want: "/a/{x}/b/{y}"},
		{in: "/a{?q}{&r}", want: "/a"},
		{in: "a/{x}", want: "/a/{x}"},
		{in: "/a/{+x}", errHas: "operator"},
		{in: "/a/{x,y}", errHas: "several variables"},
		{in: "/a/{x:3}", errHas: "modifier"},
		{in: "/a/{x", errHas: "not closed"},
	}
	for _, tc := range tests {
		got, err := openapi.PathOf(tc.in)
		if tc.errHas != "" {
			if err == nil || !strings.Contains(err.Error(), tc.errHas) {
				t.Errorf("PathOf(%q) = %q, %v; want an error saying %q", tc.in, got, err, tc.errHas)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("PathOf(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// TestGolden generates the OpenAPI document of testdata/catalog.txtar, a
// partner model loaded on top of the standard one (the REST emitter's
// golden model: two forms on one GET, a header and a closed query
// parameter, and an XML service), compares it with the archive's out/
// file and validates it with kin-openapi. LTIGEN_UPDATE_GOLDEN=1 rewrites
// the archive.
func TestGolden(t *testing.T) {
	const name = "testdata/catalog.txtar"
	ar, err := txtar.ParseFile(name)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	want := map[string][]byte{}
	var kept []txtar.File
	for _, f := range ar.Files {
		if rest, ok := strings.CutPrefix(f.Name, "out/"); ok {
			want[rest] = f.Data
			continue
		}
		kept = append(kept, f)
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	modelFile := filepath.Join(dir, "model.uml")
	m, err := model.LoadStandard(context.Background(), modelFile)
	if err != nil {
		t.Fatal(err)
	}
	if m.Diagnostics.HasErrors() {
		t.Fatalf("the golden model has errors: %v", m.Diagnostics)
	}
	o := emit.Options{Root: "x/partner", Standard: "x/gen", Package: "catalog", Files: []string{modelFile}}
	got, err := openapi.New().Emit(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Path != "openapi/catalog.openapi.json" {
		t.Fatalf("the emitter wrote %v, want openapi/catalog.openapi.json", got)
	}
	again, err := openapi.New().Emit(context.Background(), m, o)
	if err != nil || !bytes.Equal(again[0].Data, got[0].Data) {
		t.Errorf("a second run gave other output (%v): the emitter is not deterministic", err)
	}
	load(t, got[0].Data)
	if golden.Updating() {
		ar.Files = append(kept, txtar.File{Name: "out/" + got[0].Path, Data: got[0].Data})
		if err := os.WriteFile(name, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if w, ok := want[got[0].Path]; !ok {
		t.Errorf("the golden file lacks %s", got[0].Path)
	} else if !bytes.Equal(w, got[0].Data) {
		t.Errorf("%s differs from the golden file (LTIGEN_UPDATE_GOLDEN=1 updates it):\n--- got ---\n%s", got[0].Path, got[0].Data)
	}
	if len(want) != 1 {
		t.Errorf("the golden file holds %d outputs, want 1", len(want))
	}
}

func TestNoServicesNoFile(t *testing.T) {
	m, err := model.LoadSources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	files, err := openapi.New().Emit(context.Background(), m, emit.Options{Root: "x", Standard: "x", Package: "m"})
	if err != nil || len(files) != 0 {
		t.Fatalf("Emit on an empty model = %d files, %v; want none", len(files), err)
	}
}

// TestCommittedDocumentsValidate validates with kin-openapi every OpenAPI
// document the repository holds: the standard model's and the partner
// example's, as make generate wrote them.
func TestCommittedDocumentsValidate(t *testing.T) {
	var found []string
	for _, pattern := range []string{"../../generated/openapi/*.openapi.json", "../../examples/*/*/generated/openapi/*.openapi.json"} {
		ps, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		found = append(found, ps...)
	}
	if len(found) < 2 {
		t.Fatalf("found %v; want the standard and the partner example's documents (run make generate)", found)
	}
	for _, p := range found {
		t.Run(filepath.ToSlash(p), func(t *testing.T) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			load(t, data)
		})
	}
}
