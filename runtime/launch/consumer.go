package launch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/runtime/oauth1"
)

// Request describes a launch a tool consumer sends: where to, which
// version, and the data it carries. Empty fields are not sent. In an
// LTI-2p0 launch, the tool consumer should send the personal and context
// fields that LTI 2 deprecates (titles, labels, names, e-mail, tool
// consumer info) only where the tool enabled them; Build sends what the
// Request holds.
type Request struct {
	// URL is the tool's launch URL (absolute http or https). Its query
	// parameters are part of the signature.
	URL string
	// Message is the data the launch carries. Its ResourceLink.ID is
	// required; Roles are sent normalised to full URNs (FormatRoles).
	Message
	// Custom are the custom parameters, named and substituted by Version
	// (see Custom).
	Custom []Custom
	// Extensions are sent as ext_<Key>; Key has no ext_ prefix.
	Extensions []Param
}

// Consumer builds signed launches. Its fields are read only; one Consumer
// may serve concurrent launches.
type Consumer struct {
	// Credentials are the OAuth consumer key and secret (in LTI 2, the tool
	// proxy GUID and shared secret).
	Credentials oauth1.Credentials
	// Resolver substitutes variables; nil leaves every variable
	// unresolved ("$Name"). FieldResolver and Chain help build one.
	Resolver Resolver
	// Sign holds the signing options. An empty Callback is sent as
	// about:blank, as tool consumers customarily do.
	Sign oauth1.SignOptions
	// MappedDuplicates, in LTI-2p0 launches, also sends each custom
	// parameter under its LTI 1 mapped name when that differs from its
	// name and is not otherwise taken (LTI2-FACTS §4.1 allows it).
	MappedDuplicates bool
	// MaxParams bounds the number of parameters of one launch before
	// signing; 0 means 1000.
	MaxParams int
}

// Form is a signed launch: the URL to POST to and every form parameter,
// oauth_* fields included, in order.
type Form struct {
	// Action is the URL the form is posted to.
	Action string
	// Params are the form fields.
	Params []Param
}

// Values returns the form fields as url.Values.
func (f *Form) Values() url.Values {
	v := make(url.Values, len(f.Params))
	for _, p := range f.Params {
		v.Add(p.Key, p.Value)
	}
	return v
}

// Build validates req, substitutes its custom parameters, and signs the
// resulting basic-lti-launch-request with oauth1.SignForm.
//
// Line breaks in values are normalised to CRLF before signing, because a
// browser submitting the form sends them so; a value holding a NUL
// character or invalid UTF-8, which a browser would alter, is refused.
func (c *Consumer) Build(ctx context.Context, req *Request) (*Form, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, errors.New("launch: nil request")
	}
	params, err := c.params(ctx, req)
	if err != nil {
		return nil, err
	}
	opts := c.Sign
	if opts.Callback == "" {
		opts.Callback = "about:blank"
	}
	signed, err := oauth1.SignForm(http.MethodPost, req.URL, params, c.Credentials, opts)
	if err != nil {
		return nil, fmt.Errorf("launch: signing: %w", err)
	}
	return &Form{Action: req.URL, Params: signed}, nil
}

