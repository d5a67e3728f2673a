// Package server is leydigkg's HTTP front: GraphQL over HTTP as its spec
// says, guarded queries, authenticated writes, the GraphiQL playground
// served from the binary, and the probes and metrics of an operated
// service.
//
//	h, err := server.New(server.Config{Store: store, Logger: logger})
//	http.ListenAndServe("127.0.0.1:8080", h)
//
// Routes: /graphql (GET for queries, POST with JSON for anything),
// /mcp (the read-only MCP tools over the streamable HTTP transport, see
// internal/mcpserver), / (the playground), /explore (the explorer),
// /healthz (alive; its Leydigkg-Version header names the build), /readyz
// (store open and graph loaded), /metrics (Prometheus).
//
// It keeps graphql-go's parser, validator and executor and replaces
// graphql-go/handler, which answers everything with 200, runs mutations
// over GET, reads text/plain bodies as JSON and bodies without limit, and
// loads its playground from a CDN.
package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/leydigkg/leydigkg/internal/mcpserver"
	"github.com/leydigkg/leydigkg/schema"
)

// The headers of /healthz that say what answers: leydigkg's version and
// revision, and the curated data's version (see schema.Meta).
const (
	VersionHeader     = "Leydigkg-Version"
	DataVersionHeader = "Leydigkg-Data-Version"
)

// ExampleQuery is what the playground shows on first open.
const ExampleQuery = `# Why does chronic inflammation lower testosterone?
# Press the run button (or Ctrl-Enter). The Docs pane on the left explains every field.
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
	DefaultMaxBodyBytes   = 2 << 20
)

// Config is what New needs; zero fields take the defaults.
type Config struct {
	Store          schema.Store
	Logger         *slog.Logger  // nil: discard
	RequestTimeout time.Duration // deadline of one request's execution, honoured by the resolvers
	MaxListItems   int64         // list items one request may resolve (see schema.WithBudget)
	MaxBodyBytes   int64         // longest POST body; longer ones get 413
	Limits         schema.Limits // refused before execution with LIMIT_EXCEEDED
	// Tokens are the bearer tokens that may run mutations, each at least
	// MinTokenLength bytes (New refuses shorter ones). With none, the
	// server is read-only and says so to every mutation (FORBIDDEN).
	Tokens []string
	// CORSOrigins may call the API from a browser ("*": any). Empty: no
	// CORS headers at all.
	CORSOrigins []string
	// Meta is what the GraphQL meta query and /healthz's
	// Leydigkg-Version header report (Meta{}: this binary's version).
	Meta schema.Meta
}

type server struct {
	cfg     Config
	log     *slog.Logger
	metrics *metrics
}

// New returns the HTTP handler of a store.
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
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	cfg.Limits = cfg.Limits.WithDefaults()
	cfg.Meta = cfg.Meta.WithDefaults()
	sch, err := schema.NewWith(cfg.Store, cfg.Meta)
	if err != nil {
		return nil, err
	}
	s := &server{cfg: cfg, log: cfg.Logger, metrics: newMetrics(cfg.Store)}
	a, err := newAuth(cfg.Tokens)
	if err != nil {
		return nil, err
	}
	gql := &graphqlHandler{schema: sch, cfg: cfg, auth: a, docs: newDocCache(docCacheSize)}
	if gql.auth.readOnly() {
		cfg.Logger.Info("no write token configured: the server is read-only")
	}

	mux := http.NewServeMux()
	mux.Handle("/graphql", gql)
	mcpSrv := mcpserver.New(cfg.Store, mcpserver.Options{Version: cfg.Meta.Version, Timeout: cfg.RequestTimeout, MaxNameLength: cfg.Limits.NameLength, SDL: schema.SDL(&sch)})
	mcpHandler, err := mcpserver.Handler(mcpSrv, cfg.MaxBodyBytes, cfg.CORSOrigins)
	if err != nil {
		return nil, err
	}
	mux.Handle("/mcp", mcpHandler)
	mux.Handle("/", playground())
	mux.HandleFunc("GET /example.graphql", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, ExampleQuery)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set(VersionHeader, cfg.Meta.Version)
		if cfg.Meta.DataVersion != "" {
			w.Header().Set(DataVersionHeader, cfg.Meta.DataVersion)
		}
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := ready(r.Context(), cfg.Store); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "not ready: "+err.Error()+"\n")
			return
		}
		io.WriteString(w, "ready\n")
	})
	mux.Handle("GET /metrics", s.metrics.handler())
	return s.observe(reserved(cors(cfg.CORSOrigins, mux))), nil
}

// ready reports whether the store is open and holds a graph.
func ready(ctx context.Context, store schema.Store) error {
	if r, ok := store.(interface{ Ready() error }); ok {
		return r.Ready()
	}
	if store.Stats(ctx).Entities == 0 {
		return errEmpty
	}
	return nil
}

type constErr string

func (e constErr) Error() string { return string(e) }

const errEmpty = constErr("the store holds no entities")
