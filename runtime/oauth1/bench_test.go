package oauth1

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const benchURL = "https://tool.example.edu/lti/launch?course=CS101"

// benchLaunch is a realistic LTI launch: 30 fields (with the oauth_* ones
// SignForm adds, 36), values of the lengths real consumers send.
func benchLaunch() []Param {
	return []Param{
		{"lti_message_type", "basic-lti-launch-request"},
		{"lti_version", "LTI-2p0"},
		{"resource_link_id", "8c7d5f3e-2b1a-4c9d-8e7f-6a5b4c3d2e1f"},
		{"resource_link_title", "Week 3: Recursion and Induction — Problem Set"},
		{"resource_link_description", "Submit your answers before Friday; late work loses 10% a day."},
		{"user_id", "0ae836b9-7fc9-4060-006f-27b2066ac545"},
		{"user_image", "https://lms.example.edu/images/users/12345/avatar-50.png"},
		{"roles", "Instructor"},
		{"roles", "urn:lti:role:ims/lis/TeachingAssistant"},
		{"lis_person_name_given", "Zoë"},
		{"lis_person_name_family", "d'Artagnan"},
		{"lis_person_name_full", "Zoë d'Artagnan"},
		{"lis_person_contact_email_primary", "zoe.dartagnan@student.example.edu"},
		{"lis_person_sourcedid", "example.edu:2718281828"},
		{"context_id", "c1d887f0a1a3b1f2a3c4d5e6f7a8b9c0d1e2f3a4"},
		{"context_type", "CourseSection"},
		{"context_title", "CS 101: Introduction to Computer Science (Fall)"},
		{"context_label", "CS101-F"},
		{"lis_course_section_sourcedid", "example.edu:CS101:2024FA:001"},
		{"lis_result_sourcedid", "feb-123-456-2929::28883"},
		{"lis_outcome_service_url", "https://lms.example.edu/api/lti/v1/tools/17/grade_passback"},
		{"launch_presentation_locale", "fr-CA"},
		{"launch_presentation_document_target", "iframe"},
		{"launch_presentation_return_url", "https://lms.example.edu/courses/42/external_content/success/external_tool_redirect"},
		{"tool_consumer_info_product_family_code", "canvas"},
		{"tool_consumer_info_version", "cloud"},
		{"tool_consumer_instance_guid", "07adb3e60637ff02d9ea11c7c74f1ca921699bd7.lms.example.edu"},
		{"tool_consumer_instance_name", "Example University"},
		{"custom_canvas_course_id", "42"},
		{"custom_chapter", "3 & 4 (review)"},
	}
}

// signedBodies signs n copies of the benchmark launch with distinct
// nonces, at ts.
func signedBodies(b *testing.B, n int, ts int64) [][]byte {
	b.Helper()
	bodies := make([][]byte, n)
	for i := range bodies {
		ps, err := SignForm("POST", benchURL, benchLaunch(), Credentials{"key", "secret-secret-secret"},
			SignOptions{Now: fixed(ts), Nonce: nonceOf(fmt.Sprintf("nonce-%032d", i)), Callback: "about:blank"})
		if err != nil {
			b.Fatal(err)
		}
		bodies[i] = []byte(EncodeForm(ps))
	}
	return bodies
}

// BenchmarkVerifyLaunch measures Verify on a ~30-field launch in process
// (the memory nonce store included), beside the floor: one HMAC-SHA1 over
// the same base string. Target: verify within 3x the floor.
//
// A server verifies a body it has just read from the connection, so the
// body is in the CPU's cache; the benchmark cycles through few enough
// launches (64, 120 KB) that theirs stay there too. BenchmarkVerifyLaunchCold
// cycles through 4096 (8 MB), each read from memory.
func BenchmarkVerifyLaunch(b *testing.B) { benchVerifyLaunch(b, 64) }

// BenchmarkVerifyLaunchCold is BenchmarkVerifyLaunch with bodies that are
// not in the cache.
func BenchmarkVerifyLaunchCold(b *testing.B) { benchVerifyLaunch(b, 4096) }

