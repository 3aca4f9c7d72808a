package docs

import (
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"html/template"
	"slices"
	"strings"

	"github.com/ltiforge/ltiforge/model"
)

// link is a hyperlink; Href is relative to the page, or empty for text.
type link struct {
	Text string
	Href string
}

// origin is where an element comes from, for page footers.
type origin struct {
	QualifiedName string
	File          string
	Line          int
	ID            string
}

func originOf(o model.Origin) origin {
	return origin{QualifiedName: o.QualifiedName, File: o.File, Line: o.Line, ID: o.ID}
}

// to returns a link from page to a site path.
func to(page, text, target string) link {
	if target == "" {
		return link{Text: text}
	}
	return link{Text: text, Href: rel(page, target)}
}

// typeLink links a type from page.
func (s *site) typeLink(page string, t model.TypeRef) link {
	return to(page, typeName(t), s.x.typePage(t))
}

// --- vocabularies -----------------------------------------------------

type vocabularyView struct {
	Name, QualifiedName, Namespace, Prefix string
	Doc                                    template.HTML
	Classes, Enums, SimpleTypes            []link
	Origin                                 origin
}

// within reports whether qn is inside the package whose qualified name is
// pkg.
func within(qn, pkg string) bool { return strings.HasPrefix(qn, pkg+"::") }

// vocabularyOf returns the innermost vocabulary holding qn, or nil.
func (s *site) vocabularyOf(qn string) *model.Vocabulary {
	var best *model.Vocabulary
	for _, v := range s.m.Vocabularies {
		if within(qn, v.Origin.QualifiedName) && (best == nil || len(v.Origin.QualifiedName) > len(best.Origin.QualifiedName)) {
			best = v
		}
	}
	return best
}

func (s *site) buildVocabularies() error {
	for _, v := range s.m.Vocabularies {
		page := s.x.vocabPage[v]
		view := vocabularyView{Name: v.Name, QualifiedName: v.Origin.QualifiedName, Namespace: v.Namespace,
			Prefix: v.Prefix, Doc: s.markdown(v.Doc), Origin: originOf(v.Origin)}
		for _, c := range s.m.Classes {
			if s.vocabularyOf(c.Origin.QualifiedName) == v {
				view.Classes = append(view.Classes, to(page, c.Name, s.x.classPage[c]))
			}
		}
		for _, e := range s.m.Enums {
			if s.vocabularyOf(e.Origin.QualifiedName) == v {
				view.Enums = append(view.Enums, to(page, e.Name, s.x.enumPage[e]))
			}
		}
		for _, t := range s.m.SimpleTypes {
			if s.vocabularyOf(t.Origin.QualifiedName) == v {
				view.SimpleTypes = append(view.SimpleTypes, to(page, t.Name, s.x.simplePage[t]))
			}
		}
		s.entry(v.Name+" ("+v.Prefix+")", "vocabulary", page, v.Namespace)
		if err := s.render(page, "vocabulary", "Vocabulary "+v.Name, view); err != nil {
			return err
		}
	}
	return nil
}

// --- classes ----------------------------------------------------------

type propRow struct {
	ID        string
	Term      string
	Name      string
	IRI       string
	Type      link
	Card      string
	Coercion  string
	Container string
	Notes     []string
	Doc       template.HTML
	From      link // the class defining an inherited property
}

type usedRow struct {
	Class link
	Prop  link
	Card  string
}

type classView struct {
	Name, QualifiedName, Term, IRI, GoName string
	Stereotypes                            []string
	Vocabulary                             link
	Doc                                    template.HTML
	Supers, Subs                           []link
	Props                                  []propRow
	Inherited                              int
	UsedBy                                 []usedRow
	MediaTypes                             []link
	Diagram                                template.HTML
	Origin                                 origin
}

