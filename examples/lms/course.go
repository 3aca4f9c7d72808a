package lms

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/runtime/consumer"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// Messages of a refused launch.
const (
	msgToolPending  = "This tool is waiting for an administrator's approval."
	msgToolDisabled = "This tool has been disabled by an administrator."
	msgLaunchFailed = "The tool could not be launched. Ask the course's instructor or an administrator for help."
)

// maxCustomBytes bounds the custom parameters of a link as typed.
const maxCustomBytes = 16 << 10

// nav returns the course header of a course page.
func (cr *courseRequest) nav() *courseNav {
	return &courseNav{ID: cr.Course.ID, Title: cr.Course.Title, Staff: cr.Instructor || cr.Admin}
}

// coursePath returns the path of a course page; sub is "" or starts with
// "/".
func coursePath(courseID, sub string) string {
	return "/courses/" + url.PathEscape(courseID) + sub
}

// linkView is one link of the course page.
type linkView struct {
	ID, Title, Href string
	Gradable        bool
}

// resourceOption is one choice of the link form: a resource of an active
// tool.
type resourceOption struct {
	// Value is "GUID|CODE" (CODE empty for an LTI 1 tool).
	Value string
	// Label is "Tool — Resource", or the tool's name.
	Label string
}

// coursePageData is the data of the course page.
type coursePageData struct {
	Links      []linkView
	Instructor bool
	Resources  []resourceOption
}

// coursePage shows the course's links, and to its instructors the form
// that adds one.
func (a *App) coursePage(w http.ResponseWriter, r *http.Request, cr *courseRequest) {
	ctx := r.Context()
	links, err := a.store.ListLinks(ctx, cr.Course.ID)
	if err != nil {
		a.serverError(w, r, cr.Session, "list links", err)
		return
	}
	data := coursePageData{Instructor: cr.Instructor}
	for _, l := range links {
		data.Links = append(data.Links, linkView{
			ID: l.ID, Title: l.Title, Gradable: l.Gradable,
			Href: coursePath(cr.Course.ID, "/links/"+url.PathEscape(l.ID)+"/launch"),
		})
	}
	if cr.Instructor {
		if data.Resources, err = a.resourceOptions(r); err != nil {
			a.serverError(w, r, cr.Session, "list tools", err)
			return
		}
	}
	a.render(w, r, cr.Session, http.StatusOK, "course", cr.Course.Title, cr.nav(), data)
}

// resourceOptions lists the resources of every active tool: the resource
// handlers of an LTI 2 tool proxy, the single launch URL of an LTI 1 tool.
func (a *App) resourceOptions(r *http.Request) ([]resourceOption, error) {
	recs, err := a.store.ListToolProxies(r.Context())
	if err != nil {
		return nil, fmt.Errorf("list tool proxies: %w", err)
	}
	var out []resourceOption
	for _, rec := range recs {
		if rec.Status != store.StatusActive {
			continue
		}
		name := rec.Name
		if name == "" {
			name = rec.GUID
		}
		if rec.Version != versionLTI2 {
			out = append(out, resourceOption{Value: rec.GUID + "|", Label: name})
			continue
		}
		doc, err := lti2.DecodeToolProxy(rec.Document)
		if err != nil || doc.ToolProfile == nil {
			a.log.WarnContext(r.Context(), "lms: unreadable tool proxy document", "guid", rec.GUID, "error", err)
			continue
		}
		for _, rh := range doc.ToolProfile.ResourceHandler {
			if rh.ResourceType == nil || rh.ResourceType.Code == "" {
				continue
			}
			code := string(rh.ResourceType.Code)
			label := code
			if rh.ResourceName != nil && rh.ResourceName.DefaultValue != "" {
				label = string(rh.ResourceName.DefaultValue)
			}
			out = append(out, resourceOption{Value: rec.GUID + "|" + code, Label: name + " — " + label})
		}
	}
	return out, nil
}

