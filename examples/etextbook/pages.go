package etextbook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ltiforge/ltiforge/generated/httpapi"
	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/runtime/launch"
	"github.com/ltiforge/ltiforge/runtime/provider"
)

// landing serves GET /: what the tool is and its registration URL.
func (a *App) landing(w http.ResponseWriter, r *http.Request) {
	type res struct{ Code, Name, Description, Path string }
	var rs []res
	for _, x := range resources() {
		rs = append(rs, res{x.code, x.name, x.description, LaunchPathPrefix + x.code})
	}
	a.render(w, r, http.StatusOK, "landing", page{
		Title: "Open Textbooks",
		Data: struct {
			RegistrationURL string
			Resources       []res
			Books           []Book
		}{a.RegistrationURL(), rs, a.books},
	})
}

// notFound answers paths the tool does not serve.
func (a *App) notFound(w http.ResponseWriter, r *http.Request) {
	a.renderError(w, r, http.StatusNotFound, nil, "Page not found", "The e-textbook has no page at this address.")
}

// launched returns the handler of a verified launch of resource: it
// creates the session and sends the browser to the resource's page.
func (a *App) launched(resource string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		l, ok := launch.FromContext(ctx)
		guid, ok2 := provider.RegistrationFromContext(ctx)
		if !ok || !ok2 {
			a.renderError(w, r, http.StatusInternalServerError, nil, "Launch failed", "The launch could not be read.")
			return
		}
		custom := func(name string) string {
			v, _ := l.CustomValue(name)
			return v
		}
		s := session{
			guid:              guid,
			resource:          resource,
			userID:            l.User.ID,
			userName:          firstNonEmpty(custom(ParamLearnerName), l.User.FullName, l.User.ID, "Anonymous user"),
			roles:             l.Roles,
			instructor:        isInstructor(l),
			learner:           isLearner(l),
			contextID:         l.Context.ID,
			contextTitle:      firstNonEmpty(custom(ParamCourseTitle), l.Context.Title, l.Context.ID),
			linkID:            l.ResourceLink.ID,
			linkTitle:         l.ResourceLink.Title,
			returnURL:         httpURL(l.Presentation.ReturnURL),
			resultURL:         custom(ParamResultURL),
			linkSettingURL:    custom(ParamLinkSettingURL),
			contextSettingURL: custom(ParamContextSettingURL),
			membershipsURL:    custom(ParamContextMembershipsURL),
			customBook:        custom(CustomBook),
			customChapter:     custom(CustomChapter),
		}
		var previous string
		if c, err := r.Cookie(CookieName); err == nil {
			previous = c.Value
		}
		s = a.sessions.create(s, previous)
		http.SetCookie(w, &http.Cookie{
			Name:     CookieName,
			Value:    s.id,
			Path:     "/",
			MaxAge:   int(a.ttl.Seconds()),
			HttpOnly: true,
			Secure:   a.secure,
			SameSite: http.SameSiteLaxMode,
		})
		a.log.InfoContext(ctx, "launch", "resource", resource, "user", s.userID, "role", s.roleLabel(),
			"context", s.contextID, "link", s.linkID, "tool_proxy_guid", guid)
		http.Redirect(w, r, "/"+resource, http.StatusSeeOther)
	})
}

// withSession returns a handler that finds the request's session and
// passes it to next; without a live session it answers 401 with a page
// telling the user to launch the tool from the LMS.
func (a *App) withSession(next func(http.ResponseWriter, *http.Request, session)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(CookieName)
		var s session
		ok := false
		if err == nil {
			s, ok = a.sessions.get(c.Value)
		}
		if !ok {
			a.renderError(w, r, http.StatusUnauthorized, nil, "Please launch the e-textbook from your LMS",
				"This page belongs to a launch from a course, and there is none here: it has expired, or the page was opened directly. Open the link to the e-textbook in your course in your LMS.")
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
			if err := r.ParseForm(); err != nil {
				a.renderError(w, r, http.StatusBadRequest, s.view(), "Bad request", "The form could not be read.")
				return
			}
			if !s.validCSRF(r.PostForm.Get("csrf")) {
				a.log.WarnContext(r.Context(), "refused a form without a valid CSRF token", "path", r.URL.Path, "user", s.userID, "context", s.contextID)
				a.renderError(w, r, http.StatusForbidden, s.view(), "Form expired",
					"The form was not sent from this session of the e-textbook. Go back, reload the page and try again.")
				return
			}
		}
		next(w, r, s)
	})
}

