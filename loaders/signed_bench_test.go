package loaders

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/kg"
)

// BenchmarkLoadSigned loads a generated signed edge list (source, target,
// sign) of 10^5 rows into an empty memory store: what loading a public
// signed network costs, every row becoming an evidence item of its file.
func BenchmarkLoadSigned(b *testing.B) {
	for _, edges := range []int{100_000} {
		var sb strings.Builder
		sb.WriteString("source,target,sign\n")
		for _, l := range gen.Generate(gen.Config{Edges: edges, Seed: 1}).Links {
			sign := "1"
			if l.Effect == graph.Decreases {
				sign = "-1"
			}
			sb.WriteString(l.Subject + "," + l.Object + "," + sign + "\n")
		}
		csv := sb.String()
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
