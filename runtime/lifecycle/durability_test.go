package lifecycle_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/runtime/consumer"
	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/backend"
	"github.com/ltiforge/ltiforge/runtime/store/seal"
)

// Environment of the consumer process the durability test starts (this
// test binary, re-executed).
const (
	envChild     = "LTIFORGE_LIFECYCLE_CONSUMER"
	envChildDSN  = "LTIFORGE_LIFECYCLE_DSN"
	envChildAddr = "LTIFORGE_LIFECYCLE_ADDR"
)

func TestMain(m *testing.M) {
	if os.Getenv(envChild) != "" {
		if err := runConsumerProcess(); err != nil {
			fmt.Fprintln(os.Stderr, "consumer process:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runConsumerProcess serves a consumer on the store and address the
// environment names until it is killed or interrupted.
func runConsumerProcess() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	sealer, err := seal.Load()
	if err != nil {
		return err
	}
	st, err := backend.Open(ctx, os.Getenv(envChildDSN), store.Options{Sealer: sealer})
	if err != nil {
		return err
	}
	defer st.Close()
	ln, err := net.Listen("tcp", os.Getenv(envChildAddr))
	if err != nil {
		return err
	}
	c, err := consumer.New(consumer.Config{BaseURL: "http://" + ln.Addr().String(), Store: st, Product: consumerProduct(), ProfileGUID: "profile-1"})
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: c.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Shutdown(context.Background())
	}()
	fmt.Println("ready")
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// consumerProcess is a running consumer process.
type consumerProcess struct {
	cmd *exec.Cmd
	url string
}

func startConsumerProcess(t *testing.T, dsn, key, addr string) *consumerProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envChild+"=1", envChildDSN+"="+dsn, envChildAddr+"="+addr, seal.EnvKey+"="+key)
	out, err := cmd.StdoutPipe()
	must(t, err)
	cmd.Stderr = os.Stderr
	must(t, cmd.Start())
	ready := make(chan error, 1)
	go func() {
		line, err := bufio.NewReader(out).ReadString('\n')
		if err == nil && strings.TrimSpace(line) != "ready" {
			err = fmt.Errorf("unexpected output %q", line)
		}
		ready <- err
	}()
	select {
	case err := <-ready:
		if err != nil {
			cmd.Process.Kill()
			t.Fatalf("consumer process did not start: %v", err)
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("consumer process did not start within 30s")
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return &consumerProcess{cmd: cmd, url: "http://" + addr}
}

// freeAddr returns a loopback address no one listens on.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestDurabilityKill9 kills a consumer process with SIGKILL in the middle of
// a burst of result and settings writes, restarts it, and checks that every
// write it acknowledged is there.
func TestDurabilityKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills consumer processes")
	}
	for _, b := range backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			dsn := b.NewDSN(t)
			key, err := seal.Generate()
			must(t, err)
			raw, err := decodeKey(key)
			must(t, err)
			sealer, err := seal.New(raw)
			must(t, err)

			// Set up the world in-process, then hand the database over.
			const learners = 150
			setup, err := backend.Open(context.Background(), dsn, store.Options{Sealer: sealer})
			must(t, err)
			l := newLMS(t, setup, nil)
			seedCourse(t, setup, "course-1", learners)
			tool := registerByHand(t, l, toolSpec{Vendor: "acme", Product: "reader", Services: allServices()})
			must(t, setup.PutLink(context.Background(), store.Link{ID: "link-a", ContextID: "course-1", ToolProxyGUID: tool.GUID, ResourceType: "book", Gradable: true}))
			must(t, setup.Close())

			addr := freeAddr(t)
			proc := startConsumerProcess(t, dsn, key, addr)

			// The burst: one writer per learner's result, and one writer
			// rewriting the link's settings with a growing counter.
			var acked sync.Map // sourcedId → score
			var settingsAcked atomic.Int64
			var wg sync.WaitGroup
			var done atomic.Int64
			stop := make(chan struct{})
			for w := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := w; i < learners; i += 4 {
						select {
						case <-stop:
							return
						default:
						}
						sid := consumer.ResultSourcedID("link-a", learnerID(i))
						score := float64(i) / float64(learners)
						body := fmt.Sprintf(`{"@context":"http://purl.imsglobal.org/ctx/lis/v2/Result","@type":"Result","resultScore":%v}`, score)
						status, ok := tryDo("PUT", proc.url+"/Result/"+sid, mediaResult, []byte(body), tool)
						if ok && status == 200 {
							acked.Store(sid, score)
							done.Add(1)
						}
					}
				}()
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := int64(1); ; n++ {
					select {
					case <-stop:
						return
					default:
					}
					body := fmt.Sprintf(`{"counter":"%d"}`, n)
					status, ok := tryDo("PUT", proc.url+"/lti/links/link-a/custom", mediaSimple, []byte(body), tool)
					if !ok {
						return
					}
					if status == 200 {
						settingsAcked.Store(n)
					}
				}
			}()
			deadline := time.Now().Add(20 * time.Second)
			for done.Load() < learners/3 && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
			must(t, proc.cmd.Process.Signal(syscall.SIGKILL))
			proc.cmd.Wait()
			close(stop)
			wg.Wait()
			nAcked := 0
			acked.Range(func(any, any) bool { nAcked++; return true })
			if nAcked == 0 {
				t.Fatal("no write was acknowledged before the kill")
			}

			proc = startConsumerProcess(t, dsn, key, addr)
			acked.Range(func(k, v any) bool {
				status, body := signedDo(t, "GET", proc.url+"/Result/"+k.(string), "", mediaResult, nil, tool.GUID, tool.Secret)
				var got struct {
					Score *float64 `json:"resultScore"`
				}
				if status != 200 || json.Unmarshal(body, &got) != nil || got.Score == nil || *got.Score != v.(float64) {
					t.Errorf("acknowledged result %s = %v is lost after kill -9: status %d, body %s", k, v, status, body)
				}
				return true
			})
			status, body := signedDo(t, "GET", proc.url+"/lti/links/link-a/custom", "", mediaSimple, nil, tool.GUID, tool.Secret)
			var settings map[string]string
			if status != 200 || json.Unmarshal(body, &settings) != nil {
				t.Fatalf("settings after restart: status %d, body %s", status, body)
			}
			last := settingsAcked.Load()
			if got := settings["counter"]; last > 0 && got != fmt.Sprint(last) && got != fmt.Sprint(last+1) {
				t.Errorf("settings after restart hold counter %q; the last acknowledged write was %d", got, last)
			}
			t.Logf("%d result writes and %d settings writes acknowledged before kill -9; all present after restart", nAcked, last)
		})
	}
}

// tryDo sends a signed request; ok is false when the connection failed
// (the process was killed).
func tryDo(method, rawURL, contentType string, body []byte, tool handTool) (int, bool) {
	req, err := http.NewRequest(method, rawURL, bytes.NewReader(body))
	if err != nil {
		return 0, false
	}
	req.Header.Set("Content-Type", contentType)
	if err := signRequest(req, body, tool); err != nil {
		return 0, false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, false
	}
	resp.Body.Close()
	return resp.StatusCode, true
}
