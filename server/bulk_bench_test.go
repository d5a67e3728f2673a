package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/memstore"
	_ "github.com/cayleygraph/cayley/query/gizmo" // registers the language for cayley's query API
	cayleyhttp "github.com/cayleygraph/cayley/server/http"
	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/kg"
	"github.com/leydigkg/leydigkg/server"
)

// BenchmarkBulkHTTP answers one bulk question over loopback HTTP, client
// included (request, response read to the end): everything within 4 links
// of an early entity of a generated 10^5-link signed graph (10^4 under
// -short), as our server's downstream columns and, on the same edges
// loaded as one quad each into cayley's memstore, as a Gizmo
// FollowRecursive through cayley's own HTTP API (its v2 query handler).
// Both report how many entities they answered with.
func BenchmarkBulkHTTP(b *testing.B) {
	edges := 100_000
	if testing.Short() {
		edges = 10_000
	}
	ctx := context.Background()
	batch := gen.Generate(gen.Config{Edges: edges, Seed: 1})
	of := gen.EntityID(10)

	question := `{ downstream(of: "` + of + `", maxDepth: 4, first: 1) { columns } }`
	gizmo := `g.V("<` + of + `>").FollowRecursive(g.M().Out(), 4).All()`
	// Each server is built in its own sub-benchmark and dropped after it:
	// run apart, as two processes would, neither's collector marks the
	// other's heap.
	b.Run("leydigkg-columns", func(b *testing.B) {
		s, err := kg.Open(ctx, "memory")
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		if _, err := s.Apply(ctx, batch); err != nil {
			b.Fatal(err)
		}
		h, err := server.New(server.Config{Store: s})
		if err != nil {
			b.Fatal(err)
		}
		body, _ := json.Marshal(map[string]string{"query": question})
		benchHTTP(b, h, func(url string) *http.Request {
			req, _ := http.NewRequest("POST", url+"/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			return req
		}, func(body []byte) int {
			var r struct {
				Data struct {
					Downstream struct{ Columns struct{ ID []string } }
				}
			}
			if err := json.Unmarshal(body, &r); err != nil {
				b.Fatal(err)
			}
			return len(r.Data.Downstream.Columns.ID)
		})
	})
	b.Run("cayley-gizmo", func(b *testing.B) {
		qs := memstore.New()
		for _, l := range batch.Links {
			qs.AddQuad(quad.MakeIRI(l.Subject, string(l.Effect), l.Object, ""))
		}
		api := cayleyhttp.NewAPIv2(&graph.Handle{QuadStore: qs})
		api.SetQueryLimit(-1) // cayley's default is 100 results
		benchHTTP(b, api, func(url string) *http.Request {
			req, _ := http.NewRequest("GET", url+"/api/v2/query?lang=gizmo&qu="+neturl.QueryEscape(gizmo), nil)
			req.Header.Set("Accept", "application/json")
			return req
		}, func(body []byte) int {
			var r struct{ Result []struct{ ID string } }
			if err := json.Unmarshal(body, &r); err != nil {
				b.Fatal(err)
			}
			ids := map[string]bool{}
			for _, x := range r.Result {
				ids[x.ID] = true
			}
			return len(ids)
		})
	})
}

// benchHTTP serves h on loopback and times one request (made by req for
// the server's URL) and the reading of its whole answer (to io.Discard);
// count says how many entities an answer holds. cpu-ns/op is the process's CPU time
// (server, client and collector) per request.
func benchHTTP(b *testing.B, h http.Handler, req func(url string) *http.Request, count func([]byte) int) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	c := &http.Client{}
	n := count(fetch(b, c, req(srv.URL)))
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		res, err := c.Do(req(srv.URL))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, res.Body); err != nil || res.StatusCode != 200 {
			b.Fatal(res.StatusCode, err)
		}
		res.Body.Close()
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(n), "entities")
}

// fetch sends req and reads the whole response, which must be a 200.
func fetch(b *testing.B, c *http.Client, req *http.Request) []byte {
	res, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != 200 {
		b.Fatalf("status %d, %v: %.200s", res.StatusCode, err, out)
	}
	return out
}

// cpuTime is the CPU time (user and system) the process has used so far:
// what a benchmark's work costs on a machine shared with other work,
// where its wall time mostly says how busy the machine was.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
