package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leydigkg/leydigkg/data"
)

// TestParseEnv sets flags from the environment and the command line: the
// command line wins, for a repeatable flag too.
func TestParseEnv(t *testing.T) {
	type flags struct {
		depth      int
		format     string
		data, cors []string
	}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want flags
		err  string // in the error; "" for none
	}{
		{"defaults", nil, nil, flags{depth: 12, format: "text"}, ""},
		{"env only", map[string]string{"LEYDIGKG_MAX_DEPTH": "7", "LEYDIGKG_LOG_FORMAT": "json"}, nil, flags{depth: 7, format: "json"}, ""},
		{"flag only", nil, []string{"--max-depth", "9"}, flags{depth: 9, format: "text"}, ""},
		{"both: the flag wins", map[string]string{"LEYDIGKG_MAX_DEPTH": "7", "LEYDIGKG_LOG_FORMAT": "json"}, []string{"--max-depth", "9"}, flags{depth: 9, format: "json"}, ""},
		{"repeatable from env", map[string]string{"LEYDIGKG_DATA": "a.yaml,b.yaml"}, nil, flags{depth: 12, format: "text", data: []string{"a.yaml", "b.yaml"}}, ""},
		{"repeatable both: the flag wins", map[string]string{"LEYDIGKG_DATA": "a.yaml"}, []string{"--data", "b.yaml"}, flags{depth: 12, format: "text", data: []string{"b.yaml"}}, ""},
		{"repeatable flag twice", map[string]string{"LEYDIGKG_DATA": "a.yaml"}, []string{"--data", "b.yaml", "--data", "c.yaml"}, flags{depth: 12, format: "text", data: []string{"b.yaml", "c.yaml"}}, ""},
		{"cors both: the flag wins", map[string]string{"LEYDIGKG_CORS_ORIGINS": "https://a.example"}, []string{"--cors-origins", "https://b.example"}, flags{depth: 12, format: "text", cors: []string{"https://b.example"}}, ""},
		{"bad variable", map[string]string{"LEYDIGKG_MAX_DEPTH": "deep"}, nil, flags{}, "$LEYDIGKG_MAX_DEPTH"},
		{"bad variable, flag given", map[string]string{"LEYDIGKG_MAX_DEPTH": "deep"}, []string{"--max-depth", "3"}, flags{depth: 3, format: "text"}, ""},
		{"bad flag", map[string]string{"LEYDIGKG_MAX_DEPTH": "7"}, []string{"--max-depth", "deep"}, flags{}, "-max-depth"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			var got flags
			var data, cors multi
			fs.IntVar(&got.depth, "max-depth", 12, "deepest nesting")
			fs.StringVar(&got.format, "log-format", "text", "log format")
			fs.Var(&data, "data", "file to add (repeatable)")
			fs.Var(&cors, "cors-origins", "origins, comma-separated")
			pos, err := parseEnv(fs, tt.args, func(k string) string { return tt.env[k] })
			if tt.err != "" {
				var ue usageError
				if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("error %v, want a usage error naming %s", err, tt.err)
				}
				return
			}
			if err != nil || len(pos) > 0 {
				t.Fatalf("%q, %v", pos, err)
			}
			got.data, got.cors = data, cors
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if u := fs.Lookup("max-depth").Usage; !strings.Contains(u, "[$LEYDIGKG_MAX_DEPTH]") {
				t.Errorf("help does not name the variable: %q", u)
			}
		})
	}
}

func TestServeFlags(t *testing.T) {
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		stderr string
		absent string // not in stderr
	}{
		{"help lists the variables", nil, []string{"serve", "-h"}, 0, "$LEYDIGKG_TOKEN_FILE", ""},
		{"bad variable", map[string]string{"LEYDIGKG_TIMEOUT": "soon"}, []string{"serve"}, 2, "$LEYDIGKG_TIMEOUT", ""},
		{"bad log format", nil, []string{"serve", "--log-format", "xml"}, 2, "--log-format", ""},
		{"missing token file", nil, []string{"serve", "--token-file", "/nonexistent/token"}, 1, "--token-file", ""},
		{"--data wins over $LEYDIGKG_DATA", map[string]string{"LEYDIGKG_DATA": "/nonexistent/env.yaml"}, []string{"serve", "--data", "/nonexistent/flag.yaml"}, 1, "/nonexistent/flag.yaml", "env.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			code, _, stderr := run(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, want %d; stderr lacks %q:\n%s", code, tt.code, tt.stderr, stderr)
			}
			if tt.absent != "" && strings.Contains(stderr, tt.absent) {
				t.Errorf("stderr names %q:\n%s", tt.absent, stderr)
			}
		})
	}
}

