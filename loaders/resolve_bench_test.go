package loaders_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/kg"
	"github.com/leydigkg/leydigkg/loaders"
)

// BenchmarkLoadNames loads a signed edge list of 10^4 links between 10^4
// names into a memory store that already holds 10^4 entities: once when
// the names are the stored entities' (names=known), once when none is
// (names=new: each resolves to nothing and makes an entity). Resolving a
// name the store does not know is a map lookup, so the two stay within a
// small factor of each other:
//
//	go test ./loaders -run '^$' -bench LoadNames -benchtime 1x -count 6
func BenchmarkLoadNames(b *testing.B) {
	const n = 10_000
	stored := &graph.Batch{}
	for i := range n {
		stored.Entities = append(stored.Entities, graph.Entity{ID: fmt.Sprintf("KNOWN:%d", i), Name: fmt.Sprintf("known gene %d", i), Kind: graph.GeneProduct})
	}
	edges := func(prefix string) []byte {
		var buf bytes.Buffer
		buf.WriteString("source,target,sign\n")
		for i := range n {
			sign := "1"
			if i%2 == 1 {
				sign = "-1"
			}
			fmt.Fprintf(&buf, "%s %d,%s %d,%s\n", prefix, i, prefix, (i+1)%n, sign)
		}
		return buf.Bytes()
	}
	for _, c := range []struct {
		names   string
		data    []byte
		created int
	}{{"known", edges("known gene"), 0}, {"new", edges("new gene"), n}} {
		b.Run("names="+c.names, func(b *testing.B) {
			ctx := context.Background()
			for b.Loop() {
				b.StopTimer()
				s, err := kg.Open(ctx, "memory")
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.Apply(ctx, stored); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				rep, err := (&loaders.Loader{Store: s}).Load(ctx, loaders.Input{Name: "net.csv", R: bytes.NewReader(c.data)})
				b.StopTimer()
				if err != nil {
					b.Fatal(err)
				}
				if rep.Applied.Links != n || rep.Created != c.created {
					b.Fatalf("wrote %d links, created %d entities; want %d, %d", rep.Applied.Links, rep.Created, n, c.created)
				}
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "links/s")
		})
	}
}
