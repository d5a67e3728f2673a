// Package storetest writes stores as tests need them: for instance a store
// of an older layout, written quad by quad from an N-Quads file, below
// everything that would refuse or upgrade it.
//
// It is for tests only: no package's non-test code may import it.
package storetest

import (
	"context"
	"io"
	"os"
	"slices"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/leydigkg/leydigkg/internal/store"
)

// WriteNQuads opens the store named by spec and writes every quad of the
// N-Quads file as it is, then closes the store.
func WriteNQuads(t testing.TB, spec, file string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Write(ctx, ReadNQuads(t, file), nil); err != nil {
		t.Fatal(err)
	}
}

// ReadNQuads reads every quad of the N-Quads file.
func ReadNQuads(t testing.TB, file string) []quad.Quad {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var qs []quad.Quad
	r := nquads.NewReader(f, false)
	for {
		q, err := r.ReadQuad()
		if err == io.EOF {
			return qs
		} else if err != nil {
			t.Fatal(err)
		}
		qs = append(qs, q)
	}
}

// Dump lists every quad that quads (a store's Quads method) hands over,
// as N-Quads lines, sorted: two stores hold the same quads when their
// dumps are equal.
func Dump(t testing.TB, quads func(context.Context, func(quad.Quad) error) error) []string {
	t.Helper()
	var out []string
	if err := quads(context.Background(), func(q quad.Quad) error {
		out = append(out, q.String())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}
