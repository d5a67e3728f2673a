package kg_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/cli"
	"github.com/leydigkg/leydigkg/internal/pgtest"
	"github.com/leydigkg/leydigkg/kg"
	"github.com/leydigkg/leydigkg/server"
)

// serve starts a GraphQL server over s.
func serve(t *testing.T, s *kg.Store) string {
	t.Helper()
	h, err := server.New(server.Config{Store: s, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func query(t *testing.T, url, q string) gqlResponse {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": q})
	resp, err := http.Post(url+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r gqlResponse
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	return r
}

// probe is a write made by the test: a made-up process downstream of
// testosterone, from a made-up source, so that no curated fact is touched.
func probe(id string) *graph.Batch {
	return &graph.Batch{
		Sources:  []graph.Source{{ID: "replica_test", Title: "Test writes of the replica integration test (not a real source)"}},
		Entities: []graph.Entity{{ID: id, Name: "probe " + id, Kind: graph.Process}},
		Links: []graph.Link{{ID: "testosterone_probe_" + id, Subject: "testosterone", Object: id, Effect: graph.Increases,
			Predicate: "biolink:regulates", Confidence: 0.5,
			Evidence: []graph.Evidence{{Quote: "test write " + id, Source: "replica_test"}}}},
	}
}

const traceProbe = `{ trace(from: "chronic inflammation", to: "probe %s", maxDepth: 8, limit: 1) { paths { length } } }`

// seen says whether the server at url traces to the probe.
func seen(t *testing.T, url, id string) bool {
	r := query(t, url, strings.Replace(traceProbe, "%s", id, 1))
	return len(r.Errors) == 0 && strings.Contains(string(r.Data), `"length"`)
}

// TestReplicas runs two GraphQL servers on one PostgreSQL database: a write
// through server A is traced on server B within the follower's bound, and
// so is a load by a third process (leydigkg load).
func TestReplicas(t *testing.T) {
	spec := pgtest.Spec(t)
	ctx := context.Background()
	a, err := data.Open(ctx, spec) // fills the empty database with the curated graph
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	b, err := kg.Open(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	urlA, urlB := serve(t, a), serve(t, b)

	if sa, sb := a.Stats(ctx), b.Stats(ctx); sa.Links != sb.Links || sa.Links == 0 {
		t.Fatalf("A holds %d links, B %d", sa.Links, sb.Links)
	}
	r := query(t, urlB, strings.Replace(traceProbe, "%s", "one", 1))
	if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "NOT_FOUND" {
		t.Fatalf("trace to a probe not written yet: %+v", r)
	}

	// A write through server A's store ...
	start := time.Now()
	if _, err := a.Apply(ctx, probe("one")); err != nil {
		t.Fatal(err)
	}
	if !seen(t, urlA, "one") {
		t.Fatal("server A does not see its own write at once")
	}
	// ... is traced on server B within the bound (followPoll plus a reload;
	// the deadline here is generous, the latency is logged).
	if !pgtest.WaitFor(15*time.Second, func() bool { return seen(t, urlB, "one") }) {
		t.Fatal("server B never saw the write through A")
	}
	t.Logf("write through A seen on B after %v", time.Since(start).Round(time.Millisecond))

	// A load by another process, the CLI's, is seen by both.
	dir := t.TempDir()
	var out, errb bytes.Buffer
	start = time.Now()
	if code := cli.Main(ctx, []string{"load", "--store", spec, "--no-curated", writeProbeFile(t, dir)}, &out, &errb); code != 0 {
		t.Fatalf("leydigkg load: exit %d\n%s%s", code, out.String(), errb.String())
	}
	for name, url := range map[string]string{"A": urlA, "B": urlB} {
		if !pgtest.WaitFor(15*time.Second, func() bool { return seen(t, url, "two") }) {
			t.Errorf("server %s never saw the load", name)
		}
	}
	t.Logf("load seen on A and B after %v", time.Since(start).Round(time.Millisecond))
	if sa, sb := a.Stats(ctx), b.Stats(ctx); sa.Entities != sb.Entities || sa.Links != sb.Links {
		t.Errorf("A and B differ after the writes: %+v vs %+v", sa, sb)
	}
}

// writeProbeFile writes probe "two" as a curated YAML file.
func writeProbeFile(t *testing.T, dir string) string {
	t.Helper()
	name := dir + "/probe.yaml"
	const yaml = `# Test data of the replica integration test, not a curated fact.
sources:
  - id: replica_test_load
    title: "Test load of the replica integration test (not a real source)"
entities:
  - id: two
    name: "probe two"
    kind: PROCESS
links:
  - id: testosterone_probe_two
    subject: testosterone
    object: two
    effect: INCREASES
    predicate: biolink:regulates
    evidence:
      - quote: "test load two"
        source: replica_test_load
`
	if err := os.WriteFile(name, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}
