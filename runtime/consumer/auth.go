package consumer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/ltiforge/ltiforge/generated/httpapi"
	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/runtime/oauth1"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// Caller is the party that signed a service request: a tool proxy (by its
// GUID and current secret), an LTI 1 tool (by its key and secret) or a tool
// registering with one-time registration credentials.
type Caller struct {
	// Key is the OAuth consumer key that signed the request.
	Key string
	// Registration is set when Key is a reg_key: such a caller may only
	// register a tool proxy.
	Registration *store.Registration
	// ToolProxy is the calling tool proxy; zero for a registration.
	ToolProxy store.ToolProxy
	// contract is ToolProxy's document, decoded; nil for an LTI 1 tool and
	// for a registration.
	contract *lti2.ToolProxy
}

// Contract returns the calling tool proxy's contract, nil for an LTI 1 tool
// and for a registration.
func (c *Caller) Contract() *lti2.ToolProxy { return c.contract }

type callerKey struct{}

// CallerFrom returns the authenticated caller of a request a consumer
// handler (a partner service's among them) is serving.
func CallerFrom(ctx context.Context) (*Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(*Caller)
	return c, ok
}

// secrets finds the secret of an OAuth consumer key: a tool proxy's current
// secret (a re-registration's proposed secret is not accepted until it is
// confirmed), else an unexpired registration credential's password.
type secrets struct{ c *Consumer }

// Secret implements oauth1.SecretStore. It keeps the record it read in the
// request's lookup memo, so that building the Caller does not read it again.
func (s secrets) Secret(ctx context.Context, key string) (string, error) {
	memo, _ := ctx.Value(memoKey{}).(*lookupMemo)
	if memo == nil {
		memo = &lookupMemo{}
	}
	tp, err := s.c.cfg.Store.ToolProxy(ctx, key)
	if err == nil {
		*memo = lookupMemo{key: key, tp: &tp}
		return tp.Secret, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	reg, err := s.c.cfg.Store.Registration(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return "", fmt.Errorf("%w: %q", oauth1.ErrUnknownKey, key)
	}
	if err != nil {
		return "", err
	}
	if !s.c.cfg.Now().Before(reg.Expires) {
		return "", fmt.Errorf("%w: registration credential %q expired", oauth1.ErrUnknownKey, key)
	}
	*memo = lookupMemo{key: key, reg: &reg}
	return reg.Password, nil
}

// authenticator verifies the OAuth signature and body hash of every service
// request and puts the Caller into the request's context.
type authenticator struct{ c *Consumer }

// Authenticate implements httpapi.Authenticator.
func (a authenticator) Authenticate(r *http.Request, body []byte) (context.Context, error) {
	return a.c.authenticate(r, body)
}

// lookupMemo carries the record that the secret lookup of one request read
// (a tool proxy or a registration credential) to the code that builds the
// request's Caller.
type lookupMemo struct {
	key string
	tp  *store.ToolProxy
	reg *store.Registration
}

type memoKey struct{}

func (c *Consumer) authenticate(r *http.Request, body []byte) (context.Context, error) {
	memo := &lookupMemo{}
	ctx := context.WithValue(r.Context(), memoKey{}, memo)
	res, err := c.verifier.VerifyAt(ctx, r.WithContext(ctx), body, c.signedURL(r))
	if err != nil {
		var oe *oauth1.Error
		if errors.As(err, &oe) {
			c.log.WarnContext(ctx, "consumer: request refused", "method", r.Method, "path", r.URL.Path, "cause", string(oe.Cause), "base_string", oe.BaseString)
			return nil, httpapi.Unauthorized("OAuth verification failed: " + string(oe.Cause))
		}
		return nil, httpapi.Wrap(http.StatusInternalServerError, err)
	}
	// A verified request's key is the one whose secret was looked up.
	var caller *Caller
	switch {
	case memo.key != res.ConsumerKey:
		return nil, httpapi.Wrap(http.StatusInternalServerError, fmt.Errorf("consumer: verified key %q was not looked up", res.ConsumerKey))
	case memo.tp != nil:
		if caller, err = c.callerOf(*memo.tp); err != nil {
			return nil, err
		}
	default:
		// Whether the credential is still unused is settled when the
		// proxy is stored, atomically with consuming it.
		caller = &Caller{Key: memo.key, Registration: memo.reg}
	}
	return withQuery(context.WithValue(r.Context(), callerKey{}, caller), r.URL.Query()), nil
}

// callerOf builds the Caller of a tool proxy.
func (c *Consumer) callerOf(tp store.ToolProxy) (*Caller, error) {
	caller := &Caller{Key: tp.GUID, ToolProxy: tp}
	if len(tp.Document) > 0 && tp.Version == versionLTI2 {
		doc, err := c.contracts.get(tp)
		if err != nil {
			return nil, httpapi.Wrap(http.StatusInternalServerError, err)
		}
		caller.contract = doc
	}
	return caller, nil
}

// authorize returns the caller of ctx when it may use the offer (a service
// endpoint's local name in the profile) with the HTTP method: it must be an
// active tool proxy whose security contract enables both. A refusal is a 401
// or 403 whose reason names neither another tool's data nor a secret.
func (c *Consumer) authorize(ctx context.Context, offer, method string) (*Caller, error) {
	caller, ok := CallerFrom(ctx)
	if !ok {
		return nil, httpapi.Unauthorized("the request is not signed")
	}
	if caller.Registration != nil {
		return nil, httpapi.Forbidden("registration credentials may only register a tool proxy")
	}
	if caller.ToolProxy.Status != store.StatusActive {
		return nil, httpapi.Forbidden("the tool proxy is not active")
	}
	if caller.contract == nil {
		if lti1Offer(offer) {
			return caller, nil
		}
		return nil, httpapi.Forbidden("an LTI 1 tool may not use " + offer)
	}
	if !enables(caller.contract, offer, method) {
		return nil, httpapi.Forbidden("the tool proxy's security contract does not enable " + method + " " + offer)
	}
	return caller, nil
}

// lti1Offer reports whether an LTI 1 tool (known by key and secret, with
// no contract) may call the offer, for its own contexts and links: only
// the Membership service, which LTI 1 was extended with.
func lti1Offer(offer string) bool { return offer == offerMembership }

// contractCache keeps decoded tool proxy documents, keyed by GUID and
// last update, so that a request does not decode its caller's contract
// again while another instance's re-registration is still seen at once.
type contractCache struct {
	mu sync.Mutex
	m  map[string]cachedContract
}

type cachedContract struct {
	updated int64
	tp      *lti2.ToolProxy
}

func (cc *contractCache) get(tp store.ToolProxy) (*lti2.ToolProxy, error) {
	stamp := tp.Updated.UnixNano()
	cc.mu.Lock()
	hit, ok := cc.m[tp.GUID]
	cc.mu.Unlock()
	if ok && hit.updated == stamp {
		return hit.tp, nil
	}
	doc, err := lti2.DecodeToolProxy(tp.Document)
	if err != nil {
		return nil, fmt.Errorf("consumer: stored tool proxy %s does not decode: %w", tp.GUID, err)
	}
	cc.mu.Lock()
	if cc.m == nil || len(cc.m) >= 10000 {
		cc.m = make(map[string]cachedContract)
	}
	cc.m[tp.GUID] = cachedContract{updated: stamp, tp: doc}
	cc.mu.Unlock()
	return doc, nil
}
