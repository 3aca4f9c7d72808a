// Package provider is the Tool Provider side of LTI 2.0: it registers a
// tool with tool consumers, accepts re-registrations and their
// confirmation, verifies launches with the credentials a registration
// produced, and gives signed clients of the consumer's REST services.
//
// A tool describes itself once, as a Declaration: its tool profile (product,
// base URLs, resource handlers and their message handlers, with the
// capabilities and variables each wants) and what it needs from a consumer
// (REST services, proxy-level capabilities, which of its wishes are
// required). New checks the declaration and returns a Provider, whose
// handlers the tool mounts:
//
//   - RegistrationHandler receives the browser-posted
//     ToolProxyRegistrationRequest (unsigned; LTI2-FACTS §4.3) and
//     ToolProxyReregistrationRequest (signed with the current secret, and
//     verified; §4.4). It fetches the consumer's profile, negotiates the
//     tool proxy against what the profile offers (§3.1, §3.4 step 2),
//     POSTs it to the profile's ToolProxy.collection, stores the
//     registration and sends the administrator back to the consumer with
//     status=success&tool_proxy_guid=… or status=failure&lti_errormsg=….
//   - ConfirmHandler receives the consumer's PUT (accept) or DELETE
//     (dismiss) on the confirm URL a re-registration sent as
//     VND-IMS-CONFIRM-URL (§3.4), and commits or drops the proposed proxy
//     and secret.
//   - LaunchHandler verifies basic-lti-launch-request messages with the
//     registration's tool_proxy_guid and its current secret.
//
// Services returns signed clients (runtime/oauth1, generated/lti2rest) for
// the Tool Settings, Result, Membership and ToolProxy services of one
// registration, with the endpoints of the consumer's profile, plus helpers
// for the ready-made URLs launches carry.
//
// # Negotiation
//
// A service the tool needs is picked from the profile's service_offered by
// media type and HTTP methods, falling back to the conventional local name
// of its @id (ToolProxy.collection, Result.item, LtiLinkSettings, …). The
// tool proxy names it by its full @id, a CURIE such as "tcp:Result.item"
// being expanded with the profile's @context. A capability, message type
// or substitution variable the profile does not list in
// capability_offered is dropped from the proxy, with a note in the log and
// in lti_msg, unless the declaration marks it required, in which case the
// registration fails with a message naming it. With Config.SplitSecret and
// a profile offering OAuth.splitSecret (or Canvas's Security.splitSecret),
// the tool sends tp_half_shared_secret and the secret is the consumer's
// half followed by the tool's (§5.3); otherwise it sends a random
// shared_secret.
//
// # Security
//
// A registration request is unsigned by design, so anyone can make the
// tool fetch a profile URL and POST a proxy to the endpoint that profile
// names: deployments that must not reach internal addresses should give
// Config.HTTPClient a dialer that refuses them. A registration whose
// consumer answers with a tool_proxy_guid already registered is refused:
// replacing a registration takes a re-registration, signed with its
// current secret. The secret of a pending re-registration is not accepted
// for anything until the consumer confirms it. Secrets, registration
// passwords and correlation tokens are never logged nor put into errors or
// redirects.
package provider
