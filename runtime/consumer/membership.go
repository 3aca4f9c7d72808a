package consumer

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ltiforge/ltiforge/generated/httpapi"
	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/generated/lti2rest"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// membershipRoleNS is the namespace in which a simple context role name
// given as the role filter (Learner, Instructor, ...) is read.
const membershipRoleNS = "http://purl.imsglobal.org/vocab/lis/v2/membership#"

// errRosterForbidden is the one refusal of a roster the caller may not read,
// whether the context does not exist or the tool is not deployed in it.
const errRosterForbidden = "the tool may not read the memberships of this context"

// membershipService serves the Membership service: a context's roster, a
// page at a time, to the tools deployed in the context.
type membershipService struct{ c *Consumer }

var _ lti2rest.MembershipService = membershipService{}

// queryKey is the context key of the request's query parameters.
type queryKey struct{}

// withQuery returns ctx carrying the query parameters of the request being
// served. The consumer's authentication puts them there, because a
// generated request type holds only the parameters of the model and the
// membership paging cursor (after) is the consumer's own.
func withQuery(ctx context.Context, q url.Values) context.Context {
	return context.WithValue(ctx, queryKey{}, q)
}

// queryFrom returns the query parameters withQuery put into ctx, nil when
// none.
func queryFrom(ctx context.Context) url.Values {
	q, _ := ctx.Value(queryKey{}).(url.Values)
	return q
}

// GetMemberships implements lti2rest.MembershipService.
func (s membershipService) GetMemberships(ctx context.Context, in *lti2rest.GetMembershipsRequest) (*lti2.Page, error) {
	caller, err := s.c.authorize(ctx, offerMembership, "GET")
	if err != nil {
		return nil, err
	}
	if err := s.c.mayReadRoster(ctx, caller, in.ContextID); err != nil {
		return nil, err
	}
	var link *store.Link
	if in.Rlid != "" {
		l, err := s.c.ownLink(ctx, caller, in.ContextID, in.Rlid)
		if err != nil {
			return nil, err
		}
		link = &l
	}

	limit := int64(store.DefaultMemberLimit)
	if in.Limit != nil && *in.Limit > 0 {
		// Only a hint: the consumer caps it.
		limit = min(*in.Limit, store.MaxMemberLimit)
	}
	after := queryFrom(ctx).Get("after")
	members, next, err := s.c.cfg.Store.Members(ctx, in.ContextID, store.MemberQuery{
		Role:  roleFilter(in.Role),
		After: after,
		Limit: int(limit),
	})
	if err != nil {
		return nil, fmt.Errorf("consumer: reading the roster of context %q: %w", in.ContextID, err)
	}

	subject := &lti2.MembershipContext{ContextID: in.ContextID}
	rec, err := s.c.cfg.Store.Context(ctx, in.ContextID)
	switch {
	case err == nil:
		subject.Name = rec.Title
	case !errors.Is(err, store.ErrNotFound):
		return nil, fmt.Errorf("consumer: reading context %q: %w", in.ContextID, err)
	}
	fields := visibleFields(caller)
	subject.Membership = make([]lti2.Membership, 0, len(members))
	for _, m := range members {
		subject.Membership = append(subject.Membership, membershipOf(m, fields, link))
	}

	base := s.c.membershipsURL(in.ContextID)
	page := &lti2.Page{
		ID: pageURL(base, in.Limit, in.Role, in.Rlid, after),
		PageOf: &lti2.LISMembershipContainer{
			ID:                base,
			MembershipSubject: subject,
		},
	}
	if next != "" {
		page.NextPage = pageURL(base, &limit, in.Role, in.Rlid, next)
	}
	httpapi.ResponseHeader(ctx).Set("Content-Location", page.ID)
	return page, nil
}

// mayReadRoster refuses, uniformly, a context the caller is not deployed
// in: an LTI 2 tool proxy must be bound to it, and an LTI 1 tool (which has
// no bindings) must have a link in it.
func (c *Consumer) mayReadRoster(ctx context.Context, caller *Caller, contextID string) error {
	guid := caller.ToolProxy.GUID
	if caller.Contract() != nil {
		bound, err := c.cfg.Store.Bound(ctx, guid, contextID)
		if err != nil {
			return fmt.Errorf("consumer: checking the binding of %s to context %q: %w", guid, contextID, err)
		}
		if !bound {
			return c.refuseResource(ctx, errRosterForbidden, "the tool is not bound to context "+strconv.Quote(contextID))
		}
		return nil
	}
	links, err := c.cfg.Store.ListLinks(ctx, contextID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("consumer: listing the links of context %q: %w", contextID, err)
	}
	for _, l := range links {
		if l.ToolProxyGUID == guid {
			return nil
		}
	}
	return c.refuseResource(ctx, errRosterForbidden, "the LTI 1 tool has no link in context "+strconv.Quote(contextID))
}

