// Package consumer is the Tool Consumer (LMS) side of LTI 2.0, on top of the
// generated REST handlers (generated/lti2rest) and a store.Store.
//
// A Consumer serves, below its BaseURL:
//
//   - GET /profile/{guid}: the Tool Consumer Profile, built from the
//     services and capabilities the consumer actually offers (partner
//     services included);
//   - POST /ToolProxy and GET /ToolProxy/{guid}: registration and
//     re-registration of tool proxies;
//   - the Tool Settings service at its three scopes, the Result service
//     and the Membership service;
//   - POST /outcomes: LTI 1.1 basic outcomes, sharing the gradebook with the
//     Result service;
//   - the partner services of Config.Partners.
//
// Every service request is verified with OAuth 1.0a (body hash included)
// against the calling tool proxy's current secret, and is then authorised:
// the proxy must be active, its security contract must enable the service
// and the method, and it may reach only the contexts and links it is bound
// to. A refusal is a 401 or 403 problem whose detail names no other tool's
// data.
//
// Launches (Launch) substitute a variable only when the tool proxy has
// enabled its capability; registration (StartRegistration) and
// re-registration (StartReregistration, Confirm) run the LTI 2.0 exchanges
// with one-time credentials, the shared or split secret, an approval step
// and a confirmation that never loses the old credentials part-way.
package consumer
