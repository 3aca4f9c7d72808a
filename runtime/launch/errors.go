package launch

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/ltiforge/ltiforge/runtime/oauth1"
)

// Kind classifies a launch error.
type Kind int

// The kinds of launch error.
const (
	// KindRequest: the HTTP request is not a launch at all (wrong method,
	// content type, a body too large or unreadable).
	KindRequest Kind = iota + 1
	// KindVerify: the OAuth verification failed.
	KindVerify
	// KindMessageType: lti_message_type is not basic-lti-launch-request.
	KindMessageType
	// KindVersion: lti_version is not one the provider accepts.
	KindVersion
	// KindMissing: required parameters are missing (Error.Missing).
	KindMissing
	// KindInvalid: a parameter is present but unusable (repeated, too
	// many parameters).
	KindInvalid
	// KindInternal: the launch could not be checked (a secret or nonce
	// store failed, the context ended); not the sender's fault.
	KindInternal
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case KindRequest:
		return "bad request"
	case KindVerify:
		return "verification failed"
	case KindMessageType:
		return "wrong message type"
	case KindVersion:
		return "unsupported version"
	case KindMissing:
		return "missing parameters"
	case KindInvalid:
		return "invalid parameter"
	case KindInternal:
		return "internal error"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Error is why a launch was refused. Its message never holds a secret or
// an OAuth signature base string.
type Error struct {
	// Kind classifies the error.
	Kind Kind
	// Missing names the missing required parameters (KindMissing).
	Missing []string
	// Detail says what is wrong, for the log.
	Detail string
	// ReturnURL is launch_presentation_return_url of a launch whose
	// signature was verified, "" otherwise: only then may the user be
	// sent there (RedirectURL).
	ReturnURL string
	// Err is the underlying error (an *oauth1.Error for KindVerify).
	Err error
	// status is the HTTP status that answers the error, 0 for the Kind's.
	status int
}

// HTTPStatus is the status that answers the error when the user is not
// redirected: 401 for KindVerify, 500 for KindInternal, 405, 413 or 415
// for some request problems, 400 otherwise.
func (e *Error) HTTPStatus() int {
	switch {
	case e.status != 0:
		return e.status
	case e.Kind == KindVerify:
		return http.StatusUnauthorized
	case e.Kind == KindInternal:
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

// Error returns "launch: " followed by the detail.
func (e *Error) Error() string {
	return "launch: " + e.Detail
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// UserMessage is a short message for the user, such as lti_errormsg
// carries: it says what failed without the technical detail.
func (e *Error) UserMessage() string {
	switch e.Kind {
	case KindMissing:
		return "The tool could not start: the launch lacks " + strings.Join(e.Missing, ", ") + "."
	case KindVerify:
		return "The tool could not start: the launch could not be verified."
	case KindInternal:
		return "The tool could not start: please try again later."
	}
	return "The tool could not start: the launch was not valid."
}

// RedirectURL returns where to send the user back after the error: the
// verified launch's return URL with lti_errormsg (UserMessage) and lti_log
// (the detail) appended. It returns false when the launch had no usable
// return URL, or its signature was not verified (redirecting to an
// unverified URL would make the tool an open redirector).
func (e *Error) RedirectURL() (string, bool) {
	if e.ReturnURL == "" {
		return "", false
	}
	u, err := ReturnURL(e.ReturnURL, Param{Key: "lti_errormsg", Value: e.UserMessage()}, Param{Key: "lti_log", Value: e.Error()})
	if err != nil {
		return "", false
	}
	return u, true
}

// maxReturnURL bounds the return URL accepted for redirects.
const maxReturnURL = 4096

// ReturnURL appends messages (lti_msg, lti_log, lti_errormsg,
// lti_errorlog, or for registration status and tool_proxy_guid) to a
// launch_presentation_return_url: after "?" when the URL has no query,
// after "&" when it has one, before any fragment, each name and value
// query-escaped. The URL must be an absolute http or https URL.
func ReturnURL(base string, params ...Param) (string, error) {
	if len(base) > maxReturnURL {
		return "", errors.New("launch: return URL too long")
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("launch: return URL does not parse: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", errors.New("launch: return URL is not an absolute http or https URL")
	}
	head, frag, hasFrag := strings.Cut(base, "#")
	var b strings.Builder
	b.WriteString(head)
	sep := "?"
	switch {
	case strings.HasSuffix(head, "?") || strings.HasSuffix(head, "&"):
		sep = ""
	case strings.Contains(head, "?"):
		sep = "&"
	}
	for _, p := range params {
		b.WriteString(sep)
		b.WriteString(url.QueryEscape(p.Key))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(p.Value))
		sep = "&"
	}
	if hasFrag {
		b.WriteByte('#')
		b.WriteString(frag)
	}
	return b.String(), nil
}

// verifyError wraps the error of oauth1.Verifier.Verify. A failed check
// (*oauth1.Error) becomes KindVerify, with the cause and the oauth1 detail
// in the message, never the base string the oauth1 error also holds; any
// other error (a failing secret or nonce store, a cancelled context)
// becomes KindInternal.
func verifyError(err error) *Error {
	var oe *oauth1.Error
	if errors.As(err, &oe) {
		detail := "OAuth verification failed: " + string(oe.Cause)
		if oe.Detail != "" {
			detail += ": " + oe.Detail
		}
		return &Error{Kind: KindVerify, Detail: detail, Err: err}
	}
	return &Error{Kind: KindInternal, Detail: "OAuth verification could not be completed: " + err.Error(), Err: err}
}
