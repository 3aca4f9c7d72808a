package lms

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/runtime/store"
)

// current returns the session of the request's cookie, if it is live.
func (a *App) current(r *http.Request) (session, bool) {
	c, err := r.Cookie(cookieName)
	if err != nil || c.Value == "" {
		return session{}, false
	}
	return a.sessions.get(c.Value)
}

// setCookie gives the browser the session's cookie.
func (a *App) setCookie(w http.ResponseWriter, s session) {
	http.SetCookie(w, &http.Cookie{
		Name:     cookieName,
		Value:    s.ID,
		Path:     "/",
		HttpOnly: true,
		Secure:   a.secure,
		SameSite: http.SameSiteLaxMode,
	})
}

// clearCookie removes the session cookie from the browser.
func (a *App) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name:     cookieName,
		Value:    "",
		Path:     "/",
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   a.secure,
		SameSite: http.SameSiteLaxMode,
	})
}

// flashAndRedirect records a message for the next page and sends the
// browser there with a 303.
func (a *App) flashAndRedirect(w http.ResponseWriter, r *http.Request, s session, f flash, to string) {
	a.sessions.setFlash(s.ID, f)
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// isAdmin reports whether userID is a system administrator.
func (a *App) isAdmin(userID string) bool { return slices.Contains(a.admins, userID) }

// signinOption is one user of the sign-in list.
type signinOption struct {
	ID, Label string
	Selected  bool
}

// signinPage shows the user switch. A browser without a session gets an
// anonymous one, so that the form carries a CSRF token.
func (a *App) signinPage(w http.ResponseWriter, r *http.Request) {
	s, ok := a.current(r)
	if !ok {
		s = a.sessions.create(session{})
		a.setCookie(w, s)
	}
	var opts []signinOption
	seen := map[string]bool{}
	add := func(id, label string) {
		if !seen[id] {
			seen[id] = true
			opts = append(opts, signinOption{ID: id, Label: label, Selected: id == s.UserID})
		}
	}
	ctx := r.Context()
	for _, id := range a.admins {
		u, err := a.store.User(ctx, id)
		if err != nil {
			if !errors.Is(err, store.ErrNotFound) {
				a.serverError(w, r, s, "read user", err)
				return
			}
			continue
		}
		add(u.ID, u.Name+" (Administrator)")
	}
	courses, err := a.store.ListContexts(ctx)
	if err != nil {
		a.serverError(w, r, s, "list courses", err)
		return
	}
	for _, c := range courses {
		members, err := a.allMembers(r, c.ID)
		if err != nil {
			a.serverError(w, r, s, "list members", err)
			return
		}
		for _, m := range members {
			if m.Active {
				add(m.UserID, m.User.Name+" ("+roleLabel(m.Roles)+", "+c.Label+")")
			}
		}
	}
	a.render(w, r, s, http.StatusOK, "signin", "Sign in", nil, opts)
}

// signin starts the session of the chosen user, replacing the browser's
// session (so that an identifier known before sign-in is worthless after).
func (a *App) signin(w http.ResponseWriter, r *http.Request) {
	old, ok := a.current(r)
	if !ok || !validCSRF(r, old) {
		a.errorPage(w, r, session{}, http.StatusForbidden, "Session expired",
			"The form was stale or did not come from this site. Go back to the sign-in page and try again.")
		return
	}
	ctx := r.Context()
	userID := r.PostFormValue("user")
	u, err := a.store.User(ctx, userID)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			a.errorPage(w, r, old, http.StatusBadRequest, "Unknown user", "There is no such user.")
			return
		}
		a.serverError(w, r, old, "read user", err)
		return
	}
	next := session{UserID: u.ID, Name: u.Name}
	var to string
	if a.isAdmin(u.ID) {
		next.Admin = true
		next.RoleLabel = "Administrator"
		to = "/admin/tools"
	} else {
		courses, err := a.store.ListContexts(ctx)
		if err != nil {
			a.serverError(w, r, old, "list courses", err)
			return
		}
		for _, c := range courses {
			m, err := a.store.Membership(ctx, c.ID, u.ID)
			if errors.Is(err, store.ErrNotFound) || (err == nil && !m.Active) {
				continue
			}
			if err != nil {
				a.serverError(w, r, old, "read membership", err)
				return
			}
			next.RoleLabel = roleLabel(m.Roles)
			to = "/courses/" + url.PathEscape(c.ID)
			break
		}
		if to == "" {
			a.errorPage(w, r, old, http.StatusForbidden, "Not enrolled", "This user is not enrolled in any course.")
			return
		}
	}
	a.sessions.delete(old.ID)
	s := a.sessions.create(next)
	a.setCookie(w, s)
	a.log.InfoContext(ctx, "lms: signed in", "user", u.ID)
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// signout ends the session.
func (a *App) signout(w http.ResponseWriter, r *http.Request) {
	s, ok := a.current(r)
	if !ok {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	if !validCSRF(r, s) {
		a.csrfRefused(w, r, s)
		return
	}
	a.sessions.delete(s.ID)
	a.clearCookie(w)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// csrfRefused answers a POST whose CSRF token is missing or wrong.
func (a *App) csrfRefused(w http.ResponseWriter, r *http.Request, s session) {
	a.log.WarnContext(r.Context(), "lms: form refused: bad CSRF token", "path", r.URL.Path, "user", s.UserID)
	a.errorPage(w, r, s, http.StatusForbidden, "Form refused",
		"The form was stale or did not come from this site. Reload the page and try again.")
}

// signedIn returns the signed-in session, or sends the browser to the
// sign-in page.
func (a *App) signedIn(w http.ResponseWriter, r *http.Request) (session, bool) {
	s, ok := a.current(r)
	if !ok || s.UserID == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return session{}, false
	}
	return s, true
}

// admin wraps a page only system administrators may see.
func (a *App) admin(h func(http.ResponseWriter, *http.Request, session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, ok := a.signedIn(w, r)
		if !ok {
			return
		}
		if !s.Admin {
			a.forbidden(w, r, s, "This page is for administrators.")
			return
		}
		h(w, r, s)
	}
}

// adminPost wraps a form POST only system administrators may send, with
// its CSRF check.
func (a *App) adminPost(h func(http.ResponseWriter, *http.Request, session)) http.HandlerFunc {
	return a.admin(func(w http.ResponseWriter, r *http.Request, s session) {
		if !validCSRF(r, s) {
			a.csrfRefused(w, r, s)
			return
		}
		h(w, r, s)
	})
}

// access says who may use a course page.
type access int

const (
	// accessMember: the course's members and administrators.
	accessMember access = iota
	// accessEnrolled: the course's members only.
	accessEnrolled
	// accessStaff: the course's instructors and administrators.
	accessStaff
	// accessInstructor: the course's instructors only.
	accessInstructor
)

// courseRequest is a request to a course page by a user allowed to see it.
type courseRequest struct {
	Session session
	Course  store.Context
	// Roles are the user's roles in the course (none for an
	// administrator who is not enrolled).
	Roles []string
	// Member, Instructor and Admin say what the user is.
	Member, Instructor, Admin bool
}

// course wraps a course page: it finds the course and the user's roles in
// it and enforces who, and for a POST checks the CSRF token.
func (a *App) course(who access, h func(http.ResponseWriter, *http.Request, *courseRequest)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, ok := a.signedIn(w, r)
		if !ok {
			return
		}
		ctx := r.Context()
		c, err := a.store.Context(ctx, r.PathValue("course"))
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				a.errorPage(w, r, s, http.StatusNotFound, "No such course", "There is no course at this address.")
				return
			}
			a.serverError(w, r, s, "read course", err)
			return
		}
		cr := &courseRequest{Session: s, Course: c, Admin: s.Admin}
		m, err := a.store.Membership(ctx, c.ID, s.UserID)
		switch {
		case err == nil && m.Active:
			cr.Roles = m.Roles
			cr.Member = true
			cr.Instructor = slices.ContainsFunc(m.Roles, isInstructorRole)
		case err == nil, errors.Is(err, store.ErrNotFound):
		default:
			a.serverError(w, r, s, "read membership", err)
			return
		}
		var allowed bool
		switch who {
		case accessMember:
			allowed = cr.Member || cr.Admin
		case accessEnrolled:
			allowed = cr.Member
		case accessStaff:
			allowed = cr.Instructor || cr.Admin
		case accessInstructor:
			allowed = cr.Instructor
		}
		if !allowed {
			a.forbidden(w, r, s, forbiddenMessage(who))
			return
		}
		if r.Method == http.MethodPost && !validCSRF(r, s) {
			a.csrfRefused(w, r, s)
			return
		}
		h(w, r, cr)
	}
}

