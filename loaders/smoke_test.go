package loaders

import (
	"context"
	"os"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
)

func TestSmoke(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		files []string
		opts  Options
	}{
		{[]string{"testdata/nodes.tsv", "testdata/edges.tsv"}, Options{}},
		{[]string{"testdata/nodes.jsonl", "testdata/edges.jsonl"}, Options{}},
		{[]string{"testdata/signed.csv"}, Options{}},
		{[]string{"testdata/sif.tsv"}, Options{}},
		{[]string{"testdata/rdf.nq"}, Options{Predicates: map[string]PredicateMapping{"http://example.org/inhibits": {graph.Decreases, "biolink:regulates"}}}},
	} {
		s, _ := graph.Open(ctx, "memory")
		ins, done, err := OpenFiles(tc.files...)
		if err != nil {
			t.Fatal(err)
		}
		l := &Loader{Store: s, Opts: tc.opts}
		rep, err := l.Load(ctx, ins...)
		done()
		t.Logf("%v: %v %v", tc.files, rep, err)
		b, _ := s.Records(ctx)
		for _, e := range b.Entities {
			t.Logf("  %+v", e)
		}
		for _, e := range b.Links {
			t.Logf("  %+v", e)
		}
		_ = os.Stdout
	}
}
