// Package inspect presents a loaded UML graph to people and programs: a
// readable outline, and a stable JSON report whose shape is documented in
// the README ("ltigen inspect --json").
package inspect

import (
	"encoding/json"
	"io"

	"github.com/ltiforge/ltiforge/model/uml"
)

// FormatVersion is the version of the JSON report's shape. It changes only
// when a field is removed or changes meaning; new fields may be added.
const FormatVersion = 1

// Report is the JSON form of a graph.
type Report struct {
	// Format is FormatVersion.
	Format int `json:"format"`
	// Files are the loaded files in load order.
	Files []string `json:"files"`
	// Classifiers lists every declared classifier, depth first in document
	// order.
	Classifiers  []Classifier  `json:"classifiers"`
	Associations []Association `json:"associations"`
	// Instances lists instance specifications (UML objects).
	Instances   []Instance   `json:"instances"`
	Diagnostics []Diagnostic `json:"diagnostics"`
}

// Classifier is a class, interface, data type, primitive, enumeration or
// stereotype definition.
type Classifier struct {
	Kind          string       `json:"kind"`
	Name          string       `json:"name"`
	QualifiedName string       `json:"qualifiedName"`
	ID            string       `json:"id"`
	File          string       `json:"file"`
	Line          int          `json:"line"`
	Abstract      bool         `json:"abstract"`
	Generals      []string     `json:"generals"`
	Realizes      []string     `json:"realizes"`
	Stereotypes   []Stereotype `json:"stereotypes"`
	Doc           string       `json:"doc"`
	Literals      []Literal    `json:"literals"`
	Attributes    []Attribute  `json:"attributes"`
	Operations    []Operation  `json:"operations"`
	Constraints   []Constraint `json:"constraints"`
}

// Stereotype is an applied stereotype with its tagged values.
type Stereotype struct {
	Name    string            `json:"name"`
	Profile string            `json:"profile"`
	Tags    map[string]string `json:"tags"`
}

// Literal is an enumeration literal.
type Literal struct {
	Name        string       `json:"name"`
	ID          string       `json:"id"`
	Value       string       `json:"value,omitempty"`
	Doc         string       `json:"doc,omitempty"`
	Stereotypes []Stereotype `json:"stereotypes,omitempty"`
}

// Attribute is an owned property, including association ends the
// classifier owns.
type Attribute struct {
	Name string `json:"name"`
	ID   string `json:"id"`
	// Type is the type's qualified name, a primitive's plain name, or the
	// reference as written when it could not be resolved; empty when the
	// property has no type.
	Type  string `json:"type"`
	Lower int    `json:"lower"`
	// Upper is -1 for unlimited.
	Upper int `json:"upper"`
	// Default is the default value as written, or null.
	Default     *string      `json:"default"`
	Line        int          `json:"line"`
	Aggregation string       `json:"aggregation,omitempty"`
	Association string       `json:"association,omitempty"`
	Visibility  string       `json:"visibility,omitempty"`
	Derived     bool         `json:"derived,omitempty"`
	ReadOnly    bool         `json:"readOnly,omitempty"`
	Static      bool         `json:"static,omitempty"`
	Ordered     bool         `json:"ordered,omitempty"`
	Doc         string       `json:"doc,omitempty"`
	Stereotypes []Stereotype `json:"stereotypes,omitempty"`
	Constraints []Constraint `json:"constraints,omitempty"`
}

// Operation is a classifier's operation.
type Operation struct {
	Name     string      `json:"name"`
	ID       string      `json:"id"`
	Abstract bool        `json:"abstract,omitempty"`
	Static   bool        `json:"static,omitempty"`
	Query    bool        `json:"query,omitempty"`
	Params   []Parameter `json:"params"`
	Doc      string      `json:"doc,omitempty"`
}

// Parameter is an operation's parameter.
type Parameter struct {
	Name      string  `json:"name"`
	Direction string  `json:"direction"`
	Type      string  `json:"type"`
	Lower     int     `json:"lower"`
	Upper     int     `json:"upper"`
	Default   *string `json:"default,omitempty"`
}

