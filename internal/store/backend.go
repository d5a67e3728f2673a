package store

import (
	"fmt"
	"strings"

	_ "github.com/cayleygraph/cayley/graph/kv/bbolt"      // registers cayley's "bbolt" backend
	_ "github.com/cayleygraph/cayley/graph/sql/cockroach" // registers "cockroach" (pgx driver)
	_ "github.com/cayleygraph/cayley/graph/sql/postgres"  // registers "postgres" (lib/pq driver)
	"github.com/leydigkg/leydigkg/graph"
)

// The kinds of store Open knows.
const (
	backendMemory    = "memory"
	backendBolt      = "bolt"
	backendPostgres  = "postgres"
	backendCockroach = "cockroach"
)

// storeSpec is a parsed store spec: which backend, where, and the name of
// cayley's registered quad store for it (empty for memory).
type storeSpec struct {
	backend, path, cayley string
}

// parseSpec reads a store spec:
//
//	memory                 (also "", mem, memstore)
//	bolt:PATH
//	postgres:DSN           DSN as lib/pq takes it: a postgres:// URL or "host=... dbname=..."
//	postgres://...         the URL alone (also postgresql://...)
//	cockroach:DSN          DSN as pgx takes it, e.g. postgresql://root@host:26257/db?sslmode=disable
func parseSpec(spec string) (storeSpec, error) {
	if strings.HasPrefix(spec, "postgres://") || strings.HasPrefix(spec, "postgresql://") {
		return storeSpec{backend: backendPostgres, path: spec, cayley: cayleyPostgres}, nil
	}
	backend, path, _ := strings.Cut(spec, ":")
	switch backend {
	case "", "memory", "mem", "memstore":
		if path != "" {
			return storeSpec{}, fmt.Errorf("%w: store %q: memory takes no path", graph.ErrBadArgument, spec)
		}
		return storeSpec{backend: backendMemory}, nil
	case "bolt":
		if path == "" {
			return storeSpec{}, fmt.Errorf("%w: store %q: want bolt:PATH", graph.ErrBadArgument, spec)
		}
		// cayley's "bbolt" backend: the same file format as boltdb/bolt,
		// through go.etcd.io/bbolt, the maintained fork. boltdb/bolt (cayley's
		// "bolt") trips Go's checkptr under -race.
		return storeSpec{backend: backendBolt, path: path, cayley: "bbolt"}, nil
	case "postgres", "postgresql", "pg":
		if path == "" {
			return storeSpec{}, fmt.Errorf("%w: store %q: want postgres:DSN", graph.ErrBadArgument, spec)
		}
		return storeSpec{backend: backendPostgres, path: path, cayley: cayleyPostgres}, nil
	case "cockroach", "cockroachdb", "crdb":
		if path == "" {
			return storeSpec{}, fmt.Errorf("%w: store %q: want cockroach:DSN", graph.ErrBadArgument, spec)
		}
		return storeSpec{backend: backendCockroach, path: path, cayley: "cockroach"}, nil
	}
	return storeSpec{}, fmt.Errorf("%w: store %q: unknown backend %q (want memory, bolt:PATH, postgres:DSN or cockroach:DSN)",
		graph.ErrBadArgument, spec, backend)
}

// isSQL says whether the backend is one of cayley's SQL stores.
func (sp storeSpec) isSQL() bool {
	return sp.backend == backendPostgres || sp.backend == backendCockroach
}

// redactDSN hides a password in a DSN for error messages and logs.
func redactDSN(dsn string) string {
	if i := strings.Index(dsn, "://"); i >= 0 {
		rest := dsn[i+3:]
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			if user, _, ok := strings.Cut(rest[:at], ":"); ok {
				return dsn[:i+3] + user + ":xxxxx" + rest[at:]
			}
		}
		return dsn
	}
	var out []string
	for _, f := range strings.Fields(dsn) {
		if strings.HasPrefix(f, "password=") {
			f = "password=xxxxx"
		}
		out = append(out, f)
	}
	return strings.Join(out, " ")
}

func (sp storeSpec) String() string {
	switch {
	case sp.backend == backendMemory:
		return backendMemory
	case sp.backend == backendPostgres && strings.Contains(sp.path, "://"):
		return redactDSN(sp.path) // the URL says what it is
	}
	return sp.backend + ":" + redactDSN(sp.path)
}
