package lifecycle_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/ltiforge/ltiforge/runtime/store/storetest"
)

// TestConcurrentSettingsPuts has writers replace one settings container
// with sets of their own while readers read it: every read, and the final
// state, must be exactly one writer's whole set (last write wins, whole).
func TestConcurrentSettingsPuts(t *testing.T) {
	const writers, keys, rounds = 16, 20, 5
	for _, b := range backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			st := openStore(t, b.NewDSN(t), storetest.TestSealer(t))
			w := newWorld(t, st)
			url := w.l.URL + "/lti/links/link-a/custom"
			setOf := func(writer, round int) map[string]string {
				m := make(map[string]string, keys)
				for k := range keys {
					m[fmt.Sprintf("key%02d", k+writer%3)] = fmt.Sprintf("w%d-r%d", writer, round)
				}
				return m
			}
			// whole reports whether m is exactly one writer's set.
			whole := func(m map[string]string) bool {
				if len(m) == 0 {
					return true // read before any write
				}
				var writer, round int
				for _, v := range m {
					if _, err := fmt.Sscanf(v, "w%d-r%d", &writer, &round); err != nil {
						return false
					}
					break
				}
				want := setOf(writer, round)
				if len(want) != len(m) {
					return false
				}
				for k, v := range want {
					if m[k] != v {
						return false
					}
				}
				return true
			}
			var wg sync.WaitGroup
			errs := make(chan string, writers*rounds*2)
			for g := range writers {
				wg.Add(2)
				go func() {
					defer wg.Done()
					for r := range rounds {
						body, _ := json.Marshal(setOf(g, r))
						status, resp := signedDo(t, "PUT", url, mediaSimple, "", body, w.a.GUID, w.a.Secret)
						if status != 200 {
							errs <- fmt.Sprintf("PUT by writer %d: status %d: %s", g, status, resp)
						}
					}
				}()
				go func() {
					defer wg.Done()
					for range rounds {
						status, resp := signedDo(t, "GET", url, "", mediaSimple, nil, w.a.GUID, w.a.Secret)
						var m map[string]string
						if status != 200 || json.Unmarshal(resp, &m) != nil || !whole(m) {
							errs <- fmt.Sprintf("GET saw status %d and a set that is no writer's whole set: %s", status, resp)
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			var msgs []string
			for e := range errs {
				msgs = append(msgs, e)
			}
			if len(msgs) > 0 {
				t.Fatalf("%d problems, first: %s", len(msgs), strings.Join(msgs[:min(3, len(msgs))], "\n"))
			}
			status, resp := signedDo(t, "GET", url, "", mediaSimple, nil, w.a.GUID, w.a.Secret)
			var final map[string]string
			if status != 200 || json.Unmarshal(resp, &final) != nil || len(final) != keys || !whole(final) {
				t.Fatalf("final settings are not one writer's whole set: status %d, %s", status, resp)
			}
		})
	}
}