// addLink places a resource of an active tool in the course.
func (a *App) addLink(w http.ResponseWriter, r *http.Request, cr *courseRequest) {
	ctx := r.Context()
	back := coursePath(cr.Course.ID, "")
	fail := func(msg string) {
		a.flashAndRedirect(w, r, cr.Session, flash{Text: msg, Error: true}, back)
	}
	options, err := a.resourceOptions(r)
	if err != nil {
		a.serverError(w, r, cr.Session, "list tools", err)
		return
	}
	value := r.PostFormValue("resource")
	i := slices.IndexFunc(options, func(o resourceOption) bool { return o.Value == value })
	if i < 0 {
		fail("Choose a resource of an active tool.")
		return
	}
	sep := strings.LastIndexByte(value, '|')
	guid, code := value[:sep], value[sep+1:]
	title := strings.TrimSpace(r.PostFormValue("title"))
	if title == "" {
		title = options[i].Label
	}
	raw := r.PostFormValue("custom")
	if len(raw) > maxCustomBytes {
		fail("The custom parameters are too long.")
		return
	}
	custom, err := parseCustom(raw)
	if err != nil {
		fail(err.Error())
		return
	}
	link := store.Link{
		ID:            "link-" + randomHex(8),
		ContextID:     cr.Course.ID,
		ToolProxyGUID: guid,
		ResourceType:  code,
		Title:         title,
		Custom:        custom,
		Gradable:      r.PostFormValue("gradable") != "",
	}
	if err := a.store.PutLink(ctx, link); err != nil {
		a.serverError(w, r, cr.Session, "add link", err)
		return
	}
	a.log.InfoContext(ctx, "lms: link added", "link", link.ID, "context", link.ContextID, "tool", guid,
		"resource", code, "gradable", link.Gradable, "user", cr.Session.UserID)
	a.flashAndRedirect(w, r, cr.Session, flash{Text: "Link “" + title + "” added."}, back)
}

// parseCustom reads custom parameters typed one name=value a line.
func parseCustom(s string) ([]store.Pair, error) {
	var out []store.Pair
	for n, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, fmt.Errorf("custom parameter line %d is not name=value", n+1)
		}
		out = append(out, store.Pair{Name: name, Value: strings.TrimSpace(value)})
	}
	return out, nil
}

// randomHex returns n random bytes as hexadecimal.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails since Go 1.24
	return hex.EncodeToString(b)
}

// launch answers with the signed launch of a link for the session's user,
// as a form the browser posts to the tool.
func (a *App) launch(w http.ResponseWriter, r *http.Request, cr *courseRequest) {
	ctx := r.Context()
	s := cr.Session
	link, err := a.store.Link(ctx, r.PathValue("link"))
	if errors.Is(err, store.ErrNotFound) || (err == nil && link.ContextID != cr.Course.ID) {
		a.errorPage(w, r, s, http.StatusNotFound, "No such link", "This course has no such link.")
		return
	}
	if err != nil {
		a.serverError(w, r, s, "read link", err)
		return
	}
	form, err := a.consumer.Launch(ctx, consumer.LaunchRequest{
		LinkID:    link.ID,
		UserID:    s.UserID,
		ReturnURL: a.base + coursePath(cr.Course.ID, ""),
	})
	if err != nil {
		status, msg := http.StatusBadGateway, msgLaunchFailed
		if errors.Is(err, consumer.ErrNotActive) {
			status, msg = http.StatusConflict, msgToolDisabled
			if rec, rerr := a.store.ToolProxy(ctx, link.ToolProxyGUID); rerr == nil && rec.Status == store.StatusPending {
				msg = msgToolPending
			}
		}
		a.log.WarnContext(ctx, "lms: launch refused", "link", link.ID, "user", s.UserID, "tool", link.ToolProxyGUID, "error", err)
		a.render(w, r, s, status, "error", "The tool cannot be launched", cr.nav(), errorView{Message: msg})
		return
	}
	a.log.InfoContext(ctx, "lms: launch", "link", link.ID, "user", s.UserID, "tool", link.ToolProxyGUID, "context", cr.Course.ID)
	form.ServeHTTP(w, r)
}

// allMembers returns the whole roster of a context, reading every page.
func (a *App) allMembers(r *http.Request, contextID string) ([]store.Member, error) {
	var out []store.Member
	q := store.MemberQuery{Limit: store.MaxMemberLimit}
	for {
		page, next, err := a.store.Members(r.Context(), contextID, q)
		if err != nil {
			return out, fmt.Errorf("members of %s: %w", contextID, err)
		}
		out = append(out, page...)
		if next == "" || next == q.After {
			return out, nil
		}
		q.After = next
	}
}

// gradeCell is one learner's score in one gradable link.
type gradeCell struct {
	LinkID, Score string
}

// gradeRow is one learner's line of the gradebook.
type gradeRow struct {
	UserID, Name string
	Cells        []gradeCell
}

// gradebookData is the data of the gradebook page.
type gradebookData struct {
	Links []store.Link
	Rows  []gradeRow
}

// formatScore writes a score in [0, 1] as a whole percentage.
func formatScore(score *float64) string {
	if score == nil {
		return "—"
	}
	return fmt.Sprintf("%d%%", int(math.Round(*score*100)))
}

