package server_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/server"
)

// holdConns opens n TCP connections that send nothing, as a flood of idle
// clients does, and closes them at the end of the test.
func holdConns(t *testing.T, addr string, n int) []net.Conn {
	t.Helper()
	conns := make([]net.Conn, n)
	for i := range conns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conns[i] = c
		t.Cleanup(func() { c.Close() })
	}
	return conns
}

// get asks on a fresh keep-alive connection, within 5 s, and closes it.
// The response's Close says whether the server means to close it.
func get(t *testing.T, url string) *http.Response {
	t.Helper()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c := &http.Client{Timeout: 5 * time.Second, Transport: tr}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// TestConnectionLimit fills a limited listener's cap with idle connections:
// the probes still answer at once, on the reserve; GraphQL gets 503 with
// Retry-After; once the idle connections close, GraphQL answers again.
func TestConnectionLimit(t *testing.T) {
	const limit = 4
	s, err := data.Open(context.Background(), "memory")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h, err := server.New(server.Config{Store: s})
	if err != nil {
		t.Fatal(err)
	}
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ConnContext: server.ConnContext, ReadHeaderTimeout: time.Minute}
	go srv.Serve(server.LimitListener(inner, limit))
	t.Cleanup(func() { srv.Close() })
	base := "http://" + inner.Addr().String()
	gql := base + "/graphql?query=%7B__typename%7D"

	// No request before the idle connections: one whose connection the
	// server has yet to see closed would hold a slot, and an idle
	// connection would wait on the reserve instead (a flaky cap).
	idle := holdConns(t, inner.Addr().String(), limit)
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		if r := get(t, base+path); r.StatusCode != 200 || !r.Close {
			t.Errorf("%s at the cap: %d, close %v", path, r.StatusCode, r.Close)
		}
	}
	if r := get(t, gql); r.StatusCode != 503 || r.Header.Get("Retry-After") == "" {
		t.Errorf("GraphQL at the cap: %d, Retry-After %q", r.StatusCode, r.Header.Get("Retry-After"))
	}
	// The reserve is for short probes: more than ReserveConns probes in a
	// row still answer, as each reserve connection closes after one.
	for i := 0; i < 2*server.ReserveConns; i++ {
		if r := get(t, base+"/healthz"); r.StatusCode != 200 {
			t.Fatalf("probe %d at the cap: %d", i, r.StatusCode)
		}
	}
	for _, c := range idle {
		c.Close()
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if r := get(t, gql); r.StatusCode == 200 {
			if r.Close {
				t.Errorf("below the cap: a normal connection, not a reserve one, wanted (close %v)", r.Close)
			}
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("GraphQL after the idle connections closed: %d", r.StatusCode)
		}
	}
}

// TestReserveConnectionsExpire checks that an idle reserve connection is
// closed within ReserveTimeout, so idle clients cannot keep the probes out
// for long.
func TestReserveConnectionsExpire(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for ReserveTimeout")
	}
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	// No server timeouts: net/http clears the deadlines, the reserve's stays.
	srv := &http.Server{Handler: h, ConnContext: server.ConnContext}
	go srv.Serve(server.LimitListener(inner, 1))
	t.Cleanup(func() { srv.Close() })
	holdConns(t, inner.Addr().String(), 1)
	c := holdConns(t, inner.Addr().String(), 1)[0]
	start := time.Now()
	c.SetReadDeadline(time.Now().Add(3 * server.ReserveTimeout))
	if _, err := c.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("read on the idle reserve connection: %v", err)
	}
	if d := time.Since(start); d > server.ReserveTimeout+2*time.Second {
		t.Errorf("closed after %s", d)
	}
}
