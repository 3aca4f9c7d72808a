package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ltiforge/ltiforge/generated/httpapi"
	"github.com/ltiforge/ltiforge/generated/jsonld"
	"github.com/ltiforge/ltiforge/generated/ld"
	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/generated/lti2rest"
	"github.com/ltiforge/ltiforge/runtime/launch"
	"github.com/ltiforge/ltiforge/runtime/oauth1"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// The registration messages (LTI2-FACTS §4.3, §4.4).
const (
	msgRegistration   = "ToolProxyRegistrationRequest"
	msgReregistration = "ToolProxyReregistrationRequest"
	// msgUpdate is the LTI 2.1-draft name of the re-registration
	// message (instructure/ims-lti main); accepted, never emitted.
	msgUpdate = "ToolProxyUpdateRequest"
)

// Parameters of the registration messages.
const (
	paramRegKey       = "reg_key"
	paramRegPassword  = "reg_password"
	paramProfileURL   = "tc_profile_url"
	maxErrorMsgLength = 400
)

// registrationTimeout bounds one registration or re-registration: the
// profile GET, the tool proxy POST and the store writes.
const registrationTimeout = 2 * time.Minute

// RegistrationHandler returns the handler of the registration messages,
// posted by the administrator's browser: ToolProxyRegistrationRequest
// (unsigned; any oauth_* fields are ignored) and
// ToolProxyReregistrationRequest (or its 2.1-draft name
// ToolProxyUpdateRequest; signed with the registration's GUID and current
// secret, and verified). Mount it where the tool's registration URL and its
// re-registration message handler's path point.
//
// The handler answers 303 to launch_presentation_return_url with
// status=success&tool_proxy_guid=… (and lti_msg naming what the consumer
// did not offer, when anything was dropped), or status=failure&lti_errormsg=….
// A message without a usable return URL is answered 400, a re-registration
// whose signature does not verify 401, each with a plain text page.
//
// Once the message is checked, the exchange with the consumer runs to its
// end even if the browser goes away (so that the consumer and the tool do
// not disagree on whether the tool is registered), bounded by two minutes.
func (p *Provider) RegistrationHandler() http.Handler {
	return http.HandlerFunc(p.serveRegistration)
}

// serveRegistration serves RegistrationHandler.
func (p *Provider) serveRegistration(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		plain(w, http.StatusMethodNotAllowed, "A registration message is a POST.")
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		plain(w, http.StatusUnsupportedMediaType, "A registration message is an application/x-www-form-urlencoded form.")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxFormBytes+1))
	if err != nil {
		plain(w, http.StatusBadRequest, "The registration message could not be read.")
		return
	}
	if len(body) > maxFormBytes {
		plain(w, http.StatusRequestEntityTooLarge, "The registration message is too large.")
		return
	}
	params, err := oauth1.ParseForm(string(body))
	if err != nil {
		plain(w, http.StatusBadRequest, "The registration message is not a valid form.")
		return
	}
	form, dup := firstValues(params)
	if dup[launch.ParamPresentationReturnURL] {
		plain(w, http.StatusBadRequest, "The registration message carries launch_presentation_return_url more than once.")
		return
	}
	returnURL := strings.TrimSpace(form[launch.ParamPresentationReturnURL])
	if returnURL == "" {
		plain(w, http.StatusBadRequest, "The registration message has no launch_presentation_return_url, so the tool cannot answer it.")
		return
	}
	if _, err := launch.ReturnURL(returnURL); err != nil {
		plain(w, http.StatusBadRequest, "The registration message's launch_presentation_return_url is not an absolute http or https URL.")
		return
	}
	msgType := strings.TrimSpace(form[launch.ParamMessageType])
	switch {
	case strings.EqualFold(msgType, msgRegistration):
		p.serveRegister(ctx, w, r, form, dup, returnURL)
	case strings.EqualFold(msgType, msgReregistration), strings.EqualFold(msgType, msgUpdate):
		p.serveReregister(ctx, w, r, body, returnURL)
	default:
		p.log.InfoContext(ctx, "lti2: refused a message that is no registration request", "lti_message_type", truncate(msgType, 64))
		p.redirect(w, r, returnURL, failf(nil, "The tool's registration URL received lti_message_type %q, not %s.", truncate(msgType, 64), msgRegistration))
	}
}

