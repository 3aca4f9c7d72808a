package inspect

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/ltiforge/ltiforge/model"
)

// SemanticFormatVersion is the version of the semantic JSON report's
// shape ("ltigen inspect --semantic --json"). It changes only when a field
// is removed or changes meaning.
const SemanticFormatVersion = 1

// SemanticReport is the JSON form of a semantic model: the model's own
// fields (documented on model.Model) after "format", with diagnostics in
// the same form as the UML report's.
type SemanticReport struct {
	Format int `json:"format"`
	*model.Model
	Diagnostics []Diagnostic `json:"diagnostics"`
}

// WriteSemanticJSON writes m as indented JSON.
func WriteSemanticJSON(w io.Writer, m *model.Model) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(SemanticReport{Format: SemanticFormatVersion, Model: m, Diagnostics: diagnostics(m.Diagnostics)})
}

// WriteSemantic writes a readable listing of m: vocabularies, simple
// types, enumerations, classes with their properties, media types with
// their context terms, services with their operations, messages and
// message returns, capabilities, variables and roles, then a summary.
func WriteSemantic(w io.Writer, m *model.Model) error {
	bw := bufio.NewWriter(w)
	o := &outline{w: bw}
	section := func(title string, n int) bool {
		if n == 0 {
			return false
		}
		o.line(0, "%s:", title)
		return true
	}
	if section("vocabularies", len(m.Vocabularies)) {
		for _, v := range m.Vocabularies {
			o.line(1, "%s: <%s>  package %s  [%s]", v.Prefix, v.Namespace, v.Origin.QualifiedName, v.Origin.Pos())
		}
	}
	if section("simple types", len(m.SimpleTypes)) {
		for _, s := range m.SimpleTypes {
			o.line(1, "%s  go %s (%s)  base %s%s%s  [%s]", s.Name, s.GoName, s.GoType, s.Base, opt(" iri", s.IRI),
				optInt(" maxLength", s.MaxLength), s.Origin.Pos())
		}
	}
	if section("enumerations", len(m.Enums)) {
		for _, e := range m.Enums {
			ext := ""
			if e.Extensible {
				ext = "  extensible"
			}
			o.line(1, "%s  go %s%s%s  [%s]", e.Name, e.GoName, opt(" iri", e.IRI), ext, e.Origin.Pos())
			for _, mb := range e.Members {
				o.line(2, "%s  go %s%s%s", mb.Name, mb.GoName, termIfDiffers(mb.Term, mb.Name), opt(" iri", mb.IRI))
			}
		}
	}
	if section("classes", len(m.Classes)) {
		for _, c := range m.Classes {
			o.class(c)
		}
	}
	if section("media types", len(m.MediaTypes)) {
		for _, mt := range m.MediaTypes {
			o.line(1, "%s  go %s  form %s  root %s%s  [%s]", mt.Name, mt.GoName, mt.Form, orDash(mt.Root), opt(" context", mt.Context), mt.Origin.Pos())
			for _, t := range mt.Terms {
				o.line(2, "%s %s <%s>%s%s", t.Kind, t.Name, t.IRI, opt(" type", t.Coercion), opt(" container", t.Container))
			}
		}
	}
	if section("services", len(m.Services)) {
		for _, s := range m.Services {
			o.service(s)
		}
	}
	if section("messages", len(m.Messages)) {
		for _, msg := range m.Messages {
			signed := "signed"
			if !msg.Signed {
				signed = "unsigned"
			}
			o.line(1, "%s  go %s  lti_message_type %s  versions %s  %s  [%s]", msg.Name, msg.GoName, msg.MessageType,
				strings.Join(msg.Versions, " "), signed, msg.Origin.Pos())
			o.params(msg.Params)
		}
	}
	if section("message returns", len(m.MessageReturns)) {
		for _, r := range m.MessageReturns {
			o.line(1, "%s  go %s  for %s  [%s]", r.Name, r.GoName, r.MessageType, r.Origin.Pos())
			o.params(r.Params)
		}
	}
	if section("capabilities", len(m.Capabilities)) {
		for _, c := range m.Capabilities {
			o.line(1, "%s  go %s.%s%s%s", c.Name, c.Enum, c.GoName, opt(" kind", c.Kind), opt(" iri", c.IRI))
		}
	}
	if section("variables", len(m.Variables)) {
		for _, v := range m.Variables {
			o.line(1, "%s  go %s.%s  since %s%s  source: %s", v.Name, v.Enum, v.GoName, v.Since, opt(" launch parameter", v.LaunchParameter), v.Source)
		}
	}
	if section("roles", len(m.Roles)) {
		for _, r := range m.Roles {
			o.line(1, "%s  go %s.%s  %s  %s%s", r.Name, r.Enum, r.GoName, r.Kind, r.URN, opt(" short", r.Short))
		}
	}
	nops := 0
	for _, s := range m.Services {
		nops += len(s.Operations)
	}
	errs := m.Diagnostics.Errors()
	fmt.Fprintf(bw, "\n%s, %s, %s, %s, %s (%s), %s, %s, %s, %s; %s, %s\n",
		plural(len(m.Vocabularies), "vocabulary", "vocabularies"), plural(len(m.Classes), "class", "classes"),
		count(len(m.Enums), "enumeration"), count(len(m.MediaTypes), "media type"), count(len(m.Services), "service"),
		count(nops, "operation"), count(len(m.Messages), "message"),
		plural(len(m.Capabilities), "capability", "capabilities"), count(len(m.Variables), "variable"),
		count(len(m.Roles), "role"), count(errs, "error"), count(len(m.Diagnostics)-errs, "warning"))
	return bw.Flush()
}