func (s *site) buildClasses() error {
	carriedBy := map[*model.Class][]*model.MediaType{}
	for _, mt := range s.m.MediaTypes {
		order, _ := s.x.carried(mt)
		for _, c := range order {
			carriedBy[c] = append(carriedBy[c], mt)
		}
	}
	for _, c := range s.m.Classes {
		page := s.x.classPage[c]
		view := classView{Name: c.Name, QualifiedName: c.Origin.QualifiedName, Term: c.Term, IRI: c.IRI,
			GoName: c.GoName, Doc: s.markdown(c.Doc), Origin: originOf(c.Origin)}
		if c.Abstract {
			view.Stereotypes = append(view.Stereotypes, "abstract")
		}
		if c.Addressable {
			st := "«Addressable»"
			if c.IDRequired {
				st += " (@id required)"
			}
			view.Stereotypes = append(view.Stereotypes, st)
		}
		if c.Embeddable {
			view.Stereotypes = append(view.Stereotypes, "«Embeddable»")
		}
		if v := s.vocabularyOf(c.Origin.QualifiedName); v != nil {
			view.Vocabulary = to(page, v.Name+" ("+v.Prefix+")", s.x.vocabPage[v])
		}
		for _, sc := range c.SuperClasses() {
			view.Supers = append(view.Supers, to(page, sc.Name, s.x.classPage[sc]))
		}
		for _, sc := range s.x.subs[c] {
			view.Subs = append(view.Subs, to(page, sc.Name, s.x.classPage[sc]))
		}
		ids := newIDs("diagram", "properties", "used-by")
		for _, p := range c.AllProperties() {
			row := s.propRow(page, p, ids)
			if p.Class != c.Origin.QualifiedName {
				if owner := s.x.classByQN[p.Class]; owner != nil {
					row.From = to(page, owner.Name, s.x.classPage[owner])
				} else {
					row.From = link{Text: p.Class}
				}
				view.Inherited++
			}
			view.Props = append(view.Props, row)
			s.entry(p.Term, "property of "+c.Name, page+"#"+row.ID, summary(p.Doc))
		}
		for _, p := range s.x.usedBy[c.Origin.QualifiedName] {
			owner := s.x.classByQN[p.Class]
			if owner == nil {
				continue
			}
			view.UsedBy = append(view.UsedBy, usedRow{Class: to(page, owner.Name, s.x.classPage[owner]),
				Prop: to(page, p.Term, s.x.classPage[owner]+"#"+anchor("prop", p.Term)), Card: p.Cardinality.String()})
		}
		for _, mt := range carriedBy[c] {
			view.MediaTypes = append(view.MediaTypes, to(page, mt.Name, s.x.mediaPage[mt]))
		}
		view.Diagram = template.HTML(s.x.classDiagram(c, page)) //nolint:gosec // built from escaped parts
		s.entry(c.Name, "class", page, summary(c.Doc))
		if err := s.render(page, "class", "Class "+c.Name, view); err != nil {
			return err
		}
	}
	return nil
}

func (s *site) propRow(page string, p *model.Property, ids *ids) propRow {
	row := propRow{ID: ids.claim("prop", p.Term), Term: p.Term, Name: p.Name, IRI: p.IRI, Type: s.typeLink(page, p.Type),
		Card: p.Cardinality.String(), Coercion: p.Coercion, Container: p.Container, Doc: s.markdown(p.Doc)}
	if p.Composite {
		row.Notes = append(row.Notes, "embedded")
	} else if reference(p) && p.Type.Kind == model.TypeClass {
		row.Notes = append(row.Notes, "reference by IRI")
	}
	if p.ReadOnly {
		row.Notes = append(row.Notes, "read-only")
	}
	if p.Default != "" {
		row.Notes = append(row.Notes, "default "+p.Default)
	}
	return row
}

// --- simple types and enumerations ----------------------------------

type simpleTypeView struct {
	Name, QualifiedName, Base, BaseIRI, IRI, CURIE, GoName, GoType, Pattern string
	MaxLength                                                               int
	Doc                                                                     template.HTML
	UsedBy                                                                  []usedRow
	Origin                                                                  origin
}

func (s *site) usedRows(page, qn string) []usedRow {
	var out []usedRow
	for _, p := range s.x.usedBy[qn] {
		owner := s.x.classByQN[p.Class]
		if owner == nil {
			continue
		}
		out = append(out, usedRow{Class: to(page, owner.Name, s.x.classPage[owner]),
			Prop: to(page, p.Term, s.x.classPage[owner]+"#"+anchor("prop", p.Term)), Card: p.Cardinality.String()})
	}
	return out
}

