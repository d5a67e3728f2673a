package index

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
)

// TestEndsOnEveryCore: New looks the links' ends up on every core
// (endsOn); the ends are those of the build that looks them up one link
// at a time, as Compact and Plus do, on enough links that each of four
// workers takes a share, runs of one subject crossing the shares'
// borders, and ends missing here and there.
func TestEndsOnEveryCore(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	r := rand.New(rand.NewPCG(7, 7))
	var rec Records
	for i := range 500 {
		rec.Entities = append(rec.Entities, &graph.Entity{ID: fmt.Sprintf("e%03d", i), Name: fmt.Sprintf("e%03d", i), Kind: graph.Process})
	}
	end := func() string {
		if r.IntN(50) == 0 {
			return "gone" // no such entity
		}
		return rec.Entities[r.IntN(len(rec.Entities))].ID
	}
	const n = 3<<16 + 123
	sub := end()
	for i := range n {
		if r.IntN(4) == 0 {
			sub = end() // runs of one subject, as links in id order come
		}
		rec.Links = append(rec.Links, &graph.Link{ID: fmt.Sprintf("l%07d", i), Subject: sub, Object: end(), Effect: graph.Increases,
			Predicate: "biolink:regulates", Evidence: []graph.Evidence{{Source: "s", At: fmt.Sprintf("f:%d", i)}}})
	}
	links := slices.Clone(rec.Links)
	one := rec
	one.Links = nil
	serial := buildFrom(one, n, func(i int) (*graph.Link, *RowLink) { return links[i], nil }, nil, nil, false)
	parallel := New(rec, nil)
	if !slices.Equal(serial.lsubj, parallel.lsubj) || !slices.Equal(serial.lobj, parallel.lobj) {
		t.Fatal("the ends looked up on every core differ from those looked up one at a time")
	}
	missing := 0
	for i := range n {
		if parallel.lsubj[i] < 0 {
			missing++
		}
	}
	if missing == 0 || missing == n {
		t.Fatalf("%d of %d links without ends: the test does not cover both", missing, n)
	}
}
