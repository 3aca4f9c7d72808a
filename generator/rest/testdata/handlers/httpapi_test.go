// These tests run inside the temporary module that TestGeneratedCode
// (generator/rest) generates, next to the emitted httpapi package.

package httpapi

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"testing"
)

func TestNegotiate(t *testing.T) {
	offers := []string{"application/vnd.a+json", "application/vnd.b+json"}
	tests := []struct {
		accept []string
		want   string
		ok     bool
	}{
		{nil, "application/vnd.a+json", true},
		{[]string{"*/*"}, "application/vnd.a+json", true},
		{[]string{"application/vnd.b+json"}, "application/vnd.b+json", true},
		{[]string{"Application/VND.B+JSON; charset=utf-8"}, "application/vnd.b+json", true},
		{[]string{"application/vnd.a+json;q=0.1, application/vnd.b+json"}, "application/vnd.b+json", true},
		{[]string{"application/vnd.a+json;q=0.1", "application/*;q=0.5"}, "application/vnd.b+json", true},
		{[]string{"application/vnd.a+json;q=0, */*;q=0.1"}, "application/vnd.b+json", true},
		{[]string{"text/html"}, "", false},
		{[]string{"application/vnd.a+json;q=0"}, "", false},
		{[]string{"garbage"}, "application/vnd.a+json", true},
	}
	for _, tc := range tests {
		got, ok := Negotiate(tc.accept, offers)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Negotiate(%q) = %q, %v; want %q, %v", tc.accept, got, ok, tc.want, tc.ok)
		}
	}
}

func TestTemplateMatch(t *testing.T) {
	tests := []struct {
		tmpl, path string
		vars       map[string]string
		ok         bool
	}{
		{"/lti/links/{link_id}/custom", "/lti/links/L1/custom", map[string]string{"link_id": "L1"}, true},
		{"/lti/links/{link_id}/custom", "/lti/links//custom", nil, false},
		{"/lti/links/{link_id}/custom", "/lti/links/L1", nil, false},
		{"/Result/{sourcedId}", "/Result/a%2Fb", map[string]string{"sourcedId": "a/b"}, true},
		{"/Result/{sourcedId}", "/Result/a%zz", nil, false},
		{"/ToolProxy", "/ToolProxy", nil, true},
		{"/ToolProxy", "/toolproxy", nil, false},
	}
	for _, tc := range tests {
		vars, ok := parseTemplate(tc.tmpl).match(tc.path)
		if ok != tc.ok || (ok && !reflect.DeepEqual(vars, tc.vars)) {
			t.Errorf("%s matching %s = %v, %v; want %v, %v", tc.tmpl, tc.path, vars, ok, tc.vars, tc.ok)
		}
	}
}

func TestRouteSpecificity(t *testing.T) {
	s := NewServer(Config{Authenticator: NoAuthentication{}}, []Operation{
		{Name: "byID", Method: "GET", Path: "/things/{id}"},
		{Name: "mine", Method: "GET", Path: "/things/mine"},
	})
	rt, _ := s.match("/things/mine")
	if rt == nil || rt.ops[0].Name != "mine" {
		t.Errorf("/things/mine routed to %v", rt)
	}
	rt, vars := s.match("/things/7/")
	if rt == nil || rt.ops[0].Name != "byID" || vars["id"] != "7" {
		t.Errorf("/things/7/ routed to %v %v", rt, vars)
	}
}

func TestExpand(t *testing.T) {
	got, err := expand("https://lms.example.com/{+base}/links/{link_id}/custom", map[string]string{"base": "a/b", "link_id": "L 1/2"})
	if err != nil || got != "https://lms.example.com/a/b/links/L%201%2F2/custom" {
		t.Errorf("expand = %q, %v", got, err)
	}
	if _, err := expand("/links/{link_id}", nil); err == nil {
		t.Error("expand with a missing variable succeeded")
	}
	if _, err := expand("/links/{link_id", map[string]string{"link_id": "x"}); err == nil {
		t.Error("expand of an unclosed template succeeded")
	}
}

func TestErrors(t *testing.T) {
	cause := errors.New("disk on fire")
	w := Wrap(http.StatusServiceUnavailable, cause)
	if !errors.Is(w, cause) || StatusOf(w) != 503 || w.Problem.Detail != "" {
		t.Errorf("Wrap = %+v", w)
	}
	if StatusOf(errors.New("plain")) != 0 {
		t.Error("StatusOf(plain) != 0")
	}
	if got := pointerFromField("a.b/c.d~e"); got != "/a/b~1c/d~0e" {
		t.Errorf("pointerFromField = %q", got)
	}
	if _, err := (NoAuthentication{}).Authenticate((&http.Request{}).WithContext(context.Background()), nil); err != nil {
		t.Error(err)
	}
}
