package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// killChildEnv holds the serve arguments of a child process of the test
// binary (TestKilledMidDocument starts it); the child runs serve with them.
const killChildEnv = "LEYDIGKG_TEST_SERVE_CHILD"

// TestServeChild is the child: it serves until it is killed.
func TestServeChild(t *testing.T) {
	args := os.Getenv(killChildEnv)
	if args == "" {
		t.Skip("the child process of TestKilledMidDocument")
	}
	os.Exit(Main(context.Background(), strings.Split(args, "\x1f"), io.Discard, os.Stderr))
}

// TestKilledMidDocument kills 'leydigkg serve' (a child process, on a bolt
// store) while it runs a mutation document of many fields, at times spread
// over how long such a document takes, restarts it on the same store, and
// finds each document's entities all stored or none.
func TestKilledMidDocument(t *testing.T) {
	if testing.Short() {
		t.Skip("starts serve ten times")
	}
	const token = "kill-test-token-0123456789abcdef"
	const fields = 40
	dir := t.TempDir()
	args := strings.Join([]string{"serve", "--addr", "127.0.0.1:0", "--store", "bolt:" + filepath.Join(dir, "kg"), "--token", token, "--max-aliases", "100"}, "\x1f")
	urlRE := regexp.MustCompile(`url=(http://\S+)/ `)
	start := func() (*exec.Cmd, string) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestServeChild$")
		cmd.Env = append(os.Environ(), killChildEnv+"="+args)
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		found := make(chan string, 1)
		go func() {
			sc := bufio.NewScanner(stderr)
			for sc.Scan() {
				if m := urlRE.FindStringSubmatch(sc.Text()); m != nil {
					found <- m[1]
				}
			}
		}()
		select {
		case base := <-found:
			return cmd, base
		case <-time.After(60 * time.Second):
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatal("serve did not start")
		}
		return nil, ""
	}
	post := func(base, q string) (*http.Response, error) {
		b, _ := json.Marshal(map[string]string{"query": q})
		req, _ := http.NewRequest("POST", base+"/graphql", strings.NewReader(string(b)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		return http.DefaultClient.Do(req)
	}
	document := func(round int) string {
		var b strings.Builder
		b.WriteString("mutation {\n")
		for i := range fields {
			fmt.Fprintf(&b, "  e%d: addEntity(entity: {id: \"kill_%d_%d\", name: \"Kill %d %d\", kind: MOLECULE}) { id }\n", i, round, i, round, i)
		}
		b.WriteString("}")
		return b.String()
	}
	stored := func(base string, round int) int {
		resp, err := http.Get(base + "/graphql?query=" + url.QueryEscape(`{ entities(first: 500) { edges { node { id } } } }`))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return strings.Count(string(b), fmt.Sprintf(`"kill_%d_`, round))
	}

	// Round 0 is not killed: how long a document takes.
	cmd, base := start()
	t0 := time.Now()
	resp, err := post(base, document(0))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(t0)
	if n := stored(base, 0); n != fields {
		t.Fatalf("round 0 (not killed): %d of %d entities: %.500s", n, fields, body)
	}
	t.Logf("a document of %d fields takes %s", fields, took)
	const rounds = 8
	for round := 1; round <= rounds; round++ {
		go func() {
			if resp, err := post(base, document(round)); err == nil {
				resp.Body.Close()
			}
		}()
		time.Sleep(took * time.Duration(round) / rounds)
		cmd.Process.Kill()
		cmd.Wait()
		cmd, base = start()
		n := stored(base, round)
		t.Logf("killed after %s: %d of %d entities", took*time.Duration(round)/rounds, n, fields)
		if n != 0 && n != fields {
			t.Errorf("round %d: %d of %d entities stored after the kill: a document must be all or nothing", round, n, fields)
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
}