// Constraint is a named rule.
type Constraint struct {
	Name string `json:"name"`
	Body string `json:"body"`
}

// Association relates classifiers through its ends.
type Association struct {
	Name          string       `json:"name"`
	QualifiedName string       `json:"qualifiedName"`
	ID            string       `json:"id"`
	File          string       `json:"file"`
	Line          int          `json:"line"`
	Ends          []End        `json:"ends"`
	Doc           string       `json:"doc,omitempty"`
	Stereotypes   []Stereotype `json:"stereotypes,omitempty"`
}

// End is an association's member end.
type End struct {
	Name string `json:"name"`
	ID   string `json:"id"`
	Type string `json:"type"`
	// Owner is the qualified name of the classifier owning the end, or
	// empty when the association owns it.
	Owner       string `json:"owner"`
	Lower       int    `json:"lower"`
	Upper       int    `json:"upper"`
	Navigable   bool   `json:"navigable"`
	Aggregation string `json:"aggregation,omitempty"`
}

// Instance is an instance specification.
type Instance struct {
	Name          string   `json:"name"`
	QualifiedName string   `json:"qualifiedName"`
	ID            string   `json:"id"`
	Classifiers   []string `json:"classifiers"`
	Slots         []Slot   `json:"slots,omitempty"`
	Doc           string   `json:"doc,omitempty"`
}

// Slot is one feature's values in an instance.
type Slot struct {
	Feature string   `json:"feature"`
	Values  []string `json:"values"`
}

// Diagnostic is one problem found while loading.
type Diagnostic struct {
	Severity  string `json:"severity"`
	File      string `json:"file"`
	Line      int    `json:"line"`
	Message   string `json:"message"`
	Element   string `json:"element,omitempty"`
	ElementID string `json:"elementId,omitempty"`
}

// New builds the report of g. Slices are never nil, so that every key of
// the documented shape is present in the JSON.
func New(g *uml.Graph) *Report {
	r := &Report{
		Format:       FormatVersion,
		Files:        append([]string{}, g.Files...),
		Classifiers:  []Classifier{},
		Associations: []Association{},
		Instances:    []Instance{},
		Diagnostics:  []Diagnostic{},
	}
	for _, c := range g.Classifiers() {
		r.Classifiers = append(r.Classifiers, classifier(c))
	}
	for _, a := range g.Associations() {
		r.Associations = append(r.Associations, association(a))
	}
	g.Walk(func(p *uml.Package) {
		for _, in := range p.Instances {
			r.Instances = append(r.Instances, instance(in))
		}
	})
	r.Diagnostics = diagnostics(g.Diagnostics)
	return r
}

// diagnostics converts diagnostics to their JSON form; never nil.
func diagnostics(ds uml.Diagnostics) []Diagnostic {
	out := []Diagnostic{}
	for _, d := range ds {
		out = append(out, Diagnostic{
			Severity:  d.Severity.String(),
			File:      d.Pos.File,
			Line:      d.Pos.Line,
			Message:   d.Message,
			Element:   d.Element,
			ElementID: d.ElementID,
		})
	}
	return out
}

// WriteJSON writes the report of g as indented JSON.
func WriteJSON(w io.Writer, g *uml.Graph) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(New(g))
}

