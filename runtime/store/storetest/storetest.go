package storetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/seal"
)

// Run runs the conformance suite against one backend. Every subtest works
// on a database of its own (b.NewDSN) and runs in parallel with the
// others.
func Run(t *testing.T, b Backend) {
	tests := []struct {
		name string
		f    func(t *testing.T, b Backend)
	}{
		{"OpenRequiresSealer", testOpenRequiresSealer},
		{"ToolProxyRoundTrip", testToolProxyRoundTrip},
		{"ToolProxyNotFound", testToolProxyNotFound},
		{"ToolProxyDuplicateGUID", testToolProxyDuplicateGUID},
		{"ToolProxyStatus", testToolProxyStatus},
		{"Registration", testRegistration},
		{"RegistrationConsumedOnce", testRegistrationConsumedOnce},
		{"RegistrationConcurrent", testRegistrationConcurrent},
		{"Proposal", testProposal},
		{"DeleteToolProxy", testDeleteToolProxy},
		{"Contexts", testContexts},
		{"Bindings", testBindings},
		{"Links", testLinks},
		{"Users", testUsers},
		{"Members", testMembers},
		{"MembersLimits", testMembersLimits},
		{"Settings", testSettings},
		{"SettingsConcurrent", testSettingsConcurrent},
		{"Results", testResults},
		{"Nonces", testNonces},
		{"NoncesConcurrent", testNoncesConcurrent},
		{"NonceRetention", testNonceRetention},
		{"SecretsAtRest", testSecretsAtRest},
		{"WrongKey", testWrongKey},
		{"MultiInstance", testMultiInstance},
		{"CanceledContext", testCanceledContext},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.f(t, b)
		})
	}
}

// unique returns a random suffix, so that the secrets a test plants are
// its own.
func unique() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// pairs makes settings or custom parameters from names and values.
func pairs(nv ...string) []store.Pair {
	ps := make([]store.Pair, 0, len(nv)/2)
	for i := 0; i+1 < len(nv); i += 2 {
		ps = append(ps, store.Pair{Name: nv[i], Value: nv[i+1]})
	}
	return ps
}

func ctxOf(t *testing.T) context.Context { return t.Context() }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t *testing.T, err, target error, what string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: err %v, want %v", what, err, target)
	}
}

// newProxy returns a valid tool proxy of guid.
func newProxy(guid string) store.ToolProxy {
	return store.ToolProxy{
		GUID:     guid,
		Version:  "LTI-2p0",
		Secret:   "secret-of-" + guid,
		Status:   store.StatusActive,
		Document: []byte(`{"tool_proxy_guid":"` + guid + `"}`),
		Name:     "Tool " + guid,
	}
}

func createProxy(t *testing.T, st store.Store, guid string) store.ToolProxy {
	t.Helper()
	tp := newProxy(guid)
	must(t, st.CreateToolProxy(ctxOf(t), tp, ""))
	return tp
}

// checkStamp asserts that a store-set time is UTC and within the test's
// run.
func checkStamp(t *testing.T, what string, got, before time.Time) {
	t.Helper()
	if got.Location() != time.UTC {
		t.Errorf("%s: location %v, want UTC", what, got.Location())
	}
	if got.Before(before.Add(-2*time.Second)) || got.After(time.Now().Add(2*time.Second)) {
		t.Errorf("%s: %v, not within the test's run (started %v)", what, got, before)
	}
}

func testOpenRequiresSealer(t *testing.T, b Backend) {
	dsn := b.NewDSN(t)
	st, err := b.Open(ctxOf(t), dsn, store.Options{})
	if err == nil {
		st.Close()
		t.Fatal("Open without a Sealer succeeded")
	}
	var nilSealer *seal.Sealer
	st, err = b.Open(ctxOf(t), dsn, store.Options{Sealer: nilSealer})
	if err == nil {
		st.Close()
		t.Fatal("Open with a nil *seal.Sealer succeeded")
	}
}

func testToolProxyRoundTrip(t *testing.T, b Backend) {
	st := b.NewStore(t)
	ctx := ctxOf(t)
	before := time.Now()
	// Created out of order, listed by GUID.
	guids := []string{"tp-c", "tp-a", "tp-b"}
	for _, g := range guids {
		tp := newProxy(g)
		tp.Profile = []byte(`{"profile":"` + g + `"}`)
		must(t, st.CreateToolProxy(ctx, tp, ""))
	}
	lti1 := store.ToolProxy{GUID: "lti1-key", Version: "LTI-1p0", Secret: "k", Status: store.StatusActive, Name: "Old tool",
		Document: []byte(`{"launch_url":"https://tool.example/launch"}`)}
	must(t, st.CreateToolProxy(ctx, lti1, ""))

	got, err := st.ToolProxy(ctx, "tp-a")
	must(t, err)
	want := newProxy("tp-a")
	if got.GUID != want.GUID || got.Version != want.Version || got.Secret != want.Secret || got.Status != want.Status ||
		got.Name != want.Name || !bytes.Equal(got.Document, want.Document) || string(got.Profile) != `{"profile":"tp-a"}` {
		t.Errorf("ToolProxy(tp-a) = %+v, want %+v", got, want)
	}
	if got.Pending != nil {
		t.Errorf("Pending = %+v, want nil", got.Pending)
	}
	checkStamp(t, "Created", got.Created, before)
	checkStamp(t, "Updated", got.Updated, before)

	got, err = st.ToolProxy(ctx, "lti1-key")
	must(t, err)
	if string(got.Document) != `{"launch_url":"https://tool.example/launch"}` || got.Profile != nil || got.Version != "LTI-1p0" || got.Secret != "k" {
		t.Errorf("LTI 1 proxy = %+v: want its document, no profile, its version and secret", got)
	}
	// No document and no profile read back as nil.
	bare := store.ToolProxy{GUID: "tp-bare", Version: "LTI-1p0", Secret: "k", Document: []byte{}}
	must(t, st.CreateToolProxy(ctx, bare, ""))
	if got, err := st.ToolProxy(ctx, "tp-bare"); err != nil || got.Document != nil || got.Profile != nil {
		t.Errorf("ToolProxy(tp-bare) = %+v, %v; want nil document and profile", got, err)
	}

	list, err := st.ListToolProxies(ctx)
	must(t, err)
	var names []string
	for _, tp := range list {
		names = append(names, tp.GUID)
		if tp.Secret != "secret-of-"+tp.GUID && tp.Secret != "k" {
			t.Errorf("listed %s with secret %q", tp.GUID, tp.Secret)
		}
	}
	if want := []string{"lti1-key", "tp-a", "tp-b", "tp-bare", "tp-c"}; !slices.Equal(names, want) {
		t.Errorf("ListToolProxies = %v, want %v", names, want)
	}

	// An empty status is stored as pending.
	p := newProxy("tp-nostatus")
	p.Status = ""
	must(t, st.CreateToolProxy(ctx, p, ""))
	if got, err := st.ToolProxy(ctx, "tp-nostatus"); err != nil || got.Status != store.StatusPending {
		t.Errorf("empty status stored as %q, %v; want pending", got.Status, err)
	}
	bad := newProxy("tp-bad")
	bad.Status = "bogus"
	if err := st.CreateToolProxy(ctx, bad, ""); err == nil {
		t.Error("CreateToolProxy accepted status bogus")
	}
	if err := st.CreateToolProxy(ctx, store.ToolProxy{Secret: "x"}, ""); err == nil {
		t.Error("CreateToolProxy accepted an empty GUID")
	}
}

