package lms

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/runtime/consumer"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// The flash messages of the registration return.
const (
	msgRegistered   = "Tool registered; approve it to use it."
	msgReregistered = "The tool proposed a new registration; confirm it to put it in force, or dismiss it."
	msgRegFailed    = "The tool registration failed."
)

// versionLTI2 is the Version of an LTI 2 tool proxy.
const versionLTI2 = "LTI-2p0"

// toolRow is one tool proxy in the administrator's table.
type toolRow struct {
	GUID, Name, Version string
	Status              store.Status
	// Services are the offer names the security contract enables.
	Services string
	// LTI2 marks a registered LTI 2 tool proxy.
	LTI2 bool
	// Reregistration marks a re-registration awaiting confirmation.
	Reregistration bool
}

// Pending, Active and Disabled report the row's status.
func (t toolRow) Pending() bool { return t.Status == store.StatusPending }

// Active reports whether the tool is active.
func (t toolRow) Active() bool { return t.Status == store.StatusActive }

// Disabled reports whether the tool is disabled.
func (t toolRow) Disabled() bool { return t.Status == store.StatusDisabled }

// toolsPage lists the tool proxies with their actions and the forms that
// add tools.
func (a *App) toolsPage(w http.ResponseWriter, r *http.Request, s session) {
	recs, err := a.store.ListToolProxies(r.Context())
	if err != nil {
		a.serverError(w, r, s, "list tool proxies", err)
		return
	}
	rows := make([]toolRow, 0, len(recs))
	for _, rec := range recs {
		row := toolRow{GUID: rec.GUID, Name: rec.Name, Version: rec.Version, Status: rec.Status,
			LTI2: rec.Version == versionLTI2, Reregistration: rec.Pending != nil}
		if row.Name == "" {
			row.Name = rec.GUID
		}
		if row.LTI2 {
			doc, err := lti2.DecodeToolProxy(rec.Document)
			if err != nil {
				a.log.WarnContext(r.Context(), "lms: unreadable tool proxy document", "guid", rec.GUID, "error", err)
			} else {
				row.Services = strings.Join(contractServices(doc), ", ")
			}
		}
		rows = append(rows, row)
	}
	courses, err := a.store.ListContexts(r.Context())
	if err != nil {
		a.serverError(w, r, s, "list courses", err)
		return
	}
	a.render(w, r, s, http.StatusOK, "tools", "Tools", nil, toolsPageData{Tools: rows, Courses: courses})
}

// toolsPageData is the data of the tools page.
type toolsPageData struct {
	Tools []toolRow
	// Courses are listed so that the administrator can open them.
	Courses []store.Context
}

// contractServices returns the offer names (the fragments of the service
// @ids) the tool proxy's security contract enables.
func contractServices(tp *lti2.ToolProxy) []string {
	if tp.SecurityContract == nil {
		return nil
	}
	var out []string
	for _, list := range [][]lti2.ServiceProfile{tp.SecurityContract.ToolService, tp.SecurityContract.EndUserService} {
		for _, sp := range list {
			if sp == nil {
				continue
			}
			name := sp.GetService()
			if i := strings.LastIndexByte(name, '#'); i >= 0 {
				name = name[i+1:]
			} else if i := strings.IndexByte(name, ':'); i >= 0 && !strings.Contains(name[i:], "/") {
				name = name[i+1:]
			}
			out = append(out, name)
		}
	}
	return out
}

// register starts an LTI 2 registration: the answer is the
// ToolProxyRegistrationRequest form, which the browser posts to the tool.
func (a *App) register(w http.ResponseWriter, r *http.Request, s session) {
	toolURL := strings.TrimSpace(r.PostFormValue("url"))
	form, err := a.consumer.StartRegistration(r.Context(), consumer.RegistrationRequest{
		ToolURL:   toolURL,
		ReturnURL: a.base + "/admin/tools/registered",
		UserID:    s.UserID,
		Roles:     []lti2.Role{lti2.RoleSystemSysAdmin},
	})
	if err != nil {
		a.log.WarnContext(r.Context(), "lms: registration not started", "url", toolURL, "error", err)
		a.flashAndRedirect(w, r, s, flash{Text: "The registration could not start: enter the tool's absolute http(s) registration URL.", Error: true}, "/admin/tools")
		return
	}
	a.log.InfoContext(r.Context(), "lms: tool registration started", "url", toolURL, "user", s.UserID)
	form.ServeHTTP(w, r)
}

// registered receives the administrator back from the tool after a
// registration or re-registration, and shows the outcome on the tools page.
func (a *App) registered(w http.ResponseWriter, r *http.Request, s session) {
	q := r.URL.Query()
	guid := q.Get("tool_proxy_guid")
	note := q.Get("lti_msg")
	if note == "" {
		note = q.Get("lti_message")
	}
	rereg := q.Get("op") == "reregister"
	if q.Get("status") != "success" {
		msg := q.Get("lti_errormsg")
		if msg == "" {
			msg = msgRegFailed
		}
		a.log.WarnContext(r.Context(), "lms: tool registration failed", "guid", guid, "reregistration", rereg, "reason", msg)
		a.flashAndRedirect(w, r, s, flash{Text: msg, Note: note, Error: true}, "/admin/tools")
		return
	}
	text := msgRegistered
	if rereg {
		text = msgReregistered
		a.log.InfoContext(r.Context(), "lms: tool re-registration proposed", "guid", guid, "user", s.UserID)
	} else {
		a.log.InfoContext(r.Context(), "lms: tool registered", "guid", guid, "user", s.UserID)
	}
	a.flashAndRedirect(w, r, s, flash{Text: text, Note: note}, "/admin/tools")
}

