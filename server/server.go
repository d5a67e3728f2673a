// Package server is leydigkg's HTTP front: the GraphQL endpoint and its
// playground over a graph.Store.
//
//	h, err := server.New(server.Config{Store: store, Logger: logger})
//	http.ListenAndServe("127.0.0.1:8080", h)
package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/graphql-go/handler"

	"github.com/leydigkg/leydigkg/schema"
)

// ExampleQuery is what the playground shows on first open.
const ExampleQuery = `# Why does chronic inflammation lower testosterone?
# Press the run button (or Ctrl-Enter). The Docs pane on the right explains every field.
{
  trace(from: "chronic inflammation", to: "testosterone", maxDepth: 4, limit: 5) {
    from { name }
    to { name }
    truncated
    paths {
      length
      netEffect
      confidence
      links {
        subject { name }
        effect
        object { name }
        evidence { quote section references { citation } }
      }
    }
  }
}
`

// Defaults of Config.
const (
	DefaultRequestTimeout = 30 * time.Second
	DefaultMaxListItems   = 100_000
)

// Config is what New needs; zero fields take the defaults.
type Config struct {
	Store          schema.Store
	Logger         *slog.Logger  // nil: discard
	RequestTimeout time.Duration // deadline of one request's execution
	MaxListItems   int64         // list items one request may resolve (see schema.WithBudget)
}

// New returns the HTTP handler: GraphQL at /graphql, the GraphiQL
// playground at / (and at /graphql for browsers), /healthz for probes.
func New(cfg Config) (http.Handler, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.MaxListItems <= 0 {
		cfg.MaxListItems = DefaultMaxListItems
	}
	s, err := schema.New(cfg.Store)
	if err != nil {
		return nil, err
	}
	gql := handler.New(&handler.Config{
		Schema:        &s,
		Pretty:        false,
		GraphiQL:      true,
		FormatErrorFn: schema.FormatError,
	})
	// Each request runs under a deadline and a work budget, which the
	// resolvers and traversals honour.
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), cfg.RequestTimeout)
		defer cancel()
		gql.ContextHandler(schema.WithBudget(ctx, cfg.MaxListItems), w, r)
	})
	mux := http.NewServeMux()
	mux.Handle("/graphql", api)
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		// A browser opening / gets the playground with the example query.
		if r.Method == http.MethodGet && r.URL.RawQuery == "" && strings.Contains(r.Header.Get("Accept"), "text/html") {
			http.Redirect(w, r, "/?query="+url.QueryEscape(ExampleQuery), http.StatusFound)
			return
		}
		api.ServeHTTP(w, r)
	})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	return logRequests(mux, cfg.Logger), nil
}

func logRequests(next http.Handler, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		log.DebugContext(r.Context(), "request", "method", r.Method, "path", r.URL.Path)
	})
}