// ownLink returns the link rlid names, which must be the caller's and sit
// in the context; anything else is refused like an unreachable roster.
func (c *Consumer) ownLink(ctx context.Context, caller *Caller, contextID, linkID string) (store.Link, error) {
	l, err := c.cfg.Store.Link(ctx, linkID)
	if errors.Is(err, store.ErrNotFound) {
		return store.Link{}, c.refuseResource(ctx, errRosterForbidden, "rlid "+strconv.Quote(linkID)+" does not exist")
	}
	if err != nil {
		return store.Link{}, fmt.Errorf("consumer: reading link %q: %w", linkID, err)
	}
	if l.ToolProxyGUID != caller.ToolProxy.GUID || l.ContextID != contextID {
		return store.Link{}, c.refuseResource(ctx, errRosterForbidden, "rlid "+strconv.Quote(linkID)+" is another tool's or in another context")
	}
	return l, nil
}

// roleFilter returns the full role URI a role query parameter names: a
// full URI (or URN) as it is, a lism: CURIE or a simple context role name
// in the LIS v2 membership namespace.
func roleFilter(role string) string {
	switch {
	case role == "":
		return ""
	case strings.HasPrefix(role, "lism:"):
		return membershipRoleNS + strings.TrimPrefix(role, "lism:")
	case strings.Contains(role, ":"):
		return role
	}
	return membershipRoleNS + role
}

// pageURL returns the URL of a roster page: the endpoint with the query
// parameters that select it, in a fixed order so that a page has one URL.
// A nil limit is left out.
func pageURL(base string, limit *int64, role, rlid, after string) string {
	var q []string
	if limit != nil {
		q = append(q, "limit="+strconv.FormatInt(*limit, 10))
	}
	if after != "" {
		q = append(q, "after="+url.QueryEscape(after))
	}
	if role != "" {
		q = append(q, "role="+url.QueryEscape(role))
	}
	if rlid != "" {
		q = append(q, "rlid="+url.QueryEscape(rlid))
	}
	if len(q) == 0 {
		return base
	}
	return base + "?" + strings.Join(q, "&")
}

// memberFields says which personal fields a tool may see in a roster.
type memberFields struct {
	name, given, family, email, sourcedID bool
	// resultSourcedID allows the sourcedIds of results (with rlid).
	resultSourcedID bool
}

// visibleFields returns the fields a caller may see: for an LTI 2 tool
// proxy those whose capability it enabled (in its contract or in any
// message handler), as a launch would send them; for an LTI 1 tool, which
// has no capabilities, the names and e-mail address that LTI 1 launches
// send.
func visibleFields(caller *Caller) memberFields {
	tp := caller.Contract()
	if tp == nil {
		return memberFields{name: true, given: true, family: true, email: true, resultSourcedID: true}
	}
	has := func(cap string) bool { return capabilityEnabled(tp, cap) }
	return memberFields{
		name:            has("Person.name.full"),
		given:           has("Person.name.given"),
		family:          has("Person.name.family"),
		email:           has("Person.email.primary"),
		sourcedID:       has("Person.sourcedId"),
		resultSourcedID: has("Result.sourcedId") || has("BasicOutcome.sourcedId"),
	}
}

// capabilityEnabled reports whether a tool proxy enabled a capability in
// its contract or in any of its message handlers: a field the tool may
// receive in some launch it may also read from the roster.
func capabilityEnabled(tp *lti2.ToolProxy, cap string) bool {
	if slices.Contains(tp.EnabledCapability, lti2.Capability(cap)) {
		return true
	}
	prof := tp.ToolProfile
	if prof == nil {
		return false
	}
	has := func(handlers []lti2.MessageHandler) bool {
		for _, mh := range handlers {
			for _, c := range mh.EnabledCapability {
				if string(c) == cap {
					return true
				}
			}
		}
		return false
	}
	if has(prof.Message) {
		return true
	}
	for _, rh := range prof.ResourceHandler {
		if has(rh.Message) {
			return true
		}
	}
	return false
}

// membershipOf returns a roster entry with the fields the tool may see and,
// for a gradable link named by rlid, the result sourcedId a launch of it
// would carry.
func membershipOf(m store.Member, f memberFields, link *store.Link) lti2.Membership {
	person := &lti2.LISPerson{UserID: m.UserID}
	if f.name {
		person.Name = m.User.Name
	}
	if f.given {
		person.GivenName = m.User.Given
	}
	if f.family {
		person.FamilyName = m.User.Family
	}
	if f.email {
		person.Email = m.User.Email
	}
	if f.sourcedID {
		person.SourcedID = m.User.SourcedID
	}
	out := lti2.Membership{
		Status: lti2.LISStatusActive,
		Member: person,
		Role:   make([]lti2.LISRole, 0, len(m.Roles)),
	}
	if !m.Active {
		out.Status = lti2.LISStatusInactive
	}
	for _, r := range m.Roles {
		out.Role = append(out.Role, lti2.LISRole(r))
	}
	if link != nil && link.Gradable && f.resultSourcedID {
		sid := ResultSourcedID(link.ID, m.UserID)
		person.ResultSourcedID = sid
		out.Message = []lti2.MembershipMessage{{
			MessageType:        "basic-lti-launch-request",
			LISResultSourcedid: sid,
		}}
	}
	return out
}
