package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/schema"
	"github.com/leydigkg/leydigkg/server"
)

// readOnlyStore hides the store's write methods, so the schema has no
// Mutation type at all.
type readOnlyStore struct{ schema.Store }

// TestOperationTypes sends every operation type, over GET and POST, to a
// server that can write and to one whose schema has no Mutation type: each
// gets a GraphQL response with a code, never a 500. A subscription once
// crashed the guard on the schema's nil Subscription type.
func TestOperationTypes(t *testing.T) {
	s, err := data.Open(context.Background(), "memory")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	writable := serveStore(t, s, func(c *server.Config) { c.Tokens = []string{testToken} })
	readOnly := serveStore(t, readOnlyStore{s}, nil)
	tests := []struct {
		name   string
		ts     *testServer
		method string
		query  string
		status int
		code   string // "" for a response with data and no error
	}{
		{"subscription", writable, "POST", `subscription { __typename }`, 400, schema.CodeValidationFailed},
		{"named subscription", writable, "POST", `subscription S { __typename }`, 400, schema.CodeValidationFailed},
		{"subscription with a directive", writable, "POST", `subscription @skip(if: true) { __typename }`, 400, schema.CodeValidationFailed},
		{"subscription over GET", writable, "GET", `subscription { __typename }`, 400, schema.CodeValidationFailed},
		{"subscription beside a query", writable, "POST", `subscription S { __typename } query Q { __typename }`, 400, schema.CodeBadUserInput},
		{"subscription not chosen, anonymous query", writable, "POST", `subscription S { __typename } { __typename }`, 400, schema.CodeValidationFailed},
		{"query", writable, "POST", `query { __typename }`, 200, ""},
		{"query over GET", writable, "GET", `query { __typename }`, 200, ""},
		{"mutation without a Mutation type", readOnly, "POST", `mutation { __typename }`, 400, schema.CodeValidationFailed},
		{"mutation field without a Mutation type", readOnly, "POST", `mutation { removeLink(id: "x") }`, 400, schema.CodeValidationFailed},
		{"mutation without a token", writable, "POST", `mutation { __typename }`, 401, schema.CodeUnauthenticated},
		{"subscription, asking for application/json", writable, "POST-json", `subscription { __typename }`, 400, schema.CodeValidationFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r reply
			switch tt.method {
			case "GET":
				r = do(t, "GET", tt.ts.URL+"/graphql?query="+url.QueryEscape(tt.query), map[string]string{"Accept": gqlCT}, "")
			case "POST-json":
				body, _ := json.Marshal(map[string]string{"query": tt.query})
				r = do(t, "POST", tt.ts.URL+"/graphql", map[string]string{"Accept": "application/json", "Content-Type": "application/json"}, string(body))
			default:
				r = post(t, tt.ts, "", tt.query, nil)
			}
			codes := r.codes(t)
			if r.status != tt.status || (tt.code == "" && len(codes) > 0) || (tt.code != "" && (len(codes) == 0 || codes[0] != tt.code)) {
				t.Errorf("got %d %s; want %d %s", r.status, r.body, tt.status, tt.code)
			}
			if strings.Contains(tt.ts.log.String(), `"msg":"panic"`) {
				t.Errorf("a panic was logged:\n%.2000s", tt.ts.log.String())
			}
		})
	}
}

// FuzzOperations builds documents from an operation type, a directive and
// a body (seeded with the golden queries of the schema), sends them through
// the server users get (server.New, with a write token), and requires a
// GraphQL response: valid JSON, a code on every error, never a 500 and
// never a panic.
func FuzzOperations(f *testing.F) {
	ops := []string{"", "query", "query Q", "mutation", "mutation M", "subscription", "subscription S", "query($v: Boolean!)", "fragment F on Query", "{ __typename } subscription"}
	dirs := []string{"", "@skip(if: true)", "@include(if: false)", "@include(if: $v)", "@deprecated", "@nope", "@skip", "@skip(if: true) @include(if: true)"}
	f.Add(uint8(5), uint8(0), `{ __typename }`)
	f.Add(uint8(5), uint8(1), `{ stats { entities } }`)
	f.Add(uint8(3), uint8(0), `{ removeLink(id: "x") }`)
	f.Add(uint8(7), uint8(3), `{ stats @include(if: $v) { entities } }`)
	f.Add(uint8(0), uint8(0), `{ entity(id: "LH") @skip(if: false) { id ... on Entity @include(if: true) { name } } }`)
	files, _ := filepath.Glob(filepath.Join("..", "schema", "testdata", "queries", "*.graphql"))
	for i, name := range files {
		if q, err := os.ReadFile(name); err == nil {
			f.Add(uint8(i), uint8(i), string(q))
		}
	}
	s, err := data.Open(context.Background(), "memory")
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	h, err := server.New(server.Config{Store: s, Tokens: []string{testToken}, MaxListItems: 1000})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, op, dir uint8, body string) {
		q := ops[int(op)%len(ops)] + " " + dirs[int(dir)%len(dirs)] + " " + body
		b, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]any{"v": true}})
		req, _ := http.NewRequest("POST", "/graphql", strings.NewReader(string(b)))
		req.Header.Set("Content-Type", jsonCT)
		req.Header.Set("Authorization", "Bearer "+testToken)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 && w.Code != http.StatusServiceUnavailable {
			t.Fatalf("%q: %d %s", q, w.Code, w.Body)
		}
		var res struct {
			Errors []struct {
				Extensions map[string]any `json:"extensions"`
			} `json:"errors"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
			t.Fatalf("%q: not JSON: %s", q, w.Body)
		}
		for _, e := range res.Errors {
			if c, _ := e.Extensions["code"].(string); c == "" || c == schema.CodeInternal {
				t.Fatalf("%q: error code %q: %s", q, c, w.Body)
			}
		}
	})
}
