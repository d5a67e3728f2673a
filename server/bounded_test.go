package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/kg"
	"github.com/leydigkg/leydigkg/schema"
	"github.com/leydigkg/leydigkg/server"
)

// bigLinks is the size of the generated store the issue measured on.
const bigLinks = 200_000

// generated is a memory store holding a generated graph, built once per
// test binary and size.
type generated struct {
	once  sync.Once
	store *kg.Store
	err   error
	took  time.Duration
}

var stores = map[int]*generated{bigLinks: {}, 50_000: {}}

// genStore returns the generated store of this many links (about a
// quarter as many entities).
func genStore(tb testing.TB, links int) (*kg.Store, time.Duration) {
	tb.Helper()
	g := stores[links]
	g.once.Do(func() {
		start := time.Now()
		ctx := context.Background()
		s, err := kg.Open(ctx, "memory")
		if err != nil {
			g.err = err
			return
		}
		if _, err := s.Apply(ctx, gen.Generate(gen.Config{Edges: links, Seed: 1})); err != nil {
			g.err = err
			return
		}
		g.store, g.took = s, time.Since(start)
	})
	if g.err != nil {
		tb.Fatal(g.err)
	}
	return g.store, g.took
}

// processCPU is the CPU time this process (the server and the test) has
// used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestNoWorkAfterTimeout sends slow requests to a 5·10⁴-link store with a
// 2 ms deadline, in parallel: traversals that run out of time, and names
// that match nothing, up to the length limit and (with the limit off) 30 KB
// long. Once every answer is in, the server must be idle within 100 ms: the
// process's CPU time stops growing (measured after a forced collection, so
// that the garbage collector catching up does not count). Before the typo index, a name that
// matched nothing was compared with every name, with no look at the
// deadline, and the CPU kept burning for seconds after the TIMEOUT answers.
func TestNoWorkAfterTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 5·10⁴-link store")
	}
	s, _ := genStore(t, 50_000)
	ts := serveStore(t, s, func(c *server.Config) {
		c.RequestTimeout = 2 * time.Millisecond
		c.MaxListItems = 1 << 40
		c.Limits = schema.Limits{NameLength: -1, Cost: -1}
	})
	long := strings.Repeat("qz", 256)
	queries := []string{
		`{ loops(maxLength: 8, first: 500, kind: BALANCING) { truncated loops { kind } } }`,
		`{ downstream(of: "n0", maxDepth: 8, first: 500) { total } }`,
		`{ interventions(target: "n7000", goal: DECREASES, maxDepth: 5, first: 50) { truncated } }`,
		`{ entity(id: "` + long + `") { id } }`,
		`{ trace(from: "n1", to: "` + long + `") { truncated } }`,
		`{ downstream(of: "` + strings.Repeat("q", 30_000) + `") { total } }`,
		`{ entity(id: "n1234567") { id } }`,
		`{ search(text: "` + long + `", first: 50) { score } }`,
	}
	var wg sync.WaitGroup
	replies := make([]reply, len(queries))
	for i, q := range queries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			replies[i] = do(t, "GET", ts.URL+"/graphql?query="+url.QueryEscape(q), map[string]string{"Accept": gqlCT}, "")
		}()
	}
	wg.Wait()
	timeouts := 0
	for i, r := range replies {
		codes := r.codes(t)
		if len(codes) > 0 && codes[0] == schema.CodeTimeout {
			timeouts++
		}
		t.Logf("%.60s: %d %v", queries[i], r.status, codes)
	}
	if timeouts == 0 {
		t.Fatal("no request ran out of time: the test needs slower ones")
	}
	time.Sleep(100 * time.Millisecond)
	// The garbage collector may still be catching up with what the
	// requests allocated: that is not their work going on.
	runtime.GC()
	before := processCPU()
	time.Sleep(300 * time.Millisecond)
	if burnt := processCPU() - before; burnt > 60*time.Millisecond {
		t.Errorf("the server used %s of CPU in the 300 ms from 100 ms after the last answer", burnt)
	}
}

// BenchmarkUnknownNames asks a 2·10⁵-link store (through the server, with
// the name length limit off so that the store sees them) for names that
// match nothing: a 30 KB id, one at the default limit, a typo of a stored
// name. The target: a 30 KB unknown id in at most 10 ms.
func BenchmarkUnknownNames(b *testing.B) {
	s, took := genStore(b, bigLinks)
	b.Logf("store of %d links built in %s", bigLinks, took)
	h, err := server.New(server.Config{Store: s, Limits: schema.Limits{NameLength: -1}})
	if err != nil {
		b.Fatal(err)
	}
	for _, tt := range []struct{ name, id string }{
		{"30KB", strings.Repeat("q", 30_000)},
		{"512B", strings.Repeat("qz", 256)},
		{"typo", "n1234x"},
		{"far", "kalominerosuta"},
	} {
		b.Run(tt.name, func(b *testing.B) {
			body := fmt.Sprintf(`{"query":"{ trace(from: \"%s\", to: \"n1\") { truncated } }"}`, tt.id)
			for i := 0; i < b.N; i++ {
				w := serveOnce(h, body)
				if !strings.Contains(w, "NOT_FOUND") {
					b.Fatalf("%.300s", w)
				}
			}
		})
	}
}

// serveOnce runs one POST through h and returns the body.
func serveOnce(h http.Handler, body string) string {
	req := httptest.NewRequest("POST", "/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", jsonCT)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w.Body.String()
}