// serveRegister handles a ToolProxyRegistrationRequest.
func (p *Provider) serveRegister(ctx context.Context, w http.ResponseWriter, r *http.Request, form map[string]string, dup map[string]bool, returnURL string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), registrationTimeout)
	defer cancel()
	res, err := p.register(ctx, form, dup)
	if err != nil {
		p.logFailure(ctx, "registration", err)
		p.redirect(w, r, returnURL, err)
		return
	}
	p.log.InfoContext(ctx, "lti2: registered with a consumer", "tool_proxy_guid", res.guid, "profile", redactURL(form[paramProfileURL]), "split_secret", res.split, "dropped", res.dropped)
	p.succeed(w, r, returnURL, res)
}

// outcome is a registration or re-registration done.
type outcome struct {
	guid    string
	split   bool
	dropped []string
}

// register runs a registration: check the message, fetch the profile,
// negotiate, POST the proxy, store the registration.
func (p *Provider) register(ctx context.Context, form map[string]string, dup map[string]bool) (*outcome, error) {
	for _, k := range []string{launch.ParamVersion, paramRegKey, paramRegPassword, paramProfileURL} {
		if dup[k] {
			return nil, failf(nil, "The registration message carries %s more than once.", k)
		}
	}
	var missing []string
	for _, k := range []string{launch.ParamVersion, paramRegKey, paramRegPassword, paramProfileURL} {
		if strings.TrimSpace(form[k]) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, failf(nil, "The registration message lacks %s.", strings.Join(missing, ", "))
	}
	if v := strings.TrimSpace(form[launch.ParamVersion]); !strings.EqualFold(v, ltiVersion2) {
		return nil, failf(nil, "The registration message has lti_version %q; the tool registers with %s.", truncate(v, 32), ltiVersion2)
	}
	profileURL := strings.TrimSpace(form[paramProfileURL])
	neg, err := p.negotiateWith(ctx, profileURL)
	if err != nil {
		return nil, err
	}
	secret := randomHex(32)
	if neg.split {
		secret = randomHex(64)
	}
	proxy := withSecret(neg.proxy, secret, neg.split)
	// The model requires a tool_proxy_guid; the consumer's answer has the
	// one that counts. Propose the one the message offers (Sakai sends
	// it), else reg_key, which Canvas, Moodle and Sakai make the GUID.
	proxy.ToolProxyGUID = lti2.GUIDType(form[paramRegKey])
	if g := strings.TrimSpace(form["tool_proxy_guid"]); g != "" && !dup["tool_proxy_guid"] && validGUID(g) {
		proxy.ToolProxyGUID = lti2.GUIDType(g)
	}
	if err := validate(proxy); err != nil {
		return nil, failf(err, "The tool made an invalid tool proxy for this consumer.")
	}
	creds := oauth1.Credentials{Key: form[paramRegKey], Secret: form[paramRegPassword]}
	ans, status, err := p.postProxy(ctx, neg.collection, proxy, creds, "")
	if err != nil {
		return nil, postFailure(err)
	}
	if status != http.StatusCreated {
		return nil, failf(nil, "The consumer answered the tool proxy with status %d, not 201 Created.", status)
	}
	guid := string(ans.ToolProxyGUID)
	if !validGUID(guid) {
		return nil, failf(nil, "The consumer's answer to the tool proxy has no usable tool_proxy_guid.")
	}
	full, err := composeSecret(ans, secret, neg.split)
	if err != nil {
		return nil, err
	}
	doc, err := storable(neg.proxy, guid, ans.ID)
	if err != nil {
		return nil, failf(err, "The tool could not record the registration.")
	}
	profileJSON, err := neg.profile.Encode()
	if err != nil {
		return nil, failf(err, "The tool could not record the registration.")
	}
	err = p.store.CreateToolProxy(ctx, store.ToolProxy{
		GUID:     guid,
		Version:  ltiVersion2,
		Secret:   full,
		Status:   store.StatusActive,
		Document: doc,
		Name:     productName(neg.profile),
		Profile:  profileJSON,
	}, "")
	if errors.Is(err, store.ErrConflict) {
		// Never replace a registration on an unsigned request: whoever
		// serves a profile could otherwise take over a consumer's GUID.
		return nil, failf(err, "The tool already holds a registration with tool_proxy_guid %s; use re-registration to change it.", guid)
	}
	if err != nil {
		return nil, failf(err, "The tool could not record the registration.")
	}
	return &outcome{guid: guid, split: neg.split, dropped: neg.dropped}, nil
}