func (o *outline) class(c *model.Class) {
	var flags []string
	if c.Abstract {
		flags = append(flags, "abstract")
	}
	if c.Addressable {
		if c.IDRequired {
			flags = append(flags, "addressable (@id required)")
		} else {
			flags = append(flags, "addressable")
		}
	}
	if c.Embeddable {
		flags = append(flags, "embeddable")
	}
	if len(c.Supers) > 0 {
		flags = append(flags, "extends "+strings.Join(c.Supers, ", "))
	}
	f := ""
	if len(flags) > 0 {
		f = "  " + strings.Join(flags, ", ")
	}
	o.line(1, "%s  go %s%s%s%s  [%s]", c.Origin.QualifiedName, c.GoName, termIfDiffers(c.Term, c.Name), opt(" iri", c.IRI), f, c.Origin.Pos())
	for _, p := range c.Properties {
		o.line(2, "%s : %s [%s]  go %s%s%s%s%s", p.Name, typeName(p.Type), p.Cardinality, p.GoName,
			termIfDiffers(p.Term, p.Name), opt(" iri", p.IRI), opt(" type", p.Coercion), opt(" container", p.Container))
	}
}

func (o *outline) service(s *model.Service) {
	o.line(1, "%s  go %s  media types %s  [%s]", s.Name, s.GoName, strings.Join(s.MediaTypes, " "), s.Origin.Pos())
	for _, op := range s.Operations {
		o.line(2, "%s %s  %s  go %s%s%s  [%s]", orDash(op.Method), orDash(op.Path), op.Name, op.GoName, opt(" offer", op.Offer), opt(" pox", op.Pox), op.Origin.Pos())
		for _, group := range []struct {
			kind string
			ps   []*model.Param
		}{{"path", op.PathParams}, {"query", op.QueryParams}, {"header", op.HeaderParams}} {
			for _, p := range group.ps {
				o.line(3, "%s %s : %s [%s]  go %s%s%s", group.kind, p.Name, typeName(p.Type), p.Cardinality, p.GoName,
					opt(" header", p.Header), opt(" values", strings.Join(p.Values, " ")))
			}
		}
		if op.Body != "" {
			o.line(3, "body %s", op.Body)
		}
		if op.Result != "" {
			o.line(3, "result %s", op.Result)
		}
		if len(op.Request) > 0 {
			o.line(3, "request %s", strings.Join(op.Request, " "))
		}
		if len(op.Response) > 0 {
			o.line(3, "response %s", strings.Join(op.Response, " "))
		}
		for _, st := range op.Status {
			o.line(3, "status %d %s", st.Code, st.Meaning)
		}
	}
}

func (o *outline) params(ps []*model.MessageParam) {
	for _, p := range ps {
		o.line(2, "%s : %s [%s]  go %s  %s%s", p.Name, typeName(p.Type), p.Cardinality, p.GoName, p.Use, opt(" variable", p.Variable))
	}
}

// typeName shows a value type: its UML name and the Go type holding it.
func typeName(t model.TypeRef) string {
	name := t.Name
	if name == "" {
		name = "(untyped)"
	}
	if i := strings.LastIndex(name, "::"); i >= 0 {
		name = name[i+2:]
	}
	if t.GoType != "" && t.GoType != name {
		return name + " (" + t.GoType + ")"
	}
	return name
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func opt(label, v string) string {
	if v == "" {
		return ""
	}
	return "  " + strings.TrimSpace(label) + " " + v
}

func optInt(label string, n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("  %s %d", strings.TrimSpace(label), n)
}

func termIfDiffers(term, name string) string {
	if term == name {
		return ""
	}
	return fmt.Sprintf("  term %q", term)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
