package s3test

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// Request is what a Recorder saw of one request to the server.
type Request struct {
	Method string
	Path   string // /bucket/key
	Query  string
	Header http.Header
}

// Recorder is a reverse proxy in front of the server that records every request, to
// check what a client sends when the server ignores it (versitygw accepts SSE
// headers but neither applies nor echoes them).
type Recorder struct {
	Endpoint string
	srv      *Server
	mu       sync.Mutex
	reqs     []Request
}

// Record starts a recording proxy to s, closed when the test ends.
func (s *Server) Record(t testing.TB) *Recorder {
	t.Helper()
	target, err := url.Parse(s.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	r := &Recorder{srv: s}
	proxy := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(target)
		pr.Out.Host = pr.In.Host // the client signed the proxy's host
	}}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.reqs = append(r.reqs, Request{Method: req.Method, Path: req.URL.Path, Query: req.URL.RawQuery, Header: req.Header.Clone()})
		r.mu.Unlock()
		proxy.ServeHTTP(w, req)
	}))
	t.Cleanup(hs.Close)
	r.Endpoint = hs.URL
	return r
}

// Requests returns the recorded requests with this method whose path starts with
// prefix.
func (r *Recorder) Requests(method, prefix string) []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Request
	for _, q := range r.reqs {
		if q.Method == method && strings.HasPrefix(q.Path, prefix) {
			out = append(out, q)
		}
	}
	return out
}

// Env is the server's environment with the endpoint pointing at the recorder.
func (r *Recorder) Env() []string {
	env := r.srv.Env()
	for i, e := range env {
		if strings.HasPrefix(e, "AWS_ENDPOINT_URL_S3=") {
			env[i] = "AWS_ENDPOINT_URL_S3=" + r.Endpoint
		}
	}
	return env
}