// serveReregister handles a ToolProxyReregistrationRequest: the message
// must verify with the registration's current secret.
func (p *Provider) serveReregister(ctx context.Context, w http.ResponseWriter, r *http.Request, body []byte, returnURL string) {
	res, err := p.verifier.Verify(ctx, r, body)
	if err != nil {
		if cause := oauth1.CauseOf(err); cause != "" {
			p.log.WarnContext(ctx, "lti2: refused a re-registration message", "cause", string(cause), "error", err.Error())
			plain(w, http.StatusUnauthorized, "The re-registration message's OAuth signature did not verify ("+string(cause)+").")
			return
		}
		p.log.ErrorContext(ctx, "lti2: verifying a re-registration message failed", "error", err.Error())
		plain(w, http.StatusInternalServerError, "The tool could not check the re-registration message.")
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), registrationTimeout)
	defer cancel()
	out, err := p.reregister(ctx, res)
	if err != nil {
		p.logFailure(ctx, "re-registration", err, "tool_proxy_guid", res.ConsumerKey)
		p.redirect(w, r, returnURL, err)
		return
	}
	p.log.InfoContext(ctx, "lti2: proposed a re-registration", "tool_proxy_guid", out.guid, "split_secret", out.split, "dropped", out.dropped)
	p.succeed(w, r, returnURL, out)
}

// reregister runs a re-registration whose message verified: fetch the
// profile, negotiate, POST the new proxy with the confirm URL, store the
// proposal.
func (p *Provider) reregister(ctx context.Context, res *oauth1.Result) (*outcome, error) {
	guid := res.ConsumerKey
	if v := strings.TrimSpace(res.Get(launch.ParamVersion)); !strings.EqualFold(v, ltiVersion2) && !strings.EqualFold(v, "LTI-2p1") {
		return nil, failf(nil, "The re-registration message has lti_version %q; the tool registers with %s.", truncate(v, 32), ltiVersion2)
	}
	profileURL := strings.TrimSpace(res.Get(paramProfileURL))
	if profileURL == "" {
		return nil, failf(nil, "The re-registration message lacks %s.", paramProfileURL)
	}
	current, err := p.store.ToolProxy(ctx, guid)
	if err != nil {
		return nil, failf(err, "The tool could not read the registration %s.", guid)
	}
	neg, err := p.negotiateWith(ctx, profileURL)
	if err != nil {
		return nil, err
	}
	secret := randomHex(32)
	if neg.split {
		secret = randomHex(64)
	}
	proxy := withSecret(neg.proxy, secret, neg.split)
	proxy.ToolProxyGUID = lti2.GUIDType(guid)
	if err := validate(proxy); err != nil {
		return nil, failf(err, "The tool made an invalid tool proxy for this consumer.")
	}
	confirmURL := p.confirmURL(guid, randomHex(32))
	ans, status, err := p.postProxy(ctx, neg.collection, proxy, oauth1.Credentials{Key: guid, Secret: current.Secret}, confirmURL)
	if err != nil {
		return nil, postFailure(err)
	}
	if status != http.StatusCreated && status != http.StatusOK {
		return nil, failf(nil, "The consumer answered the new tool proxy with status %d, not 201 Created.", status)
	}
	if g := string(ans.ToolProxyGUID); g != "" && g != guid {
		return nil, failf(nil, "The consumer's answer to the new tool proxy names another tool_proxy_guid.")
	}
	full, err := composeSecret(ans, secret, neg.split)
	if err != nil {
		return nil, err
	}
	doc, err := storable(neg.proxy, guid, ans.ID)
	if err != nil {
		return nil, failf(err, "The tool could not record the re-registration.")
	}
	if err := p.store.ProposeToolProxy(ctx, guid, store.Proposal{Document: doc, Secret: full, ConfirmURL: confirmURL}); err != nil {
		return nil, failf(err, "The tool could not record the re-registration.")
	}
	return &outcome{guid: guid, split: neg.split, dropped: neg.dropped}, nil
}

// negotiateWith fetches the consumer's profile and negotiates the tool
// proxy against it.
func (p *Provider) negotiateWith(ctx context.Context, profileURL string) (*negotiated, error) {
	tcp, err := p.fetchProfile(ctx, profileURL)
	if err != nil {
		return nil, err
	}
	neg, err := negotiate(&p.decl, tcp, profileURL, p.split)
	if err != nil {
		return nil, err
	}
	return neg, nil
}

