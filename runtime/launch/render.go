package launch

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"html/template"
	"io"
	"net/http"
)

// RenderOptions adjust the HTML page of a launch form. The zero value is
// ready to use.
type RenderOptions struct {
	// Title is the page title; "" means "Launching…".
	Title string
	// Button is the label of the submit button; "" means "Continue".
	Button string
	// Target is the form's target attribute (such as "_blank" or the
	// name of an iframe); "" submits in the same browsing context.
	Target string
	// ScriptNonce, when not empty, is put on the inline script as its
	// nonce attribute, for a Content-Security-Policy with script-src
	// 'nonce-…'.
	ScriptNonce string
}

// formPage is the launch page: every field hidden, a visible submit button
// (the only way forward when scripts are off), and an inline script that
// submits the form at once. The script calls HTMLFormElement's own submit,
// so a field named "submit" cannot shadow it. No external resource is
// loaded.
var formPage = template.Must(template.New("launch").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
</head>
<body>
<form id="ltiforge-launch" method="post" action="{{.Action}}" enctype="application/x-www-form-urlencoded"{{with .Target}} target="{{.}}"{{end}}>
{{- range .Params}}
<input type="hidden" name="{{.Key}}" value="{{.Value}}">
{{- end}}
<noscript><p>Scripts are off: press the button to continue.</p></noscript>
<button type="submit">{{.Button}}</button>
</form>
<script{{with .Nonce}} nonce="{{.}}"{{end}}>
(function () {
  var f = document.getElementById("ltiforge-launch");
  if (f) { HTMLFormElement.prototype.submit.call(f); }
})();
</script>
</body>
</html>
`))

// Render writes f as an HTML page whose form submits itself: every
// parameter a hidden field, every name and value HTML-escaped.
func (f *Form) Render(w io.Writer, o RenderOptions) error {
	data := struct {
		Title, Button, Target, Nonce string
		Action                       string
		Params                       []Param
	}{o.Title, o.Button, o.Target, o.ScriptNonce, f.Action, f.Params}
	if data.Title == "" {
		data.Title = "Launching…"
	}
	if data.Button == "" {
		data.Button = "Continue"
	}
	return formPage.Execute(w, data)
}

// ServeHTTP answers with the rendered form. The response is never cached
// (the form is signed for one use) and carries a Content-Security-Policy
// that allows only the page's own inline script, by a fresh nonce.
func (f *Form) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	var raw [18]byte
	if _, err := rand.Read(raw[:]); err != nil {
		http.Error(w, "launch: no randomness for the script nonce", http.StatusInternalServerError)
		return
	}
	nonce := base64.RawURLEncoding.EncodeToString(raw[:])
	var buf bytes.Buffer
	if err := f.Render(&buf, RenderOptions{ScriptNonce: nonce}); err != nil {
		http.Error(w, "launch: rendering the launch form failed", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'nonce-"+nonce+"'; base-uri 'none'")
	_, _ = w.Write(buf.Bytes())
}
