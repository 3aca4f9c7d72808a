package consumer_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"

	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/runtime/consumer"
	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/seal"
	"github.com/ltiforge/ltiforge/runtime/store/sqlite"
)

// An LMS serves the consumer below /lti, registers a tool and launches it.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "lms")
	defer os.RemoveAll(dir)

	// Secrets are sealed at rest; a real deployment loads the key with
	// seal.Load from LTIFORGE_SEAL_KEY or LTIFORGE_SEAL_KEY_FILE.
	key := make([]byte, seal.KeySize)
	rand.Read(key)
	sealer, err := seal.New(key)
	if err != nil {
		log.Fatal(err)
	}
	st, err := sqlite.Open(ctx, filepath.Join(dir, "lms.db"), store.Options{Sealer: sealer})
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()

	c, err := consumer.New(consumer.Config{
		BaseURL: "https://lms.example.edu/lti",
		Store:   st,
		Product: &lti2.ProductInstance{
			GUID: "lms-1",
			ProductInfo: &lti2.ProductInfo{
				ProductName:   &lti2.LocalizedName{DefaultValue: "Example LMS"},
				ProductFamily: &lti2.ProductFamily{Code: "example-lms", Vendor: &lti2.Vendor{Code: "example.edu"}},
			},
		},
		ProfileGUID: "b6ffa601-ce1d-4549-9ccf-145670a964d4",
		SplitSecret: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	http.Handle("/lti/", http.StripPrefix("/lti", c.Handler()))

	// The administrator's browser posts this form to the tool, which then
	// fetches the profile and registers its tool proxy.
	form, err := c.StartRegistration(ctx, consumer.RegistrationRequest{
		ToolURL:   "https://tool.example.com/lti/register",
		ReturnURL: "https://lms.example.edu/admin/tools/registered",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("post to", form.Action, "with tc_profile_url", form.Values().Get("tc_profile_url"))
	for _, s := range c.Profile().ServiceOffered {
		rs := s.(*lti2.RESTService)
		fmt.Println(rs.Action, rs.Endpoint)
	}
	// Output:
	// post to https://tool.example.com/lti/register with tc_profile_url https://lms.example.edu/lti/profile/b6ffa601-ce1d-4549-9ccf-145670a964d4
	// [POST] https://lms.example.edu/lti/ToolProxy
	// [GET] https://lms.example.edu/lti/ToolProxy/{tool_proxy_guid}
	// [GET PUT] https://lms.example.edu/lti/lti/links/{link_id}/custom
	// [GET PUT] https://lms.example.edu/lti/lis/{context_type}/{context_id}/bindings/{vendor_code}/{product_code}/custom
	// [GET PUT] https://lms.example.edu/lti/lti/ToolProxy/{tool_proxy_guid}/custom
	// [GET PUT] https://lms.example.edu/lti/Result/{sourcedId}
	// [GET] https://lms.example.edu/lti/context/{context_id}/memberships
}