func testToolProxyNotFound(t *testing.T, b Backend) {
	st := b.NewStore(t)
	ctx := ctxOf(t)
	createProxy(t, st, "exists")
	const g = "missing"
	_, err := st.ToolProxy(ctx, g)
	wantErr(t, err, store.ErrNotFound, "ToolProxy")
	wantErr(t, st.SetToolProxyStatus(ctx, g, store.StatusActive), store.ErrNotFound, "SetToolProxyStatus")
	wantErr(t, st.ProposeToolProxy(ctx, g, store.Proposal{Secret: "x"}), store.ErrNotFound, "ProposeToolProxy")
	wantErr(t, st.CommitProposal(ctx, g, "https://tool.example/c"), store.ErrNotFound, "CommitProposal")
	wantErr(t, st.DismissProposal(ctx, g, "https://tool.example/c"), store.ErrNotFound, "DismissProposal")
	wantErr(t, st.DeleteToolProxy(ctx, g), store.ErrNotFound, "DeleteToolProxy")
	wantErr(t, st.Bind(ctx, g, "c1"), store.ErrNotFound, "Bind")
	wantErr(t, st.PutLink(ctx, store.Link{ID: "l1", ContextID: "c1", ToolProxyGUID: g}), store.ErrNotFound, "PutLink")
	wantErr(t, st.PutToolSettings(ctx, store.Scope{Kind: store.ScopeToolProxy, ToolProxyGUID: g}, pairs("a", "b")),
		store.ErrNotFound, "PutToolSettings")
	wantErr(t, st.PutToolSettings(ctx, store.Scope{Kind: store.ScopeToolProxy, ToolProxyGUID: g}, nil),
		store.ErrNotFound, "PutToolSettings (empty)")
	_, err = st.Registration(ctx, "no-such-key")
	wantErr(t, err, store.ErrNotFound, "Registration")
	_, err = st.Context(ctx, "no-such-context")
	wantErr(t, err, store.ErrNotFound, "Context")
	_, err = st.Link(ctx, "no-such-link")
	wantErr(t, err, store.ErrNotFound, "Link")
	_, err = st.User(ctx, "no-such-user")
	wantErr(t, err, store.ErrNotFound, "User")
	_, err = st.Result(ctx, "no-such-result")
	wantErr(t, err, store.ErrNotFound, "Result")
	// Nothing was stored by the failed calls.
	if l, err := st.ListLinks(ctx, "c1"); err != nil || len(l) != 0 {
		t.Errorf("ListLinks after failed PutLink = %v, %v; want none", l, err)
	}
	if ok, err := st.Bound(ctx, g, "c1"); err != nil || ok {
		t.Errorf("Bound after failed Bind = %v, %v; want false", ok, err)
	}
}

func testToolProxyDuplicateGUID(t *testing.T, b Backend) {
	st := b.NewStore(t)
	ctx := ctxOf(t)
	orig := createProxy(t, st, "dup")
	again := newProxy("dup")
	again.Secret = "another-secret"
	again.Name = "Impostor"
	wantErr(t, st.CreateToolProxy(ctx, again, ""), store.ErrConflict, "CreateToolProxy of a taken GUID")
	// With a valid registration credential: still a conflict, and the
	// credential is not consumed (nothing is stored).
	must(t, st.CreateRegistration(ctx, store.Registration{Key: "rk-dup", Password: "pw", Expires: time.Now().Add(time.Hour)}))
	wantErr(t, st.CreateToolProxy(ctx, again, "rk-dup"), store.ErrConflict, "CreateToolProxy of a taken GUID with a credential")
	if _, err := st.Registration(ctx, "rk-dup"); err != nil {
		t.Errorf("credential consumed by a failed CreateToolProxy: %v", err)
	}
	got, err := st.ToolProxy(ctx, "dup")
	must(t, err)
	if got.Secret != orig.Secret || got.Name != orig.Name {
		t.Errorf("the losing create changed the proxy: %+v", got)
	}
	list, err := st.ListToolProxies(ctx)
	must(t, err)
	if len(list) != 1 {
		t.Errorf("%d proxies stored, want 1", len(list))
	}
}

func testToolProxyStatus(t *testing.T, b Backend) {
	st := b.NewStore(t)
	ctx := ctxOf(t)
	tp := newProxy("st")
	tp.Status = store.StatusPending
	must(t, st.CreateToolProxy(ctx, tp, ""))
	first, err := st.ToolProxy(ctx, "st")
	must(t, err)
	time.Sleep(5 * time.Millisecond)
	for _, s := range []store.Status{store.StatusActive, store.StatusDisabled, store.StatusPending} {
		must(t, st.SetToolProxyStatus(ctx, "st", s))
		got, err := st.ToolProxy(ctx, "st")
		must(t, err)
		if got.Status != s {
			t.Errorf("status %q, want %q", got.Status, s)
		}
		if !got.Updated.After(first.Updated) || !got.Created.Equal(first.Created) {
			t.Errorf("after a status change Created %v Updated %v; first Created %v Updated %v",
				got.Created, got.Updated, first.Created, first.Updated)
		}
	}
	if err := st.SetToolProxyStatus(ctx, "st", "bogus"); err == nil {
		t.Error("SetToolProxyStatus accepted bogus")
	}
}

func testRegistration(t *testing.T, b Backend) {
	st := b.NewStore(t)
	ctx := ctxOf(t)
	before := time.Now()
	exp := time.Date(2031, 2, 3, 4, 5, 6, 789012000, time.FixedZone("UTC+2", 2*3600))
	r := store.Registration{Key: "rk-1", Password: "pw-1", ReturnURL: "https://lms.example/return?x=1", Expires: exp}
	must(t, st.CreateRegistration(ctx, r))
	got, err := st.Registration(ctx, "rk-1")
	must(t, err)
	if got.Key != r.Key || got.Password != r.Password || got.ReturnURL != r.ReturnURL || !got.Expires.Equal(exp) {
		t.Errorf("Registration = %+v, want %+v", got, r)
	}
	if got.Expires.Location() != time.UTC {
		t.Errorf("Expires in %v, want UTC", got.Expires.Location())
	}
	checkStamp(t, "Created", got.Created, before)
	// An expired credential is still returned: the caller checks Expires.
	past := store.Registration{Key: "rk-old", Password: "pw", Expires: time.Now().Add(-time.Hour)}
	must(t, st.CreateRegistration(ctx, past))
	if got, err := st.Registration(ctx, "rk-old"); err != nil || !got.Expires.Before(time.Now()) {
		t.Errorf("expired credential: %+v, %v", got, err)
	}
	wantErr(t, st.CreateRegistration(ctx, store.Registration{Key: "rk-1", Password: "other"}), store.ErrConflict, "CreateRegistration of a taken key")
	if got, _ := st.Registration(ctx, "rk-1"); got.Password != "pw-1" {
		t.Error("a duplicate CreateRegistration replaced the password")
	}
}

func testRegistrationConsumedOnce(t *testing.T, b Backend) {
	st := b.NewStore(t)
	ctx := ctxOf(t)
	must(t, st.CreateRegistration(ctx, store.Registration{Key: "rk", Password: "pw", Expires: time.Now().Add(time.Hour)}))
	must(t, st.CreateToolProxy(ctx, newProxy("first"), "rk"))
	_, err := st.Registration(ctx, "rk")
	wantErr(t, err, store.ErrNotFound, "Registration of a consumed credential")
	wantErr(t, st.CreateToolProxy(ctx, newProxy("second"), "rk"), store.ErrConflict, "CreateToolProxy with a consumed credential")
	wantErr(t, st.CreateToolProxy(ctx, newProxy("third"), "never-issued"), store.ErrConflict, "CreateToolProxy with an unknown credential")
	// A consumed key cannot be issued again.
	wantErr(t, st.CreateRegistration(ctx, store.Registration{Key: "rk", Password: "pw2"}), store.ErrConflict, "CreateRegistration of a consumed key")
	for _, g := range []string{"second", "third"} {
		_, err := st.ToolProxy(ctx, g)
		wantErr(t, err, store.ErrNotFound, "proxy of a failed registration "+g)
	}
	list, err := st.ListToolProxies(ctx)
	must(t, err)
	if len(list) != 1 || list[0].GUID != "first" {
		t.Errorf("stored proxies %v, want only first", list)
	}
}

