// Package lms is the reference LMS of ltiforge: a small Tool Consumer built
// on runtime/consumer, which acts out the LTI 2.0 stories end to end with
// the reference e-textbook (package etextbook).
//
// An administrator registers LTI 2 tools (the browser carries the
// ToolProxyRegistrationRequest to the tool, which registers and sends it
// back), approves them, re-registers them and confirms or dismisses the
// proposals, and adds LTI 1 tools by key and secret. An instructor places a
// tool's resources in the course as links, and sees the gradebook the
// tools write through the Result and basic outcomes services, the tool
// settings they keep at the three scopes and the roster they read through
// the Membership service. Members launch links.
//
// Pages are rendered on the server (html/template, no script of their
// own); sessions live in memory (cookie lms_session); every form POST
// carries a per-session CSRF token. Sign-in is a user switch, without
// passwords: this is a demonstration, not an LMS to deploy.
//
// When the store holds no course, New seeds the demo: the course bio-101
// ("Biology 101"), the administrator "admin", the instructor "teacher" and
// the learners "student1" to "student3".
//
// The consumer's endpoints (profile, registration, the Tool Settings, Result
// and Membership services, basic outcomes) are served below /lti/; the
// command cmd/lticonsumer serves the App.
package lms
