package outcomes

import (
	"errors"
	"fmt"
)

// CodeMajor is an imsx_codeMajor value.
type CodeMajor string

// The imsx_codeMajor values.
const (
	// CodeSuccess: the operation was carried out.
	CodeSuccess CodeMajor = "success"
	// CodeProcessing: the operation was accepted and is still being
	// carried out.
	CodeProcessing CodeMajor = "processing"
	// CodeFailure: the operation was refused or failed.
	CodeFailure CodeMajor = "failure"
	// CodeUnsupported: the operation is not offered.
	CodeUnsupported CodeMajor = "unsupported"
)

// Severity is an imsx_severity value.
type Severity string

// The imsx_severity values.
const (
	// SeverityStatus: informational.
	SeverityStatus Severity = "status"
	// SeverityWarning: carried out, with a caveat.
	SeverityWarning Severity = "warning"
	// SeverityError: not carried out.
	SeverityError Severity = "error"
)

// StatusError is a reply from a tool consumer whose imsx_codeMajor is not
// success. Client methods return it (as error) for such replies.
type StatusError struct {
	// Operation is the operation sent (OpReplaceResult, ...).
	Operation string
	// HTTPStatus is the HTTP status code of the reply.
	HTTPStatus int
	// CodeMajor is imsx_codeMajor.
	CodeMajor CodeMajor
	// Severity is imsx_severity.
	Severity Severity
	// Description is imsx_description, as the consumer wrote it.
	Description string
	// MessageRef is imsx_messageRefIdentifier: the identifier of the
	// request this reply answers.
	MessageRef string
}

// Error returns a one-line summary of the reply.
func (e *StatusError) Error() string {
	msg := fmt.Sprintf("outcomes: %s: %s", e.Operation, e.CodeMajor)
	if e.Severity != "" {
		msg += " (" + string(e.Severity) + ")"
	}
	if e.HTTPStatus != 0 && e.HTTPStatus != 200 {
		msg += fmt.Sprintf(", HTTP %d", e.HTTPStatus)
	}
	if e.Description != "" {
		msg += ": " + clip(e.Description)
	}
	return msg
}

// Errors a Store or a sourcedId hook can return (wrapped or not) to choose
// the reply.
var (
	// ErrUnknownSourcedID means the sourcedId names no result this
	// consumer may use. The reply is failure, "unknown sourcedId".
	ErrUnknownSourcedID = errors.New("outcomes: unknown sourcedId")
	// ErrProcessing, from a Store, means the operation was accepted and
	// will complete later. The reply is processing.
	ErrProcessing = errors.New("outcomes: accepted, processing")
	// ErrStoreFull, from MemoryStore.Replace, means the store holds its
	// maximum number of results.
	ErrStoreFull = errors.New("outcomes: result store is full")
)
