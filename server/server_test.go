package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/kg"
	"github.com/leydigkg/leydigkg/schema"
	"github.com/leydigkg/leydigkg/server"
)

const testToken = "s3cret-test-token-0123456789"

// logBuffer is a log sink safe for the server and the test.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type testServer struct {
	*httptest.Server
	store schema.Store
	log   *logBuffer
}

// newServer serves the curated graph in memory; edit adjusts the config.
func newServer(t *testing.T, edit func(*server.Config)) *testServer {
	t.Helper()
	s, err := data.Open(context.Background(), "memory")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return serveStore(t, s, edit)
}

func serveStore(t *testing.T, s schema.Store, edit func(*server.Config)) *testServer {
	t.Helper()
	logs := &logBuffer{}
	cfg := server.Config{Store: s, Logger: slog.New(slog.NewJSONHandler(logs, nil)), MaxListItems: 1000}
	if edit != nil {
		edit(&cfg)
	}
	h, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &testServer{Server: srv, store: s, log: logs}
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

// gqlResponse is a GraphQL response, with data kept raw so that a missing
// entry and a null one differ.
type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func (r reply) gql(t *testing.T) gqlResponse {
	t.Helper()
	var g gqlResponse
	if err := json.Unmarshal(r.body, &g); err != nil {
		t.Fatalf("response is not JSON (%v): %s", err, r.body)
	}
	return g
}

func (r reply) hasData() bool {
	var m map[string]json.RawMessage
	json.Unmarshal(r.body, &m)
	_, ok := m["data"]
	return ok
}

func (r reply) codes(t *testing.T) []string {
	var out []string
	for _, e := range r.gql(t).Errors {
		c, _ := e.Extensions["code"].(string)
		out = append(out, c)
	}
	return out
}

func do(t *testing.T, method, u string, header map[string]string, body string) reply {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, b}
}

// post sends a GraphQL request as JSON, asking for
// application/graphql-response+json.
func post(t *testing.T, ts *testServer, token, query string, vars map[string]any) reply {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	h := map[string]string{"Content-Type": "application/json", "Accept": "application/graphql-response+json"}
	if token != "" {
		h["Authorization"] = "Bearer " + token
	}
	return do(t, "POST", ts.URL+"/graphql", h, string(b))
}

const (
	jsonCT  = "application/json"
	gqlCT   = "application/graphql-response+json"
	htmlCT  = "text/html"
	textCT  = "text/plain"
	statsQ  = `{"query":"{ stats { entities } }"}`
	parseQ  = `{"query":"{ stats { entities }"}`
	invalQ  = `{"query":"{ nope }"}`
	varsQ   = `{"query":"query($n: Int!) { search(text: \"LH\", first: $n) { entity { id } } }","variables":{"n":"many"}}`
	fieldQ  = `{"query":"{ trace(from: \"nowhere-at-all\", to: \"testosterone\") { truncated } }"}`
	mutateQ = `{"query":"mutation { removeLink(id: \"x\") }"}`
)

// curatedCounts returns how many entities and links the curated files hold.
func curatedCounts(t testing.TB) (entities, links int) {
	t.Helper()
	b, err := data.Batch()
	if err != nil {
		t.Fatal(err)
	}
	return len(b.Entities), len(b.Links)
}