func (s *site) buildSimpleTypes() error {
	for _, t := range s.m.SimpleTypes {
		page := s.x.simplePage[t]
		view := simpleTypeView{Name: t.Name, QualifiedName: t.Origin.QualifiedName, Base: t.Base, BaseIRI: t.BaseIRI,
			IRI: t.IRI, CURIE: t.CURIE, GoName: t.GoName, GoType: t.GoType, Pattern: t.Pattern, MaxLength: t.MaxLength,
			Doc: s.markdown(t.Doc), UsedBy: s.usedRows(page, t.Origin.QualifiedName), Origin: originOf(t.Origin)}
		s.entry(t.Name, "simple type", page, summary(t.Doc))
		if err := s.render(page, "simpletype", "Simple type "+t.Name, view); err != nil {
			return err
		}
	}
	return nil
}

type memberRow struct {
	ID, Name, Term, IRI string
	Doc                 template.HTML
	See                 link
}

type enumView struct {
	Name, QualifiedName, IRI, GoName string
	Extensible                       bool
	Doc                              template.HTML
	Members                          []memberRow
	UsedBy                           []usedRow
	Origin                           origin
}

func (s *site) buildEnums() error {
	for _, e := range s.m.Enums {
		page := s.x.enumPage[e]
		view := enumView{Name: e.Name, QualifiedName: e.Origin.QualifiedName, IRI: e.IRI, GoName: e.GoName,
			Extensible: e.Extensible, Doc: s.markdown(e.Doc), UsedBy: s.usedRows(page, e.Origin.QualifiedName),
			Origin: originOf(e.Origin)}
		ids := newIDs()
		for _, mb := range e.Members {
			row := memberRow{ID: ids.claim("member", mb.Name), Name: mb.Name, Term: mb.Term, IRI: mb.IRI, Doc: s.markdown(mb.Doc)}
			key := [2]string{e.GoName, mb.GoName}
			switch {
			case s.x.capability[key] != nil:
				row.See = to(page, "capability", pageCapabilities+"#"+anchor("cap", mb.Name))
			case s.x.variable[key] != nil:
				row.See = to(page, "variable", pageCapabilities+"#"+anchor("var", mb.Name))
			case s.x.role[key] != nil:
				row.See = to(page, "role", pageRoles+"#"+anchor("role", mb.Name))
			}
			view.Members = append(view.Members, row)
		}
		s.entry(e.Name, "enumeration", page, summary(e.Doc))
		if err := s.render(page, "enum", "Enumeration "+e.Name, view); err != nil {
			return err
		}
	}
	return nil
}

// --- media types ------------------------------------------------------

type termRow struct {
	Name, IRI, Kind, Coercion, Container string
	Source                               link
}

type mediaTypeView struct {
	Name, Class, QualifiedName, Context, Form string
	Root                                      link
	Doc                                       template.HTML
	Include, RequireID                        []string
	ContextJSON                               string
	Example                                   string
	ExampleFile                               link
	Terms                                     []termRow
	Operations                                []link
	Diagram                                   template.HTML
	Origin                                    origin
}

// examplePath is the example document's file beside the media type's page.
func examplePath(page string) string { return strings.TrimSuffix(page, ".html") + ".example.json" }

func (s *site) buildExamples() error {
	for _, mt := range s.m.MediaTypes {
		data, err := s.x.example(mt)
		if err != nil {
			return fmt.Errorf("docs: the example of %s: %w", mt.Name, err)
		}
		if data != nil {
			s.examples[mt] = data
			s.add(examplePath(s.x.mediaPage[mt]), data)
		}
	}
	return nil
}

func (s *site) buildMediaTypes() error {
	for _, mt := range s.m.MediaTypes {
		page := s.x.mediaPage[mt]
		view := mediaTypeView{Name: mt.Name, Class: mt.Class, QualifiedName: mt.Origin.QualifiedName, Context: mt.Context,
			Form: mt.Form, Doc: s.markdown(mt.Doc), Include: mt.Include, RequireID: mt.RequireID, Origin: originOf(mt.Origin)}
		if root := mt.RootClass(); root != nil {
			view.Root = to(page, root.Name, s.x.classPage[root])
		} else {
			view.Root = link{Text: mt.Root}
		}
		if data, ok := s.contexts[mt.Context]; ok {
			view.ContextJSON = string(data)
		}
		if data, ok := s.examples[mt]; ok {
			view.Example = string(data)
			view.ExampleFile = to(page, "example document (JSON)", examplePath(page))
		}
		for _, t := range mt.Terms {
			row := termRow{Name: t.Name, IRI: t.IRI, Kind: t.Kind, Coercion: t.Coercion, Container: t.Container}
			row.Source = s.termSource(page, t)
			view.Terms = append(view.Terms, row)
		}
		for _, sv := range s.m.Services {
			for _, op := range sv.Operations {
				if slices.Contains(op.Request, mt.Name) || slices.Contains(op.Response, mt.Name) || op.Body == mt.Name || op.Result == mt.Name {
					view.Operations = append(view.Operations, to(page, op.Method+" "+op.Path+" ("+sv.Name+"."+op.Name+")",
						s.x.servicePage[sv]+"#"+anchor("op", op.Name)))
				}
			}
		}
		view.Diagram = template.HTML(s.x.mediaTypeDiagram(mt, page)) //nolint:gosec // built from escaped parts
		s.entry(mt.Name, "media type", page, summary(mt.Doc))
		if err := s.render(page, "mediatype", "Media type "+mt.Name, view); err != nil {
			return err
		}
	}
	return nil
}

