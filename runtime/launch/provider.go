package launch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/ltiforge/ltiforge/runtime/oauth1"
)

// Provider receives launches on the Tool Provider side. Its fields are
// read only; one Provider may serve concurrent requests.
type Provider struct {
	// Verifier checks the OAuth signature, timestamp and nonce. Verify
	// refuses to run without one.
	Verifier *oauth1.Verifier
	// Versions are the lti_version values accepted; nil means LTI1 and
	// LTI2.
	Versions []Version
	// Required names parameters this tool requires beyond the ones every
	// launch must carry (lti_message_type, lti_version, resource_link_id),
	// such as user_id or lis_outcome_service_url.
	Required []string
	// MaxBody bounds the request body in bytes; 0 means the Verifier's
	// MaxBody, or 256 KiB when that is 0 too.
	MaxBody int64
	// MaxParams bounds the number of parameters of a launch; 0 means 1000.
	MaxParams int
	// OnError answers a refused launch in Handler; nil means WriteError.
	OnError func(w http.ResponseWriter, r *http.Request, err error)
}

// Verify reads the form POST r, verifies its signature with p.Verifier
// and parses it (Parse). Errors are *Error. The body read is put back into
// r.Body, so a later handler can still read the form.
func (p *Provider) Verify(ctx context.Context, r *http.Request) (*Launch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if p.Verifier == nil {
		return nil, errors.New("launch: Provider has no Verifier")
	}
	if r.Method != http.MethodPost {
		return nil, &Error{Kind: KindRequest, Detail: fmt.Sprintf("a launch is a POST, not %s", truncate(r.Method)), status: http.StatusMethodNotAllowed}
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, &Error{Kind: KindRequest, Detail: "a launch has the content type application/x-www-form-urlencoded", status: http.StatusUnsupportedMediaType}
	}
	limit := p.MaxBody
	if limit <= 0 {
		limit = p.Verifier.MaxBody
	}
	if limit <= 0 {
		limit = defaultMaxBody
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, &Error{Kind: KindRequest, Detail: "reading the request body failed", Err: err}
	}
	if int64(len(body)) > limit {
		return nil, &Error{Kind: KindRequest, Detail: fmt.Sprintf("the request body is larger than %d bytes", limit), status: http.StatusRequestEntityTooLarge}
	}
	// Later handlers may read the form again (r.ParseForm).
	r.Body = io.NopCloser(bytes.NewReader(body))
	res, err := p.Verifier.Verify(ctx, r, body)
	if err != nil {
		return nil, verifyError(err)
	}
	l, err := p.Parse(res.Params)
	if err != nil {
		return nil, err
	}
	l.ConsumerKey = res.ConsumerKey
	return l, nil
}

// Parse parses the parameters of a launch whose signature is already
// verified, with the default settings of a zero Provider.
func Parse(params []Param) (*Launch, error) {
	var p Provider
	return p.Parse(params)
}

