package server_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/server"
)

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	s, err := data.Open(context.Background(), "memory")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	h, err := server.New(server.Config{Store: s, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), MaxListItems: 1000})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestRoutes(t *testing.T) {
	srv := newServer(t)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	tests := []struct {
		name, method, path, accept, body string
		status                           int
		contains                         string
	}{
		{"healthz", "GET", "/healthz", "", "", 200, "ok"},
		{"query over POST", "POST", "/graphql", "application/json", `{"query":"{ stats { entities } }"}`, 200, `"entities":`},
		{"query over GET", "GET", "/graphql?query=" + url.QueryEscape("{ entity(id: \"GnRH\") { id } }"), "application/json", "", 200, `"id":"gnrh"`},
		{"playground at /", "GET", "/", "text/html", "", 302, ""},
		{"playground with example", "GET", "/?query=" + url.QueryEscape(server.ExampleQuery), "text/html", "", 200, "graphiql"},
		{"playground at /graphql", "GET", "/graphql", "text/html", "", 200, "graphiql"},
		{"unknown path", "GET", "/nope", "", "", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.status)
			}
			if !strings.Contains(strings.ToLower(string(body)), strings.ToLower(tt.contains)) {
				t.Errorf("body lacks %q:\n%.300s", tt.contains, body)
			}
		})
	}
}

// TestExampleQuery runs the query the playground opens with: it must work
// on the curated graph and find chains.
func TestExampleQuery(t *testing.T) {
	srv := newServer(t)
	body, _ := json.Marshal(map[string]string{"query": server.ExampleQuery})
	resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			Trace struct {
				Paths []struct{ NetEffect string }
			}
		}
		Errors []any
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if len(out.Errors) > 0 || len(out.Data.Trace.Paths) == 0 {
		t.Fatalf("example query: %+v", out)
	}
	if out.Data.Trace.Paths[0].NetEffect != "DECREASES" {
		t.Errorf("best chain from inflammation to testosterone is %s", out.Data.Trace.Paths[0].NetEffect)
	}
}

// TestBudget nests neighbour lists over the cyclic graph until the
// request's work budget runs out: the server answers LIMIT_EXCEEDED
// rather than expanding without bound.
func TestBudget(t *testing.T) {
	srv := newServer(t)
	q := "{ entity(id: \"chronic inflammation\") { id " + strings.Repeat("outgoing { object { ", 6) + "id" + strings.Repeat(" } }", 6) + " } }"
	body, _ := json.Marshal(map[string]string{"query": q})
	resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Errors []struct {
			Message    string
			Extensions map[string]any
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if len(out.Errors) == 0 || out.Errors[0].Extensions["code"] != "LIMIT_EXCEEDED" {
		t.Fatalf("errors = %+v, want LIMIT_EXCEEDED", out.Errors)
	}
}
