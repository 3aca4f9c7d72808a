package provider

import (
	"crypto/subtle"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/ltiforge/ltiforge/runtime/oauth1"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// ConfirmHandler returns the handler of the confirm URLs that
// re-registrations send as VND-IMS-CONFIRM-URL (LTI2-FACTS §3.4). Mount it
// at ConfirmPath (mux.Handle(p.ConfirmPath(), p.ConfirmHandler())); it reads
// {tool_proxy_guid}/{token} from the last two segments of the request path,
// so it also works behind http.StripPrefix.
//
// PUT commits the pending proposal (the new proxy and secret replace the
// current ones) and DELETE drops it; both answer 200 with an empty body.
// The token must match the pending proposal's, or the answer is 404 and
// nothing changes. A request with an OAuth Authorization header (or
// oauth_signature in its query) must verify with the registration's GUID
// and its current (old) secret, or the answer is 401; an unsigned request
// is accepted on the token alone, as Canvas sends it. Other methods are
// answered 405.
func (p *Provider) ConfirmHandler() http.Handler {
	return http.HandlerFunc(p.serveConfirm)
}

// serveConfirm serves ConfirmHandler.
func (p *Provider) serveConfirm(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if r.Method != http.MethodPut && r.Method != http.MethodDelete {
		w.Header().Set("Allow", "PUT, DELETE")
		plain(w, http.StatusMethodNotAllowed, "A confirm URL takes PUT or DELETE.")
		return
	}
	guid, token, ok := confirmTarget(r.URL)
	if !ok {
		http.NotFound(w, r)
		return
	}
	tp, err := p.store.ToolProxy(ctx, guid)
	if errors.Is(err, store.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		p.log.ErrorContext(ctx, "lti2: reading a registration for a confirmation failed", "tool_proxy_guid", guid, "error", err.Error())
		plain(w, http.StatusInternalServerError, "The tool could not read the registration.")
		return
	}
	if tp.Pending == nil || !tokenMatches(tp.Pending.ConfirmURL, token) {
		p.log.WarnContext(ctx, "lti2: refused a confirmation with no matching pending re-registration", "tool_proxy_guid", guid, "method", r.Method)
		http.NotFound(w, r)
		return
	}
	if signed(r) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxConfirmBytes+1))
		if err != nil || len(body) > maxConfirmBytes {
			plain(w, http.StatusBadRequest, "The confirmation's body could not be read.")
			return
		}
		// The consumer signed the confirm URL the tool gave it, whatever
		// prefix or proxy the request passed on its way here.
		res, err := p.verifier.VerifyAt(ctx, r, body, tp.Pending.ConfirmURL)
		if err == nil && res.ConsumerKey != guid {
			err = &oauth1.Error{Cause: oauth1.CauseUnknownKey, Detail: "the consumer key is not the confirm URL's tool_proxy_guid"}
		}
		if err != nil {
			if cause := oauth1.CauseOf(err); cause != "" {
				p.log.WarnContext(ctx, "lti2: refused a signed confirmation", "tool_proxy_guid", guid, "cause", string(cause), "error", err.Error())
				plain(w, http.StatusUnauthorized, "The confirmation's OAuth signature did not verify ("+string(cause)+").")
				return
			}
			p.log.ErrorContext(ctx, "lti2: verifying a confirmation failed", "tool_proxy_guid", guid, "error", err.Error())
			plain(w, http.StatusInternalServerError, "The tool could not check the confirmation.")
			return
		}
	}
	switch r.Method {
	case http.MethodPut:
		err = p.store.CommitProposal(ctx, guid, tp.Pending.ConfirmURL)
		if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
			http.NotFound(w, r)
			return
		}
	case http.MethodDelete:
		err = p.store.DismissProposal(ctx, guid, tp.Pending.ConfirmURL)
		if errors.Is(err, store.ErrConflict) {
			http.NotFound(w, r)
			return
		}
	}
	if err != nil {
		p.log.ErrorContext(ctx, "lti2: recording a confirmation failed", "tool_proxy_guid", guid, "method", r.Method, "error", err.Error())
		plain(w, http.StatusInternalServerError, "The tool could not record the confirmation.")
		return
	}
	if r.Method == http.MethodPut {
		p.log.InfoContext(ctx, "lti2: re-registration confirmed; the new secret is in force", "tool_proxy_guid", guid)
	} else {
		p.log.InfoContext(ctx, "lti2: re-registration dismissed; the old secret stays", "tool_proxy_guid", guid)
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

// confirmTarget returns the GUID and token of a confirm URL's path: its
// last two segments.
func confirmTarget(u *url.URL) (guid, token string, ok bool) {
	segs := strings.Split(strings.TrimSuffix(u.EscapedPath(), "/"), "/")
	if len(segs) < 3 {
		return "", "", false
	}
	guid, err := url.PathUnescape(segs[len(segs)-2])
	if err != nil || !validGUID(guid) {
		return "", "", false
	}
	token = segs[len(segs)-1]
	if token == "" {
		return "", "", false
	}
	return guid, token, true
}

// tokenMatches reports, in constant time, whether token is the last path
// segment of the stored confirm URL.
func tokenMatches(confirmURL, token string) bool {
	u, err := url.Parse(confirmURL)
	if err != nil {
		return false
	}
	_, want, ok := confirmTarget(u)
	return ok && subtle.ConstantTimeCompare([]byte(want), []byte(token)) == 1
}

// signed reports whether a request carries an OAuth signature.
func signed(r *http.Request) bool {
	if scheme, _, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " "); strings.EqualFold(scheme, "OAuth") {
		return true
	}
	return r.URL.Query().Has("oauth_signature")
}