// raceRegistration has n goroutines create proxies with one credential
// through the given stores (round robin) and checks exactly one wins.
func raceRegistration(t *testing.T, stores []store.Store, key string, n int) {
	t.Helper()
	ctx := ctxOf(t)
	must(t, stores[0].CreateRegistration(ctx, store.Registration{Key: key, Password: "pw", Expires: time.Now().Add(time.Hour)}))
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = stores[i%len(stores)].CreateToolProxy(ctx, newProxy(fmt.Sprintf("%s-racer-%02d", key, i)), key)
		}()
	}
	close(start)
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil:
			if winner >= 0 {
				t.Errorf("racers %d and %d both registered with one credential", winner, i)
			}
			winner = i
		case !errors.Is(err, store.ErrConflict):
			t.Errorf("racer %d: err %v, want ErrConflict", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no racer registered")
	}
	list, err := stores[0].ListToolProxies(ctx)
	must(t, err)
	var stored []string
	for _, tp := range list {
		if strings.HasPrefix(tp.GUID, key+"-racer-") {
			stored = append(stored, tp.GUID)
		}
	}
	if want := fmt.Sprintf("%s-racer-%02d", key, winner); len(stored) != 1 || stored[0] != want {
		t.Errorf("stored %v, want only the winner %s", stored, want)
	}
}

func testRegistrationConcurrent(t *testing.T, b Backend) {
	st := b.NewStore(t)
	for round := range 5 {
		raceRegistration(t, []store.Store{st}, fmt.Sprintf("race%d", round), 8)
	}
}

func testProposal(t *testing.T, b Backend) {
	st := b.NewStore(t)
	ctx := ctxOf(t)
	orig := createProxy(t, st, "rereg")
	wantErr(t, st.CommitProposal(ctx, "rereg", "https://tool.example/confirm/0"), store.ErrConflict, "CommitProposal with none pending")
	must(t, st.DismissProposal(ctx, "rereg", "https://tool.example/confirm/0"))

	before := time.Now()
	p1 := store.Proposal{Document: []byte(`{"v":1}`), Secret: "proposed-1", ConfirmURL: "https://tool.example/confirm/1"}
	must(t, st.ProposeToolProxy(ctx, "rereg", p1))
	got, err := st.ToolProxy(ctx, "rereg")
	must(t, err)
	if got.Secret != orig.Secret || !bytes.Equal(got.Document, orig.Document) {
		t.Errorf("a proposal changed the proxy in force: secret %q document %s", got.Secret, got.Document)
	}
	if got.Pending == nil || got.Pending.Secret != p1.Secret || !bytes.Equal(got.Pending.Document, p1.Document) ||
		got.Pending.ConfirmURL != p1.ConfirmURL {
		t.Fatalf("Pending = %+v, want %+v", got.Pending, p1)
	}
	checkStamp(t, "Pending.Created", got.Pending.Created, before)

	// A second proposal replaces the first.
	p2 := store.Proposal{Document: []byte(`{"v":2}`), Secret: "proposed-2", ConfirmURL: "https://tool.example/confirm/2"}
	must(t, st.ProposeToolProxy(ctx, "rereg", p2))
	got, err = st.ToolProxy(ctx, "rereg")
	must(t, err)
	if got.Pending == nil || got.Pending.Secret != "proposed-2" || got.Pending.ConfirmURL != p2.ConfirmURL {
		t.Fatalf("Pending after a second proposal = %+v, want %+v", got.Pending, p2)
	}
	if got.Secret != orig.Secret {
		t.Errorf("secret in force %q, want the original until Commit", got.Secret)
	}

	// The first proposal's confirmation arrives late: it must not commit
	// the second, nor drop it.
	wantErr(t, st.CommitProposal(ctx, "rereg", p1.ConfirmURL), store.ErrConflict, "CommitProposal of a replaced proposal")
	wantErr(t, st.DismissProposal(ctx, "rereg", p1.ConfirmURL), store.ErrConflict, "DismissProposal of a replaced proposal")
	if got, err = st.ToolProxy(ctx, "rereg"); err != nil || got.Pending == nil || got.Secret != orig.Secret {
		t.Fatalf("a late confirmation of a replaced proposal changed the proxy: %+v %v", got, err)
	}

	must(t, st.CommitProposal(ctx, "rereg", p2.ConfirmURL))
	got, err = st.ToolProxy(ctx, "rereg")
	must(t, err)
	if got.Secret != "proposed-2" || string(got.Document) != `{"v":2}` || got.Pending != nil {
		t.Errorf("after Commit: secret %q document %s pending %+v; want the proposal in force and none pending",
			got.Secret, got.Document, got.Pending)
	}
	if got.Status != orig.Status || got.Name != orig.Name {
		t.Errorf("Commit changed status or name: %+v", got)
	}
	wantErr(t, st.CommitProposal(ctx, "rereg", p2.ConfirmURL), store.ErrConflict, "second CommitProposal")

	// Dismiss drops a proposal and keeps the proxy in force.
	p3 := store.Proposal{Document: []byte(`{"v":3}`), Secret: "proposed-3", ConfirmURL: "https://tool.example/confirm/3"}
	must(t, st.ProposeToolProxy(ctx, "rereg", p3))
	must(t, st.DismissProposal(ctx, "rereg", p3.ConfirmURL))
	got, err = st.ToolProxy(ctx, "rereg")
	must(t, err)
	if got.Pending != nil || got.Secret != "proposed-2" || string(got.Document) != `{"v":2}` {
		t.Errorf("after Dismiss: %+v", got)
	}
	wantErr(t, st.CommitProposal(ctx, "rereg", p3.ConfirmURL), store.ErrConflict, "CommitProposal after Dismiss")
}

func testDeleteToolProxy(t *testing.T, b Backend) {
	st := b.NewStore(t)
	ctx := ctxOf(t)
	score := 0.75
	for _, g := range []string{"del", "keep"} {
		createProxy(t, st, g)
		must(t, st.Bind(ctx, g, "c-bind-"+g))
		must(t, st.PutLink(ctx, store.Link{ID: "link-" + g, ContextID: "c1", ToolProxyGUID: g, Gradable: true}))
		must(t, st.PutToolSettings(ctx, store.Scope{Kind: store.ScopeToolProxy, ToolProxyGUID: g}, pairs("tp", g)))
		must(t, st.PutToolSettings(ctx, store.Scope{Kind: store.ScopeBinding, ToolProxyGUID: g, ContextID: "c1"}, pairs("b", g)))
		must(t, st.PutToolSettings(ctx, store.Scope{Kind: store.ScopeLink, ToolProxyGUID: g, LinkID: "link-" + g}, pairs("l", g)))
		must(t, st.PutResult(ctx, store.Result{SourcedID: "res-" + g, LinkID: "link-" + g, UserID: "u1", Score: &score}))
		must(t, st.ProposeToolProxy(ctx, g, store.Proposal{Secret: "p-" + g}))
	}
	must(t, st.DeleteToolProxy(ctx, "del"))

	_, err := st.ToolProxy(ctx, "del")
	wantErr(t, err, store.ErrNotFound, "ToolProxy after delete")
	for _, c := range []string{"c1", "c-bind-del"} {
		if ok, err := st.Bound(ctx, "del", c); err != nil || ok {
			t.Errorf("Bound(del, %s) = %v, %v after delete", c, ok, err)
		}
	}
	_, err = st.Link(ctx, "link-del")
	wantErr(t, err, store.ErrNotFound, "Link after delete")
	_, err = st.Result(ctx, "res-del")
	wantErr(t, err, store.ErrNotFound, "Result of a deleted proxy's link")
	for _, sc := range []store.Scope{
		{Kind: store.ScopeToolProxy, ToolProxyGUID: "del"},
		{Kind: store.ScopeBinding, ToolProxyGUID: "del", ContextID: "c1"},
		{Kind: store.ScopeLink, ToolProxyGUID: "del", LinkID: "link-del"},
	} {
		if got, err := st.ToolSettings(ctx, sc); err != nil || len(got) != 0 {
			t.Errorf("ToolSettings(%+v) after delete = %v, %v", sc, got, err)
		}
	}
	links, err := st.ListLinks(ctx, "c1")
	must(t, err)
	if len(links) != 1 || links[0].ID != "link-keep" {
		t.Errorf("ListLinks(c1) = %+v, want only link-keep", links)
	}
	// The other proxy keeps everything.
	if tp, err := st.ToolProxy(ctx, "keep"); err != nil || tp.Pending == nil {
		t.Errorf("ToolProxy(keep) = %+v, %v", tp, err)
	}
	for _, c := range []string{"c1", "c-bind-keep"} {
		if ok, err := st.Bound(ctx, "keep", c); err != nil || !ok {
			t.Errorf("Bound(keep, %s) = %v, %v", c, ok, err)
		}
	}
	if got, err := st.ToolSettings(ctx, store.Scope{Kind: store.ScopeLink, ToolProxyGUID: "keep", LinkID: "link-keep"}); err != nil ||
		!slices.Equal(got, pairs("l", "keep")) {
		t.Errorf("keep's link settings = %v, %v", got, err)
	}
	if _, err := st.Result(ctx, "res-keep"); err != nil {
		t.Errorf("Result(res-keep): %v", err)
	}
	// The GUID can be used again, with nothing left over.
	createProxy(t, st, "del")
	if tp, err := st.ToolProxy(ctx, "del"); err != nil || tp.Pending != nil {
		t.Errorf("recreated proxy = %+v, %v; want no leftover proposal", tp, err)
	}
	if got, err := st.ToolSettings(ctx, store.Scope{Kind: store.ScopeToolProxy, ToolProxyGUID: "del"}); err != nil || len(got) != 0 {
		t.Errorf("recreated proxy has settings %v, %v", got, err)
	}
	wantErr(t, st.DeleteToolProxy(ctx, "never"), store.ErrNotFound, "DeleteToolProxy of an unknown proxy")
}

