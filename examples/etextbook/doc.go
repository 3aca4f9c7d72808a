// Package etextbook is the reference Tool Provider of ltiforge: "Open
// Textbooks", an e-textbook that an LMS administrator registers with LTI 2.0
// and that instructors and learners launch from their course.
//
// It is a thin application on the runtime. runtime/provider does the LTI
// work (registration, re-registration and its confirmation, launch
// verification, signed calls of the consumer's REST services); this package
// adds what a tool is about:
//
//   - four resources (Declaration): a textbook opened at a chapter, a weekly
//     quiz whose score goes to the LMS gradebook through the Result service,
//     the adoption of books for a course, kept in the consumer's
//     binding-scope tool settings so that it follows the course, and a
//     billing census read from the Membership service;
//   - server-side sessions, one per launch, held in memory with a time to
//     live and a bound on their number (the registrations live in the
//     store; the sessions are the application's);
//   - server-rendered pages (html/template, embedded with go:embed) whose
//     element ids, classes and data attributes are the UI contract the
//     end-to-end browser test relies on.
//
// The e-textbook's routes:
//
//	GET  /                  landing page with the registration URL
//	POST /lti/register      registration and re-registration messages
//	PUT|DELETE /lti/confirm/{guid}/{token}   re-registration confirmation
//	POST /lti/launch/book   launch of the textbook → 303 /book
//	POST /lti/launch/quiz   launch of the weekly quiz → 303 /quiz
//	POST /lti/launch/adopt  launch of book adoption → 303 /adopt
//	POST /lti/launch/census launch of the billing census → 303 /census
//	GET  /book, GET|POST /quiz, GET|POST /adopt, GET /census
//
// Every POST form carries a CSRF token bound to the session.
package etextbook