// addLTI1 adds an LTI 1 tool by consumer key and secret.
func (a *App) addLTI1(w http.ResponseWriter, r *http.Request, s session) {
	t := consumer.LTI1Tool{
		Name:      strings.TrimSpace(r.PostFormValue("name")),
		Key:       strings.TrimSpace(r.PostFormValue("key")),
		Secret:    r.PostFormValue("secret"),
		LaunchURL: strings.TrimSpace(r.PostFormValue("url")),
	}
	if t.Name == "" {
		t.Name = t.Key
	}
	if err := a.consumer.AddLTI1Tool(r.Context(), t); err != nil {
		msg := "The LTI 1 tool was not added: it needs a key, a secret and an absolute http(s) launch URL."
		if errors.Is(err, store.ErrConflict) {
			msg = "A tool with this consumer key already exists."
		}
		a.log.WarnContext(r.Context(), "lms: LTI 1 tool not added", "key", t.Key, "error", err)
		a.flashAndRedirect(w, r, s, flash{Text: msg, Error: true}, "/admin/tools")
		return
	}
	a.log.InfoContext(r.Context(), "lms: LTI 1 tool added", "key", t.Key, "name", t.Name, "user", s.UserID)
	a.flashAndRedirect(w, r, s, flash{Text: "LTI 1 tool " + t.Name + " added."}, "/admin/tools")
}

// toolAction runs one of a tool row's buttons: approve, disable,
// reregister, confirm or dismiss.
func (a *App) toolAction(w http.ResponseWriter, r *http.Request, s session) {
	ctx := r.Context()
	guid := r.PathValue("guid")
	rec, err := a.store.ToolProxy(ctx, guid)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			a.errorPage(w, r, s, http.StatusNotFound, "No such tool", "There is no tool with this identifier.")
			return
		}
		a.serverError(w, r, s, "read tool proxy", err)
		return
	}
	name := rec.Name
	if name == "" {
		name = rec.GUID
	}
	fail := func(msg string, err error) {
		a.log.WarnContext(ctx, "lms: tool action failed", "action", r.PathValue("action"), "guid", guid, "error", err)
		a.flashAndRedirect(w, r, s, flash{Text: msg, Error: true}, "/admin/tools")
	}
	switch r.PathValue("action") {
	case "approve":
		if err := a.consumer.Approve(ctx, guid); err != nil {
			fail("The tool could not be approved.", err)
			return
		}
		a.log.InfoContext(ctx, "lms: tool approved", "guid", guid, "user", s.UserID)
		a.flashAndRedirect(w, r, s, flash{Text: name + " is active."}, "/admin/tools")
	case "disable":
		if err := a.consumer.Disable(ctx, guid); err != nil {
			fail("The tool could not be disabled.", err)
			return
		}
		a.log.InfoContext(ctx, "lms: tool disabled", "guid", guid, "user", s.UserID)
		a.flashAndRedirect(w, r, s, flash{Text: name + " is disabled."}, "/admin/tools")
	case "reregister":
		form, err := a.consumer.StartReregistration(ctx, guid, a.base+"/admin/tools/registered?op=reregister")
		if err != nil {
			fail("The re-registration could not start: only an active LTI 2 tool with a re-registration handler can re-register.", err)
			return
		}
		a.log.InfoContext(ctx, "lms: tool re-registration started", "guid", guid, "user", s.UserID)
		form.ServeHTTP(w, r)
	case "confirm", "dismiss":
		accept := r.PathValue("action") == "confirm"
		if err := a.consumer.Confirm(ctx, guid, accept); err != nil {
			msg := "The tool did not acknowledge the confirmation; the old registration stays in force. Try again later."
			if errors.Is(err, consumer.ErrNoProposal) {
				msg = "No re-registration of this tool is waiting."
			}
			fail(msg, err)
			return
		}
		if accept {
			a.log.InfoContext(ctx, "lms: tool re-registration confirmed", "guid", guid, "user", s.UserID)
			a.flashAndRedirect(w, r, s, flash{Text: "The new registration of " + name + " is in force."}, "/admin/tools")
		} else {
			a.log.InfoContext(ctx, "lms: tool re-registration dismissed", "guid", guid, "user", s.UserID)
			a.flashAndRedirect(w, r, s, flash{Text: "The re-registration of " + name + " was dismissed."}, "/admin/tools")
		}
	default:
		a.errorPage(w, r, s, http.StatusNotFound, "No such action", "There is no such tool action.")
	}
}

// Action is the path of one of the row's actions.
func (t toolRow) Action(action string) string {
	return "/admin/tools/" + url.PathEscape(t.GUID) + "/" + action
}
