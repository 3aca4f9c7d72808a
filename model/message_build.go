package model

import (
	"slices"

	"github.com/ltiforge/ltiforge/model/naming"
	"github.com/ltiforge/ltiforge/model/uml"
)

// buildMessages reads every «Message» and «MessageReturn» class.
func (b *builder) buildMessages(cs []*uml.Classifier) {
	byType := map[string]*Message{}
	var returns []*uml.Classifier
	for _, c := range cs {
		switch b.roleOf(c) {
		case roleMessageReturn:
			returns = append(returns, c)
			continue
		case roleMessage:
		default:
			continue
		}
		e := &c.Element
		app := b.lti(e, StMessage)
		msg := &Message{Origin: originOf(e), Name: c.Name, GoName: b.goNames[c], MessageType: tag(app, "messageType"),
			Versions: tagList(app, "versions"), Signed: tagBool(app, "signed", true), Doc: c.Doc}
		if msg.Versions == nil {
			msg.Versions = []string{}
		}
		msg.Params = b.messageParams(c)
		if t := msg.MessageType; t != "" {
			if first := byType[t]; first != nil {
				b.tagErrorf(e, app, "message type %s is declared twice; first by %s at %s", t, first.Origin.QualifiedName, first.Origin.Pos())
			} else {
				byType[t] = msg
			}
		}
		b.messages[c] = msg
		b.m.Messages = append(b.m.Messages, msg)
	}
	for _, c := range returns {
		e := &c.Element
		app := b.lti(e, StMessageReturn)
		r := &MessageReturn{Origin: originOf(e), Name: c.Name, GoName: b.goNames[c], MessageType: tag(app, "messageType"), Doc: c.Doc}
		if r.MessageType != "" && byType[r.MessageType] == nil {
			b.tagErrorf(e, app, "message return %s is for message type %s, which no «Message» declares", c.Name, r.MessageType)
		}
		r.Params = b.messageParams(c)
		b.m.MessageReturns = append(b.m.MessageReturns, r)
	}
}

// messageParams returns a message class's form parameters: the generals'
// first (depth first), then its own; a parameter redefined by name takes
// the place of the first.
func (b *builder) messageParams(c *uml.Classifier) []*MessageParam {
	var attrs []*uml.Property
	seen := map[*uml.Classifier]bool{}
	var walk func(*uml.Classifier)
	walk = func(k *uml.Classifier) {
		if seen[k] {
			return
		}
		seen[k] = true
		for _, g := range k.Generals {
			walk(g)
		}
		for _, a := range k.Attributes {
			if i := slices.IndexFunc(attrs, func(x *uml.Property) bool { return x.Name == a.Name }); i >= 0 {
				attrs[i] = a
				continue
			}
			attrs = append(attrs, a)
		}
	}
	walk(c)
	names := naming.NewNamer()
	out := []*MessageParam{}
	for _, a := range attrs {
		e := &a.Element
		p := &MessageParam{Origin: originOf(e), Name: a.Name, GoName: names.Name(a.Name), Use: UseOptional,
			Cardinality: cardinalityOf(a.Multiplicity), Type: b.typeRef(e, &a.TypedElement), Doc: a.Doc}
		if app := b.lti(e, StParameter); app != nil {
			if u := tag(app, "use"); u != "" {
				p.Use = u
			}
			p.Variable = tag(app, "variable")
			if p.Variable != "" && len(b.m.Variables) > 0 &&
				!slices.ContainsFunc(b.m.Variables, func(v *Variable) bool { return v.Name == p.Variable }) {
				b.tagWarnf(e, app, "parameter %s names the variable %s, which no «Variable» literal declares", a.Name, p.Variable)
			}
		} else if a.Owner == c {
			b.warnf(e, "attribute %s of %s has no «Parameter» stereotype; it is read as an optional parameter", a.Name, c.Name)
		}
		out = append(out, p)
	}
	return out
}