func testContexts(t *testing.T, b Backend) {
	st := b.NewStore(t)
	ctx := ctxOf(t)
	if got, err := st.ListContexts(ctx); err != nil || got == nil || len(got) != 0 {
		t.Errorf("ListContexts of an empty store = %#v, %v; want empty, not nil", got, err)
	}
	cs := []store.Context{
		{ID: "c2", Type: "CourseSection", Label: "BIO101", Title: "Biology"},
		{ID: "c1", Type: "CourseSection", Label: "CHEM1", Title: "Chemistry"},
		{ID: "c3", Type: "Group", Label: "G", Title: "Study group"},
	}
	for _, c := range cs {
		must(t, st.PutContext(ctx, c))
	}
	repl := store.Context{ID: "c2", Type: "CourseOffering", Label: "BIO102", Title: "Biology II"}
	must(t, st.PutContext(ctx, repl))
	got, err := st.Context(ctx, "c2")
	must(t, err)
	if got != repl {
		t.Errorf("Context(c2) = %+v, want %+v", got, repl)
	}
	list, err := st.ListContexts(ctx)
	must(t, err)
	want := []store.Context{cs[1], repl, cs[2]}
	if !slices.Equal(list, want) {
		t.Errorf("ListContexts = %+v, want %+v", list, want)
	}
}

func testBindings(t *testing.T, b Backend) {
	st := b.NewStore(t)
	ctx := ctxOf(t)
	createProxy(t, st, "g1")
	createProxy(t, st, "g2")
	must(t, st.Bind(ctx, "g1", "c1"))
	must(t, st.Bind(ctx, "g1", "c1")) // twice is not an error
	for _, c := range []struct {
		guid, ctx string
		want      bool
	}{{"g1", "c1", true}, {"g1", "c2", false}, {"g2", "c1", false}, {"nope", "c1", false}} {
		got, err := st.Bound(ctx, c.guid, c.ctx)
		must(t, err)
		if got != c.want {
			t.Errorf("Bound(%s, %s) = %v, want %v", c.guid, c.ctx, got, c.want)
		}
	}
}

func testLinks(t *testing.T, b Backend) {
	st := b.NewStore(t)
	ctx := ctxOf(t)
	createProxy(t, st, "g1")
	createProxy(t, st, "g2")
	l := store.Link{
		ID: "l-b", ContextID: "c1", ToolProxyGUID: "g1", ResourceType: "quiz", Title: "Quiz 1", Gradable: true,
		Custom: pairs("zeta", "1", "alpha", "two words", "dup", "a", "dup", "b", "empty", ""),
	}
	must(t, st.PutLink(ctx, l))
	if ok, err := st.Bound(ctx, "g1", "c1"); err != nil || !ok {
		t.Errorf("PutLink did not bind its tool to its context: %v, %v", ok, err)
	}
	got, err := st.Link(ctx, "l-b")
	must(t, err)
	if got.ID != l.ID || got.ContextID != l.ContextID || got.ToolProxyGUID != l.ToolProxyGUID || got.ResourceType != l.ResourceType ||
		got.Title != l.Title || got.Gradable != l.Gradable || !slices.Equal(got.Custom, l.Custom) {
		t.Errorf("Link = %+v, want %+v", got, l)
	}
	lti1 := store.Link{ID: "l-a", ContextID: "c1", ToolProxyGUID: "g2", Title: "Old"}
	must(t, st.PutLink(ctx, lti1))
	got, err = st.Link(ctx, "l-a")
	must(t, err)
	if got.Custom != nil || got.Gradable || got.ResourceType != "" {
		t.Errorf("Link(l-a) = %+v, want no custom parameters, not gradable", got)
	}
	must(t, st.PutLink(ctx, store.Link{ID: "l-c", ContextID: "c2", ToolProxyGUID: "g1"}))
	// Replace: the link moves to another context and tool.
	moved := store.Link{ID: "l-b", ContextID: "c3", ToolProxyGUID: "g2", Title: "Quiz 1 (moved)", Custom: pairs("k", "v")}
	must(t, st.PutLink(ctx, moved))
	if got, err := st.Link(ctx, "l-b"); err != nil || got.ContextID != "c3" || got.ToolProxyGUID != "g2" ||
		!slices.Equal(got.Custom, moved.Custom) || got.Gradable {
		t.Errorf("replaced link = %+v, %v; want %+v", got, err, moved)
	}
	if ok, _ := st.Bound(ctx, "g2", "c3"); !ok {
		t.Error("replacing a link did not bind its new tool to its new context")
	}
	for c, want := range map[string][]string{"c1": {"l-a"}, "c2": {"l-c"}, "c3": {"l-b"}, "c9": {}} {
		list, err := st.ListLinks(ctx, c)
		must(t, err)
		ids := []string{}
		for _, l := range list {
			ids = append(ids, l.ID)
		}
		if list == nil || !slices.Equal(ids, want) {
			t.Errorf("ListLinks(%s) = %v (nil %v), want %v", c, ids, list == nil, want)
		}
	}
	// Ordered by ID.
	for _, id := range []string{"l-z", "l-0", "l-m"} {
		must(t, st.PutLink(ctx, store.Link{ID: id, ContextID: "c4", ToolProxyGUID: "g1"}))
	}
	list, err := st.ListLinks(ctx, "c4")
	must(t, err)
	var ids []string
	for _, l := range list {
		ids = append(ids, l.ID)
	}
	if want := []string{"l-0", "l-m", "l-z"}; !slices.Equal(ids, want) {
		t.Errorf("ListLinks(c4) = %v, want %v", ids, want)
	}
}