// termSource links a context term to the class or property defining it.
func (s *site) termSource(page string, t *model.Term) link {
	if c := s.x.classByQN[t.Source]; c != nil {
		return to(page, c.Name, s.x.classPage[c])
	}
	if e := s.x.enumByQN[t.Source]; e != nil {
		return to(page, e.Name, s.x.enumPage[e])
	}
	if i := strings.LastIndex(t.Source, "::"); i >= 0 {
		if c := s.x.classByQN[t.Source[:i]]; c != nil {
			return to(page, c.Name+"."+t.Source[i+2:], s.x.classPage[c]+"#"+anchor("prop", t.Name))
		}
	}
	return link{Text: t.Source}
}

// --- services ---------------------------------------------------------

type paramRow struct {
	ID, Kind, Name, Header, Card, Values string
	Type                                 link
	Doc                                  template.HTML
}

type statusRow struct {
	Code    int
	Meaning string
}

type operationView struct {
	ID, Name, GoName, Method, Path, Offer, Pox string
	Doc                                        template.HTML
	Params                                     []paramRow
	Request, Response                          []link
	Status                                     []statusRow
	Security                                   []string
	ExampleRequest, ExampleResponse            string
}

type serviceView struct {
	Name, QualifiedName, GoName string
	Doc                         template.HTML
	MediaTypes                  []link
	Operations                  []operationView
	Origin                      origin
}

func (s *site) buildServices() error {
	for _, sv := range s.m.Services {
		page := s.x.servicePage[sv]
		view := serviceView{Name: sv.Name, QualifiedName: sv.Origin.QualifiedName, GoName: sv.GoName,
			Doc: s.markdown(sv.Doc), Origin: originOf(sv.Origin)}
		for _, name := range sv.MediaTypes {
			view.MediaTypes = append(view.MediaTypes, s.mediaLink(page, name))
		}
		ids := newIDs()
		for _, op := range sv.Operations {
			ov := operationView{ID: ids.claim("op", op.Name), Name: op.Name, GoName: op.GoName, Method: op.Method,
				Path: op.Path, Offer: op.Offer, Pox: op.Pox, Doc: s.markdown(op.Doc)}
			for _, g := range []struct {
				kind   string
				params []*model.Param
			}{{"path", op.PathParams}, {"query", op.QueryParams}, {"header", op.HeaderParams}} {
				for _, p := range g.params {
					ov.Params = append(ov.Params, paramRow{ID: ids.claim(ov.ID+"-"+g.kind, p.Name), Kind: g.kind, Name: p.Name,
						Header: p.Header, Card: p.Cardinality.String(), Values: strings.Join(p.Values, ", "),
						Type: s.typeLink(page, p.Type), Doc: s.markdown(p.Doc)})
				}
			}
			for _, name := range op.Request {
				ov.Request = append(ov.Request, s.mediaLink(page, name))
			}
			for _, name := range op.Response {
				ov.Response = append(ov.Response, s.mediaLink(page, name))
			}
			for _, st := range op.Status {
				ov.Status = append(ov.Status, statusRow{Code: st.Code, Meaning: st.Meaning})
			}
			ov.Security = s.security(op)
			ov.ExampleRequest, ov.ExampleResponse = s.exchange(op)
			view.Operations = append(view.Operations, ov)
			s.entry(op.Name, "operation of "+sv.Name, page+"#"+ov.ID, op.Method+" "+op.Path)
		}
		s.entry(sv.Name, "service", page, summary(sv.Doc))
		if err := s.render(page, "service", "Service "+sv.Name, view); err != nil {
			return err
		}
	}
	return nil
}

