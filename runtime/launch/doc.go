// Package launch sends and receives the LTI basic-lti-launch-request
// message, in its LTI-1p0 and LTI-2p0 versions.
//
// On the Tool Consumer side a Consumer turns a typed Request (user, roles,
// context, resource link, presentation, outcome service, tool consumer and
// custom parameters) into the form parameters of the message, substitutes
// variables through a caller's Resolver, signs the form with OAuth 1.0a
// (runtime/oauth1) and renders it as an auto-submitting HTML form that also
// works with scripts turned off.
//
// On the Tool Provider side a Provider verifies the signed POST with an
// *oauth1.Verifier and parses it into a typed Launch, with roles completed
// to full LIS URNs; Parse does the same for parameters already verified.
// Errors name what is wrong; when the verified launch carries
// launch_presentation_return_url, the error can be sent back there with
// lti_errormsg and lti_log (ReturnURL, Error.RedirectURL).
//
// The package keeps no global mutable state, never logs, and never puts a
// secret or an OAuth signature base string into an error.
package launch
