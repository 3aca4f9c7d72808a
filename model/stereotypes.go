package model

import (
	"slices"
	"strconv"
	"strings"

	"github.com/ltiforge/ltiforge/model/uml"
)

// isLTI reports whether a stereotype application belongs to the LTI
// profile.
func (b *builder) isLTI(app *uml.StereotypeApplication) bool {
	return b.schema.uris[app.Profile]
}

// lti returns the element's application of the named LTI stereotype, or
// nil.
func (b *builder) lti(e *uml.Element, name string) *uml.StereotypeApplication {
	for _, app := range e.Stereotypes {
		if app.Name == name && b.isLTI(app) {
			return app
		}
	}
	return nil
}

// tag returns a tag's value, trimmed; "" when absent.
func tag(app *uml.StereotypeApplication, name string) string {
	if app == nil {
		return ""
	}
	return strings.TrimSpace(app.Tags[name])
}

// tagList returns a multi-valued tag's values.
func tagList(app *uml.StereotypeApplication, name string) []string {
	return strings.Fields(tag(app, name))
}

// tagBool returns a Boolean tag's value, or def when absent or malformed
// (malformed values are reported by checkStereotypes).
func tagBool(app *uml.StereotypeApplication, name string, def bool) bool {
	switch tag(app, name) {
	case "true":
		return true
	case "false":
		return false
	}
	return def
}

// tagInt returns an Integer tag's value, or 0.
func tagInt(app *uml.StereotypeApplication, name string) int {
	n, _ := strconv.Atoi(tag(app, name))
	return n
}

// checkStereotypes checks every LTI stereotype application in the graph:
// that the stereotype exists, extends the element's metaclass, and has its
// required tags, each of the right kind.
func (b *builder) checkStereotypes() {
	for _, p := range b.g.Packages() {
		if isLTIProfile(p) {
			continue
		}
		b.checkElement(&p.Element, mcPackage)
		for _, c := range p.Classifiers {
			b.checkElement(&c.Element, metaclassOf(c))
			for _, a := range c.Attributes {
				b.checkElement(&a.Element, mcProperty)
			}
			for _, o := range c.Operations {
				b.checkElement(&o.Element, mcOperation)
				for _, prm := range o.Params {
					b.checkElement(&prm.Element, mcParameter)
				}
			}
			for _, l := range c.Literals {
				b.checkElement(&l.Element, mcLiteral)
			}
		}
		for _, a := range p.Associations {
			for _, end := range a.OwnedEnds {
				b.checkElement(&end.Element, mcProperty)
			}
		}
	}
}

func metaclassOf(c *uml.Classifier) string {
	switch c.Kind {
	case uml.KindInterface:
		return mcInterface
	case uml.KindDataType:
		return mcDataType
	case uml.KindPrimitive:
		return mcPrimitive
	case uml.KindEnumeration:
		return mcEnumeration
	case uml.KindStereotype:
		return "Stereotype"
	}
	return mcClass
}

func (b *builder) checkElement(e *uml.Element, metaclass string) {
	for _, app := range e.Stereotypes {
		if !b.isLTI(app) {
			continue
		}
		d := b.schema.stereos[app.Name]
		if d == nil {
			b.tagErrorf(e, app, "unknown stereotype «%s» of the LTI profile", app.Name)
			continue
		}
		if len(d.extends) > 0 && !slices.Contains(d.extends, metaclass) {
			b.tagErrorf(e, app, "stereotype «%s» applies to %s, not to a %s", app.Name, strings.Join(d.extends, " or "), metaclass)
		}
		b.checkTags(e, app, d)
	}
}

func (b *builder) checkTags(e *uml.Element, app *uml.StereotypeApplication, d *stereoDef) {
	for _, t := range d.tags {
		v, present := app.Tags[t.name]
		v = strings.TrimSpace(v)
		if !present || v == "" {
			if t.required {
				b.tagErrorf(e, app, "stereotype «%s» lacks its required tag %s", app.Name, t.name)
			}
			continue
		}
		switch t.kind {
		case kindString:
		case kindBoolean:
			if v != "true" && v != "false" {
				b.tagErrorf(e, app, "tag %s of «%s» is %q, but a Boolean tag is true or false", t.name, app.Name, v)
			}
		case kindInteger:
			if _, err := strconv.Atoi(v); err != nil {
				b.tagErrorf(e, app, "tag %s of «%s» is %q, but an Integer tag is a whole number", t.name, app.Name, v)
			}
		default:
			lits := b.schema.enums[t.kind]
			if !slices.Contains(lits, v) {
				b.tagErrorf(e, app, "tag %s of «%s» is %q, which is no literal of %s (%s)", t.name, app.Name, v, t.kind, strings.Join(lits, ", "))
			}
		}
	}
	var unknown []string
	for name := range app.Tags {
		if !slices.ContainsFunc(d.tags, func(t tagDef) bool { return t.name == name }) {
			unknown = append(unknown, name)
		}
	}
	slices.Sort(unknown)
	for _, name := range unknown {
		b.tagWarnf(e, app, "stereotype «%s» has no tag %s; its value is ignored", app.Name, name)
	}
}