func testUsers(t *testing.T, b Backend) {
	st := b.NewStore(t)
	ctx := ctxOf(t)
	u := store.User{ID: "u1", SourcedID: "sis-1", Name: "Ada Lovelace", Given: "Ada", Family: "Lovelace", Email: "ada@example.edu"}
	must(t, st.PutUser(ctx, u))
	got, err := st.User(ctx, "u1")
	must(t, err)
	if got != u {
		t.Errorf("User = %+v, want %+v", got, u)
	}
	u2 := store.User{ID: "u1", Name: "Ada King", Email: "ada@example.org"}
	must(t, st.PutUser(ctx, u2))
	if got, err := st.User(ctx, "u1"); err != nil || got != u2 {
		t.Errorf("replaced User = %+v, %v; want %+v", got, err, u2)
	}
}

// Role URIs for the roster tests; instructor is a prefix of ta, and the
// short name is a suffix of instructor: the filter must match whole URIs.
const (
	roleInstructor = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
	roleTA         = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor#TeachingAssistant"
	roleLearner    = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
	roleMentor     = "http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"
	roleShort      = "Instructor"
)

// walk pages through a roster and checks the paging contract: pages no
// larger than the limit, every page but the last full, the cursor is the
// last user ID of its page, "" after the last page.
func walk(t *testing.T, st store.Store, contextID string, q store.MemberQuery, limit int) []store.Member {
	t.Helper()
	var all []store.Member
	for pages := 0; ; pages++ {
		if pages > 10000 {
			t.Fatal("paging does not end")
		}
		page, next, err := st.Members(ctxOf(t), contextID, q)
		must(t, err)
		if page == nil {
			t.Fatal("Members returned a nil page")
		}
		if len(page) > limit {
			t.Fatalf("page of %d members, limit %d", len(page), limit)
		}
		all = append(all, page...)
		if next == "" {
			return all
		}
		if len(page) != limit {
			t.Fatalf("page of %d members before the last, limit %d", len(page), limit)
		}
		if next != page[len(page)-1].UserID {
			t.Fatalf("cursor %q, want the page's last user ID %q", next, page[len(page)-1].UserID)
		}
		q.After = next
	}
}

func memberIDs(ms []store.Member) []string {
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.UserID
	}
	return ids
}

func testMembers(t *testing.T, b Backend) {
	st := b.NewStore(t)
	ctx := ctxOf(t)
	// The roster of "course": 23 members u00..u22, with known roles.
	// u22 has no stored user; u20 is inactive.
	type seeded struct {
		roles  []string
		active bool
	}
	roster := map[string]seeded{}
	byRole := map[string][]string{}
	for i := range 23 {
		id := fmt.Sprintf("u%02d", i)
		var roles []string
		switch {
		case i%4 == 0:
			roles = []string{roleInstructor}
		case i%4 == 1:
			roles = []string{roleMentor, roleLearner} // order kept
		case i == 2:
			roles = []string{roleTA}
		case i == 3:
			roles = []string{roleShort}
		case i == 7:
			roles = nil
		default:
			roles = []string{roleLearner}
		}
		active := i != 20
		roster[id] = seeded{roles, active}
		for _, r := range roles {
			byRole[r] = append(byRole[r], id)
		}
		if i != 22 {
			must(t, st.PutUser(ctx, store.User{ID: id, Name: "User " + id, Email: id + "@example.edu", SourcedID: "sis-" + id}))
		}
		must(t, st.PutMembership(ctx, store.Membership{ContextID: "course", UserID: id, Roles: roles, Active: active}))
	}
	// Another context with some of the same users must not leak in.
	for _, id := range []string{"u01", "u05", "zz"} {
		must(t, st.PutMembership(ctx, store.Membership{ContextID: "other", UserID: id, Roles: []string{roleInstructor}, Active: true}))
	}
	for id, want := range roster {
		m, err := st.Membership(ctx, "course", id)
		must(t, err)
		if m.ContextID != "course" || m.UserID != id || m.Active != want.active || !slices.Equal(m.Roles, want.roles) {
			t.Errorf("Membership(course, %s) = %+v, want roles %v active %v", id, m, want.roles, want.active)
		}
	}
	_, err := st.Membership(ctx, "course", "zz")
	wantErr(t, err, store.ErrNotFound, "Membership of a user in another context")
	_, err = st.Membership(ctx, "nowhere", "u01")
	wantErr(t, err, store.ErrNotFound, "Membership in an unknown context")
	var allIDs []string
	for id := range roster {
		allIDs = append(allIDs, id)
	}
	sort.Strings(allIDs)

	for _, limit := range []int{1, 5, 7, 23, 24, 50} {
		got := walk(t, st, "course", store.MemberQuery{Limit: limit}, limit)
		if ids := memberIDs(got); !slices.Equal(ids, allIDs) {
			t.Errorf("limit %d: pages cover %v, want %v", limit, ids, allIDs)
		}
		for _, m := range got {
			want := roster[m.UserID]
			if m.ContextID != "course" || m.Active != want.active || !slices.Equal(m.Roles, want.roles) {
				t.Errorf("member %+v, want roles %v active %v", m.Membership, want.roles, want.active)
			}
			if m.User.ID != m.UserID {
				t.Errorf("member %s has User.ID %q", m.UserID, m.User.ID)
			}
			if m.UserID != "u22" && (m.User.Name != "User "+m.UserID || m.User.Email != m.UserID+"@example.edu" || m.User.SourcedID != "sis-"+m.UserID) {
				t.Errorf("member %s has user %+v", m.UserID, m.User)
			}
			if m.UserID == "u22" && (m.User.Name != "" || m.User.Email != "") {
				t.Errorf("member u22 (no stored user) has user %+v", m.User)
			}
		}
	}
	for _, role := range []string{roleInstructor, roleTA, roleLearner, roleMentor, roleShort} {
		want := byRole[role]
		for _, limit := range []int{2, 100} {
			got := walk(t, st, "course", store.MemberQuery{Role: role, Limit: limit}, limit)
			if ids := memberIDs(got); !slices.Equal(ids, want) {
				t.Errorf("role %s, limit %d: %v, want %v", role, limit, ids, want)
			}
		}
	}
	// A role nobody holds, and a prefix of a held one.
	for _, role := range []string{"http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator", "http://purl.imsglobal.org/vocab/lis/v2/membership#"} {
		page, next, err := st.Members(ctx, "course", store.MemberQuery{Role: role})
		if err != nil || len(page) != 0 || next != "" || page == nil {
			t.Errorf("role %s: %v, %q, %v; want an empty page", role, page, next, err)
		}
	}
	// After a user ID that is not a member: the page starts after it.
	page, _, err := st.Members(ctx, "course", store.MemberQuery{After: "u10x", Limit: 3})
	must(t, err)
	if ids := memberIDs(page); !slices.Equal(ids, []string{"u11", "u12", "u13"}) {
		t.Errorf("after u10x: %v", ids)
	}
	// An unknown context has an empty roster.
	page, next, err := st.Members(ctx, "nowhere", store.MemberQuery{})
	if err != nil || len(page) != 0 || next != "" {
		t.Errorf("unknown context: %v, %q, %v", page, next, err)
	}
	// Replacing a membership replaces its roles.
	must(t, st.PutMembership(ctx, store.Membership{ContextID: "course", UserID: "u00", Roles: []string{roleLearner}, Active: false}))
	if m, err := st.Membership(ctx, "course", "u00"); err != nil || m.Active || !slices.Equal(m.Roles, []string{roleLearner}) {
		t.Errorf("replaced Membership = %+v, %v", m, err)
	}
	got := walk(t, st, "course", store.MemberQuery{Role: roleInstructor}, store.DefaultMemberLimit)
	if slices.Contains(memberIDs(got), "u00") {
		t.Error("u00 still listed as instructor after its roles were replaced")
	}
	got = walk(t, st, "course", store.MemberQuery{Role: roleLearner}, store.DefaultMemberLimit)
	if !slices.Contains(memberIDs(got), "u00") {
		t.Error("u00 not listed as learner after its roles were replaced")
	}
	all := walk(t, st, "course", store.MemberQuery{}, store.DefaultMemberLimit)
	if len(all) != len(roster) {
		t.Errorf("%d members after a replace, want %d", len(all), len(roster))
	}
	other := walk(t, st, "other", store.MemberQuery{}, store.DefaultMemberLimit)
	if ids := memberIDs(other); !slices.Equal(ids, []string{"u01", "u05", "zz"}) {
		t.Errorf("roster of other = %v", ids)
	}
}