func TestTransport(t *testing.T) {
	ts := newServer(t, nil)
	entities, _ := curatedCounts(t)
	g := func(q string) string { return ts.URL + "/graphql?query=" + url.QueryEscape(q) }
	tests := []struct {
		name         string
		method, url  string
		header       map[string]string
		body         string
		status       int
		contentType  string
		data         bool // a data entry is present
		code         string
		bodyContains string
	}{
		{"POST json", "POST", "/graphql", map[string]string{"Content-Type": jsonCT, "Accept": jsonCT}, statsQ, 200, jsonCT, true, "", fmt.Sprintf(`"entities":%d`, entities)},
		{"POST graphql-response", "POST", "/graphql", map[string]string{"Content-Type": jsonCT, "Accept": gqlCT}, statsQ, 200, gqlCT, true, "", fmt.Sprintf(`"entities":%d`, entities)},
		{"POST no Accept: json", "POST", "/graphql", map[string]string{"Content-Type": jsonCT + "; charset=utf-8"}, statsQ, 200, jsonCT, true, "", ""},
		{"Accept preference by q", "POST", "/graphql", map[string]string{"Content-Type": jsonCT, "Accept": "application/json;q=0.5, application/graphql-response+json"}, statsQ, 200, gqlCT, true, "", ""},
		{"Accept nothing we make", "POST", "/graphql", map[string]string{"Content-Type": jsonCT, "Accept": "text/csv"}, statsQ, 406, jsonCT, false, "BAD_USER_INPUT", ""},
		{"GET query", "GET", g(`{ entity(id: "GnRH") { id } }`), map[string]string{"Accept": gqlCT}, "", 200, gqlCT, true, "", `"id":"gnrh"`},
		{"GET variables", "GET", g(`query($id: ID!) { entity(id: $id) { id } }`) + "&variables=" + url.QueryEscape(`{"id":"LH"}`), nil, "", 200, jsonCT, true, "", `"id":"luteinizing_hormone"`},
		{"GET mutation is 405", "GET", g(`mutation { removeLink(id: "x") }`), map[string]string{"Accept": gqlCT}, "", 405, gqlCT, false, "BAD_USER_INPUT", "POST"},
		{"GET without query", "GET", "/graphql", map[string]string{"Accept": gqlCT}, "", 400, gqlCT, false, "BAD_USER_INPUT", ""},
		{"PUT is 405", "PUT", "/graphql", map[string]string{"Content-Type": jsonCT}, statsQ, 405, jsonCT, false, "", ""},
		{"text/plain body is 415 (CSRF)", "POST", "/graphql", map[string]string{"Content-Type": textCT}, statsQ, 415, jsonCT, false, "BAD_USER_INPUT", ""},
		{"no content type is 415", "POST", "/graphql", nil, statsQ, 415, jsonCT, false, "", ""},
		{"form body is 415", "POST", "/graphql", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "query=%7Bstats%7Bentities%7D%7D", 415, jsonCT, false, "", ""},
		{"unparsable JSON", "POST", "/graphql", map[string]string{"Content-Type": jsonCT, "Accept": gqlCT}, `{"query":`, 400, gqlCT, false, "BAD_USER_INPUT", ""},
		{"query not a string", "POST", "/graphql", map[string]string{"Content-Type": jsonCT, "Accept": gqlCT}, `{"query":{"a":1}}`, 400, gqlCT, false, "BAD_USER_INPUT", ""},
		{"variables not an object", "POST", "/graphql", map[string]string{"Content-Type": jsonCT, "Accept": gqlCT}, `{"query":"{ stats { entities } }","variables":[1]}`, 400, gqlCT, false, "BAD_USER_INPUT", ""},
		{"parse error, graphql-response", "POST", "/graphql", map[string]string{"Content-Type": jsonCT, "Accept": gqlCT}, parseQ, 400, gqlCT, false, "GRAPHQL_PARSE_FAILED", ""},
		{"parse error, json: 200", "POST", "/graphql", map[string]string{"Content-Type": jsonCT, "Accept": jsonCT}, parseQ, 200, jsonCT, false, "GRAPHQL_PARSE_FAILED", ""},
		{"variable without a type", "POST", "/graphql", map[string]string{"Content-Type": jsonCT, "Accept": gqlCT}, `{"query":"query($A:) { stats { entities } }"}`, 400, gqlCT, false, "GRAPHQL_PARSE_FAILED", ""},
		{"validation error", "POST", "/graphql", map[string]string{"Content-Type": jsonCT, "Accept": gqlCT}, invalQ, 400, gqlCT, false, "GRAPHQL_VALIDATION_FAILED", ""},
		{"bad variables", "POST", "/graphql", map[string]string{"Content-Type": jsonCT, "Accept": gqlCT}, varsQ, 400, gqlCT, false, "BAD_USER_INPUT", "many"},
		{"unknown operation name", "POST", "/graphql", map[string]string{"Content-Type": jsonCT, "Accept": gqlCT}, `{"query":"query A { stats { entities } }","operationName":"B"}`, 400, gqlCT, false, "BAD_USER_INPUT", ""},
		{"field error keeps data", "POST", "/graphql", map[string]string{"Content-Type": jsonCT, "Accept": gqlCT}, fieldQ, 200, gqlCT, true, "NOT_FOUND", `"data":null`},
		{"body too large", "POST", "/graphql", map[string]string{"Content-Type": jsonCT, "Accept": gqlCT}, `{"query":"` + strings.Repeat(" ", 3<<20) + `{ stats { entities } }"}`, 413, gqlCT, false, "BAD_USER_INPUT", ""},
		{"mutation on a read-only server", "POST", "/graphql", map[string]string{"Content-Type": jsonCT, "Accept": gqlCT}, mutateQ, 403, gqlCT, false, "FORBIDDEN", "read-only"},
		{"healthz", "GET", "/healthz", nil, "", 200, textCT, false, "", "ok"},
		{"readyz", "GET", "/readyz", nil, "", 200, textCT, false, "", "ready"},
		{"metrics", "GET", "/metrics", nil, "", 200, textCT, false, "", fmt.Sprintf("leydigkg_store_entities %d\n", entities)},
		{"playground", "GET", "/", map[string]string{"Accept": htmlCT}, "", 200, htmlCT, false, "", "leydigkg playground"},
		{"a browser at /graphql gets the playground", "GET", "/graphql", map[string]string{"Accept": "text/html,application/xhtml+xml"}, "", 200, htmlCT, false, "", "leydigkg playground"},
		{"explorer", "GET", "/explore", map[string]string{"Accept": htmlCT}, "", 200, htmlCT, false, "", "leydigkg explorer"},
		{"explorer with a question", "GET", "/explore?around=LH&dir=down", map[string]string{"Accept": htmlCT}, "", 200, htmlCT, false, "", "leydigkg explorer"},
		{"/explore/ leads to /explore", "GET", "/explore/?around=LH", map[string]string{"Accept": htmlCT}, "", 200, htmlCT, false, "", "leydigkg explorer"},
		{"explorer is read-only", "POST", "/explore", map[string]string{"Content-Type": jsonCT}, statsQ, 405, textCT, false, "", ""},
		{"example query", "GET", "/example.graphql", nil, "", 200, textCT, false, "", "chronic inflammation"},
		{"unknown path", "GET", "/nope", nil, "", 404, textCT, false, "", ""},
		{"playground is read-only", "POST", "/", map[string]string{"Content-Type": jsonCT}, statsQ, 405, textCT, false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := tt.url
			if strings.HasPrefix(u, "/") {
				u = ts.URL + u
			}
			r := do(t, tt.method, u, tt.header, tt.body)
			if r.status != tt.status {
				t.Errorf("status %d, want %d: %.300s", r.status, tt.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, tt.contentType) {
				t.Errorf("Content-Type %q, want %q", ct, tt.contentType)
			}
			if strings.HasPrefix(tt.contentType, "application/") {
				if got := r.hasData(); got != tt.data {
					t.Errorf("data entry present: %v, want %v: %.300s", got, tt.data, r.body)
				}
				if !strings.Contains(r.header.Get("Content-Type"), "charset=utf-8") {
					t.Errorf("Content-Type %q has no charset", r.header.Get("Content-Type"))
				}
			}
			if tt.code != "" {
				if codes := r.codes(t); len(codes) == 0 || codes[0] != tt.code {
					t.Errorf("codes %q, want %s: %.300s", codes, tt.code, r.body)
				}
			}
			if !bytes.Contains(r.body, []byte(tt.bodyContains)) {
				t.Errorf("body lacks %q: %.300s", tt.bodyContains, r.body)
			}
			if r.header.Get("X-Request-Id") == "" {
				t.Error("no X-Request-Id")
			}
		})
	}
}

