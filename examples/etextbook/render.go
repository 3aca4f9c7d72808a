package etextbook

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
)

// templateFS holds the page templates: layout.html and one file per page.
//
//go:embed templates/*.html
var templateFS embed.FS

// pageNames are the pages, each templates/<name>.html defining "content".
func pageNames() []string {
	return []string{"landing", "book", "quiz", "adopt", "census", "error"}
}

// parsePages parses each page with the layout.
func parsePages() (map[string]*template.Template, error) {
	out := make(map[string]*template.Template)
	for _, name := range pageNames() {
		t, err := template.New(name).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parsing the %s page: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// page is what every page template receives.
type page struct {
	// Title is the page's title.
	Title string
	// User describes the session's user in the header; nil without one.
	User *userView
	// CSRF is the session's CSRF token, for the page's forms.
	CSRF string
	// Flash is a one-time message.
	Flash string
	// Notice is a problem to show above the content, such as a service
	// of the LMS that failed.
	Notice string
	// Data is the page's own data.
	Data any
}

// userView is the session as the header shows it.
type userView struct {
	Name, Role, Course, ReturnURL string
	Instructor                    bool
}

// errorData is the data of the error page.
type errorData struct {
	Status  int
	Heading string
	Message string
	// LaunchRequired says the page needs a launch from the LMS.
	LaunchRequired bool
}

// view returns the page header data of a session.
func (s session) view() *userView {
	return &userView{Name: s.userName, Role: s.roleLabel(), Course: s.contextTitle, ReturnURL: s.returnURL, Instructor: s.instructor}
}

// render writes a page with status. The page is rendered into memory
// first, so that a template error never leaves half a page.
func (a *App) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	var buf bytes.Buffer
	if err := a.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		a.log.ErrorContext(r.Context(), "rendering a page failed", "page", name, "error", err.Error())
		http.Error(w, "The page could not be shown.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// renderError writes the error page.
func (a *App) renderError(w http.ResponseWriter, r *http.Request, status int, user *userView, heading, message string) {
	a.render(w, r, status, "error", page{
		Title: heading,
		User:  user,
		Data:  errorData{Status: status, Heading: heading, Message: message, LaunchRequired: status == http.StatusUnauthorized},
	})
}
