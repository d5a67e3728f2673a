// Package server is leydigkg's HTTP front: the GraphQL endpoint and its
// playground over a graph.Store.
//
//	h, err := server.New(store, logger)
//	http.ListenAndServe("127.0.0.1:8080", h)
package server

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"

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

// New returns the HTTP handler: GraphQL at /graphql, the GraphiQL
// playground at / (and at /graphql for browsers), /healthz for probes.
func New(store schema.Store, log *slog.Logger) (http.Handler, error) {
	s, err := schema.New(store)
	if err != nil {
		return nil, err
	}
	gql := handler.New(&handler.Config{
		Schema:        &s,
		Pretty:        false,
		GraphiQL:      true,
		FormatErrorFn: schema.FormatError,
	})
	mux := http.NewServeMux()
	mux.Handle("/graphql", gql)
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		// A browser opening / gets the playground with the example query.
		if r.Method == http.MethodGet && r.URL.RawQuery == "" && strings.Contains(r.Header.Get("Accept"), "text/html") {
			http.Redirect(w, r, "/?query="+url.QueryEscape(ExampleQuery), http.StatusFound)
			return
		}
		gql.ServeHTTP(w, r)
	})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	return logRequests(mux, log), nil
}

func logRequests(next http.Handler, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		log.DebugContext(r.Context(), "request", "method", r.Method, "path", r.URL.Path)
	})
}
