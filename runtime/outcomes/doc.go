// Package outcomes implements LTI 1.1 Basic Outcomes, the POX
// (plain old XML) result service that an LTI 2.0 Tool Consumer usually
// offers alongside the LTI 2.0 services (LTI2-FACTS §4.7).
//
// On the Tool Consumer side, Handler is an http.Handler for the
// lis_outcome_service_url endpoint. It reads the body up to a bound,
// verifies the OAuth 1.0a signature and the oauth_body_hash with an
// *oauth1.Verifier, parses the POX envelope with ParsePOX and runs
// replaceResult, readResult and deleteResult against a Store (MemoryStore
// is an in-memory one), after a caller's hook has accepted the sourcedId
// for the signing consumer.
//
// On the Tool Provider side, Client sends those three operations to a tool
// consumer, signed with oauth1.SignRequest, and reports a reply other than
// success as a *StatusError carrying its imsx_codeMajor, imsx_severity and
// imsx_description.
//
// # Replies
//
// Every reply the Handler sends has a POX envelope
// (imsx_POXEnvelopeResponse) as its body, so that a client always finds an
// imsx_codeMajor to read. The HTTP status is:
//
//   - 200 for every request that passed OAuth, whatever its outcome:
//     success, processing, failure (malformed XML, a bad score, a rejected
//     sourcedId, a store error) or unsupported (an unknown operation).
//     Clients must read imsx_codeMajor (LTI2-FACTS §4.7);
//   - 401 when OAuth verification fails, including a request without
//     oauth_body_hash (with a WWW-Authenticate: OAuth header and a failure
//     envelope naming the cause, never a base string or a secret);
//   - 500 when verification could not be completed (a failing secret or
//     nonce store), or the Handler lacks its Verifier or Store;
//   - 413 when the body is larger than the handler's bound: the body is
//     not read, so the request can be neither authenticated nor answered
//     with its message identifier;
//   - 405 for a method other than POST.
//
// imsx_severity is "status" for success, processing and unsupported, and
// "error" for failure.
//
// # Parsing
//
// ParsePOX uses encoding/xml in strict mode. It refuses any DOCTYPE or
// other <!...> declaration, so no entity is ever declared or expanded;
// only the five predefined XML entities and character references are
// decoded. It bounds the document size, the element nesting depth and the
// number of elements, and requires exactly one root element. The root must
// be in the namespace Namespace; its descendants may be in that namespace
// or in none (some senders prefix only the root).
//
// The package keeps no global mutable state and never logs a secret.
package outcomes