// TestPlaygroundAssets checks that the page's scripts and styles are served
// from the binary, under a policy that allows nothing else.
func TestPlaygroundAssets(t *testing.T) {
	ts := newServer(t, nil)
	for _, path := range []string{"/", "/explore", "/explore?from=chronic%20inflammation&to=testosterone"} {
		t.Run(path, func(t *testing.T) {
			page := do(t, "GET", ts.URL+path, nil, "")
			if page.status != 200 {
				t.Fatalf("%s: %d", path, page.status)
			}
			csp := page.header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "connect-src 'self'") {
				t.Errorf("Content-Security-Policy: %q", csp)
			}
			assets := regexp.MustCompile(`(?:src|href)="\./(assets/[^"]+)"`).FindAllStringSubmatch(string(page.body), -1)
			if len(assets) < 2 {
				t.Fatalf("page names %d assets: %s", len(assets), page.body)
			}
			for _, m := range assets {
				// Relative to the page: /assets/..., and /explore/assets/...
				// for a page opened as /explore/.
				for _, u := range []string{"/" + m[1], "/explore/" + m[1]} {
					r := do(t, "GET", ts.URL+u, nil, "")
					if r.status != 200 || len(r.body) == 0 {
						t.Errorf("%s: %d, %d bytes", u, r.status, len(r.body))
					}
					if !strings.Contains(r.header.Get("Cache-Control"), "immutable") {
						t.Errorf("%s: Cache-Control %q", u, r.header.Get("Cache-Control"))
					}
				}
			}
			if bytes.Contains(page.body, []byte("https://")) || bytes.Contains(page.body, []byte("http://")) {
				t.Errorf("the page loads something from elsewhere: %s", page.body)
			}
			if bytes.Contains(page.body, []byte("<script>")) {
				t.Errorf("an inline script, which the policy refuses: %s", page.body)
			}
		})
	}
}

