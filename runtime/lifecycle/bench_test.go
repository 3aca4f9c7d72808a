package lifecycle_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/runtime/consumer"
	"github.com/ltiforge/ltiforge/runtime/oauth1"
	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/storetest"
)

// benchRequest is one pre-signed request.
type benchRequest struct {
	method, path, contentType, accept, auth string
	body                                    []byte
}

// BenchmarkServices measures signed service requests over loopback HTTP
// from 8 keep-alive clients: a Tool Settings GET and PUT and a Result PUT,
// against the consumer on each store backend and against a bare handler
// that reads the request and computes one HMAC-SHA1 over the same base
// string (the limit). Requests are signed before the timer starts, so the
// figures are the server's. It reports requests per second and the p50 and
// p99 latency. Target: the settings GET on SQLite at 40% or more of the
// bare handler's requests per second.
func BenchmarkServices(b *testing.B) {
	const clients = 8
	for _, be := range storetest.Backends(b) {
		st := openStore(b, be.NewDSN(b), storetest.TestSealer(b))
		l := newLMS(b, st, nil)
		seedCourse(b, st, "course-1", 50)
		tool := registerByHand(b, l, toolSpec{Vendor: "acme", Product: "reader", Services: allServices()})
		must(b, st.PutLink(context.Background(), linkFor(tool.GUID)))
		base := sampleBaseString(b, l.URL, tool)
		bare := httptest.NewServer(bareHMAC(base))
		b.Cleanup(bare.Close)
		for _, op := range []string{"SettingsGET", "SettingsPUT", "ResultPUT"} {
			for _, target := range []struct {
				name string
				url  string
			}{{be.Name, l.URL}, {be.Name + "-bare-hmac", bare.URL}} {
				b.Run(op+"/"+target.name, func(b *testing.B) {
					reqs := presign(b, op, l.URL, tool, b.N)
					client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
					defer client.CloseIdleConnections()
					lat := make([][]time.Duration, clients)
					var next atomic.Int64
					var failed atomic.Value
					b.ResetTimer()
					start := time.Now()
					var wg sync.WaitGroup
					for c := range clients {
						wg.Add(1)
						go func() {
							defer wg.Done()
							for {
								i := int(next.Add(1)) - 1
								if i >= len(reqs) {
									return
								}
								r := reqs[i]
								req, _ := http.NewRequest(r.method, target.url+r.path, bytes.NewReader(r.body))
								req.Header.Set("Authorization", r.auth)
								if r.contentType != "" {
									req.Header.Set("Content-Type", r.contentType)
								}
								if r.accept != "" {
									req.Header.Set("Accept", r.accept)
								}
								t0 := time.Now()
								resp, err := client.Do(req)
								if err != nil {
									failed.Store(err.Error())
									return
								}
								msg, _ := io.ReadAll(resp.Body)
								resp.Body.Close()
								lat[c] = append(lat[c], time.Since(t0))
								if resp.StatusCode != http.StatusOK {
									failed.Store(fmt.Sprintf("%s %s: %s: %s", r.method, r.path, resp.Status, msg))
									return
								}
							}
						}()
					}
					wg.Wait()
					elapsed := time.Since(start)
					b.StopTimer()
					if f := failed.Load(); f != nil {
						b.Fatal(f)
					}
					all := slices.Concat(lat...)
					slices.Sort(all)
					b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
					b.ReportMetric(float64(all[len(all)/2].Microseconds()), "p50-µs")
					b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
				})
			}
		}
	}
}

// linkFor is the gradable link the benchmarks use.
func linkFor(guid string) store.Link {
	return store.Link{ID: "link-a", ContextID: "course-1", ToolProxyGUID: guid, ResourceType: "book", Gradable: true}
}

// presign signs n requests of the operation op for the consumer at base.
func presign(b *testing.B, op, base string, tool handTool, n int) []benchRequest {
	b.Helper()
	out := make([]benchRequest, n)
	for i := range out {
		r := benchRequest{method: "GET", path: "/lti/links/link-a/custom", accept: mediaSimple}
		switch op {
		case "SettingsPUT":
			r = benchRequest{method: "PUT", path: r.path, contentType: mediaSimple, body: []byte(fmt.Sprintf(`{"chapter":"%d"}`, i))}
		case "ResultPUT":
			sid := consumer.ResultSourcedID("link-a", learnerID(i%50))
			r = benchRequest{method: "PUT", path: "/Result/" + sid, contentType: mediaResult,
				body: []byte(fmt.Sprintf(`{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result","resultScore":%v}`, float64(i%101)/100))}
		}
		req, err := http.NewRequest(r.method, base+r.path, bytes.NewReader(r.body))
		must(b, err)
		if r.contentType != "" {
			req.Header.Set("Content-Type", r.contentType)
		}
		must(b, oauth1.SignRequest(req, r.body, oauth1.Credentials{Key: tool.GUID, Secret: tool.Secret}, oauth1.SignOptions{}))
		r.auth = req.Header.Get("Authorization")
		out[i] = r
	}
	return out
}

// sampleBaseString returns the signature base string of a settings GET, the
// string the bare handler's HMAC covers.
func sampleBaseString(b *testing.B, base string, tool handTool) string {
	b.Helper()
	r := presign(b, "SettingsGET", base, tool, 1)[0]
	req := httptest.NewRequest(r.method, base+r.path, nil)
	req.Header.Set("Authorization", r.auth)
	res, err := (&oauth1.Verifier{Secrets: oauth1.SecretMap{tool.GUID: tool.Secret}}).Verify(context.Background(), req, nil)
	must(b, err)
	return res.BaseString
}

// bareHMAC is the limit: a handler that reads the request and computes one
// HMAC-SHA1 over a base string, then answers a small settings document.
func bareHMAC(base string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20)); err != nil {
			http.Error(w, "body", http.StatusBadRequest)
			return
		}
		mac := hmac.New(sha1.New, []byte("secret&"))
		io.WriteString(mac, base)
		mac.Sum(nil)
		w.Header().Set("Content-Type", mediaSimple)
		io.WriteString(w, `{"chapter":"1"}`)
	}
}
