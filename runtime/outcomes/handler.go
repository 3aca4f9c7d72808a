package outcomes

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/ltiforge/ltiforge/runtime/oauth1"
)

// DefaultMaxBody is the default bound, in bytes, of a request body the
// Handler reads and of a reply body the Client reads.
const DefaultMaxBody = 64 << 10

// SourcedIDHook decides whether the consumer that signed a request (its
// OAuth consumer key) may use a sourcedId, typically by checking that the
// sourcedId was issued in one of that consumer's launches. A nil error
// accepts; ErrUnknownSourcedID (wrapped or not) is reported to the caller
// as "unknown sourcedId", any other error as "sourcedId not accepted" (its
// text is logged, not sent).
type SourcedIDHook func(ctx context.Context, consumerKey, sourcedID string) error

// Handler is the Tool Consumer's LTI 1.1 Basic Outcomes endpoint
// (lis_outcome_service_url). See the package documentation for the
// replies. Its fields must not change while it serves.
type Handler struct {
	// Verifier checks the OAuth signature and the body hash (required).
	Verifier *oauth1.Verifier
	// Store keeps the results (required).
	Store Store
	// SourcedID vets the sourcedId of every known operation. Nil accepts
	// every sourcedId from every authenticated consumer, which is only
	// right when the consumer keys share one set of results.
	SourcedID SourcedIDHook
	// MaxBody bounds the request body in bytes; 0 means DefaultMaxBody.
	// Values above MaxDocumentSize are lowered to it.
	MaxBody int64
	// DefaultLanguage is the language stored for a replaceResult without
	// one, and sent with an empty readResult; "" means DefaultLanguage.
	DefaultLanguage string
	// NewMessageID gives the imsx_messageIdentifier of each reply; nil
	// means 32 random hexadecimal digits.
	NewMessageID func() string
	// Logger receives failures (OAuth causes, store and hook errors); nil
	// means no logging. Secrets are never logged.
	Logger *slog.Logger
	// SignedURL, when set, gives the URL the client signed, for a handler
	// that knows its public URL (mounted under a path prefix, or behind a
	// proxy): requests are verified with Verifier.VerifyAt. Nil rebuilds
	// the URL from the request (Verifier.Verify).
	SignedURL func(r *http.Request) string
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.reply(w, http.StatusMethodNotAllowed, &response{Status: failure("", "", "outcomes service accepts POST only")})
		return
	}
	if h.Verifier == nil || h.Store == nil {
		h.log(r.Context(), slog.LevelError, "outcomes handler is missing its Verifier or Store")
		h.reply(w, http.StatusInternalServerError, &response{Status: failure("", "", "outcomes service is not configured")})
		return
	}

	limit := h.maxBody()
	var body []byte
	err := errTooLarge // a declared Content-Length over the bound
	if r.ContentLength <= limit {
		body, err = readBounded(r.Body, limit)
	}
	if err != nil {
		if errors.Is(err, errTooLarge) {
			h.reply(w, http.StatusRequestEntityTooLarge, &response{Status: failure("", "",
				fmt.Sprintf("request body is larger than %d bytes", limit))})
			return
		}
		h.reply(w, http.StatusBadRequest, &response{Status: failure("", "", "could not read the request body")})
		return
	}

	var res *oauth1.Result
	if h.SignedURL != nil {
		res, err = h.Verifier.VerifyAt(r.Context(), r, body, h.SignedURL(r))
	} else {
		res, err = h.Verifier.Verify(r.Context(), r, body)
	}
	if err == nil && res.Get("oauth_body_hash") == "" {
		// LTI 1.1 outcomes are always body-hashed (LTI2-FACTS §4.7); the
		// Verifier lets a form body or an empty body go without one.
		err = &oauth1.Error{Cause: oauth1.CauseMissingParameter, Detail: "oauth_body_hash (required on outcomes requests)"}
	}
	if err != nil {
		h.refuseOAuth(w, r, body, err)
		return
	}
	consumer := res.ConsumerKey

	req, err := ParsePOX(body)
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			h.reply(w, http.StatusOK, &response{Status: failure(pe.MessageID, pe.Operation, pe.Error())})
			return
		}
		h.reply(w, http.StatusOK, &response{Status: failure("", "", err.Error())})
		return
	}
	h.reply(w, http.StatusOK, h.serve(r.Context(), consumer, req))
}