func testMembersLimits(t *testing.T, b Backend) {
	st := b.NewStore(t)
	ctx := ctxOf(t)
	n := store.MaxMemberLimit + 5
	var wg sync.WaitGroup
	errs := make(chan error, n)
	sem := make(chan struct{}, 8)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			errs <- st.PutMembership(ctx, store.Membership{ContextID: "big", UserID: fmt.Sprintf("u%05d", i), Roles: []string{roleLearner}, Active: true})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	for _, c := range []struct{ limit, want int }{
		{0, store.DefaultMemberLimit}, {-3, store.DefaultMemberLimit},
		{store.MaxMemberLimit + 1, store.MaxMemberLimit}, {1 << 30, store.MaxMemberLimit},
	} {
		page, next, err := st.Members(ctx, "big", store.MemberQuery{Limit: c.limit})
		must(t, err)
		if len(page) != c.want || next != fmt.Sprintf("u%05d", c.want-1) {
			t.Errorf("limit %d: %d members, next %q; want %d", c.limit, len(page), next, c.want)
		}
	}
	got := walk(t, st, "big", store.MemberQuery{Limit: 1 << 30}, store.MaxMemberLimit)
	if len(got) != n {
		t.Errorf("pages at the maximum limit cover %d members, want %d", len(got), n)
	}
}

func testSettings(t *testing.T, b Backend) {
	st := b.NewStore(t)
	ctx := ctxOf(t)
	createProxy(t, st, "g1")
	createProxy(t, st, "g2")
	scopes := []store.Scope{
		{Kind: store.ScopeToolProxy, ToolProxyGUID: "g1"},
		{Kind: store.ScopeBinding, ToolProxyGUID: "g1", ContextID: "c1"},
		{Kind: store.ScopeBinding, ToolProxyGUID: "g1", ContextID: "c2"},
		{Kind: store.ScopeLink, ToolProxyGUID: "g1", LinkID: "l1"},
		{Kind: store.ScopeToolProxy, ToolProxyGUID: "g2"},
	}
	for _, sc := range scopes {
		got, err := st.ToolSettings(ctx, sc)
		if err != nil || got == nil || len(got) != 0 {
			t.Errorf("ToolSettings(%+v) before any put = %#v, %v; want empty, not nil", sc, got, err)
		}
	}
	// The same names in every scope, each with its scope's values.
	for i, sc := range scopes {
		must(t, st.PutToolSettings(ctx, sc, pairs("zeta", fmt.Sprint("z", i), "alpha", fmt.Sprint("a", i), "Mid", "")))
	}
	for i, sc := range scopes {
		got, err := st.ToolSettings(ctx, sc)
		must(t, err)
		want := pairs("Mid", "", "alpha", fmt.Sprint("a", i), "zeta", fmt.Sprint("z", i))
		if !slices.Equal(got, want) {
			t.Errorf("ToolSettings(%+v) = %v, want %v (ordered by name)", sc, got, want)
		}
	}
	// Replace: the old names are gone.
	must(t, st.PutToolSettings(ctx, scopes[1], pairs("new", "1")))
	if got, _ := st.ToolSettings(ctx, scopes[1]); !slices.Equal(got, pairs("new", "1")) {
		t.Errorf("after replace: %v, want only new=1", got)
	}
	if got, _ := st.ToolSettings(ctx, scopes[2]); len(got) != 3 {
		t.Errorf("replacing one binding's settings changed another's: %v", got)
	}
	// An empty set clears.
	must(t, st.PutToolSettings(ctx, scopes[3], nil))
	if got, err := st.ToolSettings(ctx, scopes[3]); err != nil || got == nil || len(got) != 0 {
		t.Errorf("after clearing: %#v, %v", got, err)
	}
	// Fields a scope does not use are ignored.
	extra := store.Scope{Kind: store.ScopeToolProxy, ToolProxyGUID: "g1", ContextID: "ignored", LinkID: "ignored"}
	if got, _ := st.ToolSettings(ctx, extra); len(got) != 3 {
		t.Errorf("tool proxy scope with extra fields: %v", got)
	}
	// Invalid scopes and duplicate names.
	for _, sc := range []store.Scope{
		{Kind: "Bogus", ToolProxyGUID: "g1"},
		{Kind: store.ScopeToolProxy},
		{Kind: store.ScopeBinding, ToolProxyGUID: "g1"},
		{Kind: store.ScopeLink, ToolProxyGUID: "g1"},
	} {
		if _, err := st.ToolSettings(ctx, sc); err == nil {
			t.Errorf("ToolSettings accepted scope %+v", sc)
		}
		if err := st.PutToolSettings(ctx, sc, pairs("a", "b")); err == nil {
			t.Errorf("PutToolSettings accepted scope %+v", sc)
		}
	}
	if err := st.PutToolSettings(ctx, scopes[0], pairs("a", "1", "a", "2")); err == nil {
		t.Error("PutToolSettings accepted a name twice")
	}
	if got, _ := st.ToolSettings(ctx, scopes[0]); len(got) != 3 {
		t.Errorf("a rejected PutToolSettings changed the settings: %v", got)
	}
}

func testSettingsConcurrent(t *testing.T, b Backend) {
	st := b.NewStore(t)
	ctx := ctxOf(t)
	createProxy(t, st, "g")
	sc := store.Scope{Kind: store.ScopeBinding, ToolProxyGUID: "g", ContextID: "c"}
	const writers = 16
	// Set i: distinct names of its own, one name shared by all with the
	// writer's value, and a size that differs between writers.
	sets := make([][]store.Pair, writers+1)
	sets[writers] = pairs("initial", "yes")
	for i := range writers {
		set := pairs("shared", fmt.Sprint(i))
		for j := range i%5 + 1 {
			set = append(set, store.Pair{Name: fmt.Sprintf("w%02d-%d", i, j), Value: fmt.Sprint(i, j)})
		}
		sort.Slice(set, func(a, b int) bool { return set[a].Name < set[b].Name })
		sets[i] = set
	}
	must(t, st.PutToolSettings(ctx, sc, sets[writers]))
	matches := func(got []store.Pair) int {
		for i, s := range sets {
			if slices.Equal(got, s) {
				return i
			}
		}
		return -1
	}
	var (
		wg      sync.WaitGroup
		writing sync.WaitGroup
		mu      sync.Mutex
		mixed   [][]store.Pair
		errs    []error
		reads   int
	)
	start := make(chan struct{})
	done := make(chan struct{})
	for i := range writers {
		wg.Add(1)
		writing.Add(1)
		go func() {
			defer wg.Done()
			defer writing.Done()
			<-start
			for range 3 {
				if err := st.PutToolSettings(ctx, sc, sets[i]); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		}()
	}
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for {
				got, err := st.ToolSettings(ctx, sc)
				mu.Lock()
				reads++
				if err != nil {
					errs = append(errs, err)
				} else if matches(got) < 0 {
					mixed = append(mixed, got)
				}
				mu.Unlock()
				select {
				case <-done:
					return
				default:
				}
			}
		}()
	}
	close(start)
	writing.Wait()
	close(done)
	wg.Wait()
	for _, err := range errs {
		t.Errorf("concurrent settings: %v", err)
	}
	for _, m := range mixed {
		t.Errorf("a reader saw a mix of sets: %v", m)
	}
	final, err := st.ToolSettings(ctx, sc)
	must(t, err)
	if i := matches(final); i < 0 || i == writers {
		t.Errorf("final settings %v are not one of the written sets", final)
	}
	t.Logf("%d concurrent reads", reads)
}