// instructorOnly returns a handler that passes only an instructor's
// session to next and answers 403 to anyone else.
func (a *App) instructorOnly(next func(http.ResponseWriter, *http.Request, session)) func(http.ResponseWriter, *http.Request, session) {
	return func(w http.ResponseWriter, r *http.Request, s session) {
		if !s.instructor {
			a.renderError(w, r, http.StatusForbidden, s.view(), "Instructors only",
				"Only an instructor of the course may open this page.")
			return
		}
		next(w, r, s)
	}
}

// services returns the service clients of the session's registration.
func (a *App) services(ctx context.Context, s session) (*provider.Services, error) {
	svc, err := a.provider.Services(ctx, s.guid)
	if err != nil {
		a.log.WarnContext(ctx, "registration unusable", "tool_proxy_guid", s.guid, "error", err.Error())
		return nil, errors.New("the tool's registration with your LMS is not active; ask your LMS administrator to register the tool again")
	}
	return svc, nil
}

// bookView is the data of the book page.
type bookView struct {
	Book       Book
	Number     int
	Chapter    Chapter
	Prev, Next int
	Chapters   []chapterLink
}

// chapterLink is one entry of the book's contents.
type chapterLink struct {
	Number  int
	Title   string
	Current bool
}

// bookPage serves GET /book: the course's book at the launch's chapter,
// or at ?chapter=N.
func (a *App) bookPage(w http.ResponseWriter, r *http.Request, s session) {
	ctx := r.Context()
	var notices []string
	var svc *provider.Services
	getServices := func() *provider.Services {
		if svc == nil {
			var err error
			if svc, err = a.services(ctx, s); err != nil {
				notices = append(notices, "The e-textbook could not reach your LMS: "+err.Error()+".")
			}
		}
		return svc
	}

	// The book: the course's first adopted book, else the link's, else
	// the default.
	bookID := ""
	if s.contextSettingURL != "" {
		if sv := getServices(); sv != nil {
			settings, err := sv.SettingsAt(ctx, s.contextSettingURL)
			if err != nil {
				a.log.WarnContext(ctx, "reading the course settings failed", "context", s.contextID, "tool_proxy_guid", s.guid, "error", err.Error())
				notices = append(notices, "The course's adopted books could not be read: "+describe(err)+".")
			}
			for _, id := range splitList(settings[SettingAdoptedBooks]) {
				if _, ok := findBook(a.books, id); ok {
					bookID = id
					break
				}
			}
		}
	}
	if _, ok := findBook(a.books, s.customBook); bookID == "" && ok {
		bookID = s.customBook
	}
	if bookID == "" {
		bookID = DefaultBook
	}
	book, _ := findBook(a.books, bookID)

	// The chapter: ?chapter=N, else the launch's custom parameter, else
	// the link's settings, else 1.
	chapter, ok := parseChapter(r.URL.Query().Get("chapter"))
	if !ok {
		chapter, ok = parseChapter(s.customChapter)
	}
	if !ok && s.linkSettingURL != "" {
		if sv := getServices(); sv != nil {
			settings, err := sv.SettingsAt(ctx, s.linkSettingURL)
			if err != nil {
				a.log.WarnContext(ctx, "reading the link settings failed", "link", s.linkID, "tool_proxy_guid", s.guid, "error", err.Error())
				notices = append(notices, "The link's settings could not be read: "+describe(err)+".")
			}
			chapter, ok = parseChapter(settings[SettingChapter])
		}
	}
	if !ok {
		chapter = 1
	}
	chapter = min(max(chapter, 1), len(book.Chapters))

	v := bookView{Book: book, Number: chapter, Chapter: book.Chapters[chapter-1]}
	if chapter > 1 {
		v.Prev = chapter - 1
	}
	if chapter < len(book.Chapters) {
		v.Next = chapter + 1
	}
	for i, c := range book.Chapters {
		v.Chapters = append(v.Chapters, chapterLink{Number: i + 1, Title: c.Title, Current: i+1 == chapter})
	}
	a.render(w, r, http.StatusOK, "book", page{
		Title:  fmt.Sprintf("%s — Chapter %d", book.Title, chapter),
		User:   s.view(),
		Notice: strings.Join(notices, " "),
		Data:   v,
	})
}