// Parse checks and parses the parameters of a launch whose signature is
// already verified. Every required parameter missing is named in one
// *Error of KindMissing; a repeated parameter name is refused. The errors
// carry launch_presentation_return_url when the launch has one, so the
// user can be sent back (Error.RedirectURL).
func (p *Provider) Parse(params []Param) (*Launch, error) {
	maxParams := p.MaxParams
	if maxParams <= 0 {
		maxParams = defaultMaxParams
	}
	returnURL, _ := lookup(params, ParamPresentationReturnURL)
	fail := func(k Kind, format string, args ...any) *Error {
		return &Error{Kind: k, Detail: fmt.Sprintf(format, args...), ReturnURL: returnURL}
	}
	if len(params) > maxParams {
		return nil, fail(KindInvalid, "%d parameters, more than the limit of %d", len(params), maxParams)
	}
	seen := make(map[string]bool, len(params))
	for _, q := range params {
		if seen[q.Key] {
			return nil, fail(KindInvalid, "parameter %s is sent more than once", q.Key)
		}
		seen[q.Key] = true
	}
	get := func(k string) string { v, _ := lookup(params, k); return v }

	var missing []string
	for _, k := range append([]string{ParamMessageType, ParamVersion, ParamResourceLinkID}, p.Required...) {
		if strings.TrimSpace(get(k)) == "" && !contains(missing, k) {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		e := fail(KindMissing, "missing required parameter(s): %s", strings.Join(missing, ", "))
		e.Missing = missing
		return nil, e
	}
	if mt := strings.TrimSpace(get(ParamMessageType)); !strings.EqualFold(mt, MessageType) {
		return nil, fail(KindMessageType, "lti_message_type is %q, not %s", truncate(mt), MessageType)
	}
	version, ok := p.version(get(ParamVersion))
	if !ok {
		return nil, fail(KindVersion, "lti_version %q is not accepted", truncate(get(ParamVersion)))
	}

	l := &Launch{
		ConsumerKey: get("oauth_consumer_key"),
		Message: Message{
			Version: version,
			ResourceLink: ResourceLink{
				ID:          get(ParamResourceLinkID),
				Title:       get(ParamResourceLinkTitle),
				Description: get(ParamResourceLinkDescription),
			},
			User: User{
				ID:         get(ParamUserID),
				Image:      get(ParamUserImage),
				SourcedID:  get(ParamPersonSourcedID),
				GivenName:  get(ParamPersonNameGiven),
				FamilyName: get(ParamPersonNameFamily),
				FullName:   get(ParamPersonNameFull),
				Email:      get(ParamPersonEmailPrimary),
			},
			Roles:           ParseRoles(get(ParamRoles)),
			RoleScopeMentor: splitList(get(ParamRoleScopeMentor)),
			Context: Context{
				ID:                      get(ParamContextID),
				Type:                    splitList(get(ParamContextType)),
				Title:                   get(ParamContextTitle),
				Label:                   get(ParamContextLabel),
				CourseOfferingSourcedID: get(ParamCourseOfferingSourcedID),
				CourseSectionSourcedID:  get(ParamCourseSectionSourcedID),
			},
			Presentation: Presentation{
				Locale:         get(ParamPresentationLocale),
				DocumentTarget: get(ParamPresentationTarget),
				CSSURL:         get(ParamPresentationCSSURL),
				Width:          pixels(get(ParamPresentationWidth)),
				Height:         pixels(get(ParamPresentationHeight)),
				ReturnURL:      returnURL,
			},
			Outcome: Outcome{
				ServiceURL:      get(ParamOutcomeServiceURL),
				ResultSourcedID: get(ParamResultSourcedID),
			},
			ToolConsumer: ToolConsumer{
				ProductFamilyCode:    get(ParamProductFamilyCode),
				Version:              get(ParamProductVersion),
				InstanceGUID:         get(ParamInstanceGUID),
				InstanceName:         get(ParamInstanceName),
				InstanceDescription:  get(ParamInstanceDescription),
				InstanceURL:          get(ParamInstanceURL),
				InstanceContactEmail: get(ParamInstanceContactEmail),
			},
		},
		Params: append([]Param(nil), params...),
	}
	for _, q := range params {
		if name, ok := strings.CutPrefix(q.Key, CustomPrefix); ok {
			l.Custom = append(l.Custom, Param{Key: name, Value: q.Value})
		} else if name, ok := strings.CutPrefix(q.Key, ExtensionPrefix); ok {
			l.Extensions = append(l.Extensions, Param{Key: name, Value: q.Value})
		}
	}
	return l, nil
}

// version returns the canonical spelling of an accepted lti_version.
func (p *Provider) version(s string) (Version, bool) {
	accepted := p.Versions
	if accepted == nil {
		accepted = []Version{LTI1, LTI2}
	}
	s = strings.TrimSpace(s)
	for _, v := range accepted {
		if strings.EqualFold(s, string(v)) {
			return v, true
		}
	}
	return "", false
}

// Handler verifies each request as a launch. A launch that passes goes to
// next, with the *Launch in the request's context (FromContext); a refused
// one is answered by p.OnError (WriteError when nil).
func (p *Provider) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l, err := p.Verify(r.Context(), r)
		if err != nil {
			onError := p.OnError
			if onError == nil {
				onError = WriteError
			}
			onError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(NewContext(r.Context(), l)))
	})
}

// WriteError answers a refused launch: when err is an *Error that may
// redirect (Error.RedirectURL), the user is sent back to the tool
// consumer with lti_errormsg and lti_log; otherwise the answer is a plain
// text error with the status of Error.HTTPStatus (an internal error's
// detail, meant for the log, is not shown).
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	var e *Error
	if !errors.As(err, &e) {
		http.Error(w, "launch: internal error", http.StatusInternalServerError)
		return
	}
	if to, ok := e.RedirectURL(); ok {
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	if e.Kind == KindRequest && r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
	}
	status := e.HTTPStatus()
	if status == http.StatusInternalServerError {
		// The detail of an internal error (a store's) is for the log only.
		http.Error(w, "launch: "+e.Kind.String(), status)
		return
	}
	http.Error(w, e.Error(), status)
}

type contextKey struct{}

// NewContext returns a copy of ctx that carries l.
func NewContext(ctx context.Context, l *Launch) context.Context {
	return context.WithValue(ctx, contextKey{}, l)
}

// FromContext returns the launch Handler put into ctx.
func FromContext(ctx context.Context) (*Launch, bool) {
	l, ok := ctx.Value(contextKey{}).(*Launch)
	return l, ok && l != nil
}

// splitList splits a comma list, trimming items and dropping blank ones.
func splitList(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// pixels parses a presentation width or height: a non-negative integer, or
// 0 when absent or malformed.
func pixels(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// truncate shortens an echoed value for an error message.
func truncate(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
