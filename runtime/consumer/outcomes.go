package consumer

import (
	"context"
	"errors"
	"fmt"

	"github.com/ltiforge/ltiforge/runtime/outcomes"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// outcomeStore is the gradebook as LTI 1.1 basic outcomes see it: the
// results the Result service reads and writes, keyed by the same
// sourcedId. The Handler's SourcedID hook (vetSourcedID) has vetted every
// sourcedId before it reaches these methods.
type outcomeStore struct{ c *Consumer }

var _ outcomes.Store = outcomeStore{}

// target returns the link and user a sourcedId names.
func (o outcomeStore) target(sourcedID string) (linkID, userID string, err error) {
	linkID, userID, err = parseSourcedID(sourcedID)
	if err != nil {
		return "", "", fmt.Errorf("%w: %w", outcomes.ErrUnknownSourcedID, err)
	}
	return linkID, userID, nil
}

// Replace implements outcomes.Store. It keeps the comment an LTI 2 tool
// recorded, which replaceResult does not carry.
func (o outcomeStore) Replace(ctx context.Context, sourcedID string, score float64, language string) error {
	linkID, userID, err := o.target(sourcedID)
	if err != nil {
		return err
	}
	old, err := o.c.cfg.Store.Result(ctx, sourcedID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("consumer: reading a result: %w", err)
	}
	rec := store.Result{
		SourcedID: sourcedID,
		LinkID:    linkID,
		UserID:    userID,
		Score:     &score,
		Language:  language,
		Comment:   old.Comment,
	}
	if err := o.c.cfg.Store.PutResult(ctx, rec); err != nil {
		return fmt.Errorf("consumer: storing a result: %w", err)
	}
	return nil
}

// Read implements outcomes.Store: ok is false when no score is recorded.
func (o outcomeStore) Read(ctx context.Context, sourcedID string) (score float64, language string, ok bool, err error) {
	rec, err := o.c.cfg.Store.Result(ctx, sourcedID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return 0, "", false, nil
	case err != nil:
		return 0, "", false, fmt.Errorf("consumer: reading a result: %w", err)
	case rec.Score == nil:
		return 0, rec.Language, false, nil
	}
	return *rec.Score, rec.Language, true, nil
}

// Delete implements outcomes.Store.
func (o outcomeStore) Delete(ctx context.Context, sourcedID string) error {
	if err := o.c.cfg.Store.DeleteResult(ctx, sourcedID); err != nil {
		return fmt.Errorf("consumer: deleting a result: %w", err)
	}
	return nil
}

// vetSourcedID is the basic outcomes handler's outcomes.SourcedIDHook: the
// sourcedId must be one the consumer issued for a gradable link of the
// signing tool (consumerKey is its tool proxy GUID) and a user enrolled in
// the link's context, and that tool must be active. Any sourcedId the tool
// may not use is reported as unknown, so that another tool's results are
// not even confirmed to exist.
func (c *Consumer) vetSourcedID(ctx context.Context, consumerKey, sourcedID string) error {
	tp, err := c.cfg.Store.ToolProxy(ctx, consumerKey)
	if errors.Is(err, store.ErrNotFound) {
		// Registration credentials sign no outcomes.
		return fmt.Errorf("%w: %q is not a tool proxy", outcomes.ErrUnknownSourcedID, consumerKey)
	}
	if err != nil {
		return fmt.Errorf("consumer: reading tool proxy %q: %w", consumerKey, err)
	}
	if tp.Status != store.StatusActive {
		return fmt.Errorf("consumer: tool proxy %q is %s, not active", consumerKey, tp.Status)
	}
	if _, err := c.resolveResult(ctx, consumerKey, sourcedID); err != nil {
		if errors.Is(err, errNotGradebook) {
			return fmt.Errorf("%w: %w", outcomes.ErrUnknownSourcedID, err)
		}
		return err
	}
	return nil
}