func benchVerifyLaunch(b *testing.B, k int) {
	const t0 = 1700000000
	bodies := signedBodies(b, k, t0)
	reqs := make([]*http.Request, k)
	for i := range bodies {
		r := httptest.NewRequest("POST", benchURL, nil)
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		reqs[i] = r
	}
	var base string
	b.Run("verify", func(b *testing.B) {
		// A fake clock moves past the nonce store's TTL after each
		// pass over the k requests, so their nonces may come again;
		// the window is wide enough for the moved clock.
		now := time.Unix(t0, 0)
		store := NewMemoryNonceStore(2*k, time.Minute)
		store.Now = func() time.Time { return now }
		v := &Verifier{Secrets: SecretMap{"key": "secret-secret-secret"}, Nonces: store,
			Now: func() time.Time { return now }, Window: 100 * 365 * 24 * time.Hour}
		ctx := context.Background()
		b.SetBytes(int64(len(bodies[0])))
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			j := i % k
			if j == 0 && i > 0 {
				now = now.Add(time.Minute + time.Second)
			}
			res, err := v.Verify(ctx, reqs[j], bodies[j])
			if err != nil {
				b.Fatal(err)
			}
			base = res.BaseString
		}
	})
	if base == "" {
		return
	}
	b.Run("verify-without-nonce-store", func(b *testing.B) {
		v := &Verifier{Secrets: SecretMap{"key": "secret-secret-secret"}, Now: fixed(t0)}
		ctx := context.Background()
		b.SetBytes(int64(len(bodies[0])))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := v.Verify(ctx, reqs[i%k], bodies[i%k]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("hmac-sha1-floor", func(b *testing.B) {
		key := []byte("secret-secret-secret&")
		msg := []byte(base)
		b.SetBytes(int64(len(bodies[0])))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			mac := hmac.New(sha1.New, key)
			mac.Write(msg)
			mac.Sum(nil)
		}
	})
}

// BenchmarkVerifyHTTP sends b.N launches over loopback HTTP from 8
// concurrent keep-alive clients, to a handler that verifies them (memory
// nonce store, real clock) and to a bare handler that reads the body and
// computes one HMAC-SHA1 over the base string. Target: verify at least
// 50% of the bare handler's requests per second.
func BenchmarkVerifyHTTP(b *testing.B) {
	const clients = 8
	base := ""
	{
		bodies := signedBodies(b, 1, time.Now().Unix())
		r := httptest.NewRequest("POST", benchURL, nil)
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := (&Verifier{Secrets: SecretMap{"key": "secret-secret-secret"}}).VerifyAt(context.Background(), r, bodies[0], benchURL)
		if err != nil {
			b.Fatal(err)
		}
		base = res.BaseString
	}
	v := &Verifier{Secrets: SecretMap{"key": "secret-secret-secret"}, Nonces: NewMemoryNonceStore(1<<20, 10*time.Minute)}
	handlers := []struct {
		name string
		h    http.HandlerFunc
	}{
		{"verify", func(w http.ResponseWriter, r *http.Request) {
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
			if err != nil {
				http.Error(w, "body", http.StatusBadRequest)
				return
			}
			// The test server is plain HTTP; the launch was signed for
			// the public https URL, as behind a TLS-terminating proxy.
			if _, err := v.VerifyAt(r.Context(), r, body, benchURL); err != nil {
				http.Error(w, err.Error(), http.StatusUnauthorized)
				return
			}
			io.WriteString(w, "ok")
		}},
		{"bare-hmac", func(w http.ResponseWriter, r *http.Request) {
			if _, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20)); err != nil {
				http.Error(w, "body", http.StatusBadRequest)
				return
			}
			mac := hmac.New(sha1.New, []byte("secret-secret-secret&"))
			io.WriteString(mac, base)
			mac.Sum(nil)
			io.WriteString(w, "ok")
		}},
	}
	for _, hc := range handlers {
		b.Run(hc.name, func(b *testing.B) {
			srv := httptest.NewServer(hc.h)
			defer srv.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
			defer client.CloseIdleConnections()
			// Each run gets nonces of its own (b.N runs repeat).
			bodies := resign(b, b.N, fmt.Sprintf("%d-%s", time.Now().UnixNano(), hc.name))
			var next atomic.Int64
			var failed atomic.Value
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for c := 0; c < clients; c++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := int(next.Add(1)) - 1
						if i >= len(bodies) {
							return
						}
						resp, err := client.Post(srv.URL+"/lti/launch?course=CS101", "application/x-www-form-urlencoded", bytes.NewReader(bodies[i]))
						if err != nil {
							failed.Store(err.Error())
							return
						}
						msg, _ := io.ReadAll(resp.Body)
						resp.Body.Close()
						if resp.StatusCode != http.StatusOK {
							failed.Store(resp.Status + ": " + strings.TrimSpace(string(msg)))
							return
						}
					}
				}()
			}
			wg.Wait()
			b.StopTimer()
			if f := failed.Load(); f != nil {
				b.Fatal(f)
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
		})
	}
}

// resign signs n launches at the current time with nonces under prefix.
func resign(b *testing.B, n int, prefix string) [][]byte {
	b.Helper()
	ts := time.Now().Unix()
	bodies := make([][]byte, n)
	for i := range bodies {
		ps, err := SignForm("POST", benchURL, benchLaunch(), Credentials{"key", "secret-secret-secret"},
			SignOptions{Now: fixed(ts), Nonce: nonceOf(fmt.Sprintf("%s-%d", prefix, i)), Callback: "about:blank"})
		if err != nil {
			b.Fatal(err)
		}
		bodies[i] = []byte(EncodeForm(ps))
	}
	return bodies
}
