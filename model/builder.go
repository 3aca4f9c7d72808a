package model

import (
	"fmt"

	"github.com/ltiforge/ltiforge/model/naming"
	"github.com/ltiforge/ltiforge/model/uml"
)

// builder holds the state of one FromGraph call.
type builder struct {
	g     *uml.Graph
	m     *Model
	diags uml.Diagnostics
	// dropped counts diagnostics past uml.MaxDiagnostics.
	dropped int

	schema   *schema
	names    *resolver
	prefixes *prefixTable
	types    *naming.Namer

	// What each classifier became.
	goNames     map[*uml.Classifier]string
	classes     map[*uml.Classifier]*Class
	simples     map[*uml.Classifier]*SimpleType
	enums       map[*uml.Classifier]*Enum
	mediaTypes  map[*uml.Classifier]*MediaType
	messages    map[*uml.Classifier]*Message
	vocabByPkg  map[*uml.Package]*Vocabulary
	mediaByName map[string]*MediaType // lower-cased media type name
}

func (b *builder) report(sev uml.Severity, pos uml.Pos, e *uml.Element, format string, args ...any) {
	if len(b.diags) >= uml.MaxDiagnostics {
		b.dropped++
		return
	}
	d := uml.Diagnostic{Severity: sev, Pos: pos, Message: fmt.Sprintf(format, args...)}
	if e != nil {
		d.ElementID = e.ID
		d.Element = e.QualifiedName
		if d.Element == "" {
			d.Element = e.Name
		}
	}
	b.diags = append(b.diags, d)
}

// errorf reports an error about e at its position.
func (b *builder) errorf(e *uml.Element, format string, args ...any) {
	b.report(uml.Error, e.Pos, e, format, args...)
}

// warnf reports a warning about e at its position.
func (b *builder) warnf(e *uml.Element, format string, args ...any) {
	b.report(uml.Warning, e.Pos, e, format, args...)
}

// tagErrorf reports an error about a tag of app on e, at the application
// when its position is known (that is where the value is written) and at
// the element otherwise.
func (b *builder) tagErrorf(e *uml.Element, app *uml.StereotypeApplication, format string, args ...any) {
	b.report(uml.Error, appPos(e, app), e, format, args...)
}

func (b *builder) tagWarnf(e *uml.Element, app *uml.StereotypeApplication, format string, args ...any) {
	b.report(uml.Warning, appPos(e, app), e, format, args...)
}

func appPos(e *uml.Element, app *uml.StereotypeApplication) uml.Pos {
	if app != nil && app.Pos.Line > 0 {
		return app.Pos
	}
	return e.Pos
}