// guardQueries are the documents every server must refuse before running
// them: each is small to send and huge to validate or execute.
func guardQueries() map[string]string {
	var b strings.Builder
	b.WriteString("{ stats { ")
	for range 16_000 {
		b.WriteString("entities ")
	}
	b.WriteString("} }")
	dupFields := b.String()

	b.Reset()
	b.WriteString("{ ")
	for i := range 1000 {
		fmt.Fprintf(&b, "a%d: stats { entities } ", i)
	}
	b.WriteString("}")
	aliases := b.String()

	// 50 levels over a graph with cycles.
	deep := `{ entity(id: "testosterone") { ` + strings.Repeat("outgoing { object { ", 25) + "id" + strings.Repeat(" } }", 25) + " } }"

	megabyte := "{ stats { entities } }\n#" + strings.Repeat("x", 1<<20)

	// Each fragment spreads the one below twice: 2^30 fields expanded.
	b.Reset()
	b.WriteString("{ stats { ...F0 } }\n")
	for i := range 30 {
		fmt.Fprintf(&b, "fragment F%d on Stats { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	b.WriteString("fragment F30 on Stats { entities }\n")
	bomb := b.String()

	cost := `{ links(first: 500) { edges { node { subject { outgoing(first: 500) { object { outgoing(first: 500) { id } } } } } } } }`

	// graphql-go's validation is superlinear in these too: each of the
	// following, unguarded, keeps a core busy for seconds (see the
	// comment on schema.Limits).
	args := `{ entity(` + strings.Repeat(`id: "x" `, 4000) + `) { id } }`
	deepValue := `{ entity(id: ` + strings.Repeat("[", 1000) + strings.Repeat("]", 1000) + `) { id } }`
	wideValue := `{ search(text: "x", kinds: [[` + strings.Repeat("HORMONE, ", 3500) + `]]) { score } }`
	b.Reset()
	b.WriteString("query(")
	for i := range 2000 {
		fmt.Fprintf(&b, "$v%d: Int ", i)
	}
	b.WriteString(") { stats { entities } }")
	variables := b.String()
	return map[string]string{
		"4000 arguments":           args,
		"value nested 1000 deep":   deepValue,
		"3500 values in a literal": wideValue,
		"2000 variables":           variables,
		"16000 duplicate fields":   dupFields,
		"1000 aliases":             aliases,
		"depth 50 over cycles":     deep,
		"1 MB query":               megabyte,
		"fragment bomb":            bomb,
		"costly lists":             cost,
	}
}

func TestGuards(t *testing.T) {
	ts := newServer(t, nil)
	// Without the length limit each document meets the guard it is for.
	unbounded := newServer(t, func(c *server.Config) { c.Limits.QueryLength = -1 })
	which := map[string]string{
		"16000 duplicate fields":   "fields",
		"1000 aliases":             "aliases",
		"depth 50 over cycles":     "levels of nesting",
		"1 MB query":               "bytes long",
		"fragment bomb":            "fields",
		"costly lists":             "estimated cost",
		"4000 arguments":           "arguments",
		"value nested 1000 deep":   "nested",
		"3500 values in a literal": "list items",
		"2000 variables":           "variable definitions",
	}
	for name, q := range guardQueries() {
		for _, srv := range []struct {
			name string
			ts   *testServer
			want string
		}{{"defaults", ts, ""}, {"no length limit", unbounded, which[name]}} {
			if name == "1 MB query" && srv.ts == unbounded {
				continue // a comment: only its length is wrong
			}
			t.Run(name+"/"+srv.name, func(t *testing.T) {
				start := time.Now()
				r := post(t, srv.ts, "", q, nil)
				t.Logf("%d bytes refused in %v", len(q), time.Since(start))
				if r.status != http.StatusBadRequest || r.hasData() {
					t.Errorf("status %d, data %v, want 400 and no data: %.300s", r.status, r.hasData(), r.body)
				}
				if codes := r.codes(t); len(codes) == 0 || codes[0] != schema.CodeLimitExceeded {
					t.Errorf("codes %q, want LIMIT_EXCEEDED: %.300s", codes, r.body)
				}
				if !strings.Contains(string(r.body), srv.want) {
					t.Errorf("refused, but not for its %s: %.300s", srv.want, r.body)
				}
			})
		}
	}
	// graphql-go's validation overflows the stack (and kills the process)
	// on a fragment that spreads itself; the guard refuses it first.
	for name, q := range map[string]string{
		"fragment cycle":               `{ ...F } fragment F on Query { ...F }`,
		"unused fragment cycle":        `{ stats { entities } } fragment F on Query { ...G } fragment G on Query { ...F }`,
		"fragment cycle, other op run": `query A { stats { entities } } query B { ...F } fragment F on Query { ...F }`,
	} {
		t.Run(name, func(t *testing.T) {
			r := post(t, ts, "", q, nil)
			if codes := r.codes(t); r.status != 400 || len(codes) != 1 || codes[0] != schema.CodeValidationFailed {
				t.Errorf("%d %s", r.status, r.body)
			}
		})
	}
	// Validation checks every operation of a document, not only the one
	// that runs: all are measured.
	t.Run("a costly operation that does not run", func(t *testing.T) {
		q := `query Cheap { stats { entities } } query Dup { stats { ` + strings.Repeat("entities ", 3000) + `} }`
		b, _ := json.Marshal(map[string]any{"query": q, "operationName": "Cheap"})
		r := do(t, "POST", unbounded.URL+"/graphql", map[string]string{"Content-Type": jsonCT, "Accept": gqlCT}, string(b))
		if codes := r.codes(t); r.status != 400 || len(codes) != 1 || codes[0] != schema.CodeLimitExceeded {
			t.Errorf("%d %.300s", r.status, r.body)
		}
	})
	t.Run("the example query passes", func(t *testing.T) {
		r := post(t, ts, "", server.ExampleQuery, nil)
		if r.status != 200 || len(r.gql(t).Errors) > 0 || !bytes.Contains(r.body, []byte("netEffect")) {
			t.Errorf("%d: %.300s", r.status, r.body)
		}
	})
	t.Run("variables count in the cost", func(t *testing.T) {
		q := `query($n: Int) { links(first: $n) { edges { node { subject { outgoing(first: $n) { object { outgoing(first: $n) { id } } } } } } } }`
		// The second request reuses the validated document of the first:
		// the guard still measures it with its own variables.
		for _, n := range []int{3, 500, 3, 500} {
			want := 200
			if n == 500 {
				want = 400
			}
			if r := post(t, ts, "", q, map[string]any{"n": n}); r.status != want {
				t.Errorf("first: %d through a variable: %d %.300s", n, r.status, r.body)
			}
		}
	})
}

func BenchmarkGuardRefusal(b *testing.B) {
	s, err := data.Open(context.Background(), "memory")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	// Each document meets the guard it is for: the length limit is off,
	// but for the 1 MB document, which only its length gives away.
	unbounded, err := server.New(server.Config{Store: s, Limits: schema.Limits{QueryLength: -1}})
	if err != nil {
		b.Fatal(err)
	}
	defaults, err := server.New(server.Config{Store: s})
	if err != nil {
		b.Fatal(err)
	}
	for name, q := range guardQueries() {
		h := unbounded
		if name == "1 MB query" {
			h = defaults
		}
		body, _ := json.Marshal(map[string]string{"query": q})
		b.Run(strings.ReplaceAll(name, " ", "_"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest("POST", "/graphql", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Accept", gqlCT)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != 400 {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}

func TestAuth(t *testing.T) {
	ts := newServer(t, func(c *server.Config) { c.Tokens = []string{"other-token-0123456789", testToken} })
	m := `mutation { removeEntity(id: "no-such-entity") { id } }`
	tests := []struct {
		name, auth string
		status     int
		code       string
	}{
		{"no header", "", 401, schema.CodeUnauthenticated},
		{"wrong scheme", "Basic " + testToken, 401, schema.CodeUnauthenticated},
		{"wrong token", "Bearer " + testToken + "x", 401, schema.CodeUnauthenticated},
		{"token prefix", "Bearer " + testToken[:5], 401, schema.CodeUnauthenticated},
		{"right token", "Bearer " + testToken, 200, schema.CodeNotFound},
		{"second token, any case scheme", "bearer other-token-0123456789", 200, schema.CodeNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{"Content-Type": jsonCT, "Accept": gqlCT}
			if tt.auth != "" {
				h["Authorization"] = tt.auth
			}
			b, _ := json.Marshal(map[string]string{"query": m})
			r := do(t, "POST", ts.URL+"/graphql", h, string(b))
			if r.status != tt.status {
				t.Errorf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if codes := r.codes(t); len(codes) == 0 || codes[0] != tt.code {
				t.Errorf("codes %q, want %s", codes, tt.code)
			}
			if tt.status == 401 && !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate: %q", r.header.Get("WWW-Authenticate"))
			}
		})
	}
	t.Run("queries need no token", func(t *testing.T) {
		if r := post(t, ts, "", "{ stats { entities } }", nil); r.status != 200 {
			t.Errorf("%d %s", r.status, r.body)
		}
	})
	if strings.Contains(ts.log.String(), testToken) || strings.Contains(ts.log.String(), "other-token-0123456789") {
		t.Errorf("a token reached the log:\n%s", ts.log.String())
	}
}

// The mutations of a session, each followed by the query that must see it.
const (
	addEntity = `mutation($e: EntityInput!) { addEntity(entity: $e) { id name kind synonyms } }`
	addLink   = `mutation($l: LinkInput!) { addLink(link: $l) { id confidence subject { id } object { id } evidence { quote } } }`
	addEv     = `mutation($id: ID!, $ev: [EvidenceInput!]!) { addEvidence(link: $id, evidence: $ev) { id confidence evidence { quote knowledgeLevel reasoning publications references { id } } } }`
	rmLink    = `mutation($id: ID!) { removeLink(id: $id) }`
	rmEntity  = `mutation($id: ID!, $c: Boolean) { removeEntity(id: $id, cascade: $c) { id removedLinks } }`
	traceQ    = `{ trace(from: "test compound", to: "testosterone", maxDepth: 3, limit: 3) { paths { links { id evidence { quote reasoning } } } } }`
	persistQ  = `{ trace(from: "test compound", to: "testosterone", maxDepth: 4, limit: 3) { paths { links { id } } } stats { entities links } }`
)

var (
	compound = map[string]any{"id": "test_compound", "name": "Test compound", "kind": "MOLECULE", "synonyms": []string{"TC-1"}}
	link     = map[string]any{
		"id": "test_compound_increases_leydig_cell", "subject": "test_compound", "object": "leydig_cell",
		"effect": "INCREASES", "predicate": "biolink:regulates",
		"evidence": []map[string]any{{"quote": "The test compound protects Leydig cells in our assay.", "source": "article", "knowledgeLevel": "KNOWLEDGE_ASSERTION"}},
	}
	// The evidence of link, and of the addEvidence call of TestMutations,
	// as the store scores it.
	linkEvidence  = graph.Evidence{Quote: "The test compound protects Leydig cells in our assay.", Source: "article", KnowledgeLevel: graph.KnowledgeAssertion}
	addedEvidence = graph.Evidence{Source: "article", KnowledgeLevel: graph.LogicalEntailment, Reasoning: "It protects them, so it keeps testosterone up.",
		Publications: []string{"PMID:1000002"}, References: []string{"aldahhan2021"}}
)

// belief is what the shipped belief table gives evidence.
func belief(t *testing.T, evidence ...graph.Evidence) string {
	t.Helper()
	tbl, err := data.BeliefTable()
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf(`"confidence":%v`, tbl.Belief(evidence, nil).Score)
}

// mutate runs a mutation that must succeed and returns its data.
func mutate(t *testing.T, ts *testServer, q string, vars map[string]any) string {
	t.Helper()
	r := post(t, ts, testToken, q, vars)
	if r.status != 200 || len(r.gql(t).Errors) > 0 {
		t.Fatalf("%s: %d %s", q, r.status, r.body)
	}
	return string(r.gql(t).Data)
}

func query(t *testing.T, ts *testServer, q string) string {
	t.Helper()
	r := post(t, ts, "", q, nil)
	if r.status != 200 {
		t.Fatalf("%s: %d %s", q, r.status, r.body)
	}
	return string(r.body)
}

func TestMutations(t *testing.T) {
	ts := newServer(t, func(c *server.Config) { c.Tokens = []string{testToken} })
	if got := query(t, ts, `{ entity(id: "TC-1") { id } }`); !strings.Contains(got, `"entity":null`) {
		t.Fatalf("before: %s", got)
	}
	got := mutate(t, ts, addEntity, map[string]any{"e": compound})
	if !strings.Contains(got, `"kind":"MOLECULE"`) {
		t.Errorf("addEntity: %s", got)
	}
	if got := query(t, ts, `{ entity(id: "TC-1") { id } }`); !strings.Contains(got, `"id":"test_compound"`) {
		t.Errorf("the next query does not see the entity: %s", got)
	}
	got = mutate(t, ts, addLink, map[string]any{"l": link})
	if want := belief(t, linkEvidence); !strings.Contains(got, want) {
		t.Errorf("addLink: want %s (the belief of its evidence): %s", want, got)
	}
	if got := query(t, ts, traceQ); !strings.Contains(got, "test_compound_increases_leydig_cell") || !strings.Contains(got, "leydig_cell_produces_testosterone") {
		t.Errorf("the next trace does not go through the new link: %s", got)
	}
	ev := []map[string]any{{"source": "article", "knowledgeLevel": "LOGICAL_ENTAILMENT", "reasoning": addedEvidence.Reasoning,
		"publications": addedEvidence.Publications, "references": addedEvidence.References}}
	got = mutate(t, ts, addEv, map[string]any{"id": link["id"], "ev": ev})
	for _, want := range []string{belief(t, linkEvidence, addedEvidence), `"knowledgeLevel":"LOGICAL_ENTAILMENT"`, addedEvidence.Reasoning, "PMID:1000002", "aldahhan2021"} {
		if !strings.Contains(got, want) {
			t.Errorf("addEvidence: no %s in %s", want, got)
		}
	}
	if got := query(t, ts, traceQ); !strings.Contains(got, addedEvidence.Reasoning) {
		t.Errorf("the next trace does not show the new evidence: %s", got)
	}

	refused := []struct {
		name, q string
		vars    map[string]any
		problem string
	}{
		{"link to an unknown entity", addLink, map[string]any{"l": merge(link, map[string]any{"id": "x_y", "object": "no_such"})}, "unknown entity"},
		{"link without evidence", addLink, map[string]any{"l": merge(link, map[string]any{"id": "x_y", "evidence": []any{}})}, "at least one evidence item"},
		{"link with a confidence", addLink, map[string]any{"l": merge(link, map[string]any{"id": "x_y", "confidence": 0.9})}, "confidence is its belief"},
		{"evidence from an unknown source", addEv, map[string]any{"id": link["id"], "ev": []map[string]any{{"quote": "q", "source": "blog"}}}, "unknown source"},
		{"inference without reasoning", addEv, map[string]any{"id": link["id"], "ev": []map[string]any{{"quote": "q", "source": "article", "knowledgeLevel": "LOGICAL_ENTAILMENT"}}}, "reasoning"},
		{"publication not a CURIE", addEv, map[string]any{"id": link["id"], "ev": []map[string]any{{"source": "article", "publications": []string{"12345"}}}}, "publications"},
		{"removing a used entity", rmEntity, map[string]any{"id": "test_compound"}, "remove them first or cascade"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			before := query(t, ts, `{ stats { entities links } link(id: "test_compound_increases_leydig_cell") { evidence { quote } } }`)
			r := post(t, ts, testToken, tt.q, tt.vars)
			if r.status != 200 || !r.hasData() {
				t.Errorf("status %d (a field error: 200 with data): %s", r.status, r.body)
			}
			if codes := r.codes(t); len(codes) != 1 || codes[0] != schema.CodeBadUserInput || !strings.Contains(string(r.body), tt.problem) {
				t.Errorf("want BAD_USER_INPUT with %q: %s", tt.problem, r.body)
			}
			if after := query(t, ts, `{ stats { entities links } link(id: "test_compound_increases_leydig_cell") { evidence { quote } } }`); after != before {
				t.Errorf("a refused write changed the store: %s -> %s", before, after)
			}
		})
	}

	// Names are labels: an entity may share one (here the synonym T of
	// testosterone), which then names neither.
	mutate(t, ts, addEntity, map[string]any{"e": map[string]any{"id": "t2", "name": "Tee", "kind": "HORMONE", "synonyms": []string{"T"}}})
	r := post(t, ts, "", `{ entity(id: "T") { id } }`, nil)
	if codes := r.codes(t); len(codes) != 1 || codes[0] != schema.CodeAmbiguous || !strings.Contains(string(r.body), `"candidates":[{"id":"t2","kind":"HORMONE","name":"Tee"},{"id":"testosterone",`) {
		t.Errorf("a shared synonym: %s", r.body)
	}
	mutate(t, ts, rmEntity, map[string]any{"id": "t2"})

	// A link and its opposite, written in one document: the second field
	// sees the first (kg.Store.Update) and says it is contested.
	opposite := merge(link, map[string]any{"id": "test_compound_decreases_leydig_cell", "effect": "DECREASES"})
	got = mutate(t, ts, `mutation($l: LinkInput!) { addLink(link: $l) { id contested opposite { id } } }`, map[string]any{"l": opposite})
	if !strings.Contains(got, `"contested":true,"id":"test_compound_decreases_leydig_cell","opposite":[{"id":"test_compound_increases_leydig_cell"}]`) {
		t.Errorf("the opposite link: %s", got)
	}
	if got := query(t, ts, `{ contradictions { pairs { increases { id } decreases { id } } } }`); !strings.Contains(got, `{"decreases":{"id":"test_compound_decreases_leydig_cell"},"increases":{"id":"test_compound_increases_leydig_cell"}}`) {
		t.Errorf("contradictions: %s", got)
	}
	mutate(t, ts, rmLink, map[string]any{"id": "test_compound_decreases_leydig_cell"})

	mutate(t, ts, rmLink, map[string]any{"id": link["id"]})
	if got := query(t, ts, traceQ); strings.Contains(got, "test_compound_increases") {
		t.Errorf("the trace still finds the removed link: %s", got)
	}
	mutate(t, ts, addLink, map[string]any{"l": link})
	got = mutate(t, ts, rmEntity, map[string]any{"id": "test_compound", "c": true})
	if !strings.Contains(got, `"removedLinks":["test_compound_increases_leydig_cell"]`) {
		t.Errorf("removeEntity cascade: %s", got)
	}
	entities, links := curatedCounts(t)
	if got, want := query(t, ts, `{ stats { entities links } }`), fmt.Sprintf(`"entities":%d,"links":%d`, entities, links); !strings.Contains(got, want) {
		t.Errorf("after removing everything added: %s", got)
	}
}

func merge(a, b map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// TestMutationsPersist writes through the server into a bolt store, closes
// it and serves it again.
func TestMutationsPersist(t *testing.T) {
	ctx := context.Background()
	spec := "bolt:" + filepath.Join(t.TempDir(), "db")
	s, err := data.Open(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	ts := serveStore(t, s, func(c *server.Config) { c.Tokens = []string{testToken} })
	mutate(t, ts, addEntity, map[string]any{"e": compound})
	mutate(t, ts, addLink, map[string]any{"l": link})
	mutate(t, ts, rmLink, map[string]any{"id": "leydig_cell_produces_testosterone"})
	want := query(t, ts, persistQ)
	ts.Close()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s2, err := data.Open(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s2.Close() })
	ts2 := serveStore(t, s2, nil)
	if got := query(t, ts2, persistQ); got != want {
		t.Errorf("after restart:\n%s\nwant\n%s", got, want)
	}
	entities, links := curatedCounts(t)
	stats := fmt.Sprintf(`"entities":%d,"links":%d`, entities+1, links) // one entity added, one link added and one removed
	if got := query(t, ts2, `{ entity(id: "TC-1") { id } link(id: "leydig_cell_produces_testosterone") { id } stats { entities links } }`); !strings.Contains(got, `"link":null`) || !strings.Contains(got, stats) {
		t.Errorf("after restart: %s", got)
	}
}

// TestObservability checks the access log and the metrics of a few requests.
func TestObservability(t *testing.T) {
	ts := newServer(t, func(c *server.Config) { c.Tokens = []string{testToken} })
	post(t, ts, "", `query Stats { stats { entities } }`, nil)
	post(t, ts, "", `query Broken { stats { entities }`, nil)
	post(t, ts, testToken, `mutation Remove { removeLink(id: "nope") }`, nil)
	h := map[string]string{"X-Request-Id": "client-chosen-42", "Content-Type": jsonCT}
	do(t, "POST", ts.URL+"/graphql", h, `{"query":"query Mine { stats { links } }"}`)

	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(ts.log.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line is not JSON: %s", l)
		}
		if m["msg"] == "request" {
			lines = append(lines, m)
		}
	}
	if len(lines) != 4 {
		t.Fatalf("%d request lines:\n%s", len(lines), ts.log.String())
	}
	for _, key := range []string{"request_id", "method", "path", "status", "duration", "operation", "outcome"} {
		if _, ok := lines[0][key]; !ok {
			t.Errorf("log line lacks %s: %v", key, lines[0])
		}
	}
	if lines[0]["operation"] != "Stats" || lines[0]["outcome"] != "ok" || lines[1]["outcome"] != "request_error" {
		t.Errorf("log lines: %v\n%v", lines[0], lines[1])
	}
	if lines[3]["request_id"] != "client-chosen-42" {
		t.Errorf("request id: %v", lines[3]["request_id"])
	}
	if strings.Contains(ts.log.String(), testToken) {
		t.Errorf("the token reached the log")
	}

	metrics := string(do(t, "GET", ts.URL+"/metrics", nil, "").body)
	entities, links := curatedCounts(t)
	for _, want := range []string{
		`leydigkg_graphql_requests_total{operation="Stats",outcome="ok"} 1`,
		`leydigkg_graphql_requests_total{operation="anonymous",outcome="request_error"} 1`,
		`leydigkg_graphql_requests_total{operation="Remove",outcome="field_error"} 1`,
		`leydigkg_graphql_errors_total{code="GRAPHQL_PARSE_FAILED"} 1`,
		`leydigkg_graphql_errors_total{code="NOT_FOUND"} 1`,
		`leydigkg_graphql_request_duration_seconds_bucket{operation="Stats",outcome="ok",le="+Inf"} 1`,
		fmt.Sprintf("leydigkg_store_entities %d\n", entities),
		fmt.Sprintf("leydigkg_store_links %d\n", links),
		`leydigkg_http_requests_total{code="200",handler="graphql"}`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestCORS(t *testing.T) {
	pre := map[string]string{"Origin": "https://lab.example", "Access-Control-Request-Method": "POST"}
	t.Run("none by default", func(t *testing.T) {
		ts := newServer(t, nil)
		r := do(t, "POST", ts.URL+"/graphql", map[string]string{"Origin": "https://evil.example", "Content-Type": jsonCT}, statsQ)
		if v := r.header.Get("Access-Control-Allow-Origin"); v != "" {
			t.Errorf("Access-Control-Allow-Origin %q", v)
		}
	})
	ts := newServer(t, func(c *server.Config) { c.CORSOrigins = []string{"https://lab.example"} })
	r := do(t, "OPTIONS", ts.URL+"/graphql", pre, "")
	if r.status != 204 || r.header.Get("Access-Control-Allow-Origin") != "https://lab.example" || !strings.Contains(r.header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Errorf("preflight: %d %v", r.status, r.header)
	}
	r = do(t, "POST", ts.URL+"/graphql", map[string]string{"Origin": "https://evil.example", "Content-Type": jsonCT}, statsQ)
	if v := r.header.Get("Access-Control-Allow-Origin"); v != "" {
		t.Errorf("other origin allowed: %q", v)
	}
}

// slowStore blocks traces until the request's context ends, and records
// that the resolver saw it end.
type slowStore struct {
	*kg.Store
	stopped chan error
}

func (s *slowStore) Trace(ctx context.Context, q graph.TraceQuery) (*graph.TraceResult, error) {
	<-ctx.Done()
	s.stopped <- ctx.Err()
	return nil, ctx.Err()
}

func TestDeadline(t *testing.T) {
	s, err := data.Open(context.Background(), "memory")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	slow := &slowStore{Store: s, stopped: make(chan error, 1)}
	ts := serveStore(t, slow, func(c *server.Config) { c.RequestTimeout = 100 * time.Millisecond })
	r := post(t, ts, "", `{ trace(from: "a", to: "b") { truncated } }`, nil)
	if codes := r.codes(t); len(codes) != 1 || codes[0] != schema.CodeTimeout || r.status != 503 {
		t.Errorf("%d %s", r.status, r.body)
	}
	select {
	case err := <-slow.stopped:
		if err != context.DeadlineExceeded {
			t.Errorf("resolver saw %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("the resolver was left running")
	}
}

// panicStore panics in the readiness probe.
type panicStore struct{ *kg.Store }

func (panicStore) Ready() error { panic("boom") }

func TestPanicRecovery(t *testing.T) {
	s, err := data.Open(context.Background(), "memory")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ts := serveStore(t, panicStore{s}, nil)
	r := do(t, "GET", ts.URL+"/readyz", map[string]string{"X-Request-Id": "req-7"}, "")
	if r.status != 500 || !strings.HasPrefix(r.header.Get("Content-Type"), jsonCT) {
		t.Errorf("%d %s %s", r.status, r.header.Get("Content-Type"), r.body)
	}
	g := r.gql(t)
	if len(g.Errors) != 1 || g.Errors[0].Extensions["code"] != schema.CodeInternal || g.Errors[0].Extensions["requestId"] != "req-7" {
		t.Errorf("body %s", r.body)
	}
	if r := do(t, "GET", ts.URL+"/healthz", nil, ""); r.status != 200 {
		t.Errorf("the server did not survive: %d", r.status)
	}
	if !strings.Contains(ts.log.String(), `"panic":"boom"`) {
		t.Errorf("the panic was not logged:\n%s", ts.log.String())
	}
}

func TestReadyzClosedStore(t *testing.T) {
	s, err := data.Open(context.Background(), "memory")
	if err != nil {
		t.Fatal(err)
	}
	ts := serveStore(t, s, nil)
	s.Close()
	if r := do(t, "GET", ts.URL+"/readyz", nil, ""); r.status != 503 {
		t.Errorf("%d %s", r.status, r.body)
	}
	if r := do(t, "GET", ts.URL+"/healthz", nil, ""); r.status != 200 {
		t.Errorf("healthz %d", r.status)
	}
}

// BenchmarkServe runs queries through the whole handler: negotiation,
// parse, guard, validation, execution and encoding.
func BenchmarkServe(b *testing.B) {
	s, err := data.Open(context.Background(), "memory")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	h, err := server.New(server.Config{Store: s})
	if err != nil {
		b.Fatal(err)
	}
	for name, q := range map[string]string{
		"example": server.ExampleQuery,
		"entity":  `{ entity(id: "LH") { name outgoing { effect object { name } } } }`,
		"stats":   `{ stats { entities links } }`,
	} {
		body, _ := json.Marshal(map[string]string{"query": q})
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest("POST", "/graphql", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}

// TestGoldenQueriesPass runs every query of the schema's golden tests
// through the server's guard with the default limits: the guard must let
// every real query of the API through, the traversals (downstream,
// upstream, loops, interventions, knockout) included. Each answer is a
// GraphQL response (those that test errors have their errors).
func TestGoldenQueriesPass(t *testing.T) {
	ts := newServer(t, nil)
	files, err := filepath.Glob(filepath.Join("..", "schema", "testdata", "queries", "*.graphql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden queries: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			q, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			r := post(t, ts, "", string(q), nil)
			for _, c := range r.codes(t) {
				if c == schema.CodeLimitExceeded {
					t.Errorf("refused by the guard: %.500s", r.body)
				}
			}
		})
	}
}

// idStore records the request id its Resolve sees.
type idStore struct {
	*kg.Store
	seen chan string
}

func (s idStore) Resolve(ctx context.Context, ref string) (*graph.Entity, error) {
	s.seen <- server.RequestID(ctx)
	return s.Store.Resolve(ctx, ref)
}

// TestRequestIDReachesTheStore checks that a Store method runs with the
// request id the response header names, the client's or a fresh one.
func TestRequestIDReachesTheStore(t *testing.T) {
	s, err := data.Open(context.Background(), "memory")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ts := serveStore(t, idStore{s, make(chan string, 1)}, nil)
	seen := ts.store.(idStore).seen
	for _, tt := range []struct{ name, sent string }{{"client's", "trace-me-1"}, {"fresh", ""}, {"not a token", "a b"}} {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{"Content-Type": jsonCT}
			if tt.sent != "" {
				h["X-Request-Id"] = tt.sent
			}
			r := do(t, "POST", ts.URL+"/graphql", h, `{"query":"{ entity(id: \"LH\") { id } }"}`)
			got := <-seen
			if got == "" || got != r.header.Get("X-Request-Id") || (tt.sent == "trace-me-1" && got != tt.sent) || (tt.sent == "a b" && got == tt.sent) {
				t.Errorf("the store saw %q, the header says %q (sent %q)", got, r.header.Get("X-Request-Id"), tt.sent)
			}
		})
	}
}

// TestShortTokensRefused checks that New refuses a write token shorter
// than server.MinTokenLength.
func TestShortTokensRefused(t *testing.T) {
	s, err := data.Open(context.Background(), "memory")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tt := range []struct {
		tokens []string
		ok     bool
	}{
		{[]string{"x"}, false},
		{[]string{testToken, "fifteen-bytes!!"}, false},
		{[]string{"sixteen-bytes!!!"}, true},
		{[]string{" ", testToken}, true},
	} {
		if _, err := server.New(server.Config{Store: s, Tokens: tt.tokens}); (err == nil) != tt.ok {
			t.Errorf("%q: %v", tt.tokens, err)
		}
	}
}

// TestLongArguments sends the long names of the red-team report: a 30 KB
// id in the query string and a 1.9 MB id in a variable are refused with
// BAD_USER_INPUT before anything runs.
func TestLongArguments(t *testing.T) {
	ts := newServer(t, func(c *server.Config) { c.MaxBodyBytes = 4 << 20 })
	long := strings.Repeat("q", 30_000)
	r := do(t, "GET", ts.URL+"/graphql?query="+url.QueryEscape(`{ entity(id: "`+long+`") { id } }`), map[string]string{"Accept": gqlCT}, "")
	if c := r.codes(t); r.status != 400 || len(c) != 1 || c[0] != schema.CodeBadUserInput || !strings.Contains(string(r.body), "at most 512") {
		t.Errorf("30 KB literal: %d %.300s", r.status, r.body)
	}
	r = post(t, ts, "", `query($id: ID!) { entity(id: $id) { id } }`, map[string]any{"id": strings.Repeat("q", 1_900_000)})
	if c := r.codes(t); r.status != 400 || len(c) != 1 || c[0] != schema.CodeBadUserInput {
		t.Errorf("1.9 MB variable: %d %.300s", r.status, r.body)
	}
	r = post(t, ts, "", `query($id: ID!) { entity(id: $id) { id } }`, map[string]any{"id": strings.Repeat("q", 512)})
	if r.status != 200 || string(r.gql(t).Data) != `{"entity":null}` {
		t.Errorf("512 bytes: %d %.300s", r.status, r.body)
	}
}
