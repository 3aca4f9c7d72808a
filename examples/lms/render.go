package lms

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageNames are the pages, each templates/<name>.html defining "content"
// inside templates/layout.html.
var pageNames = []string{"signin", "tools", "course", "gradebook", "settings", "roster", "error"}

// pages holds the parsed page templates.
type pages struct {
	byName map[string]*template.Template
}

// templateFuncs are the helpers the templates use.
var templateFuncs = template.FuncMap{
	// path escapes one path segment, such as a tool proxy GUID.
	"path": url.PathEscape,
}

func parsePages() (*pages, error) {
	p := &pages{byName: make(map[string]*template.Template, len(pageNames))}
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(templateFuncs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
		p.byName[name] = t
	}
	return p, nil
}

// view is what the layout renders around a page.
type view struct {
	// Title is the page title.
	Title string
	// User is the signed-in user, nil when none.
	User *session
	// CSRF is the session's token for the page's forms.
	CSRF string
	// Flash is the one-time message, nil when none.
	Flash *flash
	// Course is the course of a course page, nil elsewhere.
	Course *courseNav
	// Data is the page's own data.
	Data any
}

// courseNav is the course header of a course page.
type courseNav struct {
	ID, Title string
	// Staff shows the instructor's navigation.
	Staff bool
}

// securityHeaders are sent with every page: no script runs on the LMS's own
// pages, only the inline style of the layout.
func securityHeaders(h http.Header) {
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
}

// render writes a page inside the layout. The session's flash message is
// shown once.
func (a *App) render(w http.ResponseWriter, r *http.Request, s session, status int, name, title string, course *courseNav, data any) {
	v := view{Title: title, CSRF: s.CSRF, Course: course, Data: data}
	if s.UserID != "" {
		v.User = &s
	}
	if s.ID != "" {
		v.Flash = a.sessions.takeFlash(s.ID)
	}
	t, ok := a.pages.byName[name]
	if !ok {
		a.log.ErrorContext(r.Context(), "lms: no such page template", "page", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		a.log.ErrorContext(r.Context(), "lms: render page", "page", name, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	securityHeaders(w.Header())
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// errorView is the data of the error page.
type errorView struct {
	Message string
}

// errorPage answers with a readable error page.
func (a *App) errorPage(w http.ResponseWriter, r *http.Request, s session, status int, title, msg string) {
	a.render(w, r, s, status, "error", title, nil, errorView{Message: msg})
}

// serverError logs an internal failure and answers 500 without its detail.
func (a *App) serverError(w http.ResponseWriter, r *http.Request, s session, what string, err error) {
	a.log.ErrorContext(r.Context(), "lms: "+what, "path", r.URL.Path, "error", err)
	a.errorPage(w, r, s, http.StatusInternalServerError, "Something went wrong",
		"The LMS could not complete the request. Try again later.")
}
