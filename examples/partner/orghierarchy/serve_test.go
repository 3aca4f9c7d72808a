// The worked partner example, served and called for real: its generated
// handler serves a fake organization, and its generated client calls it,
// signed, through an httptest server.

package orghierarchy_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ltiforge/ltiforge/examples/partner/orghierarchy/generated/orghierarchy"
	"github.com/ltiforge/ltiforge/examples/partner/orghierarchy/generated/orghierarchyrest"
	"github.com/ltiforge/ltiforge/generated/httpapi"
)

// tree is a fake OrgHierarchyService over a fixed organization.
type tree struct{ t *testing.T }

const (
	treeDoc = `{"@context":"http://example.org/ctx/orghierarchy/v1/OrgTree","@type":"OrgUnit","@id":"https://u.example.edu/orgs/u","name":"Example University","unitType":"Institution",
"subUnit":[{"@type":"OrgUnit","@id":"https://u.example.edu/orgs/math","name":"Mathematics","unitType":"Department"}]}`
	unitDoc = `{"@context":"http://example.org/ctx/orghierarchy/v1/OrgUnit","@type":"OrgUnit","@id":"https://u.example.edu/orgs/math","name":"Mathematics","unitType":"Department","parent":"https://u.example.edu/orgs/u"}`
)

func (f tree) GetTree(_ context.Context, in *orghierarchyrest.GetTreeRequest) (*orghierarchy.OrgUnit, error) {
	if in.UnitID != "u" {
		return nil, httpapi.Errorf(http.StatusNotFound, "no unit %q", in.UnitID)
	}
	if in.Depth != nil && *in.Depth < 0 {
		return nil, httpapi.NewError(http.StatusBadRequest, "depth is negative")
	}
	return orghierarchy.DecodeOrgUnit([]byte(treeDoc))
}

func (f tree) GetUnit(_ context.Context, in *orghierarchyrest.GetUnitRequest) (*orghierarchy.OrgUnit, error) {
	if in.UnitID != "math" {
		return nil, httpapi.Errorf(http.StatusNotFound, "no unit %q", in.UnitID)
	}
	return orghierarchy.DecodeOrgUnit([]byte(unitDoc))
}

// TestOrgHierarchy serves the partner service with its generated handler
// and calls it with its generated client, signed.
func TestOrgHierarchy(t *testing.T) {
	auth := httpapi.AuthenticatorFunc(func(r *http.Request, _ []byte) (context.Context, error) {
		if r.Header.Get("Authorization") != "OAuth signed" {
			return nil, errors.New("unsigned")
		}
		return nil, nil
	})
	srv := httptest.NewServer(http.StripPrefix("/api", orghierarchyrest.NewOrgHierarchyServiceHandler(tree{t}, httpapi.Config{Authenticator: auth})))
	defer srv.Close()
	sign := func(r *http.Request, _ []byte) error {
		r.Header.Set("Authorization", "OAuth signed")
		return nil
	}
	c := orghierarchyrest.NewOrgHierarchyServiceClient(srv.URL+"/api", httpapi.ClientConfig{HTTPClient: srv.Client(), Sign: sign})
	ctx := context.Background()

	depth := int64(2)
	got, err := c.GetTree(ctx, &orghierarchyrest.GetTreeRequest{UnitID: "u", Depth: &depth})
	if err != nil {
		t.Fatalf("GetTree: %v", err)
	}
	if data, _ := got.MarshalJSON(); !strings.Contains(string(data), "Mathematics") {
		t.Errorf("GetTree returned %s", data)
	}
	unit, err := c.GetUnit(ctx, &orghierarchyrest.GetUnitRequest{UnitID: "math"})
	if err != nil {
		t.Fatalf("GetUnit: %v", err)
	}
	if data, _ := unit.MarshalJSON(); !strings.Contains(string(data), "orgs/u") {
		t.Errorf("GetUnit returned %s", data)
	}
	if _, err := c.GetUnit(ctx, &orghierarchyrest.GetUnitRequest{UnitID: "history"}); httpapi.StatusOf(err) != http.StatusNotFound {
		t.Errorf("GetUnit(history) = %v, want 404", err)
	}
	neg := int64(-1)
	if _, err := c.GetTree(ctx, &orghierarchyrest.GetTreeRequest{UnitID: "u", Depth: &neg}); httpapi.StatusOf(err) != http.StatusBadRequest {
		t.Errorf("GetTree(depth -1) = %v, want 400", err)
	}
	unsigned := orghierarchyrest.NewOrgHierarchyServiceClient(srv.URL+"/api", httpapi.ClientConfig{HTTPClient: srv.Client()})
	if _, err := unsigned.GetUnit(ctx, &orghierarchyrest.GetUnitRequest{UnitID: "math"}); httpapi.StatusOf(err) != http.StatusUnauthorized {
		t.Errorf("unsigned GetUnit = %v, want 401", err)
	}
}