// fetchProfile GETs the consumer's profile (LTI2-FACTS §3.3): unsigned,
// with Accept, lti_version=LTI-2p0 appended when the URL has none, the
// answer bounded by MaxProfileBytes. It uses the generic generated client
// rather than ToolConsumerProfileServiceClient so that a profile whose
// @context redefines a standard term can still be decoded, compacted with
// the standard contexts held offline.
func (p *Provider) fetchProfile(ctx context.Context, rawURL string) (*lti2.ToolConsumerProfile, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, failf(nil, "The registration message's tc_profile_url is not an absolute http or https URL.")
	}
	query := url.Values{}
	if !u.Query().Has("lti_version") {
		query.Set("lti_version", ltiVersion2)
	}
	client := httpapi.NewClient("", httpapi.ClientConfig{HTTPClient: p.hc, MaxResponseBytes: p.maxProfile})
	resp, err := client.Do(httpapi.WithURL(ctx, rawURL), &httpapi.Request{
		Operation: "getToolConsumerProfile",
		Method:    http.MethodGet,
		Query:     query,
		Accept:    []string{lti2.MediaTypeToolConsumerProfile},
	})
	if err != nil {
		return nil, failf(redactErr(err, rawURL), "The tool could not read the consumer's profile (%s).", describeHTTPError(err))
	}
	tcp, err := lti2.DecodeToolConsumerProfile(resp.Body, ld.WithLoader(offlineContexts))
	if err != nil {
		return nil, failf(err, "The consumer's profile is not a valid tool consumer profile.")
	}
	return tcp, nil
}

// postProxy POSTs a tool proxy to the consumer's ToolProxy.collection,
// signed with creds and a body hash, with VND-IMS-CONFIRM-URL when
// confirmURL is set. Redirects are not followed (a signature is for one
// URL). It returns the consumer's answer and the HTTP status it came with.
func (p *Provider) postProxy(ctx context.Context, endpoint string, proxy *lti2.ToolProxy, creds oauth1.Credentials, confirmURL string) (*lti2.ToolProxy, int, error) {
	rec := &statusRecorder{next: p.hc.Transport}
	if rec.next == nil {
		rec.next = http.DefaultTransport
	}
	hc := *p.hc
	hc.Transport = rec
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	client := lti2rest.NewToolProxyServiceClient("", httpapi.ClientConfig{
		HTTPClient:       &hc,
		Sign:             p.signer(creds),
		Endpoints:        map[string]string{OfferToolProxyCollection: endpoint},
		MaxResponseBytes: maxIDBytes,
	})
	ans, err := client.RegisterToolProxy(ctx, &lti2rest.RegisterToolProxyRequest{ConfirmURL: confirmURL, Body: proxy})
	if err != nil {
		return nil, rec.status, err
	}
	if t := ans.Type; len(t) > 0 && !strings.Contains(strings.Join(t, " "), "ToolProxy") {
		return nil, rec.status, fmt.Errorf("the answer's @type is %q, not ToolProxy", strings.Join(t, " "))
	}
	return ans, rec.status, nil
}

// validate checks a tool proxy against the model, its secret replaced so
// that no error can quote it.
func validate(proxy *lti2.ToolProxy) error {
	return withSecret(proxy, "placeholder", false).Validate()
}

// statusRecorder records the status of the last response through it, for
// a client that reports only success or failure.
type statusRecorder struct {
	next   http.RoundTripper
	status int
}

// RoundTrip sends r and records the response's status.
func (s *statusRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := s.next.RoundTrip(r)
	if err == nil {
		s.status = resp.StatusCode
	}
	return resp, err
}

// composeSecret returns the secret of a registration: the tool's own one,
// or with the split secret the consumer's half (from the answer) followed
// by the tool's (LTI2-FACTS §5.3).
func composeSecret(ans *lti2.ToolProxy, tpSecret string, split bool) (string, error) {
	if !split {
		return tpSecret, nil
	}
	raw, ok := ans.Extensions[keyTCHalf]
	if !ok {
		return "", failf(nil, "The consumer's answer has no %s, although the tool asked for a split secret.", keyTCHalf)
	}
	var half string
	if err := json.Unmarshal(raw, &half); err != nil || !validHalf(half) {
		return "", failf(nil, "The consumer's %s is not lower-case hexadecimal.", keyTCHalf)
	}
	return oauth1.SplitSecret(half, tpSecret), nil
}

// postFailure describes a failed tool proxy POST.
func postFailure(err error) *failure {
	var he *httpapi.Error
	if errors.As(err, &he) {
		msg := fmt.Sprintf("The consumer refused the tool proxy with status %d", he.Status)
		if he.Problem != nil && he.Problem.Detail != "" {
			msg += ": " + truncate(he.Problem.Detail, 200)
		}
		return failf(err, "%s.", msg)
	}
	return failf(err, "The tool could not register its tool proxy with the consumer (%s).", describeHTTPError(err))
}

