package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ltiforge/ltiforge/generator"
	"github.com/ltiforge/ltiforge/generator/docs"
	"github.com/ltiforge/ltiforge/generator/emit"
	"github.com/ltiforge/ltiforge/model"
)

const docsUsage = `Usage: ltigen docs serve [-addr ADDR] [-model FILE|DIR]...

Builds the reference documentation site in memory and serves it over HTTP,
the same site "ltigen generate" writes to ./docs/reference. With -model
(repeatable; a directory stands for the .xmi, .uml and .xml files directly
inside it) a partner's model is loaded on top of the standard model and
its elements appear beside the standard ones.

The named model files are polled every second; when one changes, the site
is rebuilt. A model with errors keeps the last good site and prints its
problems. Ctrl-C stops the server cleanly.

Exit status: 0 stopped cleanly; 1 the first build failed or the server
could not run; 2 usage error.

Flags:
`

// pollInterval is how often docs serve looks at the model files.
const pollInterval = time.Second

func runDocs(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "serve" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			fmt.Fprint(stdout, docsUsage)
			return exitOK
		}
		fmt.Fprint(stderr, docsUsage)
		return exitUsage
	}
	fs := flag.NewFlagSet("docs serve", flag.ContinueOnError)
	addr := fs.String("addr", ":8080", "listen on `ADDR` (host:port)")
	var models stringList
	fs.Var(&models, "model", "a partner's model `FILE or DIR`, loaded on top of the standard model (repeatable)")
	_, code, ok := parseFlags(fs, docsUsage, args[1:], stdout, stderr)
	if !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "ltigen docs serve: unexpected argument %q; name model files with -model\n", fs.Arg(0))
		return exitUsage
	}
	srv := &siteServer{models: models, log: stderr}
	if err := srv.rebuild(ctx); err != nil {
		fmt.Fprintf(stderr, "ltigen docs serve: %v\n", err)
		return exitProblem
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "ltigen docs serve: %v\n", err)
		return exitProblem
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "ltigen docs serve: serving the reference site at http://%s/ (Ctrl-C stops)\n", displayAddr(ln.Addr()))
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	go srv.watch(ctx)
	select {
	case err := <-done:
		fmt.Fprintf(stderr, "ltigen docs serve: %v\n", err)
		return exitProblem
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		fmt.Fprintf(stderr, "ltigen docs serve: shutting down: %v\n", err)
		return exitProblem
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "ltigen docs serve: %v\n", err)
		return exitProblem
	}
	fmt.Fprintln(stdout, "ltigen docs serve: stopped")
	return exitOK
}

// displayAddr names a listening address the way a browser wants it.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// siteServer serves the site built last.
type siteServer struct {
	models []string
	log    io.Writer

	mu    sync.RWMutex
	files map[string][]byte
	stamp string // the model files' sizes and times at the last build
}

// rebuild loads the models and builds the site; on model errors it keeps
// the previous site.
func (s *siteServer) rebuild(ctx context.Context) error {
	stamp := modelStamp(s.models)
	m, err := model.LoadStandard(ctx, s.models...)
	if err != nil {
		return err
	}
	if m.Diagnostics.HasErrors() {
		printDiagnostics(s.log, m.Diagnostics)
		s.mu.Lock()
		s.stamp = stamp
		s.mu.Unlock()
		return errors.New("the model has errors; fix them and save")
	}
	files, err := docs.New().Emit(ctx, m, emit.Options{Root: generator.StandardImport, Standard: generator.StandardImport, Package: emit.StandardPackage})
	if err != nil {
		return err
	}
	byPath := make(map[string][]byte, len(files))
	for _, f := range files {
		byPath[f.Path] = f.Data
	}
	s.mu.Lock()
	s.files, s.stamp = byPath, stamp
	s.mu.Unlock()
	fmt.Fprintf(s.log, "ltigen docs serve: built the site (%d files)\n", len(files))
	return nil
}

// watch rebuilds the site whenever the model files change, until ctx ends.
func (s *siteServer) watch(ctx context.Context) {
	if len(s.models) == 0 {
		return // the embedded standard model does not change
	}
	t := time.NewTicker(pollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.mu.RLock()
		old := s.stamp
		s.mu.RUnlock()
		if modelStamp(s.models) == old {
			continue
		}
		fmt.Fprintln(s.log, "ltigen docs serve: the model changed; rebuilding")
		if err := s.rebuild(ctx); err != nil && ctx.Err() == nil {
			fmt.Fprintf(s.log, "ltigen docs serve: %v (still serving the last good site)\n", err)
		}
	}
}

// modelStamp describes the model files' names, sizes and modification
// times; it changes when a file is saved, added or removed.
func modelStamp(paths []string) string {
	var lines []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			lines = append(lines, p+" missing")
			continue
		}
		if !st.IsDir() {
			lines = append(lines, fmt.Sprintf("%s %d %d", p, st.Size(), st.ModTime().UnixNano()))
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			lines = append(lines, p+" unreadable")
			continue
		}
		for _, e := range entries {
			switch strings.ToLower(filepath.Ext(e.Name())) {
			case ".xmi", ".uml", ".xml":
			default:
				continue
			}
			if info, err := e.Info(); err == nil {
				lines = append(lines, fmt.Sprintf("%s %d %d", filepath.Join(p, e.Name()), info.Size(), info.ModTime().UnixNano()))
			}
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// ServeHTTP serves one file of the site; "/" and directories are their
// index.html.
func (s *siteServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if p == "" || strings.HasSuffix(r.URL.Path, "/") {
		p = path.Join(p, "index.html")
	}
	s.mu.RLock()
	data, ok := s.files[p]
	s.mu.RUnlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	ct := mime.TypeByExtension(path.Ext(p))
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "no-cache")
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(data)
}