// TestGracefulShutdown stops the server (as SIGTERM does) while a request
// is half sent: the request still gets its answer, then the store closes and
// serve exits 0. The log is JSON, chosen through the environment.
func TestGracefulShutdown(t *testing.T) {
	t.Setenv("LEYDIGKG_LOG_FORMAT", "json")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() { done <- Main(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, io.Discard, &stderr) }()
	var addr string
	for deadline := time.Now().Add(30 * time.Second); addr == ""; time.Sleep(20 * time.Millisecond) {
		for _, line := range strings.Split(stderr.String(), "\n") {
			var m map[string]any
			if json.Unmarshal([]byte(line), &m) == nil && m["msg"] == "serving" {
				addr = strings.TrimPrefix(strings.TrimSuffix(m["url"].(string), "/"), "http://")
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not start:\n%s", stderr.String())
		}
	}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// The request announces its body (Expect: 100-continue): the server
	// answers 100 Continue once the handler starts reading it, so the
	// request is in flight before the shutdown begins.
	body := `{"query":"{ stats { entities } }"}`
	head := "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " +
		strconv.Itoa(len(body)) + "\r\n\r\n"
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	br := bufio.NewReader(conn)
	if resp, err := http.ReadResponse(br, nil); err != nil || resp.StatusCode != http.StatusContinue {
		t.Fatalf("want 100 Continue: %v %v", resp, err)
	}
	cancel()
	// The shutdown has begun when the listener is closed: a new connection
	// is refused.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the server still accepts connections")
		}
	}
	if _, err := io.WriteString(conn, body); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("the request in flight got no answer: %v\n%s", err, stderr.String())
	}
	b, _ := io.ReadAll(resp.Body)
	want, err := data.Batch()
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || !strings.Contains(string(b), fmt.Sprintf(`"entities":%d}`, len(want.Entities))) {
		t.Errorf("%d %s", resp.StatusCode, b)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d:\n%s", code, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	log := stderr.String()
	i, j := strings.Index(log, "shutting down"), strings.Index(log, "store closed")
	if i < 0 || j < i {
		t.Errorf("want shutting down, then store closed:\n%s", log)
	}
	for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
		if !json.Valid([]byte(line)) {
			t.Errorf("not a JSON log line: %s", line)
		}
	}
}

// TestReadTokens checks what --token and --token-file accept: like ssh with
// private keys, a token file its group or others may read is refused, and so
// is every token shorter than server.MinTokenLength.
func TestReadTokens(t *testing.T) {
	const good = "0123456789abcdef0123" // 20 bytes
	dir := t.TempDir()
	file := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil { // WriteFile's mode passes the umask
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, token, file string
		want              int    // tokens read, when err is ""
		err               string // part of the error
	}{
		{"flag token", good, "", 1, ""},
		{"short flag token", "x", "", 0, "at least 16 bytes"},
		{"15 bytes", good[:15], "", 0, "this one has 15"},
		{"16 bytes", good[:16], "", 1, ""},
		{"file 0600", "", file("ok", "# comment\n\n"+good+"\n"+good+"x\n", 0o600), 2, ""},
		{"file 0400", "", file("ro", good+"\n", 0o400), 1, ""},
		{"file 0644", "", file("world", good+"\n", 0o644), 0, "mode 0644: its group or others may read it; run: chmod 600"},
		{"file 0640", "", file("group", good+"\n", 0o640), 0, "mode 0640"},
		{"file 0602", "", file("otherw", good+"\n", 0o602), 0, "mode 0602"},
		{"short token in file", "", file("short", good+"\n\nabc\n", 0o600), 0, "short:3: a token must be at least 16 bytes long, this one has 3"},
		{"empty file", "", file("empty", "# none\n", 0o600), 0, "holds no token"},
		{"flag and file", good, file("both", good+"y\n", 0o600), 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readTokens(tt.token, tt.file)
			switch {
			case tt.err == "" && (err != nil || len(got) != tt.want):
				t.Errorf("got %d tokens, %v; want %d", len(got), err, tt.want)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Errorf("got %v; want an error with %q", err, tt.err)
			case err != nil && strings.Contains(err.Error(), good):
				t.Errorf("the error shows the token: %v", err)
			}
		})
	}
	if os.Getuid() == 0 {
		t.Log("running as root: the permission cases still run, they read the mode")
	}
}

// TestServeRefusesWeakTokens runs serve as users do: a world-readable token
// file or a short token stops it before it listens, with exit 1.
func TestServeRefusesWeakTokens(t *testing.T) {
	p := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(p, []byte("0123456789abcdef0123\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		env    map[string]string
		args   []string
		stderr string
	}{
		{"world-readable file", nil, []string{"serve", "--addr", "127.0.0.1:0", "--token-file", p}, "chmod 600"},
		{"short flag", nil, []string{"serve", "--addr", "127.0.0.1:0", "--token", "short"}, "at least 16 bytes"},
		{"short variable", map[string]string{"LEYDIGKG_TOKEN": "tiny"}, []string{"serve", "--addr", "127.0.0.1:0"}, "at least 16 bytes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			// A serve that accepts the token listens until the context
			// ends: exit 0 after 5 s then fails the test, it does not hang.
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			var stderr bytes.Buffer
			code := Main(ctx, tt.args, io.Discard, &stderr)
			if code != 1 || !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("exit %d; stderr lacks %q:\n%s", code, tt.stderr, stderr.String())
			}
		})
	}
}

// TestServeMaxConns runs serve with --max-conns 2 and holds two idle
// connections: /healthz still answers, GraphQL gets 503 until they close.
func TestServeMaxConns(t *testing.T) {
	base := startServe(t, "--max-conns", "2")
	addr := strings.TrimPrefix(base, "http://")
	var idle []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		idle = append(idle, c)
	}
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	status := func(path string) int {
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := status("/healthz"); got != 200 {
		t.Errorf("/healthz at the cap: %d", got)
	}
	if got := status("/graphql?query=%7B__typename%7D"); got != 503 {
		t.Errorf("/graphql at the cap: %d", got)
	}
	for _, c := range idle {
		c.Close()
	}
	for deadline := time.Now().Add(5 * time.Second); status("/graphql?query=%7B__typename%7D") != 200; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("/graphql does not answer after the idle connections closed")
		}
	}
	if code, _, stderr := run(t, "serve", "--max-conns", "-1"); code != 2 || !strings.Contains(stderr, "--max-conns") {
		t.Errorf("--max-conns -1: exit %d\n%s", code, stderr)
	}
}