// refuseOAuth answers a request that failed OAuth verification: 401 with
// a failure envelope naming the cause (the *oauth1.Error text, which holds
// no secret and no base string; the base string goes to the log at debug
// level). An error that is not a verdict (a failing secret or nonce store)
// is answered 500. The message identifier of the body is echoed when it
// parses, to help the client match the reply.
func (h *Handler) refuseOAuth(w http.ResponseWriter, r *http.Request, body []byte, err error) {
	var oe *oauth1.Error
	status, desc := http.StatusUnauthorized, "OAuth verification failed"
	if errors.As(err, &oe) {
		desc += ": " + oe.Error()
		if h.Logger != nil {
			h.Logger.LogAttrs(r.Context(), slog.LevelWarn, "outcomes: OAuth verification failed",
				slog.String("cause", string(oe.Cause)), slog.String("detail", oe.Detail))
			h.Logger.LogAttrs(r.Context(), slog.LevelDebug, "outcomes: OAuth base string",
				slog.String("base_string", oe.BaseString))
		}
	} else {
		// Not a verdict on the request; its text stays in the log.
		status, desc = http.StatusInternalServerError, "OAuth verification could not be completed"
		h.log(r.Context(), slog.LevelError, "outcomes: OAuth verification error", slog.String("error", err.Error()))
	}
	var msgID, op string
	if req, perr := ParsePOX(body); perr == nil {
		msgID, op = req.MessageID, req.Operation
	} else if pe := (*ParseError)(nil); errors.As(perr, &pe) {
		msgID, op = pe.MessageID, pe.Operation
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `OAuth realm=""`)
	}
	h.reply(w, status, &response{Status: failure(msgID, op, desc)})
}

// serve runs one authenticated, well-formed request.
func (h *Handler) serve(ctx context.Context, consumer string, req *Request) *response {
	if !req.Known() {
		return &response{Status: statusInfo{
			CodeMajor:    CodeUnsupported,
			Severity:     SeverityStatus,
			Description:  fmt.Sprintf("operation %s is not supported", req.Operation),
			MessageRef:   req.MessageID,
			OperationRef: req.Operation,
		}}
	}
	fail := func(desc string) *response {
		return &response{Status: failure(req.MessageID, req.Operation, desc)}
	}

	if h.SourcedID != nil {
		if err := h.SourcedID(ctx, consumer, req.SourcedID); err != nil {
			if errors.Is(err, ErrUnknownSourcedID) {
				return fail("unknown sourcedId")
			}
			h.log(ctx, slog.LevelWarn, "outcomes: sourcedId not accepted",
				slog.String("consumer_key", consumer), slog.String("error", err.Error()))
			return fail("sourcedId not accepted")
		}
	}

	switch req.Operation {
	case OpReplaceResult:
		score, err := ParseScore(req.ScoreText)
		if err != nil {
			return fail("invalid score: " + err.Error())
		}
		lang := req.Language
		if lang == "" {
			lang = h.defaultLanguage()
		} else if err := CheckLanguage(lang); err != nil {
			return fail("invalid score: " + err.Error())
		}
		if err := h.Store.Replace(ctx, req.SourcedID, score, lang); err != nil {
			return h.storeFailure(ctx, req, consumer, err)
		}
		return success(req, fmt.Sprintf("score for %s is now %s", clip(req.SourcedID), FormatScore(score)))

	case OpReadResult:
		score, lang, ok, err := h.Store.Read(ctx, req.SourcedID)
		if err != nil {
			return h.storeFailure(ctx, req, consumer, err)
		}
		resp := success(req, fmt.Sprintf("result read for %s", clip(req.SourcedID)))
		if ok {
			resp.ScoreText, resp.Language = FormatScore(score), lang
		} else {
			resp.Status.Description = fmt.Sprintf("no result for %s", clip(req.SourcedID))
			resp.Language = h.defaultLanguage()
		}
		return resp

	default: // OpDeleteResult
		if err := h.Store.Delete(ctx, req.SourcedID); err != nil {
			return h.storeFailure(ctx, req, consumer, err)
		}
		return success(req, fmt.Sprintf("result of %s deleted", clip(req.SourcedID)))
	}
}

