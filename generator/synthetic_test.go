package generator

// A synthetic model N times the size of the standard model, for the scaling
// benchmark: the standard model's files (not its profile) copied N times,
// each copy with its own ids, type names, media types, context IRIs, offers
// and message types, so that the copies do not clash and every emitter
// produces N times its output. The copies share the vocabularies'
// namespaces and prefixes, as models extending the standard one do.

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/generator/emit"
	"github.com/ltiforge/ltiforge/model"
	"github.com/ltiforge/ltiforge/model/lti2"
	"github.com/ltiforge/ltiforge/model/uml"
)

// rewrite says how an attribute's value changes from copy to copy.
type rewrite int

const (
	keep        rewrite = iota
	idRefs              // space-separated ids: each one of the model's gets the suffix
	href                // file#id: the id gets the suffix when it is the model's
	typeName            // a classifier's or the model's name: gets the suffix
	qualified           // qualified or plain names (A::B::C), space-separated: the model and the classifier get the suffix
	propertyRef         // Class.property, space-separated: the class gets the suffix
	mediaTypes          // media type names, space-separated: moved under vnd.synth.<k>
	contextIRI          // a context IRI: moved under the copy's own path
	suffixed            // a name unique in the model (offer, message type): gets the suffix
)

// segment is a piece of a template file: literal text, or an attribute
// value to rewrite.
type segment struct {
	text string
	how  rewrite
}

// synthTemplate is the standard model split once into segments, so that
// each copy is rendered without parsing again.
type synthTemplate struct {
	profile uml.Source
	files   []synthFile
	ids     map[string]bool // xmi:ids of the model files
	names   map[string]bool // names of the classifiers and of the model
}

type synthFile struct {
	name     string // base name, such as lti.uml
	segments []segment
}

// classifierTypes are the xmi:types whose names are type names.
var classifierTypes = []string{"uml:Class", "uml:DataType", "uml:Enumeration", "uml:Interface", "uml:PrimitiveType"}

// attr is one attribute of a start tag, with the offsets of its value.
type attr struct {
	name       string
	value      string
	start, end int
}

// startTags calls fn for each start tag of an XML document (the model
// files hold no CDATA sections and no markup in comments).
func startTags(data string, fn func(elem string, attrs []attr)) {
	for i := 0; i < len(data); i++ {
		if data[i] != '<' || i+1 >= len(data) || !isNameStart(data[i+1]) {
			continue
		}
		j := i + 1
		for j < len(data) && !isSpace(data[j]) && data[j] != '>' && data[j] != '/' {
			j++
		}
		elem := data[i+1 : j]
		var attrs []attr
		for j < len(data) {
			for j < len(data) && isSpace(data[j]) {
				j++
			}
			if j >= len(data) || data[j] == '>' || data[j] == '/' {
				break
			}
			eq := strings.IndexByte(data[j:], '=')
			name := strings.TrimSpace(data[j : j+eq])
			j += eq + 1
			for isSpace(data[j]) {
				j++
			}
			quote := data[j]
			end := j + 1 + strings.IndexByte(data[j+1:], quote)
			attrs = append(attrs, attr{name: name, value: data[j+1 : end], start: j + 1, end: end})
			j = end + 1
		}
		fn(elem, attrs)
		i = j
	}
}

func isNameStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isSpace(c byte) bool     { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func attrValue(attrs []attr, name string) string {
	for _, a := range attrs {
		if a.name == name {
			return a.value
		}
	}
	return ""
}

// newSynthTemplate reads the embedded standard model.
func newSynthTemplate() (*synthTemplate, error) {
	srcs, err := lti2.Sources()
	if err != nil {
		return nil, err
	}
	t := &synthTemplate{ids: map[string]bool{}, names: map[string]bool{}}
	var models []uml.Source
	for _, s := range srcs {
		if path.Base(path.Dir(s.Path)) == "profile" {
			t.profile = s
			continue
		}
		models = append(models, s)
	}
	if t.profile.Data == nil || len(models) == 0 {
		return nil, fmt.Errorf("the embedded standard model has %d model files and no profile", len(models))
	}
	for _, s := range models {
		startTags(string(s.Data), func(elem string, attrs []attr) {
			if id := attrValue(attrs, "xmi:id"); id != "" {
				t.ids[id] = true
			}
			if elem == "uml:Model" || slices.Contains(classifierTypes, attrValue(attrs, "xmi:type")) {
				if n := attrValue(attrs, "name"); n != "" {
					t.names[n] = true
				}
			}
		})
	}
	for _, s := range models {
		data := string(s.Data)
		f := synthFile{name: path.Base(s.Path)}
		last := 0
		startTags(data, func(elem string, attrs []attr) {
			isType := elem == "uml:Model" || slices.Contains(classifierTypes, attrValue(attrs, "xmi:type"))
			for _, a := range attrs {
				how := rewriteOf(elem, a.name, isType)
				if how == keep {
					continue
				}
				f.segments = append(f.segments, segment{text: data[last:a.start]}, segment{text: a.value, how: how})
				last = a.end
			}
		})
		f.segments = append(f.segments, segment{text: data[last:]})
		t.files = append(t.files, f)
	}
	return t, nil
}

// rewriteOf says how attribute name of element elem changes.
func rewriteOf(elem, name string, isType bool) rewrite {
	if strings.HasPrefix(name, "base_") {
		return idRefs
	}
	switch name {
	case "xmi:id", "annotatedElement", "type", "association", "memberEnd", "general", "constrainedElement":
		return idRefs
	case "href":
		return href
	case "root", "requireId":
		return qualified
	case "include":
		return propertyRef
	case "mediaTypes", "request", "response":
		return mediaTypes
	case "context":
		return contextIRI
	case "offer", "messageType":
		return suffixed
	case "name":
		switch {
		case elem == "LTI:MediaType":
			return mediaTypes
		case isType:
			return typeName
		}
	}
	return keep
}

// sources returns the synthetic model n times the standard model's size:
// the profile and copies 1 to n, copy k's files under synth/<k>/.
func (t *synthTemplate) sources(n int) []uml.Source {
	out := []uml.Source{t.profile}
	var b strings.Builder
	for k := 1; k <= n; k++ {
		sfx := "_" + strconv.Itoa(k)
		for _, f := range t.files {
			b.Reset()
			for _, s := range f.segments {
				t.render(&b, s, k, sfx)
			}
			out = append(out, uml.Source{Path: fmt.Sprintf("synth/%d/%s", k, f.name), Data: []byte(b.String())})
		}
	}
	return out
}

func (t *synthTemplate) render(b *strings.Builder, s segment, k int, sfx string) {
	id := func(v string) string {
		if t.ids[v] {
			return v + sfx
		}
		return v
	}
	words := func(fn func(string) string) {
		for i, w := range strings.Fields(s.text) {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(fn(w))
		}
	}
	switch s.how {
	case keep:
		b.WriteString(s.text)
	case idRefs:
		words(id)
	case href:
		file, frag, ok := strings.Cut(s.text, "#")
		if ok && !strings.Contains(file, ":") && !strings.Contains(file, "profile") {
			frag = id(frag)
		}
		b.WriteString(file + "#" + frag)
	case typeName, suffixed:
		b.WriteString(s.text + sfx)
	case qualified:
		words(func(q string) string {
			// The model's name and the classifier's: a package may have a
			// class's name (Membership).
			segs := strings.Split(q, "::")
			for _, i := range []int{0, len(segs) - 1} {
				if t.names[segs[i]] {
					segs[i] += sfx
				}
			}
			return strings.Join(segs, "::")
		})
	case propertyRef:
		words(func(p string) string {
			class, prop, _ := strings.Cut(p, ".")
			return class + sfx + "." + prop
		})
	case mediaTypes:
		words(func(mt string) string {
			typ, sub, _ := strings.Cut(mt, "/")
			sub = strings.TrimPrefix(sub, "vnd.")
			if !strings.Contains(sub, "+") {
				sub += "+" + sub // application/xml becomes application/vnd.synth.<k>.xml+xml
			}
			return fmt.Sprintf("%s/vnd.synth.%d.%s", typ, k, sub)
		})
	case contextIRI:
		// The context file's path follows the IRI's path, so the copy
		// number goes there.
		_, rest, _ := strings.Cut(s.text, "://")
		_, p, _ := strings.Cut(rest, "/")
		fmt.Fprintf(b, "http://synth.example.org/%d/%s", k, p)
	}
}

// synthCounts are the element counts that grow with the copies.
type synthCounts struct {
	Classes, SimpleTypes, Enums, MediaTypes, Services, Operations, Messages, Variables, Roles, Capabilities int
}

func countElements(m *model.Model) synthCounts {
	c := synthCounts{Classes: len(m.Classes), SimpleTypes: len(m.SimpleTypes), Enums: len(m.Enums), MediaTypes: len(m.MediaTypes),
		Services: len(m.Services), Messages: len(m.Messages), Variables: len(m.Variables), Roles: len(m.Roles), Capabilities: len(m.Capabilities)}
	for _, s := range m.Services {
		c.Operations += len(s.Operations)
	}
	return c
}

func TestSyntheticModelScales(t *testing.T) {
	tmpl, err := newSynthTemplate()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	std, err := model.LoadStandard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var one synthCounts
	for _, n := range []int{1, 10} {
		m, err := model.LoadSources(ctx, tmpl.sources(n)...)
		if err != nil {
			t.Fatal(err)
		}
		if m.Diagnostics.HasErrors() {
			t.Fatalf("%d×: %s", n, m.Diagnostics.Error())
		}
		got := countElements(m)
		if n == 1 {
			one = got
			if want := countElements(std); got != want {
				t.Errorf("1×: %+v, want the standard model's %+v", got, want)
			}
			if got.Classes == 0 || got.MediaTypes == 0 || got.Services == 0 {
				t.Fatalf("1×: %+v, want classes, media types and services", got)
			}
			continue
		}
		want := synthCounts{one.Classes * n, one.SimpleTypes * n, one.Enums * n, one.MediaTypes * n, one.Services * n,
			one.Operations * n, one.Messages * n, one.Variables * n, one.Roles * n, one.Capabilities * n}
		if got != want {
			t.Errorf("%d×: %+v, want %+v", n, got, want)
		}
	}
}

// TestSyntheticOutputScales checks that the emitters' output grows with the
// copies: each copy has its own contexts and service files, and the Go types
// of every copy go to the one types package.
func TestSyntheticOutputScales(t *testing.T) {
	tmpl, err := newSynthTemplate()
	if err != nil {
		t.Fatal(err)
	}
	type output struct{ contexts, services, typeBytes int }
	generate := func(n int) output {
		ctx := context.Background()
		m, err := model.LoadSources(ctx, tmpl.sources(n)...)
		if err != nil {
			t.Fatal(err)
		}
		var files []emit.File
		for _, e := range Emitters() {
			fs, err := e.Emit(ctx, m, emit.Options{Root: benchImport, Standard: benchImport, Package: emit.StandardPackage})
			if err != nil {
				t.Fatalf("%d×: emitter %s: %v", n, e.Name(), err)
			}
			files = append(files, fs...)
		}
		var o output
		for _, f := range files {
			switch {
			case strings.HasSuffix(f.Path, ".jsonld"):
				o.contexts++
			case strings.Contains(f.Path, "_service"): // lti2rest/tool_proxy_service_1.go
				o.services++
			case strings.HasPrefix(f.Path, emit.StandardPackage+"/"):
				o.typeBytes += len(f.Data)
			}
		}
		return o
	}
	one, three := generate(1), generate(3)
	if one.contexts == 0 || one.services == 0 || three.contexts != 3*one.contexts || three.services != 3*one.services {
		t.Errorf("contexts and service files: 1× %d and %d, 3× %d and %d; want three times as many", one.contexts, one.services, three.contexts, three.services)
	}
	if r := float64(three.typeBytes) / float64(one.typeBytes); r < 2.7 || r > 3.3 {
		t.Errorf("the Go types package is %d bytes at 1× and %d at 3×: %.2f times, want about 3", one.typeBytes, three.typeBytes, r)
	}
}
