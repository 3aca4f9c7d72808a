package consumer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"

	"github.com/ltiforge/ltiforge/generated/httpapi"
)

// partner returns the handler of a partner service: it verifies the OAuth
// signature and body hash, authorises the caller for the service and the
// method exactly as for a standard service, and then hands the request to
// p.Handler with the caller in its context (see CallerFrom) and its body
// restored.
func (c *Consumer) partner(p PartnerService) http.Handler {
	limit := c.cfg.MaxBodyBytes
	if limit <= 0 {
		limit = httpapi.DefaultMaxBodyBytes
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := readBounded(w, r, limit)
		if err != nil {
			c.refuse(w, r, err)
			return
		}
		ctx, err := c.authenticate(r, body)
		if err != nil {
			c.refuse(w, r, err)
			return
		}
		if _, err := c.authorize(ctx, p.Name, r.Method); err != nil {
			c.refuse(w, r, err)
			return
		}
		r = r.WithContext(ctx)
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		p.Handler.ServeHTTP(w, r)
	})
}

// readBounded reads a request body of at most limit bytes; a larger one is
// a 413 error.
func readBounded(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	tooLarge := httpapi.NewError(http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body is larger than %d bytes", limit))
	if r.ContentLength > limit {
		return nil, tooLarge
	}
	if r.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge
		}
		return nil, httpapi.NewError(http.StatusBadRequest, "the request body could not be read")
	}
	return body, nil
}

// refuse answers a partner request that did not pass: an *httpapi.Error as
// it is (its problem, status and headers), anything else as a 500 whose
// cause goes to the log only.
func (c *Consumer) refuse(w http.ResponseWriter, r *http.Request, err error) {
	var e *httpapi.Error
	if !errors.As(err, &e) || e.Status == http.StatusInternalServerError {
		c.errorLog(r, err)
		httpapi.WriteProblem(w, &httpapi.Problem{Status: http.StatusInternalServerError})
		return
	}
	for k, v := range e.Header {
		w.Header()[k] = slices.Clone(v)
	}
	p := httpapi.Problem{Status: e.Status}
	if e.Problem != nil {
		p = *e.Problem
		p.Status = e.Status
	}
	httpapi.WriteProblem(w, &p)
}