// gradebookPage shows each learner's result in each gradable link.
func (a *App) gradebookPage(w http.ResponseWriter, r *http.Request, cr *courseRequest) {
	ctx := r.Context()
	links, err := a.store.ListLinks(ctx, cr.Course.ID)
	if err != nil {
		a.serverError(w, r, cr.Session, "list links", err)
		return
	}
	var data gradebookData
	scores := map[string]map[string]*float64{} // link → user → score
	for _, l := range links {
		if !l.Gradable {
			continue
		}
		data.Links = append(data.Links, l)
		results, err := a.store.ListResults(ctx, l.ID)
		if err != nil {
			a.serverError(w, r, cr.Session, "list results", err)
			return
		}
		byUser := make(map[string]*float64, len(results))
		for _, res := range results {
			byUser[res.UserID] = res.Score
		}
		scores[l.ID] = byUser
	}
	members, err := a.allMembers(r, cr.Course.ID)
	if err != nil {
		a.serverError(w, r, cr.Session, "list members", err)
		return
	}
	for _, m := range members {
		if !m.Active || !slices.ContainsFunc(m.Roles, isLearnerRole) {
			continue
		}
		row := gradeRow{UserID: m.UserID, Name: m.User.Name}
		for _, l := range data.Links {
			row.Cells = append(row.Cells, gradeCell{LinkID: l.ID, Score: formatScore(scores[l.ID][m.UserID])})
		}
		data.Rows = append(data.Rows, row)
	}
	a.render(w, r, cr.Session, http.StatusOK, "gradebook", "Gradebook — "+cr.Course.Title, cr.nav(), data)
}

// scopeView is one settings container of the settings page.
type scopeView struct {
	Kind     store.ScopeKind
	Tool     string
	Link     string
	Heading  string
	Settings []store.Pair
}

// settingsPage shows, for every tool bound in the course, its settings at
// the tool proxy, binding and link scopes.
func (a *App) settingsPage(w http.ResponseWriter, r *http.Request, cr *courseRequest) {
	ctx := r.Context()
	recs, err := a.store.ListToolProxies(ctx)
	if err != nil {
		a.serverError(w, r, cr.Session, "list tool proxies", err)
		return
	}
	links, err := a.store.ListLinks(ctx, cr.Course.ID)
	if err != nil {
		a.serverError(w, r, cr.Session, "list links", err)
		return
	}
	var scopes []scopeView
	read := func(sc store.Scope, heading string) error {
		pairs, err := a.store.ToolSettings(ctx, sc)
		if err != nil {
			return fmt.Errorf("settings of %s %s: %w", sc.Kind, sc.ToolProxyGUID, err)
		}
		scopes = append(scopes, scopeView{Kind: sc.Kind, Tool: sc.ToolProxyGUID, Link: sc.LinkID, Heading: heading, Settings: pairs})
		return nil
	}
	for _, rec := range recs {
		bound, err := a.store.Bound(ctx, rec.GUID, cr.Course.ID)
		if err != nil {
			a.serverError(w, r, cr.Session, "read binding", err)
			return
		}
		if !bound {
			continue
		}
		name := rec.Name
		if name == "" {
			name = rec.GUID
		}
		if err := read(store.Scope{Kind: store.ScopeToolProxy, ToolProxyGUID: rec.GUID}, name+": tool settings"); err != nil {
			a.serverError(w, r, cr.Session, "read settings", err)
			return
		}
		if err := read(store.Scope{Kind: store.ScopeBinding, ToolProxyGUID: rec.GUID, ContextID: cr.Course.ID}, name+": settings in "+cr.Course.Title); err != nil {
			a.serverError(w, r, cr.Session, "read settings", err)
			return
		}
		for _, l := range links {
			if l.ToolProxyGUID != rec.GUID {
				continue
			}
			if err := read(store.Scope{Kind: store.ScopeLink, ToolProxyGUID: rec.GUID, LinkID: l.ID}, name+": link “"+l.Title+"”"); err != nil {
				a.serverError(w, r, cr.Session, "read settings", err)
				return
			}
		}
	}
	a.render(w, r, cr.Session, http.StatusOK, "settings", "Tool settings — "+cr.Course.Title, cr.nav(), scopes)
}

// rosterRow is one member of the roster page.
type rosterRow struct {
	UserID, Name, Email, Roles string
	Active                     bool
}

// rosterPage lists the course's members.
func (a *App) rosterPage(w http.ResponseWriter, r *http.Request, cr *courseRequest) {
	members, err := a.allMembers(r, cr.Course.ID)
	if err != nil {
		a.serverError(w, r, cr.Session, "list members", err)
		return
	}
	rows := make([]rosterRow, 0, len(members))
	for _, m := range members {
		rows = append(rows, rosterRow{UserID: m.UserID, Name: m.User.Name, Email: m.User.Email, Roles: roleLabel(m.Roles), Active: m.Active})
	}
	a.render(w, r, cr.Session, http.StatusOK, "roster", "Roster — "+cr.Course.Title, cr.nav(), rows)
}
