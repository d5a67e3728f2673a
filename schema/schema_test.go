package schema_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/graphql-go/graphql"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/kg"
	"github.com/leydigkg/leydigkg/schema"
	"github.com/leydigkg/leydigkg/server"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func curated(t testing.TB) *kg.Store {
	t.Helper()
	s, err := data.Open(context.Background(), "memory")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newHandler is the server users get (server.New) over s, with a list
// budget of 20,000 items.
func newHandler(t testing.TB, s schema.Store) http.Handler {
	t.Helper()
	h, err := server.New(server.Config{Store: s, MaxListItems: 20_000})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// post runs one GraphQL request and returns the decoded response.
func post(t testing.TB, h http.Handler, query string, vars map[string]any) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code >= 500 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var resp map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, rec.Body)
	}
	return resp
}

// TestGolden runs every query under testdata/queries against the curated
// graph, and those under testdata/queries/sources against the curated graph
// with more sources (manySources), and compares each response with its
// file under testdata/golden. Refresh with go test ./schema -update (and
// review the diff).
func TestGolden(t *testing.T) {
	for _, set := range []struct {
		dir   string
		store func(testing.TB) *kg.Store
	}{
		{"", curated},
		{"sources", manySources},
	} {
		h := newHandler(t, set.store(t))
		queries, _ := filepath.Glob(filepath.Join("testdata", "queries", set.dir, "*.graphql"))
		if len(queries) == 0 {
			t.Fatalf("no queries in %q", set.dir)
		}
		for _, q := range queries {
			name := filepath.Join(set.dir, strings.TrimSuffix(filepath.Base(q), ".graphql"))
			t.Run(name, func(t *testing.T) {
				src, err := os.ReadFile(q)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := json.MarshalIndent(post(t, h, string(src), nil), "", "  ")
				got = append(got, '\n')
				golden := filepath.Join("testdata", "golden", name+".json")
				if *update {
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./schema -update)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("response differs from %s (rerun with -update and review the diff):\n%s", golden, got)
				}
			})
		}
	}
}

// TestErrorCodes checks each error carries the code its cause calls for.
func TestErrorCodes(t *testing.T) {
	h := newHandler(t, curated(t))
	tests := []struct {
		name, query, code string
	}{
		{"unknown entity", `{ trace(from: "inflammation", to: "nothing at all") { truncated } }`, schema.CodeNotFound},
		{"ambiguous or unknown via", `{ trace(from: "LH", to: "T", via: ["nowhere"]) { truncated } }`, schema.CodeNotFound},
		{"depth out of range", `{ trace(from: "LH", to: "T", maxDepth: 9) { truncated } }`, schema.CodeBadUserInput},
		{"depth zero", `{ trace(from: "LH", to: "T", maxDepth: 0) { truncated } }`, schema.CodeBadUserInput},
		{"limit out of range", `{ trace(from: "LH", to: "T", limit: 101) { truncated } }`, schema.CodeBadUserInput},
		{"same ends", `{ trace(from: "LH", to: "luteinizing hormone") { truncated } }`, schema.CodeBadUserInput},
		{"page too big", `{ entities(first: 501) { totalCount } }`, schema.CodeBadUserInput},
		{"bad cursor", `{ links(after: "eA==") { totalCount } }`, schema.CodeBadUserInput},
		{"outgoing first too big", `{ entity(id: "LH") { outgoing(first: 501) { id } } }`, schema.CodeBadUserInput},
		{"empty search", `{ search(text: "") { score } }`, schema.CodeBadUserInput},
		{"unknown field", `{ stats { colour } }`, schema.CodeValidationFailed},
		{"bad enum", `{ entities(kind: HORMONES) { totalCount } }`, schema.CodeValidationFailed},
		{"syntax", `{ stats {`, schema.CodeParseFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := post(t, h, tt.query, nil)
			errs, _ := resp["errors"].([]any)
			if len(errs) == 0 {
				t.Fatalf("no error: %v", resp)
			}
			e := errs[0].(map[string]any)
			ext, _ := e["extensions"].(map[string]any)
			if ext["code"] != tt.code {
				t.Errorf("code = %v, want %s (error %q)", ext["code"], tt.code, e["message"])
			}
		})
	}
}