// quizView is the data of the quiz page.
type quizView struct {
	Questions []Question
	// ReadOnly shows the quiz without a way to submit it.
	ReadOnly bool
	// Submitted is set on the result page.
	Submitted bool
	// Correct and Total are the score.
	Correct, Total int
	// Sent says the score reached the gradebook; GradeError says why not.
	Sent       bool
	GradeError string
}

// mayTakeQuiz reports whether a session may submit the quiz: a learner's
// (an instructor sees the quiz read-only).
func (s session) mayTakeQuiz() bool { return s.learner && !s.instructor }

// quizPage serves GET /quiz.
func (a *App) quizPage(w http.ResponseWriter, r *http.Request, s session) {
	a.render(w, r, http.StatusOK, "quiz", page{
		Title: "Weekly assessment",
		User:  s.view(),
		CSRF:  s.csrf,
		Data:  quizView{Questions: a.quiz, ReadOnly: !s.mayTakeQuiz()},
	})
}

// quizSubmit serves POST /quiz: it scores the answers and sends the score
// to the gradebook through the launch's result URL.
func (a *App) quizSubmit(w http.ResponseWriter, r *http.Request, s session) {
	ctx := r.Context()
	if !s.mayTakeQuiz() {
		a.renderError(w, r, http.StatusForbidden, s.view(), "Learners only", "Only a learner of the course may submit the quiz.")
		return
	}
	correct := 0
	for _, q := range a.quiz {
		if want, ok := a.answers[q.Name]; ok && r.PostForm.Get(q.Name) == want {
			correct++
		}
	}
	v := quizView{Questions: a.quiz, Submitted: true, Correct: correct, Total: len(a.quiz)}
	score := float64(correct) / float64(len(a.quiz))
	switch {
	case s.resource != ResourceQuiz:
		v.GradeError = "This page was not opened from the quiz's link in your course, so the score was not sent to the gradebook. Open the quiz from your course to have it graded."
	case s.resultURL == "":
		v.GradeError = "The quiz's link in your course is not gradable, so there is no gradebook entry to send the score to."
	default:
		svc, err := a.services(ctx, s)
		if err == nil {
			comment := fmt.Sprintf("%d of %d questions answered correctly.", correct, len(a.quiz))
			err = svc.PutResultAt(ctx, s.resultURL, &lti2.Result{ResultScore: &score, Comment: lti2.DataValueType(comment)})
			if err != nil {
				a.log.WarnContext(ctx, "sending a grade failed", "user", s.userID, "context", s.contextID, "link", s.linkID, "tool_proxy_guid", s.guid, "error", err.Error())
				err = errors.New(describe(err))
			}
		}
		if err != nil {
			v.GradeError = "The score could not be sent to the gradebook: " + err.Error() + "."
			break
		}
		v.Sent = true
		a.log.InfoContext(ctx, "grade sent", "user", s.userID, "context", s.contextID, "link", s.linkID, "score", score, "tool_proxy_guid", s.guid)
	}
	a.render(w, r, http.StatusOK, "quiz", page{Title: "Weekly assessment", User: s.view(), Data: v})
}

// adoptView is the data of the adoption page.
type adoptView struct {
	Catalog []Book
	Adopted []Book
}

// adoptPage serves GET /adopt: the catalog and the course's adopted books.
func (a *App) adoptPage(w http.ResponseWriter, r *http.Request, s session) {
	ctx := r.Context()
	v := adoptView{Catalog: a.books}
	notice := ""
	if settings, err := a.courseSettings(ctx, s); err != nil {
		notice = "The course's adopted books could not be read: " + err.Error() + "."
	} else {
		for _, id := range splitList(settings[SettingAdoptedBooks]) {
			b, ok := findBook(a.books, id)
			if !ok {
				b = Book{ID: id, Title: id}
			}
			v.Adopted = append(v.Adopted, b)
		}
	}
	a.render(w, r, http.StatusOK, "adopt", page{
		Title:  "Book adoption",
		User:   s.view(),
		CSRF:   s.csrf,
		Flash:  a.sessions.takeFlash(s.id),
		Notice: notice,
		Data:   v,
	})
}

