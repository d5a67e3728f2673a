package kg

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"reflect"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/index"
)

// TestLogEntryAsMarshal: a compressed entry, written a record at a time,
// is the JSON json.Marshal gives for its deltas (but for white space), and
// reads back as them: every field of a Delta, nil and empty lists alike.
func TestLogEntryAsMarshal(t *testing.T) {
	b := gen.Generate(gen.Config{Edges: 50, Seed: 3})
	direct := true
	b.Links[0].Evidence = []graph.Evidence{{Source: gen.SourceID, Negated: true, Direct: &direct, CellTypes: []string{"CL:1"}}}
	full := index.DeltaOf(b)
	full.RemoveEntities, full.RemoveLinks, full.RemoveRelations = []string{"x"}, []string{"l1", "l2"}, []string{}
	full.Relations = []*graph.Relation{{Subject: "n1", Predicate: "biolink:part_of", Object: "n2"}}
	tests := []struct {
		name   string
		deltas []index.Delta
	}{
		{"none", nil},
		{"empty delta", []index.Delta{{}}},
		{"every field", []index.Delta{full}},
		{"two", []index.Delta{{RemoveLinks: []string{"a"}}, full}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entry := logEntry(tt.deltas, true)
			z, err := gzip.NewReader(bytes.NewReader(entry))
			if err != nil {
				t.Fatal(err)
			}
			text, err := io.ReadAll(z)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := json.Marshal(tt.deltas)
			var got, wantc bytes.Buffer
			if err := json.Compact(&got, text); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, text)
			}
			json.Compact(&wantc, want)
			if got.String() != wantc.String() {
				t.Errorf("entry\n%s\nwant\n%s", got.String(), wantc.String())
			}
			back, ok := decodeEntry(entry)
			if !ok || !reflect.DeepEqual(back, func() []index.Delta {
				var d []index.Delta
				json.Unmarshal(want, &d)
				return d
			}()) {
				t.Errorf("read back %v (ok %v)", back, ok)
			}
		})
	}
}