// storeFailure turns a Store error into a reply: processing for
// ErrProcessing, unknown sourcedId for ErrUnknownSourcedID, and a generic
// failure (the error logged, not sent) otherwise.
func (h *Handler) storeFailure(ctx context.Context, req *Request, consumer string, err error) *response {
	switch {
	case errors.Is(err, ErrProcessing):
		return &response{Status: statusInfo{
			CodeMajor:    CodeProcessing,
			Severity:     SeverityStatus,
			Description:  req.Operation + " accepted, still processing",
			MessageRef:   req.MessageID,
			OperationRef: req.Operation,
		}}
	case errors.Is(err, ErrUnknownSourcedID):
		return &response{Status: failure(req.MessageID, req.Operation, "unknown sourcedId")}
	}
	h.log(ctx, slog.LevelError, "outcomes: store failed",
		slog.String("operation", req.Operation), slog.String("consumer_key", consumer), slog.String("error", err.Error()))
	return &response{Status: failure(req.MessageID, req.Operation, "the result store failed")}
}

func success(req *Request, desc string) *response {
	return &response{Status: statusInfo{
		CodeMajor:    CodeSuccess,
		Severity:     SeverityStatus,
		Description:  desc,
		MessageRef:   req.MessageID,
		OperationRef: req.Operation,
	}}
}

func failure(msgID, op, desc string) statusInfo {
	return statusInfo{
		CodeMajor:    CodeFailure,
		Severity:     SeverityError,
		Description:  desc,
		MessageRef:   msgID,
		OperationRef: op,
	}
}

// reply writes resp as a POX envelope with the given HTTP status.
func (h *Handler) reply(w http.ResponseWriter, status int, resp *response) {
	resp.MessageID = h.newMessageID()
	data, err := encodeResponse(resp)
	if err != nil {
		// Cannot happen with the fixed shapes encoded; answer plainly.
		http.Error(w, "outcomes: could not encode the reply", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/xml; charset=utf-8")
	hd.Set("Content-Length", strconv.Itoa(len(data)))
	hd.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

func (h *Handler) maxBody() int64 {
	switch {
	case h.MaxBody <= 0:
		return DefaultMaxBody
	case h.MaxBody > MaxDocumentSize:
		return MaxDocumentSize
	}
	return h.MaxBody
}

func (h *Handler) defaultLanguage() string {
	if h.DefaultLanguage != "" {
		return h.DefaultLanguage
	}
	return DefaultLanguage
}

func (h *Handler) newMessageID() string {
	if h.NewMessageID != nil {
		return h.NewMessageID()
	}
	return randomID()
}

func (h *Handler) log(ctx context.Context, level slog.Level, msg string, attrs ...slog.Attr) {
	if h.Logger != nil {
		h.Logger.LogAttrs(ctx, level, msg, attrs...)
	}
}

// randomID returns 32 random hexadecimal digits.
func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+).
	return hex.EncodeToString(b[:])
}

// errTooLarge reports a body over its bound.
var errTooLarge = errors.New("body too large")

// readBounded reads all of r, failing with errTooLarge beyond limit bytes.
func readBounded(r io.Reader, limit int64) ([]byte, error) {
	if r == nil {
		return nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, errTooLarge
	}
	return data, nil
}