// mediaLink links a media type by name.
func (s *site) mediaLink(page, name string) link {
	if mt := s.x.mediaType(name); mt != nil {
		return to(page, mt.Name, s.x.mediaPage[mt])
	}
	return link{Text: name}
}

// hasBody reports whether an operation's request carries a body.
func hasBody(op *model.Operation) bool { return op.Body != "" || len(op.Request) > 0 }

// security says how a request of op is signed. The rules are LTI 2.0's:
// every service request is signed with OAuth 1.0a (HMAC-SHA1, two-legged,
// no token) in the Authorization header, with a body hash when it has a
// body; what differs is the credentials.
func (s *site) security(op *model.Operation) []string {
	creates := false
	for _, st := range op.Status {
		if st.Code == 201 {
			creates = true
		}
	}
	var out []string
	switch {
	case op.Offer == "" && op.Method == "GET":
		out = append(out, "Not signed: a tool reads this resource before it holds any credentials. The URL it was given may carry an access token of its own.")
		return out
	case creates:
		out = append(out, "Signed with the registration credentials from the registration message: oauth_consumer_key is reg_key and the secret is reg_password. A re-registration is signed with the tool proxy's current credentials instead (tool_proxy_guid and its shared secret).")
	case op.Offer == "":
		out = append(out, "Signed with the tool proxy's credentials: oauth_consumer_key is tool_proxy_guid, and the secret is the shared secret in force when the request is sent (for an LTI 1 tool, the consumer key and secret of its launches).")
	default:
		out = append(out, "Signed with the tool proxy's credentials: oauth_consumer_key is tool_proxy_guid and the secret is the shared secret from its security contract (with a split secret, the consumer's half followed by the tool's).")
	}
	out = append(out, "OAuth 1.0a, signature method HMAC-SHA1 (HMAC-SHA256 where both sides enabled it), two-legged with no token; the oauth_* parameters travel in the Authorization header, and the query parameters of the URL are signed too.")
	if hasBody(op) {
		out = append(out, "The body is signed through oauth_body_hash: the base64 SHA-1 digest of the body's bytes, added to the signed parameters.")
	}
	return out
}

// exchange returns an example request and response of op, using the
// media types' examples.
func (s *site) exchange(op *model.Operation) (string, string) {
	path := op.Path
	for _, p := range op.PathParams {
		path = strings.ReplaceAll(path, "{"+p.Name+"}", "example-"+kebab(p.Name))
	}
	var query []string
	for _, p := range op.QueryParams {
		v := "example"
		if len(p.Values) > 0 {
			v = p.Values[0]
		}
		if p.Cardinality.Required() || len(p.Values) > 0 {
			query = append(query, p.Name+"="+v)
		}
	}
	if len(query) > 0 {
		path += "?" + strings.Join(query, "&")
	}
	var req strings.Builder
	fmt.Fprintf(&req, "%s %s HTTP/1.1\nHost: lms.example.edu\n", op.Method, path)
	for _, h := range op.HeaderParams {
		if h.Header != "" {
			fmt.Fprintf(&req, "%s: %s/confirm/example\n", h.Header, exampleHost)
		}
	}
	var body []byte
	if hasBody(op) {
		name := op.Body
		if name == "" {
			name = op.Request[0]
		}
		if mt := s.x.mediaType(name); mt != nil {
			body = s.examples[mt]
		}
		fmt.Fprintf(&req, "Content-Type: %s\n", name)
	}
	if len(op.Response) > 0 {
		fmt.Fprintf(&req, "Accept: %s\n", strings.Join(op.Response, ", "))
	}
	signed := !(op.Offer == "" && op.Method == "GET")
	if signed {
		req.WriteString(`Authorization: OAuth oauth_consumer_key="example-key", oauth_nonce="c8350c0e47782d16d2fa48b2090c1d8f", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1456824600", oauth_version="1.0"`)
		if body != nil {
			sum := sha1.Sum(body)
			fmt.Fprintf(&req, `, oauth_body_hash="%s"`, percent(base64.StdEncoding.EncodeToString(sum[:])))
		}
		req.WriteString(`, oauth_signature="…"` + "\n")
	}
	if body != nil {
		req.WriteString("\n")
		req.Write(body)
	}
	var resp strings.Builder
	if len(op.Status) > 0 {
		st := op.Status[0]
		fmt.Fprintf(&resp, "HTTP/1.1 %d %s\n", st.Code, statusText(st.Code))
	}
	name := op.Result
	if name == "" && len(op.Response) > 0 {
		name = op.Response[0]
	}
	if mt := s.x.mediaType(name); mt != nil && s.examples[mt] != nil {
		fmt.Fprintf(&resp, "Content-Type: %s\n\n", mt.Name)
		resp.Write(s.examples[mt])
	}
	return req.String(), resp.String()
}