// adoptSubmit serves POST /adopt: it adds a book to the course's adopted
// books, in the binding-scope settings of the consumer, keeping every
// other setting it read.
func (a *App) adoptSubmit(w http.ResponseWriter, r *http.Request, s session) {
	ctx := r.Context()
	id := r.PostForm.Get("book")
	book, ok := findBook(a.books, id)
	if !ok {
		a.renderError(w, r, http.StatusBadRequest, s.view(), "Unknown book", "The catalog has no such book.")
		return
	}
	flash, err := a.adopt(ctx, s, book)
	if err != nil {
		flash = "The adoption of " + book.Title + " could not be saved: " + err.Error() + "."
	}
	a.sessions.setFlash(s.id, flash)
	http.Redirect(w, r, "/adopt", http.StatusSeeOther)
}

// adopt adds book to the course's adopted books and returns the message
// to show.
func (a *App) adopt(ctx context.Context, s session, book Book) (string, error) {
	settings, err := a.courseSettings(ctx, s)
	if err != nil {
		return "", err
	}
	adopted := splitList(settings[SettingAdoptedBooks])
	if slices.Contains(adopted, book.ID) {
		return book.Title + " is already adopted for " + s.contextTitle + ".", nil
	}
	adopted = append(adopted, book.ID)
	if settings == nil {
		settings = make(map[string]string)
	}
	settings[SettingAdoptedBooks] = strings.Join(adopted, ",")
	svc, err := a.services(ctx, s)
	if err != nil {
		return "", err
	}
	if err := svc.PutSettingsAt(ctx, s.contextSettingURL, settings); err != nil {
		a.log.WarnContext(ctx, "saving an adoption failed", "context", s.contextID, "book", book.ID, "tool_proxy_guid", s.guid, "error", err.Error())
		return "", errors.New(describe(err))
	}
	a.log.InfoContext(ctx, "book adopted", "book", book.ID, "context", s.contextID, "user", s.userID,
		"adopted_books", settings[SettingAdoptedBooks], "tool_proxy_guid", s.guid)
	return book.Title + " is adopted for " + s.contextTitle + ".", nil
}

// courseSettings reads the binding-scope settings of the session's
// course. Its errors are readable messages.
func (a *App) courseSettings(ctx context.Context, s session) (map[string]string, error) {
	if s.contextSettingURL == "" {
		return nil, errors.New("the launch carried no course settings URL (ToolProxyBinding.custom.url)")
	}
	svc, err := a.services(ctx, s)
	if err != nil {
		return nil, err
	}
	settings, err := svc.SettingsAt(ctx, s.contextSettingURL)
	if err != nil {
		a.log.WarnContext(ctx, "reading the course settings failed", "context", s.contextID, "tool_proxy_guid", s.guid, "error", err.Error())
		return nil, errors.New(describe(err))
	}
	return settings, nil
}

// censusRow is one member of the census.
type censusRow struct {
	UserID, Name, Role, Status string
}

// censusPage serves GET /census: the course's roster, from the Membership
// service.
func (a *App) censusPage(w http.ResponseWriter, r *http.Request, s session) {
	ctx := r.Context()
	var rows []censusRow
	notice := ""
	members, err := a.members(ctx, s)
	if err != nil {
		notice = "The course's roster could not be read: " + err.Error() + "."
	}
	for _, m := range members {
		row := censusRow{Status: "active"}
		if m.Member != nil {
			row.UserID = m.Member.UserID
			row.Name = m.Member.Name
		}
		if row.Name == "" {
			row.Name = "(name not shared)"
		}
		if m.Status != "" && !strings.HasSuffix(string(m.Status), "Active") {
			row.Status = "inactive"
		}
		var roles []string
		for _, role := range m.Role {
			roles = append(roles, shortRole(string(role)))
		}
		row.Role = strings.Join(roles, ", ")
		rows = append(rows, row)
	}
	a.render(w, r, http.StatusOK, "census", page{
		Title:  "Billing census",
		User:   s.view(),
		Notice: notice,
		Data: struct {
			Members []censusRow
			Failed  bool
		}{rows, err != nil},
	})
}