// forbiddenMessage explains a refusal by who may use the page.
func forbiddenMessage(who access) string {
	switch who {
	case accessEnrolled:
		return "Only members of this course can launch its tools."
	case accessStaff, accessInstructor:
		return "This page is for the course's instructors."
	default:
		return "You are not a member of this course."
	}
}

// forbidden answers 403 with a readable page.
func (a *App) forbidden(w http.ResponseWriter, r *http.Request, s session, msg string) {
	a.errorPage(w, r, s, http.StatusForbidden, "Not allowed", msg)
}

// instructorRoles are the LIS v2 membership roles that count as teaching.
var instructorRoles = []lti2.Role{
	lti2.RoleMembershipInstructor, lti2.RoleMembershipPrimaryInstructor, lti2.RoleMembershipSecondaryInstructor,
	lti2.RoleMembershipLecturer, lti2.RoleMembershipGuestInstructor, lti2.RoleMembershipExternalInstructor,
}

// learnerRoles are the LIS v2 membership roles that count as learning.
var learnerRoles = []lti2.Role{
	lti2.RoleMembershipLearner, lti2.RoleMembershipNonCreditLearner,
	lti2.RoleMembershipGuestLearner, lti2.RoleMembershipExternalLearner,
}

// isInstructorRole reports whether a full role URI is an instructor's.
func isInstructorRole(r string) bool {
	return slices.Contains(instructorRoles, lti2.Role(r)) || hasRolePrefix(r, lti2.RoleContextInstructor)
}

// isLearnerRole reports whether a full role URI is a learner's.
func isLearnerRole(r string) bool {
	return slices.Contains(learnerRoles, lti2.Role(r)) || hasRolePrefix(r, lti2.RoleContextLearner)
}

// hasRolePrefix reports whether r is the URN role or one of its sub-roles.
func hasRolePrefix(r string, role lti2.Role) bool {
	return r == string(role) || strings.HasPrefix(r, string(role)+"/")
}

// shortRole returns the last part of a role URI: "Instructor" for
// http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor.
func shortRole(r string) string {
	if i := strings.LastIndexAny(r, "#/:"); i >= 0 {
		return r[i+1:]
	}
	return r
}

// roleLabel returns the short names of roles, comma separated.
func roleLabel(roles []string) string {
	out := make([]string, 0, len(roles))
	for _, r := range roles {
		if s := shortRole(r); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return "Member"
	}
	return strings.Join(out, ", ")
}