// percent encodes the characters of a base64 value that OAuth encodes.
func percent(s string) string {
	return strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D").Replace(s)
}

// statusText is the reason phrase of the codes LTI services answer.
func statusText(code int) string {
	switch code {
	case 200:
		return "OK"
	case 201:
		return "Created"
	case 204:
		return "No Content"
	case 301:
		return "Moved Permanently"
	case 303:
		return "See Other"
	case 307:
		return "Temporary Redirect"
	case 400:
		return "Bad Request"
	case 401:
		return "Unauthorized"
	case 404:
		return "Not Found"
	case 406:
		return "Not Acceptable"
	case 500:
		return "Internal Server Error"
	}
	return ""
}

// --- messages ---------------------------------------------------------

type messageParamRow struct {
	ID, Name, Use, Card string
	Type                link
	Variable            link
	LaunchParam         string
	Doc                 template.HTML
}

type messageView struct {
	Kind, Name, QualifiedName, GoName, MessageType string
	Versions                                       []string
	Signed                                         bool
	Doc                                            template.HTML
	Params                                         []messageParamRow
	Counts                                         map[string]int
	Related                                        []link
	Origin                                         origin
}

func (s *site) messageParams(page string, params []*model.MessageParam, counts map[string]int) []messageParamRow {
	ids := newIDs()
	var out []messageParamRow
	for _, p := range params {
		row := messageParamRow{ID: ids.claim("param", p.Name), Name: p.Name, Use: p.Use, Card: p.Cardinality.String(),
			Type: s.typeLink(page, p.Type), Doc: s.markdown(p.Doc)}
		if p.Variable != "" {
			row.Variable = to(page, "$"+p.Variable, pageCapabilities+"#"+anchor("var", p.Variable))
			if _, ok := s.x.variableByName[p.Variable]; !ok {
				row.Variable = link{Text: "$" + p.Variable}
			}
		}
		counts[p.Use]++
		out = append(out, row)
	}
	return out
}

func (s *site) buildMessages() error {
	for _, msg := range s.m.Messages {
		page := s.x.messagePage[msg]
		view := messageView{Kind: "Message", Name: msg.Name, QualifiedName: msg.Origin.QualifiedName, GoName: msg.GoName,
			MessageType: msg.MessageType, Versions: msg.Versions, Signed: msg.Signed, Doc: s.markdown(msg.Doc),
			Counts: map[string]int{}, Origin: originOf(msg.Origin)}
		view.Params = s.messageParams(page, msg.Params, view.Counts)
		for _, r := range s.m.MessageReturns {
			if r.MessageType == msg.MessageType {
				view.Related = append(view.Related, to(page, r.Name+" (return)", s.x.returnPage[r]))
			}
		}
		for _, row := range view.Params {
			s.entry(row.Name, "parameter of "+msg.Name, page+"#"+row.ID, row.Use)
		}
		s.entry(msg.Name, "message", page, summary(msg.Doc))
		if err := s.render(page, "message", "Message "+msg.Name, view); err != nil {
			return err
		}
	}
	for _, r := range s.m.MessageReturns {
		page := s.x.returnPage[r]
		view := messageView{Kind: "Message return", Name: r.Name, QualifiedName: r.Origin.QualifiedName, GoName: r.GoName,
			MessageType: r.MessageType, Doc: s.markdown(r.Doc), Counts: map[string]int{}, Origin: originOf(r.Origin)}
		view.Params = s.messageParams(page, r.Params, view.Counts)
		for _, msg := range s.m.Messages {
			if msg.MessageType == r.MessageType {
				view.Related = append(view.Related, to(page, msg.Name+" (message)", s.x.messagePage[msg]))
			}
		}
		for _, row := range view.Params {
			s.entry(row.Name, "parameter of "+r.Name, page+"#"+row.ID, row.Use)
		}
		s.entry(r.Name, "message return", page, summary(r.Doc))
		if err := s.render(page, "message", "Message return "+r.Name, view); err != nil {
			return err
		}
	}
	return nil
}

