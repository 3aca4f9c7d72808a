package consumer

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/ltiforge/ltiforge/generated/httpapi"
	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/generated/lti2rest"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// maxComment is the longest comment a Result may carry, in characters
// (DataValue.Type).
const maxComment = 4096

// errResultForbidden is the one refusal of a result the caller may not
// reach, whatever the reason (malformed, unknown, another tool's, not
// gradable, the user not enrolled), so that the answer leaks nothing.
const errResultForbidden = "the tool proxy may not use this result"

// resultService serves the LTI 2 Result service over the gradebook that LTI
// 1.1 basic outcomes share.
type resultService struct{ c *Consumer }

var _ lti2rest.ResultService = resultService{}

// resultTarget is the link and user a vetted sourcedId names.
type resultTarget struct {
	sourcedID string
	link      store.Link
	userID    string
}

// errNotGradebook is the cause of every sourcedId the consumer refuses to a
// tool; the refusal itself names no cause.
var errNotGradebook = errors.New("consumer: the sourcedId names no result of this tool")

// resolveResult checks that the sourcedId is one the consumer issued, for a
// gradable link of the tool proxy guid and a user enrolled in the link's
// context. A refusal wraps errNotGradebook; other errors are the store's.
func (c *Consumer) resolveResult(ctx context.Context, guid, sourcedID string) (resultTarget, error) {
	linkID, userID, err := parseSourcedID(sourcedID)
	if err != nil {
		return resultTarget{}, fmt.Errorf("%w: %w", errNotGradebook, err)
	}
	// Base64 decoding tolerates stray bits; only the canonical spelling
	// is a key of the gradebook.
	if ResultSourcedID(linkID, userID) != sourcedID {
		return resultTarget{}, fmt.Errorf("%w: %w", errNotGradebook, errBadSourcedID)
	}
	link, err := c.cfg.Store.Link(ctx, linkID)
	if errors.Is(err, store.ErrNotFound) {
		return resultTarget{}, fmt.Errorf("%w: link %q does not exist", errNotGradebook, linkID)
	}
	if err != nil {
		return resultTarget{}, fmt.Errorf("consumer: reading link %q: %w", linkID, err)
	}
	if link.ToolProxyGUID != guid {
		return resultTarget{}, fmt.Errorf("%w: link %q belongs to another tool", errNotGradebook, linkID)
	}
	if !link.Gradable {
		return resultTarget{}, fmt.Errorf("%w: link %q is not gradable", errNotGradebook, linkID)
	}
	member, err := c.isMember(ctx, link.ContextID, userID)
	if err != nil {
		return resultTarget{}, err
	}
	if !member {
		return resultTarget{}, fmt.Errorf("%w: user %q is not a member of context %q", errNotGradebook, userID, link.ContextID)
	}
	return resultTarget{sourcedID: sourcedID, link: link, userID: userID}, nil
}

// isMember reports whether a user is enrolled (actively or not) in a
// context.
func (c *Consumer) isMember(ctx context.Context, contextID, userID string) (bool, error) {
	_, err := c.cfg.Store.Membership(ctx, contextID, userID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("consumer: reading the membership of %q in context %q: %w", userID, contextID, err)
	}
	return true, nil
}

// result authorises the caller for method on the Result service and
// resolves the sourcedId, refusing uniformly with 403.
func (s resultService) result(ctx context.Context, method, sourcedID string) (resultTarget, error) {
	caller, err := s.c.authorize(ctx, offerResult, method)
	if err != nil {
		return resultTarget{}, err
	}
	t, err := s.c.resolveResult(ctx, caller.ToolProxy.GUID, sourcedID)
	if errors.Is(err, errNotGradebook) {
		return resultTarget{}, s.c.refuseResource(ctx, errResultForbidden, err.Error())
	}
	return t, err
}

// GetResult implements lti2rest.ResultService: the stored score and
// comment, or a Result without a score when nothing is recorded.
func (s resultService) GetResult(ctx context.Context, in *lti2rest.GetResultRequest) (*lti2.Result, error) {
	t, err := s.result(ctx, "GET", in.SourcedID)
	if err != nil {
		return nil, err
	}
	out := &lti2.Result{ID: s.c.resultURL(t.sourcedID)}
	rec, err := s.c.cfg.Store.Result(ctx, t.sourcedID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return out, nil
	case err != nil:
		return nil, fmt.Errorf("consumer: reading a result: %w", err)
	}
	out.ResultScore = rec.Score
	out.Comment = lti2.DataValueType(rec.Comment)
	return out, nil
}

// PutResult implements lti2rest.ResultService: it records the score and
// comment, or clears the score when the body has none.
func (s resultService) PutResult(ctx context.Context, in *lti2rest.PutResultRequest) error {
	t, err := s.result(ctx, "PUT", in.SourcedID)
	if err != nil {
		return err
	}
	body := in.Body
	if body == nil {
		return httpapi.InvalidBody(httpapi.BodyField("", "the body is a Result"))
	}
	var bad []httpapi.FieldError
	// The negated test also refuses NaN.
	if sc := body.ResultScore; sc != nil && !(*sc >= 0 && *sc <= 1) {
		bad = append(bad, httpapi.BodyField("/resultScore", "resultScore is a number from 0 to 1"))
	}
	if utf8.RuneCountInString(string(body.Comment)) > maxComment {
		bad = append(bad, httpapi.BodyField("/comment", fmt.Sprintf("comment is at most %d characters long", maxComment)))
	}
	if len(bad) > 0 {
		return httpapi.InvalidBody(bad...)
	}
	rec := store.Result{
		SourcedID: t.sourcedID,
		LinkID:    t.link.ID,
		UserID:    t.userID,
		Score:     body.ResultScore,
		Comment:   string(body.Comment),
	}
	if rec.Score != nil {
		// Keep the language an LTI 1.1 replaceResult recorded: LTI 2
		// sends none.
		old, err := s.c.cfg.Store.Result(ctx, t.sourcedID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("consumer: reading a result: %w", err)
		}
		rec.Language = old.Language
	}
	if err := s.c.cfg.Store.PutResult(ctx, rec); err != nil {
		return fmt.Errorf("consumer: storing a result: %w", err)
	}
	return nil
}