// params returns the unsigned form parameters of req.
func (c *Consumer) params(ctx context.Context, req *Request) ([]Param, error) {
	u, err := url.Parse(req.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("launch: launch URL %q is not an absolute http or https URL", req.URL)
	}
	if u.Fragment != "" {
		return nil, errors.New("launch: launch URL has a fragment")
	}
	if req.Version != LTI1 && req.Version != LTI2 {
		return nil, fmt.Errorf("launch: unsupported lti_version %q (want %s or %s)", req.Version, LTI1, LTI2)
	}
	if req.ResourceLink.ID == "" {
		return nil, errors.New("launch: missing required parameter resource_link_id")
	}
	if n := len(req.Outcome.ServiceURL); n > maxOutcomeServiceURL {
		return nil, fmt.Errorf("launch: lis_outcome_service_url is %d characters long, more than %d", n, maxOutcomeServiceURL)
	}
	for _, r := range req.Roles {
		if strings.Contains(string(r), ",") {
			return nil, fmt.Errorf("launch: role %q contains a comma", r)
		}
	}

	var ps []Param
	add := func(k, v string) {
		if v != "" {
			ps = append(ps, Param{Key: k, Value: v})
		}
	}
	add(ParamMessageType, MessageType)
	add(ParamVersion, string(req.Version))
	add(ParamResourceLinkID, req.ResourceLink.ID)
	add(ParamResourceLinkTitle, req.ResourceLink.Title)
	add(ParamResourceLinkDescription, req.ResourceLink.Description)
	add(ParamUserID, req.User.ID)
	add(ParamUserImage, req.User.Image)
	add(ParamRoles, FormatRoles(req.Roles))
	add(ParamRoleScopeMentor, strings.Join(req.RoleScopeMentor, ","))
	add(ParamPersonNameGiven, req.User.GivenName)
	add(ParamPersonNameFamily, req.User.FamilyName)
	add(ParamPersonNameFull, req.User.FullName)
	add(ParamPersonEmailPrimary, req.User.Email)
	add(ParamPersonSourcedID, req.User.SourcedID)
	add(ParamContextID, req.Context.ID)
	add(ParamContextType, strings.Join(req.Context.Type, ","))
	add(ParamContextTitle, req.Context.Title)
	add(ParamContextLabel, req.Context.Label)
	add(ParamCourseOfferingSourcedID, req.Context.CourseOfferingSourcedID)
	add(ParamCourseSectionSourcedID, req.Context.CourseSectionSourcedID)
	add(ParamPresentationLocale, req.Presentation.Locale)
	add(ParamPresentationTarget, req.Presentation.DocumentTarget)
	add(ParamPresentationCSSURL, req.Presentation.CSSURL)
	if req.Presentation.Width > 0 {
		add(ParamPresentationWidth, strconv.Itoa(req.Presentation.Width))
	}
	if req.Presentation.Height > 0 {
		add(ParamPresentationHeight, strconv.Itoa(req.Presentation.Height))
	}
	add(ParamPresentationReturnURL, req.Presentation.ReturnURL)
	add(ParamOutcomeServiceURL, req.Outcome.ServiceURL)
	add(ParamResultSourcedID, req.Outcome.ResultSourcedID)
	add(ParamProductFamilyCode, req.ToolConsumer.ProductFamilyCode)
	add(ParamProductVersion, req.ToolConsumer.Version)
	add(ParamInstanceGUID, req.ToolConsumer.InstanceGUID)
	add(ParamInstanceName, req.ToolConsumer.InstanceName)
	add(ParamInstanceDescription, req.ToolConsumer.InstanceDescription)
	add(ParamInstanceURL, req.ToolConsumer.InstanceURL)
	add(ParamInstanceContactEmail, req.ToolConsumer.InstanceContactEmail)

	// Every name is sent once: the tool provider refuses a launch whose
	// form and URL query repeat a name.
	taken := make(map[string]string, len(ps)+len(req.Custom)+len(req.Extensions))
	for q, vs := range u.Query() {
		if len(vs) > 1 {
			return nil, fmt.Errorf("launch: the launch URL's query repeats %s", q)
		}
		taken[q] = "the launch URL's query"
	}
	claim := func(key, what string) error {
		if prev, ok := taken[key]; ok {
			return fmt.Errorf("launch: %s is sent as %s, which %s already uses", what, key, prev)
		}
		taken[key] = what
		return nil
	}
	for _, p := range ps {
		if err := claim(p.Key, "parameter "+p.Key); err != nil {
			return nil, err
		}
	}

	for _, cu := range req.Custom {
		if cu.Name == "" {
			return nil, errors.New("launch: custom parameter with an empty name")
		}
		name := cu.Name
		if req.Version == LTI1 {
			name = MapCustomName(name)
		}
		what := fmt.Sprintf("custom parameter %q", cu.Name)
		if err := claim(CustomPrefix+name, what); err != nil {
			return nil, err
		}
		ps = append(ps, Param{Key: CustomPrefix + name, Value: substitute(ctx, c.Resolver, req.Version, cu)})
	}
	if req.Version == LTI2 && c.MappedDuplicates {
		n := len(ps)
		for _, p := range ps[:n] {
			name, ok := strings.CutPrefix(p.Key, CustomPrefix)
			if !ok {
				continue
			}
			dup := CustomPrefix + MapCustomName(name)
			if _, used := taken[dup]; used {
				continue
			}
			taken[dup] = p.Key
			ps = append(ps, Param{Key: dup, Value: p.Value})
		}
	}
	for _, e := range req.Extensions {
		if e.Key == "" {
			return nil, errors.New("launch: extension parameter with an empty name")
		}
		if err := claim(ExtensionPrefix+e.Key, fmt.Sprintf("extension %q", e.Key)); err != nil {
			return nil, err
		}
		ps = append(ps, Param{Key: ExtensionPrefix + e.Key, Value: e.Value})
	}

	maxParams := c.MaxParams
	if maxParams <= 0 {
		maxParams = defaultMaxParams
	}
	if len(ps) > maxParams {
		return nil, fmt.Errorf("launch: %d parameters, more than the limit of %d", len(ps), maxParams)
	}
	for i := range ps {
		for _, s := range []string{ps[i].Key, ps[i].Value} {
			if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
				return nil, fmt.Errorf("launch: parameter %q holds a NUL character or invalid UTF-8", ps[i].Key)
			}
		}
		ps[i].Value = crlf(ps[i].Value)
	}
	return ps, nil
}