func testResults(t *testing.T, b Backend) {
	st := b.NewStore(t)
	ctx := ctxOf(t)
	before := time.Now()
	half, one, zero := 0.5, 1.0, 0.0
	rs := []store.Result{
		{SourcedID: "s1", LinkID: "l1", UserID: "u2", Score: &half, Language: "en", Comment: "good"},
		{SourcedID: "s2", LinkID: "l1", UserID: "u1", Score: nil, Comment: "not graded yet"},
		{SourcedID: "s3", LinkID: "l2", UserID: "u1", Score: &one},
		{SourcedID: "s4", LinkID: "l1", UserID: "u3", Score: &zero},
	}
	for _, r := range rs {
		must(t, st.PutResult(ctx, r))
	}
	same := func(a, b store.Result) bool {
		if (a.Score == nil) != (b.Score == nil) || (a.Score != nil && *a.Score != *b.Score) {
			return false
		}
		return a.SourcedID == b.SourcedID && a.LinkID == b.LinkID && a.UserID == b.UserID && a.Language == b.Language && a.Comment == b.Comment
	}
	for _, r := range rs {
		got, err := st.Result(ctx, r.SourcedID)
		must(t, err)
		if !same(got, r) {
			t.Errorf("Result(%s) = %+v, want %+v", r.SourcedID, got, r)
		}
		checkStamp(t, "Updated", got.Updated, before)
	}
	list, err := st.ListResults(ctx, "l1")
	must(t, err)
	if len(list) != 3 || !same(list[0], rs[1]) || !same(list[1], rs[0]) || !same(list[2], rs[3]) {
		t.Errorf("ListResults(l1) = %+v, want s2, s1, s4 (by user ID)", list)
	}
	if list, err := st.ListResults(ctx, "none"); err != nil || list == nil || len(list) != 0 {
		t.Errorf("ListResults(none) = %#v, %v; want empty", list, err)
	}
	// Replace, including clearing a score.
	repl := store.Result{SourcedID: "s1", LinkID: "l1", UserID: "u2", Score: nil, Comment: "regraded"}
	must(t, st.PutResult(ctx, repl))
	if got, err := st.Result(ctx, "s1"); err != nil || !same(got, repl) {
		t.Errorf("replaced Result = %+v, %v; want %+v", got, err, repl)
	}
	must(t, st.DeleteResult(ctx, "s1"))
	_, err = st.Result(ctx, "s1")
	wantErr(t, err, store.ErrNotFound, "Result after delete")
	must(t, st.DeleteResult(ctx, "s1"))
	if list, _ := st.ListResults(ctx, "l1"); len(list) != 2 {
		t.Errorf("%d results of l1 after a delete, want 2", len(list))
	}
	for _, bad := range []float64{-0.01, 1.01, math.NaN(), math.Inf(1)} {
		if err := st.PutResult(ctx, store.Result{SourcedID: "bad", LinkID: "l1", UserID: "u9", Score: &bad}); err == nil {
			t.Errorf("PutResult accepted score %v", bad)
		}
	}
}

func testNonces(t *testing.T, b Backend) {
	st := b.NewStore(t)
	ctx := ctxOf(t)
	now := time.Now()
	seen := func(key, nonce string, want bool) {
		t.Helper()
		got, err := st.Seen(ctx, key, nonce, now)
		must(t, err)
		if got != want {
			t.Errorf("Seen(%q, %q) = %v, want %v", key, nonce, got, want)
		}
	}
	seen("k1", "n1", false)
	seen("k1", "n1", true)
	seen("k1", "n1", true)
	seen("k2", "n1", false)
	seen("k1", "n2", false)
	seen("k2", "n1", true)
	// Timestamps in the past or future do not change the answer.
	if got, err := st.Seen(ctx, "k1", "n1", now.Add(-time.Hour)); err != nil || !got {
		t.Errorf("replay with an old timestamp: %v, %v", got, err)
	}
	if got, err := st.Seen(ctx, "k3", "n1", now.Add(time.Hour)); err != nil || got {
		t.Errorf("first use with a future timestamp: %v, %v", got, err)
	}
}

// raceNonce has n goroutines see one nonce through the given stores and
// checks exactly one saw it first.
func raceNonce(t *testing.T, stores []store.Store, key, nonce string, n int) {
	t.Helper()
	ctx := ctxOf(t)
	results := make([]bool, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i], errs[i] = stores[i%len(stores)].Seen(ctx, key, nonce, time.Now())
		}()
	}
	close(start)
	wg.Wait()
	first := 0
	for i := range n {
		if errs[i] != nil {
			t.Errorf("Seen %d: %v", i, errs[i])
		}
		if !results[i] {
			first++
		}
	}
	if first != 1 {
		t.Errorf("%d of %d concurrent Seen of one nonce reported it new, want exactly 1", first, n)
	}
}

func testNoncesConcurrent(t *testing.T, b Backend) {
	st := b.NewStore(t)
	for i := range 10 {
		raceNonce(t, []store.Store{st}, "key", fmt.Sprint("nonce-", i), 16)
	}
}

func testNonceRetention(t *testing.T, b Backend) {
	const retention = 400 * time.Millisecond
	st := b.OpenWith(t, b.NewDSN(t), store.Options{Sealer: TestSealer(t), NonceRetention: retention})
	ctx := ctxOf(t)
	start := time.Now()
	for _, n := range []string{"a", "b"} {
		if got, err := st.Seen(ctx, "k", n, start); err != nil || got {
			t.Fatalf("first Seen(%s) = %v, %v", n, got, err)
		}
	}
	// A nonce whose timestamp is ahead of the clock is kept until its
	// timestamp plus the retention.
	if got, err := st.Seen(ctx, "k", "future", start.Add(2*retention)); err != nil || got {
		t.Fatalf("first Seen(future) = %v, %v", got, err)
	}
	if got, err := st.Seen(ctx, "k", "a", start); err != nil || !got {
		t.Fatalf("replay within the retention = %v, %v", got, err)
	}
	time.Sleep(time.Until(start.Add(retention + 300*time.Millisecond)))
	// Expired: a new request as far as the store can tell (its verifier's
	// timestamp window rejects truly old requests), and recorded again.
	if got, err := st.Seen(ctx, "k", "a", time.Now()); err != nil || got {
		t.Errorf("Seen after the retention = %v, %v; want false", got, err)
	}
	if got, err := st.Seen(ctx, "k", "a", time.Now()); err != nil || !got {
		t.Errorf("replay of a renewed nonce = %v, %v; want true", got, err)
	}
	if got, err := st.Seen(ctx, "k", "future", time.Now()); err != nil || !got {
		t.Errorf("replay of a future-dated nonce after the retention from now = %v, %v; want true", got, err)
	}
	// The purge, when the implementation exposes it, deletes "b" (and
	// nothing live).
	if p, ok := st.(interface {
		PurgeNonces(context.Context) (int64, error)
	}); ok {
		n, err := p.PurgeNonces(ctx)
		must(t, err)
		if n < 1 {
			t.Errorf("PurgeNonces deleted %d, want at least the expired nonce b", n)
		}
		if got, err := st.Seen(ctx, "k", "a", time.Now()); err != nil || !got {
			t.Errorf("a live nonce was purged: %v, %v", got, err)
		}
	}
}

