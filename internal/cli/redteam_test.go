package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestRedTeam runs the attacks of docs/red-team.md against 'leydigkg serve'
// started as a user would, on 127.0.0.1, and prints the table with the
// observed column. It runs only with LEYDIGKG_REDTEAM=1
// (scripts/red-team.sh); every loop in it is bounded. It fails when an
// observation differs from what the table expects.
func TestRedTeam(t *testing.T) {
	if os.Getenv("LEYDIGKG_REDTEAM") == "" {
		t.Skip("set LEYDIGKG_REDTEAM=1 (scripts/red-team.sh) to run the red-team attacks")
	}
	const token = "red-team-token-0123456789abcdef"
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const maxConns = 20
	base := startServe(t, "--store", "bolt:"+filepath.Join(dir, "kg.bolt"), "--token-file", tokenFile,
		"--max-conns", fmt.Sprint(maxConns), "--timeout", "2s", "--read-header-timeout", "1s")
	addr := strings.TrimPrefix(base, "http://")
	// A new connection for every request: the connection cap is about
	// connections, and a kept-alive one would pass it.
	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}

	type obs struct {
		status int
		code   string
		took   time.Duration
		note   string
	}
	send := func(method, path, contentType, auth, body string) obs {
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		req.Header.Set("Accept", "application/graphql-response+json")
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return obs{note: err.Error(), took: time.Since(start)}
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		o := obs{status: resp.StatusCode, took: time.Since(start)}
		var g struct {
			Errors []struct {
				Extensions map[string]any `json:"extensions"`
			} `json:"errors"`
		}
		if json.Unmarshal(b, &g) == nil && len(g.Errors) > 0 {
			o.code, _ = g.Errors[0].Extensions["code"].(string)
		}
		return o
	}
	gql := func(query string, vars map[string]any, auth string) obs {
		b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		return send("POST", "/graphql", "application/json", auth, string(b))
	}
	get := func(query string) obs {
		return send("GET", "/graphql?query="+url.QueryEscape(query), "", "", "")
	}
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}

	type attack struct {
		name, expected string
		run            func() (obs, bool) // the observation, and whether it is what is expected
	}
	is := func(o obs, status int, code string) bool { return o.status == status && o.code == code }
	nested := "{ entity(id: \"LH\") { " + strings.Repeat("outgoing { object { ", 8) + "id" + strings.Repeat(" } }", 8) + " } }"
	var aliases strings.Builder
	aliases.WriteString("{ ")
	for i := range 61 {
		fmt.Fprintf(&aliases, "a%d: stats { entities } ", i)
	}
	aliases.WriteString("}")
	attacks := []attack{
		{"30 KB unknown id in a GET query", "400 BAD_USER_INPUT at once", func() (obs, bool) {
			o := get(`{ entity(id: "` + strings.Repeat("q", 30_000) + `") { id } }`)
			return o, is(o, 400, "BAD_USER_INPUT") && o.took < time.Second
		}},
		{"1.9 MB ID variable", "400 BAD_USER_INPUT at once", func() (obs, bool) {
			o := gql(`query($id: ID!) { entity(id: $id) { id } }`, map[string]any{"id": strings.Repeat("q", 1_900_000)}, "")
			return o, is(o, 400, "BAD_USER_INPUT") && o.took < time.Second
		}},
		{"1,000-byte search text", "400 BAD_USER_INPUT", func() (obs, bool) {
			o := gql(`query($t: String!) { search(text: $t) { score } }`, map[string]any{"t": strings.Repeat("q", 1000)}, "")
			return o, is(o, 400, "BAD_USER_INPUT")
		}},
		{"4 parallel 512-byte unknown names (entity, trace ends, downstream)", "200, null or NOT_FOUND; the server's CPU still 100 ms after the answers", func() (obs, bool) {
			long := strings.Repeat("qz", 256)
			queries := []string{
				`{ entity(id: "` + long + `") { id } }`,
				`{ trace(from: "` + long + `", to: "testosterone") { truncated } }`,
				`{ trace(from: "LH", to: "` + long + `") { truncated } }`,
				`{ downstream(of: "` + long + `") { total } }`,
			}
			var wg sync.WaitGroup
			res := make([]obs, len(queries))
			start := time.Now()
			for i, q := range queries {
				wg.Add(1)
				go func() { defer wg.Done(); res[i] = gql(q, nil, "") }()
			}
			wg.Wait()
			took := time.Since(start)
			time.Sleep(100 * time.Millisecond)
			c0 := cpu()
			time.Sleep(200 * time.Millisecond)
			burnt := cpu() - c0
			ok := burnt < 50*time.Millisecond
			var seen []string
			for _, o := range res {
				ok = ok && o.status == 200 && (o.code == "NOT_FOUND" || o.code == "")
				seen = append(seen, fmt.Sprint(o.status, " ", o.code))
			}
			return obs{took: took, note: fmt.Sprintf("%s; CPU in the 200 ms after: %s", strings.Join(seen, ", "), burnt.Round(time.Millisecond))}, ok
		}},
		{"subscription { __typename } over POST", "400 GRAPHQL_VALIDATION_FAILED", func() (obs, bool) {
			o := gql(`subscription { __typename }`, nil, "")
			return o, is(o, 400, "GRAPHQL_VALIDATION_FAILED")
		}},
		{fmt.Sprintf("%d idle connections (--max-conns %d), then /healthz", maxConns+5, maxConns), "/healthz 200 at once; GraphQL 503", func() (obs, bool) {
			var conns []net.Conn
			for range maxConns + 5 {
				c, err := net.Dial("tcp", addr)
				if err != nil {
					break
				}
				conns = append(conns, c)
			}
			defer func() {
				for _, c := range conns {
					c.Close()
				}
				// The next attacks need the cap free again.
				for deadline := time.Now().Add(5 * time.Second); get(`{ __typename }`).status == 503 && time.Now().Before(deadline); {
					time.Sleep(20 * time.Millisecond)
				}
			}()
			time.Sleep(100 * time.Millisecond)
			h := send("GET", "/healthz", "", "", "")
			g := get(`{ __typename }`)
			h.note = fmt.Sprintf("GraphQL: %d", g.status)
			return h, h.status == 200 && h.took < time.Second && g.status == 503
		}},
		{"mutation without a token", "401 UNAUTHENTICATED", func() (obs, bool) {
			o := gql(`mutation { removeLink(id: "x") }`, nil, "")
			return o, is(o, 401, "UNAUTHENTICATED")
		}},
		{"mutation with a wrong token", "401 UNAUTHENTICATED", func() (obs, bool) {
			o := gql(`mutation { removeLink(id: "x") }`, nil, "wrong-token-0123456789abcdef")
			return o, is(o, 401, "UNAUTHENTICATED")
		}},
		{"mutation over GET", "405", func() (obs, bool) {
			o := get(`mutation { removeLink(id: "x") }`)
			return o, o.status == 405
		}},
		{"POST as text/plain (cross-site form)", "415", func() (obs, bool) {
			o := send("POST", "/graphql", "text/plain", "", `{"query":"{ __typename }"}`)
			return o, o.status == 415
		}},
		{"3 MB body", "413", func() (obs, bool) {
			o := send("POST", "/graphql", "application/json", "", `{"query":"`+strings.Repeat(" ", 3<<20)+`{ __typename }"}`)
			return o, o.status == 413
		}},
		{"outgoing nested 8 deep", "400 LIMIT_EXCEEDED", func() (obs, bool) {
			o := gql(nested, nil, "")
			return o, is(o, 400, "LIMIT_EXCEEDED")
		}},
		{"61 aliases", "400 LIMIT_EXCEEDED", func() (obs, bool) {
			o := gql(aliases.String(), nil, "")
			return o, is(o, 400, "LIMIT_EXCEEDED")
		}},
		{"fragment that spreads itself", "400 GRAPHQL_VALIDATION_FAILED", func() (obs, bool) {
			o := gql(`{ ...F } fragment F on Query { stats { entities } ...F }`, nil, "")
			return o, is(o, 400, "GRAPHQL_VALIDATION_FAILED")
		}},
		{"headers sent one byte a second (slowloris)", "connection closed after --read-header-timeout (1 s)", func() (obs, bool) {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				return obs{note: err.Error()}, false
			}
			defer c.Close()
			start := time.Now()
			head := "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + strings.Repeat("a", 10)
			closed := false
			for i := 0; i < len(head) && time.Since(start) < 5*time.Second; i++ {
				if _, err := c.Write([]byte{head[i]}); err != nil {
					closed = true
					break
				}
				time.Sleep(250 * time.Millisecond)
			}
			if !closed {
				c.SetReadDeadline(time.Now().Add(3 * time.Second))
				b, _ := io.ReadAll(c)
				closed = !bytes.Contains(b, []byte(" 200 "))
			}
			took := time.Since(start)
			return obs{took: took, note: fmt.Sprintf("closed: %v", closed)}, closed && took < 4*time.Second
		}},
		{"mutation document whose second field fails", "200 with a field error; the first field's entity is not stored", func() (obs, bool) {
			o := gql(`mutation {
  a: addEntity(entity: {id: "red_team_entity", name: "Red team entity", kind: MOLECULE}) { id }
  b: removeLink(id: "no_such_link")
}`, nil, token)
			stored := entityStored(t, client, base, "red_team_entity")
			o.note = fmt.Sprintf("the entity stored afterwards: %v", stored)
			return o, o.status == 200 && o.code != "" && !stored
		}},
	}
	var table strings.Builder
	fmt.Fprintln(&table, "| attack | expected | observed | as expected |")
	fmt.Fprintln(&table, "|---|---|---|---|")
	for _, a := range attacks {
		o, ok := a.run()
		seen := ""
		if o.status != 0 {
			seen = fmt.Sprint(o.status)
		}
		if o.code != "" {
			seen += " " + o.code
		}
		seen += fmt.Sprintf(" in %s", o.took.Round(time.Millisecond))
		if o.note != "" {
			seen += "; " + o.note
		}
		verdict := "yes"
		if !ok {
			verdict = "**NO**"
			t.Errorf("%s: observed %s; expected %s", a.name, seen, a.expected)
		}
		fmt.Fprintf(&table, "| %s | %s | %s | %s |\n", a.name, a.expected, strings.TrimSpace(seen), verdict)
	}
	for _, weak := range []struct{ name, args, expected string }{
		{"serve --token of 5 bytes", "--token short", "exit 1, refused"},
		{"serve --token-file readable by others (0644)", "--token-file " + tokenFile + ".open", "exit 1, refused"},
	} {
		os.WriteFile(tokenFile+".open", []byte(token+"\n"), 0o600)
		os.Chmod(tokenFile+".open", 0o644)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		var stderr bytes.Buffer
		code := Main(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, strings.Fields(weak.args)...), io.Discard, &stderr)
		cancel()
		seen := fmt.Sprintf("exit %d: %s", code, strings.TrimSpace(stderr.String()))
		verdict := "yes"
		if code != 1 {
			verdict = "**NO**"
			t.Errorf("%s: %s", weak.name, seen)
		}
		fmt.Fprintf(&table, "| %s | %s | %s | %s |\n", weak.name, weak.expected, strings.ReplaceAll(seen, "|", "/"), verdict)
	}
	fmt.Print(table.String())
}

// entityStored asks the server whether it holds an entity with this id.
func entityStored(t *testing.T, client *http.Client, base, id string) bool {
	t.Helper()
	resp, err := client.Get(base + "/graphql?query=" + url.QueryEscape(`{ entity(id: "`+id+`") { id } }`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var g struct {
		Data struct {
			Entity *struct{ ID string } `json:"entity"`
		} `json:"data"`
	}
	json.NewDecoder(resp.Body).Decode(&g)
	return g.Data.Entity != nil
}