// members reads the course's roster. Its errors are readable messages.
func (a *App) members(ctx context.Context, s session) ([]lti2.Membership, error) {
	if s.membershipsURL == "" {
		return nil, errors.New("the launch carried no roster URL (ToolProxyBinding.memberships.url)")
	}
	svc, err := a.services(ctx, s)
	if err != nil {
		return nil, err
	}
	members, err := svc.Members(ctx, s.membershipsURL)
	if err != nil {
		a.log.WarnContext(ctx, "reading the roster failed", "context", s.contextID, "tool_proxy_guid", s.guid, "error", err.Error())
		return nil, errors.New(describe(err))
	}
	a.log.InfoContext(ctx, "census read", "context", s.contextID, "user", s.userID, "members", len(members), "tool_proxy_guid", s.guid)
	return members, nil
}

// describe turns an error of a call to the consumer into a short message
// for the page: the status and the consumer's explanation, or that the
// LMS could not be reached. It never holds a secret.
func describe(err error) string {
	var he *httpapi.Error
	if errors.As(err, &he) {
		msg := fmt.Sprintf("the LMS answered %d %s", he.Status, http.StatusText(he.Status))
		if he.Problem != nil {
			if detail := firstNonEmpty(he.Problem.Detail, he.Problem.Title); detail != "" {
				msg += " (" + truncate(detail, 200) + ")"
			}
		}
		return msg
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "the LMS did not answer in time"
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return "the LMS could not be reached"
	}
	return "the request to the LMS failed"
}

// Role sets, as launches send them: LIS context role URNs (and their
// sub-roles) and LIS v2 membership IRIs.
func instructorRoles() []lti2.Role {
	return []lti2.Role{
		lti2.RoleContextInstructor, lti2.RoleMembershipInstructor, lti2.RoleMembershipPrimaryInstructor,
		lti2.RoleMembershipSecondaryInstructor, lti2.RoleMembershipLecturer,
		lti2.RoleMembershipGuestInstructor, lti2.RoleMembershipExternalInstructor,
	}
}

func learnerRoles() []lti2.Role {
	return []lti2.Role{
		lti2.RoleContextLearner, lti2.RoleMembershipLearner, lti2.RoleMembershipNonCreditLearner,
		lti2.RoleMembershipGuestLearner, lti2.RoleMembershipExternalLearner,
	}
}

// isInstructor reports whether the launch's user is an instructor of the
// context.
func isInstructor(l *launch.Launch) bool {
	return slices.ContainsFunc(instructorRoles(), l.HasRole)
}

// isLearner reports whether the launch's user is a learner of the context.
func isLearner(l *launch.Launch) bool {
	return slices.ContainsFunc(learnerRoles(), l.HasRole)
}

// roleLabel names the session's role for people.
func (s session) roleLabel() string {
	switch {
	case s.instructor:
		return "Instructor"
	case s.learner:
		return "Learner"
	}
	var out []string
	for _, r := range s.roles {
		out = append(out, shortRole(string(r)))
	}
	if len(out) == 0 {
		return "no role"
	}
	return strings.Join(out, ", ")
}

// shortRole returns the short name of a role URN or IRI: Instructor,
// Learner/GuestLearner, …
func shortRole(r string) string {
	if i := strings.LastIndexByte(r, '#'); i >= 0 {
		return r[i+1:]
	}
	for _, prefix := range []string{"urn:lti:role:ims/lis/", "urn:lti:instrole:ims/lis/", "urn:lti:sysrole:ims/lis/"} {
		if rest, ok := strings.CutPrefix(r, prefix); ok {
			return rest
		}
	}
	return r
}

// splitList splits a comma list, dropping blanks and repeats.
func splitList(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		if item != "" && !slices.Contains(out, item) {
			out = append(out, item)
		}
	}
	return out
}

// parseChapter parses a chapter number, which must be a positive integer.
func parseChapter(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 {
		return 0, false
	}
	return n, true
}

// httpURL returns u when it is an absolute http or https URL, else "".
func httpURL(u string) string {
	if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		return u
	}
	return ""
}

// firstNonEmpty returns the first of ss that is not empty.
func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// truncate shortens s to at most n bytes, on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