// --- capabilities, variables, roles, profile ---------------------------

type capabilityRow struct {
	ID, Name, Kind, IRI string
	Enum                link
	Doc                 template.HTML
}

type variableRow struct {
	ID, Name, LaunchParameter, Since string
	Source, Doc                      template.HTML
	Enum                             link
	Params                           []link
}

type capabilitiesView struct {
	Capabilities []capabilityRow
	Variables    []variableRow
}

// enumByGoName finds an enumeration by Go name.
func (s *site) enumByGoName(goName string) *model.Enum {
	for _, e := range s.m.Enums {
		if e.GoName == goName {
			return e
		}
	}
	return nil
}

func (s *site) enumLink(page, goName, member string) link {
	if e := s.enumByGoName(goName); e != nil {
		return to(page, e.Name, s.x.enumPage[e]+"#"+anchor("member", member))
	}
	return link{Text: goName}
}

func (s *site) buildCapabilities() error {
	page := pageCapabilities
	ids := newIDs()
	var view capabilitiesView
	for _, c := range s.m.Capabilities {
		row := capabilityRow{ID: ids.claim("cap", c.Name), Name: c.Name, Kind: c.Kind, IRI: c.IRI,
			Enum: s.enumLink(page, c.Enum, c.Name), Doc: s.markdown(c.Doc)}
		view.Capabilities = append(view.Capabilities, row)
		s.entry(c.Name, "capability", page+"#"+row.ID, summary(c.Doc))
	}
	for _, v := range s.m.Variables {
		row := variableRow{ID: ids.claim("var", v.Name), Name: v.Name, LaunchParameter: v.LaunchParameter, Since: v.Since,
			Source: s.markdown(v.Source), Doc: s.markdown(v.Doc), Enum: s.enumLink(page, v.Enum, v.Name)}
		for _, p := range s.x.paramsByVariable[v.Name] {
			row.Params = append(row.Params, to(page, p.title+"."+p.param.Name, p.page+"#"+anchor("param", p.param.Name)))
		}
		view.Variables = append(view.Variables, row)
		s.entry(v.Name, "variable", page+"#"+row.ID, v.LaunchParameter)
	}
	return s.render(page, "capabilities", "Capabilities and variables", view)
}

type roleRow struct {
	ID, Name, URN, Short string
	Enum                 link
	Doc                  template.HTML
}

type roleGroup struct {
	Kind  string
	Roles []roleRow
}

func (s *site) buildRoles() error {
	page := pageRoles
	ids := newIDs()
	var groups []roleGroup
	at := map[string]int{}
	for _, r := range s.m.Roles {
		i, ok := at[r.Kind]
		if !ok {
			groups = append(groups, roleGroup{Kind: r.Kind})
			i = len(groups) - 1
			at[r.Kind] = i
		}
		row := roleRow{ID: ids.claim("role", r.Name), Name: r.Name, URN: r.URN, Short: r.Short,
			Enum: s.enumLink(page, r.Enum, r.Name), Doc: s.markdown(r.Doc)}
		groups[i].Roles = append(groups[i].Roles, row)
		s.entry(r.Name, r.Kind+" role", page+"#"+row.ID, r.URN)
	}
	return s.render(page, "roles", "Roles", groups)
}

type profileView struct {
	Body template.HTML
}

func (s *site) buildProfile() error {
	s.entry("LTI UML profile", "page", pageProfile, "The stereotypes and tags a model applies")
	return s.render(pageProfile, "profile", "The LTI UML profile", profileView{Body: s.markdown(string(s.profile))})
}

// --- index ------------------------------------------------------------

type indexRow struct {
	Link   link
	Detail string
	Extra  link
	Doc    string
}

type versionRow struct {
	Version, LTIVersion, Adds string
	Variables                 int
}

type indexView struct {
	MediaTypes, Services, Messages, Vocabularies, Classes, Types []indexRow
	Capabilities, Variables, Roles                               int
	Versions                                                     []versionRow
}

