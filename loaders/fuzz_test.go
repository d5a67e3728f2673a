package loaders

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/leydigkg/leydigkg/kg"
)

// FuzzCurated feeds arbitrary bytes to the curated reader: it must never
// panic, every problem must carry a real position, and a load is all or
// nothing.
func FuzzCurated(f *testing.F) {
	f.Add([]byte(good))
	f.Add([]byte("\ufeff" + good)) // a byte-order mark
	f.Add([]byte("entities:\n  - {id: a, name: A, kind: CELL}\n"))
	f.Add([]byte("links: [{id: x, subject: a, object: b, effect: UP, evidence: [{quote: ''}]}]\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("entities: [{id: \xc3\x28}]\n"))
	f.Add([]byte("sources: !!binary aGVsbG8=\n"))
	for _, name := range []string{"sources.yaml", "entities.yaml"} {
		if data, err := os.ReadFile(filepath.Join("..", "data", name)); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		s, err := kg.Open(ctx, "memory")
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		_, verr := Validate(File{"f.yaml", data})
		res, lerr := Load(ctx, s, File{"f.yaml", data})
		if (verr == nil) != (lerr == nil) {
			t.Fatalf("Validate says %v but Load says %v", verr, lerr)
		}
		st := s.Stats(ctx)
		if lerr != nil {
			var list ErrorList
			if !errors.As(lerr, &list) {
				t.Fatalf("Load error is not an ErrorList: %v", lerr)
			}
			for _, e := range list {
				if e.Line < 1 || e.Column < 1 || e.File != "f.yaml" {
					t.Errorf("problem without a position: %v", e)
				}
			}
			if st.Entities+st.Links+st.Sources+st.References != 0 {
				t.Fatalf("a failed load wrote %+v", st)
			}
			return
		}
		if res.Entities != st.Entities || res.Links != st.Links {
			t.Errorf("Load says %+v, store holds %+v", res, st)
		}
	})
}