func testSecretsAtRest(t *testing.T, b Backend) {
	dsn := b.NewDSN(t)
	st := b.OpenDSN(t, dsn)
	ctx := ctxOf(t)
	u := unique()
	guid := "guid-" + u
	secret := "s3cr3t-" + u
	password := "p4ssw0rd-" + u
	consumedPassword := "consumed-p4ssw0rd-" + u
	proposed := "pr0posed-" + u
	must(t, st.CreateRegistration(ctx, store.Registration{Key: "rk-" + u, Password: password, Expires: time.Now().Add(time.Hour)}))
	must(t, st.CreateRegistration(ctx, store.Registration{Key: "rk2-" + u, Password: consumedPassword, Expires: time.Now().Add(time.Hour)}))
	tp := newProxy(guid)
	tp.Secret = secret
	must(t, st.CreateToolProxy(ctx, tp, "rk2-"+u))
	must(t, st.ProposeToolProxy(ctx, guid, store.Proposal{Secret: proposed, Document: []byte(`{"p":1}`), ConfirmURL: "https://tool.example/c/1"}))

	// The store returns them.
	got, err := st.ToolProxy(ctx, guid)
	must(t, err)
	if got.Secret != secret || got.Pending == nil || got.Pending.Secret != proposed {
		t.Fatalf("ToolProxy secrets %q / %+v", got.Secret, got.Pending)
	}
	reg, err := st.Registration(ctx, "rk-"+u)
	must(t, err)
	if reg.Password != password {
		t.Fatalf("Registration password %q", reg.Password)
	}
	// The raw database holds none of them, but does hold the GUID (so the
	// search works).
	if !b.RawContains(t, dsn, guid) {
		t.Fatal("RawContains does not find the GUID: the raw search is broken")
	}
	for name, s := range map[string]string{"secret": secret, "password": password, "consumed password": consumedPassword, "proposed secret": proposed} {
		if b.RawContains(t, dsn, s) {
			t.Errorf("the %s is stored in plain text", name)
		}
	}
	// Also after the proposal becomes the secret in force.
	must(t, st.CommitProposal(ctx, guid, "https://tool.example/c/1"))
	if got, err := st.ToolProxy(ctx, guid); err != nil || got.Secret != proposed {
		t.Fatalf("after Commit: %q, %v", got.Secret, err)
	}
	if b.RawContains(t, dsn, proposed) || b.RawContains(t, dsn, secret) {
		t.Error("a secret is stored in plain text after Commit")
	}
}

func testWrongKey(t *testing.T, b Backend) {
	dsn := b.NewDSN(t)
	st := b.OpenDSN(t, dsn)
	ctx := ctxOf(t)
	createProxy(t, st, "g")
	must(t, st.CreateRegistration(ctx, store.Registration{Key: "rk", Password: "pw"}))
	other, err := seal.New(bytes.Repeat([]byte{0x42}, seal.KeySize))
	must(t, err)
	st2 := b.OpenWith(t, dsn, store.Options{Sealer: other})
	_, err = st2.ToolProxy(ctx, "g")
	wantErr(t, err, seal.ErrWrongKey, "ToolProxy with another key")
	_, err = st2.ListToolProxies(ctx)
	wantErr(t, err, seal.ErrWrongKey, "ListToolProxies with another key")
	_, err = st2.Registration(ctx, "rk")
	wantErr(t, err, seal.ErrWrongKey, "Registration with another key")
}

func testMultiInstance(t *testing.T, b Backend) {
	dsn := b.NewDSN(t)
	a := b.OpenDSN(t, dsn)
	c := b.OpenDSN(t, dsn) // opening again applies no migration and keeps the data
	ctx := ctxOf(t)
	createProxy(t, a, "g")
	if tp, err := c.ToolProxy(ctx, "g"); err != nil || tp.Secret != "secret-of-g" {
		t.Errorf("second instance reads %+v, %v", tp, err)
	}
	must(t, c.PutToolSettings(ctx, store.Scope{Kind: store.ScopeToolProxy, ToolProxyGUID: "g"}, pairs("k", "v")))
	if got, err := a.ToolSettings(ctx, store.Scope{Kind: store.ScopeToolProxy, ToolProxyGUID: "g"}); err != nil || !slices.Equal(got, pairs("k", "v")) {
		t.Errorf("first instance reads settings %v, %v", got, err)
	}
	// A nonce one instance recorded is a replay for the other: at once on
	// a store that records it in the database before answering
	// (PostgreSQL), once the first instance has flushed it on one that
	// writes nonces behind (SQLite, see nonceFlusher).
	if got, err := a.Seen(ctx, "g", "n1", time.Now()); err != nil || got {
		t.Fatalf("first Seen = %v, %v", got, err)
	}
	flusher := flushNonces(t, a)
	if got, err := c.Seen(ctx, "g", "n1", time.Now()); err != nil || !got {
		t.Errorf("Seen on the other instance = %v, %v; want a replay", got, err)
	}
	if got, err := c.Seen(ctx, "g", "n2", time.Now()); err != nil || got {
		t.Fatalf("first Seen on the other instance = %v, %v", got, err)
	}
	flushNonces(t, c)
	if got, err := a.Seen(ctx, "g", "n2", time.Now()); err != nil || !got {
		t.Errorf("Seen on the first instance = %v, %v; want a replay", got, err)
	}
	// A credential consumed through one is gone for the other.
	must(t, a.CreateRegistration(ctx, store.Registration{Key: "rk", Password: "pw"}))
	must(t, c.CreateToolProxy(ctx, newProxy("g2"), "rk"))
	wantErr(t, a.CreateToolProxy(ctx, newProxy("g3"), "rk"), store.ErrConflict, "reuse of a credential through the other instance")
	// Races across instances. Concurrent calls of one nonce on two
	// instances that check nonces in memory both accept it (neither is
	// written yet): for those, the race is on one instance, and the
	// other sees the nonce once flushed.
	stores := []store.Store{a, c}
	for i := range 5 {
		nonce := fmt.Sprint("shared-", i)
		if flusher {
			first, other := stores[i%2], stores[(i+1)%2]
			raceNonce(t, []store.Store{first}, "g", nonce, 16)
			flushNonces(t, first)
			if got, err := other.Seen(ctx, "g", nonce, time.Now()); err != nil || !got {
				t.Errorf("Seen of %s on the other instance = %v, %v; want a replay", nonce, got, err)
			}
		} else {
			raceNonce(t, stores, "g", nonce, 16)
		}
		raceRegistration(t, stores, fmt.Sprint("mi", i), 8)
	}
	// Closing one leaves the other working.
	must(t, a.Close())
	if _, err := c.ToolProxy(ctx, "g"); err != nil {
		t.Errorf("after the first instance closed: %v", err)
	}
}

// nonceFlusher is implemented by a store that checks nonces in memory and
// writes them to its database behind the requests (SQLite): another
// instance on the database sees a nonce once FlushNonces has written it
// (or the store's own flush, shortly after).
type nonceFlusher interface {
	FlushNonces(context.Context) error
}

// flushNonces calls FlushNonces on st when it is a nonceFlusher, and
// reports whether it is.
func flushNonces(t *testing.T, st store.Store) bool {
	t.Helper()
	f, ok := st.(nonceFlusher)
	if ok {
		must(t, f.FlushNonces(ctxOf(t)))
	}
	return ok
}

func testCanceledContext(t *testing.T, b Backend) {
	st := b.NewStore(t)
	ctx, cancel := context.WithCancel(ctxOf(t))
	cancel()
	if err := st.PutContext(ctx, store.Context{ID: "c"}); !errors.Is(err, context.Canceled) {
		t.Errorf("PutContext with a canceled context: %v", err)
	}
	if _, err := st.Context(ctx, "c"); !errors.Is(err, context.Canceled) {
		t.Errorf("Context with a canceled context: %v", err)
	}
	if _, err := st.Seen(ctx, "k", "n", time.Now()); !errors.Is(err, context.Canceled) {
		t.Errorf("Seen with a canceled context: %v", err)
	}
	if err := st.CreateToolProxy(ctx, newProxy("g"), ""); !errors.Is(err, context.Canceled) {
		t.Errorf("CreateToolProxy with a canceled context: %v", err)
	}
	if _, err := st.Context(ctxOf(t), "c"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the canceled PutContext stored something: %v", err)
	}
}