func classifier(c *uml.Classifier) Classifier {
	out := Classifier{
		Kind:          string(c.Kind),
		Name:          c.Name,
		QualifiedName: c.QualifiedName,
		ID:            c.ID,
		File:          c.Pos.File,
		Line:          c.Pos.Line,
		Abstract:      c.Abstract,
		Generals:      names(c.Generals),
		Realizes:      names(c.Realizes),
		Stereotypes:   stereotypes(c.Stereotypes),
		Doc:           c.Doc,
		Literals:      []Literal{},
		Attributes:    []Attribute{},
		Operations:    []Operation{},
		Constraints:   constraints(c.Constraints),
	}
	if out.Stereotypes == nil {
		out.Stereotypes = []Stereotype{}
	}
	if out.Constraints == nil {
		out.Constraints = []Constraint{}
	}
	for _, l := range c.Literals {
		out.Literals = append(out.Literals, Literal{Name: l.Name, ID: l.ID, Value: l.Value, Doc: l.Doc, Stereotypes: stereotypes(l.Stereotypes)})
	}
	for _, p := range c.Attributes {
		a := Attribute{
			Name:        p.Name,
			ID:          p.ID,
			Type:        p.TypeName(),
			Lower:       p.Lower,
			Upper:       p.Upper,
			Default:     value(p.Default),
			Line:        p.Pos.Line,
			Aggregation: string(p.Aggregation),
			Visibility:  string(p.Visibility),
			Derived:     p.Derived,
			ReadOnly:    p.ReadOnly,
			Static:      p.Static,
			Ordered:     p.Ordered,
			Doc:         p.Doc,
			Stereotypes: stereotypes(p.Stereotypes),
			Constraints: constraints(p.Constraints),
		}
		if p.Association != nil {
			a.Association = p.Association.QualifiedName
			if a.Association == "" {
				a.Association = p.Association.ID
			}
		}
		out.Attributes = append(out.Attributes, a)
	}
	for _, o := range c.Operations {
		op := Operation{Name: o.Name, ID: o.ID, Abstract: o.Abstract, Static: o.Static, Query: o.Query, Params: []Parameter{}, Doc: o.Doc}
		for _, prm := range o.Params {
			dir := prm.Direction
			if dir == "" {
				dir = uml.In
			}
			op.Params = append(op.Params, Parameter{Name: prm.Name, Direction: string(dir), Type: prm.TypeName(), Lower: prm.Lower, Upper: prm.Upper, Default: value(prm.Default)})
		}
		out.Operations = append(out.Operations, op)
	}
	return out
}

func association(a *uml.Association) Association {
	out := Association{
		Name:          a.Name,
		QualifiedName: a.QualifiedName,
		ID:            a.ID,
		File:          a.Pos.File,
		Line:          a.Pos.Line,
		Ends:          []End{},
		Doc:           a.Doc,
		Stereotypes:   stereotypes(a.Stereotypes),
	}
	for _, e := range a.Ends {
		end := End{Name: e.Name, ID: e.ID, Type: e.TypeName(), Lower: e.Lower, Upper: e.Upper, Navigable: e.Navigable, Aggregation: string(e.Aggregation)}
		if e.Owner != nil {
			end.Owner = e.Owner.QualifiedName
		}
		out.Ends = append(out.Ends, end)
	}
	return out
}

func instance(in *uml.Instance) Instance {
	out := Instance{Name: in.Name, QualifiedName: in.QualifiedName, ID: in.ID, Classifiers: names(in.Classifiers), Doc: in.Doc}
	for _, s := range in.Slots {
		f := s.FeatureRef
		if s.Feature != nil {
			f = s.Feature.Name
		}
		out.Slots = append(out.Slots, Slot{Feature: f, Values: append([]string{}, s.Values...)})
	}
	return out
}

func names(cs []*uml.Classifier) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.QualifiedName)
	}
	return out
}

func stereotypes(ss []*uml.StereotypeApplication) []Stereotype {
	if len(ss) == 0 {
		return nil
	}
	out := make([]Stereotype, 0, len(ss))
	for _, s := range ss {
		tags := s.Tags
		if tags == nil {
			tags = map[string]string{}
		}
		out = append(out, Stereotype{Name: s.Name, Profile: s.Profile, Tags: tags})
	}
	return out
}

func constraints(cs []*uml.Constraint) []Constraint {
	if len(cs) == 0 {
		return nil
	}
	out := make([]Constraint, 0, len(cs))
	for _, c := range cs {
		out = append(out, Constraint{Name: c.Name, Body: c.Body})
	}
	return out
}

func value(v *uml.Value) *string {
	if v == nil {
		return nil
	}
	t := v.Text
	return &t
}