// crlf normalises every line break (CR, LF or CRLF) in s to CRLF.
func crlf(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\r':
			b.WriteString("\r\n")
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case '\n':
			b.WriteString("\r\n")
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// FieldResolver returns a Resolver for the variables whose values req
// itself holds (User.id, Person.name.full, Membership.role, Context.title,
// ResourceLink.id, Result.sourcedId, BasicOutcome.url, Message.locale and
// the like; the LTI 1 parameter each stands for is in LTI2-FACTS §4.6). An
// empty field is not resolved. It does not know which variables the tool
// enabled: a tool consumer that must withhold some should put its own
// Resolver in front, with Chain, or filter before it.
func FieldResolver(req *Request) Resolver {
	return ResolverFunc(func(_ context.Context, variable string) (string, bool) {
		var v string
		switch lti2.Variable(strings.TrimPrefix(variable, "$")) {
		case lti2.VariableUserID:
			v = req.User.ID
		case lti2.VariableUserImage:
			v = req.User.Image
		case lti2.VariableUserScopeMentor:
			v = strings.Join(req.RoleScopeMentor, ",")
		case lti2.VariablePersonSourcedID:
			v = req.User.SourcedID
		case lti2.VariablePersonNameFull:
			v = req.User.FullName
		case lti2.VariablePersonNameFamily:
			v = req.User.FamilyName
		case lti2.VariablePersonNameGiven:
			v = req.User.GivenName
		case lti2.VariablePersonEmailPrimary:
			v = req.User.Email
		case lti2.VariableMembershipRole:
			v = FormatRoles(req.Roles)
		case lti2.VariableContextID:
			v = req.Context.ID
		case lti2.VariableContextType:
			v = strings.Join(req.Context.Type, ",")
		case lti2.VariableContextTitle, lti2.VariableCourseSectionTitle:
			v = req.Context.Title
		case lti2.VariableContextLabel, lti2.VariableCourseSectionLabel:
			v = req.Context.Label
		case lti2.VariableCourseOfferingSourcedID:
			v = req.Context.CourseOfferingSourcedID
		case lti2.VariableCourseSectionSourcedID:
			v = req.Context.CourseSectionSourcedID
		case lti2.VariableResourceLinkID:
			v = req.ResourceLink.ID
		case lti2.VariableResourceLinkTitle:
			v = req.ResourceLink.Title
		case lti2.VariableResourceLinkDescription:
			v = req.ResourceLink.Description
		case lti2.VariableResultSourcedID, lti2.VariableBasicOutcomeSourcedID:
			v = req.Outcome.ResultSourcedID
		case lti2.VariableBasicOutcomeURL:
			v = req.Outcome.ServiceURL
		case lti2.VariableMessageLocale:
			v = req.Presentation.Locale
		}
		return v, v != ""
	})
}