// describeHTTPError says in a few words why a request failed, with no URL
// (which may carry a token) and nothing from the remote body but a
// problem's detail.
func describeHTTPError(err error) string {
	var he *httpapi.Error
	var ue *url.Error
	switch {
	case errors.As(err, &he):
		s := fmt.Sprintf("status %d", he.Status)
		if he.Problem != nil && he.Problem.Detail != "" {
			s += ": " + truncate(he.Problem.Detail, 200)
		}
		return s
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.As(err, &ue):
		if ue.Timeout() {
			return "timed out"
		}
		return "the connection failed"
	case strings.Contains(err.Error(), "larger than"):
		return "the answer is too large"
	case strings.Contains(err.Error(), "decoding the answer"):
		return "the answer is not a valid document"
	}
	return "the request failed"
}

// offlineContexts is the ld.Loader of the standard LTI contexts, held in
// generated/jsonld; any other context is refused, never fetched.
func offlineContexts(iri string) ([]byte, error) {
	if data, ok := jsonld.Context(iri); ok {
		return data, nil
	}
	return nil, fmt.Errorf("the JSON-LD context %s is not a standard LTI context, and is not fetched", iri)
}

// redactErr returns err for the log, with the query of rawURL (which may
// carry a one-time token) cut out of its text.
func redactErr(err error, rawURL string) error {
	u, perr := url.Parse(rawURL)
	if err == nil || perr != nil || u.RawQuery == "" || !strings.Contains(err.Error(), u.RawQuery) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), u.RawQuery, "…"))
}

// productName is the consumer's product name, for lists.
func productName(tcp *lti2.ToolConsumerProfile) string {
	if pi := tcp.ProductInstance; pi != nil && pi.ProductInfo != nil && pi.ProductInfo.ProductName != nil {
		return truncate(string(pi.ProductInfo.ProductName.DefaultValue), 128)
	}
	return ""
}

// confirmURL returns the confirm URL of a re-registration.
func (p *Provider) confirmURL(guid, token string) string {
	return p.baseURL + p.confirmPath + url.PathEscape(guid) + "/" + token
}

// succeed sends the administrator back with status=success.
func (p *Provider) succeed(w http.ResponseWriter, r *http.Request, returnURL string, o *outcome) {
	params := []launch.Param{{Key: "status", Value: "success"}, {Key: "tool_proxy_guid", Value: o.guid}}
	if len(o.dropped) > 0 {
		msg := "Registered. The consumer does not offer, so the tool goes without: " + strings.Join(o.dropped, "; ") + "."
		params = append(params, launch.Param{Key: "lti_msg", Value: truncate(msg, maxErrorMsgLength)})
	}
	p.sendBack(w, r, returnURL, params)
}

// redirect sends the administrator back with status=failure and the
// failure's message.
func (p *Provider) redirect(w http.ResponseWriter, r *http.Request, returnURL string, err error) {
	msg := "The registration failed."
	var f *failure
	if errors.As(err, &f) {
		msg = f.msg
	}
	p.sendBack(w, r, returnURL, []launch.Param{{Key: "status", Value: "failure"}, {Key: "lti_errormsg", Value: truncate(msg, maxErrorMsgLength)}})
}

// sendBack answers 303 to the return URL with params appended.
func (p *Provider) sendBack(w http.ResponseWriter, r *http.Request, returnURL string, params []launch.Param) {
	to, err := launch.ReturnURL(returnURL, params...)
	if err != nil {
		plain(w, http.StatusBadRequest, "The registration message's launch_presentation_return_url is not usable.")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// logFailure logs a failed registration.
func (p *Provider) logFailure(ctx context.Context, what string, err error, args ...any) {
	args = append(args, "error", err.Error())
	p.log.WarnContext(ctx, "lti2: "+what+" failed", args...)
}

// plain answers with a plain text message.
func plain(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, msg, status)
}

// firstValues returns the first value of each parameter, and which
// parameters were sent more than once.
func firstValues(params []oauth1.Param) (map[string]string, map[string]bool) {
	first := make(map[string]string, len(params))
	dup := make(map[string]bool)
	for _, q := range params {
		if _, ok := first[q.Key]; ok {
			dup[q.Key] = true
			continue
		}
		first[q.Key] = q.Value
	}
	return first, dup
}

// truncate shortens s to at most n bytes, on a rune boundary, marking the
// cut with "…".
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
