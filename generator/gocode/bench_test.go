package gocode_test

// Decoding and encoding the IMS Tool Consumer Profile example with the
// generated types, side by side with encoding/json decoding into plain
// structs of the same shape (written here). Run with
//
//	go test ./generator/gocode -run '^$' -bench TCP -benchmem

import (
	"encoding/json"
	"testing"

	"github.com/ltiforge/ltiforge/generated/lti2"
	"github.com/ltiforge/ltiforge/internal/sharedtest"
)

const tcpExample = "spec/examples/toolconsumerprofile.ims-doc-sample.json"

// Plain structs of the same shape as the generated ones: the same fields,
// pointers and slices, with encoding/json tags and no JSON-LD handling.
type (
	plainName struct {
		Key          string `json:"key,omitempty"`
		DefaultValue string `json:"default_value,omitempty"`
	}
	plainContact struct {
		Email string `json:"email,omitempty"`
	}
	plainVendor struct {
		ID          string        `json:"@id,omitempty"`
		Code        string        `json:"code,omitempty"`
		VendorName  *plainName    `json:"vendor_name,omitempty"`
		Description *plainName    `json:"description,omitempty"`
		Website     string        `json:"website,omitempty"`
		Timestamp   string        `json:"timestamp,omitempty"`
		Contact     *plainContact `json:"contact,omitempty"`
	}
	plainFamily struct {
		ID     string       `json:"@id,omitempty"`
		Code   string       `json:"code,omitempty"`
		Vendor *plainVendor `json:"vendor,omitempty"`
	}
	plainInfo struct {
		ProductName          *plainName   `json:"product_name,omitempty"`
		ProductVersion       string       `json:"product_version,omitempty"`
		Description          *plainName   `json:"description,omitempty"`
		TechnicalDescription *plainName   `json:"technical_description,omitempty"`
		ProductFamily        *plainFamily `json:"product_family,omitempty"`
	}
	plainProvider struct {
		ID                  string        `json:"@id,omitempty"`
		GUID                string        `json:"guid,omitempty"`
		ServiceProviderName *plainName    `json:"service_provider_name,omitempty"`
		Description         *plainName    `json:"description,omitempty"`
		Support             *plainContact `json:"support,omitempty"`
		Timestamp           string        `json:"timestamp,omitempty"`
	}
	plainOwner struct {
		ID               string        `json:"@id,omitempty"`
		ServiceOwnerName *plainName    `json:"service_owner_name,omitempty"`
		Description      *plainName    `json:"description,omitempty"`
		Support          *plainContact `json:"support,omitempty"`
		Timestamp        string        `json:"timestamp,omitempty"`
	}
	plainInstance struct {
		GUID            string         `json:"guid,omitempty"`
		ProductInfo     *plainInfo     `json:"product_info,omitempty"`
		Support         *plainContact  `json:"support,omitempty"`
		ServiceProvider *plainProvider `json:"service_provider,omitempty"`
		ServiceOwner    *plainOwner    `json:"service_owner,omitempty"`
	}
	plainService struct {
		Type     string   `json:"@type,omitempty"`
		ID       string   `json:"@id,omitempty"`
		Endpoint string   `json:"endpoint,omitempty"`
		Format   []string `json:"format,omitempty"`
		Action   []string `json:"action,omitempty"`
	}
	plainTCP struct {
		Context           json.RawMessage `json:"@context,omitempty"`
		Type              string          `json:"@type,omitempty"`
		ID                string          `json:"@id,omitempty"`
		LTIVersion        string          `json:"lti_version,omitempty"`
		GUID              string          `json:"guid,omitempty"`
		ProductInstance   *plainInstance  `json:"product_instance,omitempty"`
		CapabilityOffered []string        `json:"capability_offered,omitempty"`
		ServiceOffered    []plainService  `json:"service_offered,omitempty"`
	}
)

func BenchmarkTCPDecode(b *testing.B) {
	data := sharedtest.Read(b, tcpExample)
	b.Run("generated", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := lti2.DecodeToolConsumerProfile(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var v plainTCP
			if err := json.Unmarshal(data, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkTCPEncode(b *testing.B) {
	data := sharedtest.Read(b, tcpExample)
	tcp, err := lti2.DecodeToolConsumerProfile(data)
	if err != nil {
		b.Fatal(err)
	}
	var plain plainTCP
	if err := json.Unmarshal(data, &plain); err != nil {
		b.Fatal(err)
	}
	b.Run("generated", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := tcp.Encode(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(&plain); err != nil {
				b.Fatal(err)
			}
		}
	})
}