func (s *site) buildIndex() error {
	page := pageIndex
	var v indexView
	for _, mt := range s.m.MediaTypes {
		row := indexRow{Link: to(page, mt.Name, s.x.mediaPage[mt]), Detail: mt.Form, Doc: summary(mt.Doc)}
		if root := mt.RootClass(); root != nil {
			row.Extra = to(page, root.Name, s.x.classPage[root])
		}
		v.MediaTypes = append(v.MediaTypes, row)
	}
	for _, sv := range s.m.Services {
		v.Services = append(v.Services, indexRow{Link: to(page, sv.Name, s.x.servicePage[sv]),
			Detail: fmt.Sprintf("%d operations", len(sv.Operations)), Doc: summary(sv.Doc)})
	}
	for _, msg := range s.m.Messages {
		v.Messages = append(v.Messages, indexRow{Link: to(page, msg.Name, s.x.messagePage[msg]),
			Detail: "message, " + strings.Join(msg.Versions, " "), Doc: summary(msg.Doc)})
	}
	for _, r := range s.m.MessageReturns {
		v.Messages = append(v.Messages, indexRow{Link: to(page, r.Name, s.x.returnPage[r]),
			Detail: "return of " + r.MessageType, Doc: summary(r.Doc)})
	}
	for _, voc := range s.m.Vocabularies {
		v.Vocabularies = append(v.Vocabularies, indexRow{Link: to(page, voc.Name, s.x.vocabPage[voc]),
			Detail: voc.Prefix, Doc: voc.Namespace})
	}
	for _, c := range s.m.Classes {
		v.Classes = append(v.Classes, indexRow{Link: to(page, c.Name, s.x.classPage[c]), Detail: c.Origin.QualifiedName, Doc: summary(c.Doc)})
	}
	for _, t := range s.m.SimpleTypes {
		v.Types = append(v.Types, indexRow{Link: to(page, t.Name, s.x.simplePage[t]), Detail: "simple type, " + t.Base, Doc: summary(t.Doc)})
	}
	for _, e := range s.m.Enums {
		v.Types = append(v.Types, indexRow{Link: to(page, e.Name, s.x.enumPage[e]),
			Detail: fmt.Sprintf("enumeration, %d members", len(e.Members)), Doc: summary(e.Doc)})
	}
	v.Capabilities, v.Variables, v.Roles = len(s.m.Capabilities), len(s.m.Variables), len(s.m.Roles)
	v.Versions = s.versions()
	return s.render(page, "index", "LTI 2.0 reference", v)
}

// versions is the LTI version comparison, with the number of the model's
// substitution variables each version introduced.
func (s *site) versions() []versionRow {
	rows := []versionRow{
		{Version: "1.0", LTIVersion: "LTI-1p0", Adds: "The basic launch: the consumer sends the browser to the tool with a form POST signed with OAuth 1.0a (HMAC-SHA1, consumer key and secret configured by hand), carrying who the user is, their roles, the course and the link, and custom parameters."},
		{Version: "1.1", LTIVersion: "LTI-1p0", Adds: "Outcomes: the launch may carry lis_outcome_service_url and lis_result_sourcedid, and the tool writes, reads or deletes one score per user and link through the Basic Outcomes XML (POX) service, signed with a body hash."},
		{Version: "1.2", LTIVersion: "LTI-1p0", Adds: "Tidies the launch: which parameters are required, recommended or optional, more person and course parameters (such as lis_person_sourcedid), and the launch locale; adds messages beyond the basic launch."},
		{Version: "2.0", LTIVersion: "LTI-2p0", Adds: "Registration instead of hand configuration: the tool reads the consumer's Tool Consumer Profile, answers with a Tool Proxy stating the capabilities it enables, and receives its own key and shared secret. Parameters are asked for through substitution variables; JSON-LD REST services (tool settings, results, memberships) are signed with a body hash."},
	}
	for i := range rows {
		for _, v := range s.m.Variables {
			if v.Since == rows[i].Version {
				rows[i].Variables++
			}
		}
	}
	return rows
}

// summary is the first sentence (or line) of a description, as plain
// text, for lists and the search index.
func summary(doc string) string {
	doc = strings.TrimSpace(doc)
	if i := strings.Index(doc, "\n\n"); i >= 0 {
		doc = doc[:i]
	}
	doc = strings.Join(strings.Fields(doc), " ")
	if i := strings.Index(doc, ". "); i >= 0 {
		doc = doc[:i+1]
	}
	doc = strings.NewReplacer("`", "", "**", "", "\\", "").Replace(doc)
	return clip(doc, 160)
}
