package outcomes

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"

	"github.com/ltiforge/ltiforge/runtime/oauth1"
)

// Client is the Tool Provider's side of LTI 1.1 Basic Outcomes: it sends
// replaceResult, readResult and deleteResult to a tool consumer's
// lis_outcome_service_url, signed with OAuth 1.0a and a body hash. It is
// safe for concurrent use when its fields are not changed.
type Client struct {
	// Credentials are the consumer key and secret of the launch that gave
	// the sourcedId (required).
	Credentials oauth1.Credentials
	// Sign tunes the signature (method, clock, nonce).
	Sign oauth1.SignOptions
	// HTTP sends the requests; nil means http.DefaultClient. Give it a
	// Timeout, or pass contexts with deadlines.
	HTTP *http.Client
	// MaxResponse bounds the reply body in bytes; 0 means DefaultMaxBody.
	MaxResponse int64
	// NewMessageID gives the imsx_messageIdentifier of each request; nil
	// means 32 random hexadecimal digits. Each request needs a new one.
	NewMessageID func() string
}

// Replace sets the score of sourcedID, a number in [0, 1], with its
// language ("" means DefaultLanguage). A reply other than success is a
// *StatusError.
func (c *Client) Replace(ctx context.Context, url, sourcedID string, score float64, language string) error {
	if math.IsNaN(score) || score < 0 || score > 1 {
		return fmt.Errorf("outcomes: score %v is outside [0.0, 1.0]", score)
	}
	if language == "" {
		language = DefaultLanguage
	}
	if err := CheckLanguage(language); err != nil {
		return fmt.Errorf("outcomes: %w", err)
	}
	_, err := c.do(ctx, url, &Request{
		Operation: OpReplaceResult,
		SourcedID: sourcedID,
		ScoreText: FormatScore(score),
		Language:  language,
	})
	return err
}

// Read returns the score of sourcedID and its language; ok is false when
// the consumer holds no score (an empty textString). A reply other than
// success is a *StatusError.
func (c *Client) Read(ctx context.Context, url, sourcedID string) (score float64, language string, ok bool, err error) {
	resp, err := c.do(ctx, url, &Request{Operation: OpReadResult, SourcedID: sourcedID})
	if err != nil {
		return 0, "", false, err
	}
	if !resp.HasResult {
		return 0, "", false, errors.New("outcomes: readResult reply has no result/resultScore")
	}
	if resp.ScoreText == "" {
		return 0, resp.Language, false, nil
	}
	score, err = ParseScore(resp.ScoreText)
	if err != nil {
		return 0, "", false, fmt.Errorf("outcomes: readResult reply: %w", err)
	}
	return score, resp.Language, true, nil
}

// Delete removes the score of sourcedID. A reply other than success is a
// *StatusError.
func (c *Client) Delete(ctx context.Context, url, sourcedID string) error {
	_, err := c.do(ctx, url, &Request{Operation: OpDeleteResult, SourcedID: sourcedID})
	return err
}

// do sends one request and returns its successful reply.
func (c *Client) do(ctx context.Context, url string, req *Request) (*response, error) {
	req.SourcedID = strings.TrimSpace(req.SourcedID)
	if req.SourcedID == "" {
		return nil, errors.New("outcomes: empty sourcedId")
	}
	if len(req.SourcedID) > MaxIdentifierLength {
		return nil, fmt.Errorf("outcomes: sourcedId is longer than %d bytes", MaxIdentifierLength)
	}
	req.MessageID = randomID()
	if c.NewMessageID != nil {
		req.MessageID = c.NewMessageID()
	}
	body, err := encodeRequest(req)
	if err != nil {
		return nil, err
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("outcomes: %s: %w", req.Operation, err)
	}
	hr.Header.Set("Content-Type", "application/xml; charset=utf-8")
	hr.Header.Set("Accept", "application/xml")
	if err := oauth1.SignRequest(hr, body, c.Credentials, c.Sign); err != nil {
		return nil, fmt.Errorf("outcomes: %s: signing: %w", req.Operation, err)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(hr)
	if err != nil {
		return nil, fmt.Errorf("outcomes: %s: %w", req.Operation, err)
	}
	defer res.Body.Close()
	limit := c.MaxResponse
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	data, err := readBounded(res.Body, limit)
	if err != nil {
		if errors.Is(err, errTooLarge) {
			return nil, fmt.Errorf("outcomes: %s: reply (HTTP %d) is larger than %d bytes", req.Operation, res.StatusCode, limit)
		}
		return nil, fmt.Errorf("outcomes: %s: reading the reply (HTTP %d): %w", req.Operation, res.StatusCode, err)
	}
	resp, err := parseResponse(data)
	if err != nil {
		return nil, fmt.Errorf("outcomes: %s: HTTP %d, reply is not a POX response: %v", req.Operation, res.StatusCode, err)
	}
	if resp.Status.MessageRef != "" && resp.Status.MessageRef != req.MessageID {
		return nil, fmt.Errorf("outcomes: %s: reply answers message %q, not %q", req.Operation, clip(resp.Status.MessageRef), req.MessageID)
	}
	if resp.Status.CodeMajor != CodeSuccess || res.StatusCode/100 != 2 {
		return nil, &StatusError{
			Operation:   req.Operation,
			HTTPStatus:  res.StatusCode,
			CodeMajor:   resp.Status.CodeMajor,
			Severity:    resp.Status.Severity,
			Description: resp.Status.Description,
			MessageRef:  resp.Status.MessageRef,
		}
	}
	return resp, nil
}
