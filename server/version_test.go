package server_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/buildinfo"
	"github.com/leydigkg/leydigkg/schema"
	"github.com/leydigkg/leydigkg/server"
)

// TestVersion: /healthz names the build in a header (and stays 200 "ok"),
// and GraphQL meta answers version, dataVersion, biolinkVersion, sources.
func TestVersion(t *testing.T) {
	own := buildinfo.Read().String()
	for _, tc := range []struct {
		name             string
		meta             schema.Meta
		version, dataVer string
	}{
		{"given", schema.Meta{Version: "v9.9.9 (rev abc)", DataVersion: "sha256:0011223344556677"}, "v9.9.9 (rev abc)", "sha256:0011223344556677"},
		{"default: this binary", schema.Meta{}, own, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newServer(t, func(c *server.Config) { c.Meta = tc.meta })
			r := do(t, "GET", ts.URL+"/healthz", nil, "")
			if r.status != 200 || string(r.body) != "ok\n" {
				t.Errorf("healthz %d %q, want 200 \"ok\\n\"", r.status, r.body)
			}
			if got := r.header.Get(server.VersionHeader); got != tc.version || got == "" {
				t.Errorf("%s = %q, want %q", server.VersionHeader, got, tc.version)
			}
			if got := r.header.Get(server.DataVersionHeader); got != tc.dataVer {
				t.Errorf("%s = %q, want %q", server.DataVersionHeader, got, tc.dataVer)
			}
			g := post(t, ts, "", `{ meta { version dataVersion biolinkVersion sources } }`, nil).gql(t)
			if len(g.Errors) > 0 {
				t.Fatalf("errors: %+v", g.Errors)
			}
			var d struct {
				Meta struct {
					Version, BiolinkVersion string
					DataVersion             *string
					Sources                 int
				}
			}
			if err := json.Unmarshal(g.Data, &d); err != nil {
				t.Fatal(err)
			}
			m := d.Meta
			wantSources := len(ts.store.(interface {
				Sources(context.Context) []*graph.Source
			}).Sources(context.Background()))
			if m.Version != tc.version || m.BiolinkVersion != schema.BiolinkVersion || m.Sources != wantSources || wantSources == 0 {
				t.Errorf("meta %+v, want version %q, biolink %q, %d sources", m, tc.version, schema.BiolinkVersion, wantSources)
			}
			if got := m.DataVersion; (got == nil) != (tc.dataVer == "") || got != nil && *got != tc.dataVer {
				t.Errorf("dataVersion %v, want %q (empty: null)", got, tc.dataVer)
			}
		})
	}
}
