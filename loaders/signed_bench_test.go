package loaders

import (
	"context"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/cayley/graph/memstore"
	"github.com/cayleygraph/quad"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/pgtest"
	"github.com/leydigkg/leydigkg/kg"
)

// BenchmarkLoadSigned loads a generated signed edge list (source, target,
// sign) of 10^5 rows into an empty memory store: what loading a public
// signed network costs, every row becoming an evidence item of its file.
func BenchmarkLoadSigned(b *testing.B) {
	for _, edges := range []int{100_000} {
		csv := signedCSV(edges)
		b.Run("edges="+strconv.Itoa(edges), func(b *testing.B) {
			for b.Loop() {
				s, err := kg.Open(context.Background(), "memory")
				if err != nil {
					b.Fatal(err)
				}
				rep, err := (&Loader{Store: s}).Load(context.Background(), Input{Name: "net.csv", R: strings.NewReader(csv)})
				if err != nil {
					b.Fatal(err)
				}
				if rep.Applied.Links == 0 {
					b.Fatal("nothing loaded")
				}
				s.Close()
			}
			b.ReportMetric(float64(edges)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkMemorySigned reports the live heap of a memory store serving a
// generated signed network of 10^5 rows, loaded as a user loads one, beside
// cayley's memstore holding the same edges as one quad each (subject,
// sign, object): "ratio" is the first over the second (issue 18: at most
// 1.5). Heap after a full collection, not RSS: the same measure for both.
func BenchmarkMemorySigned(b *testing.B) {
	const edges = 100_000
	csv := signedCSV(edges)
	var ours, theirs int64
	for b.Loop() {
		before := heap()
		s, err := kg.Open(context.Background(), "memory")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := (&Loader{Store: s}).Load(context.Background(), Input{Name: "net.csv", R: strings.NewReader(csv)}); err != nil {
			b.Fatal(err)
		}
		ours = heap() - before
		runtime.KeepAlive(s)
		s.Close()

		before = heap()
		qs := memstore.New()
		for _, l := range gen.Generate(gen.Config{Edges: edges, Seed: 1}).Links {
			qs.AddQuad(quad.Make(quad.IRI(l.Subject), quad.IRI(strings.ToLower(string(l.Effect))), quad.IRI(l.Object), nil))
		}
		theirs = heap() - before
		runtime.KeepAlive(qs)
	}
	b.ReportMetric(float64(ours)/(1<<20), "ours-MiB")
	b.ReportMetric(float64(theirs)/(1<<20), "memstore-MiB")
	b.ReportMetric(float64(ours)/float64(theirs), "ratio")
}

// signedCSV is a generated signed edge list (source, target, sign).
func signedCSV(edges int) string {
	var sb strings.Builder
	gen.WriteSigned(&sb, gen.Generate(gen.Config{Edges: edges, Seed: 1}).Links)
	return sb.String()
}

// heap is the live heap after a full collection.
func heap() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// TestThreeQuadsASignedRow: a row of a signed network costs three quads in
// a store that keeps quads (issue 18): its edge, its source, where it was
// read.
func TestThreeQuadsASignedRow(t *testing.T) {
	ctx := context.Background()
	s, err := kg.Open(ctx, "bolt:"+filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := (&Loader{Store: s}).Load(ctx, Input{Name: "net.csv", R: strings.NewReader(signedCSV(500))}); err != nil {
		t.Fatal(err)
	}
	perLink := map[string]int{}
	err = s.Quads(ctx, func(q quad.Quad) error {
		for _, v := range []quad.Value{q.Subject, q.Label} {
			if iri, ok := v.(quad.IRI); ok && strings.HasPrefix(string(iri), "urn:leydigkg:link:") {
				perLink[string(iri)]++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(perLink) != 500 {
		t.Fatalf("%d links in the store, want 500", len(perLink))
	}
	for l, n := range perLink {
		if n != 3 {
			t.Fatalf("%s: %d quads, want 3", l, n)
		}
	}
}

// BenchmarkPGLoadSigned10e5 loads a generated signed edge list of 10^5
// rows into an empty PostgreSQL store, as `leydigkg load net.csv --store
// postgres:...` does (one Apply, one transaction, through COPY): links/s
// and quads/s (3 quads a row). It needs LEYDIGKG_TEST_POSTGRES; run it
// beside kg's BenchmarkPGLoad10e5, e.g.
//
//	go test ./kg ./loaders -run '^$' -bench 'PGLoad(Signed)?10e5$' -benchtime 1x -count 5 -timeout 60m
func BenchmarkPGLoadSigned10e5(b *testing.B) {
	ctx := context.Background()
	dsn := pgtest.Require(b)
	csv := signedCSV(100_000)
	var spent time.Duration
	links, quads := 0, 0
	for b.Loop() {
		b.StopTimer()
		s, err := kg.Open(ctx, "postgres:"+pgtest.FreshSchema(b, dsn))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		rep, err := (&Loader{Store: s}).Load(ctx, Input{Name: "net.csv", R: strings.NewReader(csv)})
		if err != nil {
			b.Fatal(err)
		}
		spent += time.Since(start)
		links += rep.Applied.Links
		quads += rep.Applied.Quads
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	if links == 0 {
		b.Fatal("nothing loaded")
	}
	b.ReportMetric(float64(links)/spent.Seconds(), "links/s")
	b.ReportMetric(float64(quads)/spent.Seconds(), "quads/s")
}
