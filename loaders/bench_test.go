package loaders_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	_ "github.com/cayleygraph/cayley/graph/kv/bbolt"
	_ "github.com/cayleygraph/cayley/graph/memstore"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/layout"
	"github.com/leydigkg/leydigkg/kg"
	"github.com/leydigkg/leydigkg/loaders"
)

// nquadsOf is a generated graph of n links as N-Quads in the store's
// layout (what `leydigkg export --format nquads` writes).
func nquadsOf(b *testing.B, n int) ([]byte, int) {
	b.Helper()
	qs := layout.QuadsOf(gen.Generate(gen.Config{Edges: n, Seed: 1}))
	var buf bytes.Buffer
	w := nquads.NewWriter(&buf)
	if _, err := w.WriteQuads(qs); err != nil {
		b.Fatal(err)
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes(), len(qs)
}

// BenchmarkLoadNQuads loads the same N-Quads of 10^5 and 10^6 generated
// links into new memory and bolt stores, with our loader (parse, decode,
// validate, index; a bulk load, which it fails without) and with cayley's
// own (what `cayley load` runs: the store's quad writer fed by
// quad.CopyBatch from cayley's N-Quads reader, no validation). The two run
// one after the other: on a machine whose speed drifts, run the benchmark
// several times and compare with benchstat -col /loader:
//
//	go test ./loaders -run '^$' -bench 'LoadNQuads/edges=100000$/store=memory' -benchtime 1x -count 1 -timeout 2h
//	go test ./loaders -run '^$' -bench 'LoadNQuads/edges=1000000$/store=bolt' -benchtime 1x -count 1 -timeout 2h
//
// (Each level of -bench matches unanchored: "edges=100000" alone also
// runs the 10^6 cases.)
func BenchmarkLoadNQuads(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		var data []byte
		var nq int
		input := func(b *testing.B) {
			if data == nil {
				data, nq = nquadsOf(b, n)
			}
		}
		for _, backend := range []string{"memory", "bolt"} {
			b.Run(fmt.Sprintf("edges=%d/store=%s/loader=leydigkg", n, backend), func(b *testing.B) {
				ctx := context.Background()
				input(b)
				for b.Loop() {
					b.StopTimer()
					spec := "memory"
					if backend == "bolt" {
						spec = "bolt:" + filepath.Join(b.TempDir(), "db")
					}
					s, err := kg.Open(ctx, spec)
					if err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					rep, err := (&loaders.Loader{Store: s}).Load(ctx, loaders.Input{Name: "gen.nq", R: bytes.NewReader(data)})
					if err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					wantQuads, wantBulk := nq, true
					if backend == "memory" { // keeps no quads: the index is the store
						wantQuads, wantBulk = 0, false
					}
					if rep.Applied.Links != n || rep.Applied.Quads != wantQuads || rep.Bulk != wantBulk {
						b.Fatalf("wrote %d links, %d quads (bulk %v); want %d, %d (bulk %v)", rep.Applied.Links, rep.Applied.Quads, rep.Bulk, n, wantQuads, wantBulk)
					}
					s.Close()
					b.StartTimer()
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "links/s")
			})
			b.Run(fmt.Sprintf("edges=%d/store=%s/loader=cayley", n, backend), func(b *testing.B) {
				input(b)
				for b.Loop() {
					b.StopTimer()
					name, path := "memstore", ""
					if backend == "bolt" {
						name, path = "bbolt", filepath.Join(b.TempDir(), "db")
						if err := cgraph.InitQuadStore(name, path, nil); err != nil {
							b.Fatal(err)
						}
					}
					qs, err := cgraph.NewQuadStore(name, path, nil)
					if err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					qw, err := qs.NewQuadWriter()
					if err != nil {
						b.Fatal(err)
					}
					got, err := quad.CopyBatch(qw, nquads.NewReader(bytes.NewReader(data), false), quad.DefaultBatch)
					if err != nil {
						b.Fatal(err)
					}
					if err := qw.Close(); err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					if got != nq {
						b.Fatalf("cayley loaded %d quads, want %d", got, nq)
					}
					qs.Close()
					b.StartTimer()
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "links/s")
			})
		}
	}
}