// TestPaging walks all entities a page at a time and checks each is seen
// once.
func TestPaging(t *testing.T) {
	s := curated(t)
	h := newHandler(t, s)
	const q = `query($after: String) { entities(first: 7, after: $after) {
		totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`
	seen := map[string]bool{}
	var after any
	for pages := 0; ; pages++ {
		if pages > 100 {
			t.Fatal("paging does not end")
		}
		resp := post(t, h, q, map[string]any{"after": after})
		conn := resp["data"].(map[string]any)["entities"].(map[string]any)
		for _, e := range conn["edges"].([]any) {
			id := e.(map[string]any)["node"].(map[string]any)["id"].(string)
			if seen[id] {
				t.Fatalf("%s seen twice", id)
			}
			seen[id] = true
		}
		info := conn["pageInfo"].(map[string]any)
		if info["hasNextPage"] != true {
			break
		}
		after = info["endCursor"]
	}
	if want := s.Stats(context.Background()).Entities; len(seen) != want {
		t.Errorf("paged through %d entities, store has %d", len(seen), want)
	}
}

// TestEverythingDescribed checks every type, field, argument and enum
// value has a description, so the playground's docs pane explains the API.
func TestEverythingDescribed(t *testing.T) {
	sc, err := schema.New(curated(t))
	if err != nil {
		t.Fatal(err)
	}
	for name, typ := range sc.TypeMap() {
		if strings.HasPrefix(name, "__") {
			continue
		}
		switch typ := typ.(type) {
		case *graphql.Object:
			if typ.Description() == "" {
				t.Errorf("type %s has no description", name)
			}
			for fname, f := range typ.Fields() {
				if f.Description == "" {
					t.Errorf("field %s.%s has no description", name, fname)
				}
				for _, a := range f.Args {
					if a.Description() == "" {
						t.Errorf("argument %s.%s(%s) has no description", name, fname, a.Name())
					}
				}
			}
		case *graphql.Enum:
			if typ.Description() == "" {
				t.Errorf("enum %s has no description", name)
			}
			for _, v := range typ.Values() {
				if v.Description == "" && !isBuiltin(name) {
					t.Errorf("enum value %s.%s has no description", name, v.Name)
				}
			}
		}
	}
}

func isBuiltin(name string) bool { return strings.HasPrefix(name, "__") }

// FuzzQuery sends arbitrary documents to the server users get: it must
// answer each with JSON and a status below 500, never panic, and give every
// error a code.
func FuzzQuery(f *testing.F) {
	queries, _ := filepath.Glob("testdata/queries/*.graphql")
	for _, q := range queries {
		src, _ := os.ReadFile(q)
		f.Add(string(src))
	}
	f.Add(`{ entity(id: "LH") { outgoing { object { outgoing { object { id } } } } } }`)
	f.Add(`{ trace(from: "\u0000", to: "") { truncated } }`)
	f.Add(`query($a: Int) { trace(from: "LH", to: "T", maxDepth: $a) { truncated } }`)
	f.Add(`query($n: Int!) { search(text: "LH", first: $n) { score } }`) // $n not given: a request error
	s := curated(f)
	h := newHandler(f, s)
	f.Fuzz(func(t *testing.T, query string) {
		resp := post(t, h, query, nil)
		errs, _ := resp["errors"].([]any)
		for _, e := range errs {
			ext, _ := e.(map[string]any)["extensions"].(map[string]any)
			if c, _ := ext["code"].(string); c == "" {
				t.Errorf("error without a code: %v", e)
			}
		}
	})
}

// BenchmarkTraceQuery runs the playground's example trace through the
// server users get (HTTP handling, parse, validate, execute, JSON).
func BenchmarkTraceQuery(b *testing.B) {
	h := newHandler(b, curated(b))
	src, err := os.ReadFile("testdata/queries/trace_inflammation_testosterone.graphql")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		post(b, h, string(src), nil)
	}
}
