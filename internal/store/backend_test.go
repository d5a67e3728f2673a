package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/leydigkg/leydigkg/graph"
)

func TestParseSpec(t *testing.T) {
	tests := []struct {
		spec                  string
		backend, path, cayley string
		bad                   bool
	}{
		{"", backendMemory, "", "", false},
		{"memory", backendMemory, "", "", false},
		{"bolt:/tmp/x", backendBolt, "/tmp/x", "bbolt", false},
		{"postgres:postgres://u@h/db", backendPostgres, "postgres://u@h/db", cayleyPostgres, false},
		{"postgres:host=h dbname=db", backendPostgres, "host=h dbname=db", cayleyPostgres, false},
		{"postgres://u@h:5432/db?sslmode=disable", backendPostgres, "postgres://u@h:5432/db?sslmode=disable", cayleyPostgres, false},
		{"postgresql://u@h/db", backendPostgres, "postgresql://u@h/db", cayleyPostgres, false},
		{"cockroach:postgresql://root@h:26257/db", backendCockroach, "postgresql://root@h:26257/db", "cockroach", false},
		{"postgres:", "", "", "", true},
		{"cockroach:", "", "", "", true},
		{"memory:x", "", "", "", true},
		{"mysql:x", "", "", "", true},
	}
	for _, tt := range tests {
		sp, err := parseSpec(tt.spec)
		if tt.bad {
			if !errors.Is(err, graph.ErrBadArgument) {
				t.Errorf("parseSpec(%q) = %+v, %v; want ErrBadArgument", tt.spec, sp, err)
			}
			continue
		}
		if err != nil || sp != (storeSpec{tt.backend, tt.path, tt.cayley}) {
			t.Errorf("parseSpec(%q) = %+v, %v", tt.spec, sp, err)
		}
	}
}

func TestRedactDSN(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:secret@h/db":         "postgres://u:xxxxx@h/db",
		"postgres://u@h/db":                "postgres://u@h/db",
		"host=h password=secret dbname=db": "host=h password=xxxxx dbname=db",
		"postgresql://root@h:26257/db?x=1": "postgresql://root@h:26257/db?x=1",
	} {
		if got := redactDSN(in); got != want {
			t.Errorf("redactDSN(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestOpenUnreachable: a database that is not there gives ErrUnavailable
// at once, not a hang or an unclassified error.
func TestOpenUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Port 1 on loopback: nothing listens there.
	_, err := Open(ctx, "postgres://nobody@127.0.0.1:1/db?sslmode=disable&connect_timeout=5")
	if !errors.Is(err, graph.ErrUnavailable) {
		t.Fatalf("Open of an unreachable database = %v, want ErrUnavailable", err)
	}
}
