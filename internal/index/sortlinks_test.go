package index

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
)

// TestSortLinks: sortLinks (OrderByID) orders links as a stable sort by
// id does, for ids sharing their first eight bytes or not, shorter than
// eight bytes, differing only past a NUL, or repeated, in the sizes sorted
// on one core and on two.
func TestSortLinks(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	ids := []func(i int) string{
		func(i int) string { return "n" + strconv.Itoa(rng.IntN(1e6)) + "_increases_n" + strconv.Itoa(i) },
		func(i int) string { return "same_prefix_" + strconv.Itoa(i) },
		func(i int) string { return strconv.Itoa(i%97) + strings.Repeat("\x00", i%3) + strconv.Itoa(i) },
		func(i int) string { return string(rune('a'+i%26)) + strconv.Itoa(i/26) },
		func(i int) string { return "dup" + strconv.Itoa(rng.IntN(50)) },
	}
	for _, n := range []int{0, 1, 100, 1 << 14, 40_000} {
		for k, id := range ids {
			t.Run(strconv.Itoa(n)+"/"+strconv.Itoa(k), func(t *testing.T) {
				links := make([]*graph.Link, n)
				for i := range links {
					links[i] = &graph.Link{ID: id(i)}
				}
				if n > 10 {
					slices.SortFunc(links[:n/3], func(a, b *graph.Link) int { return strings.Compare(a.ID, b.ID) }) // a sorted run
				}
				want := slices.Clone(links)
				slices.SortStableFunc(want, func(a, b *graph.Link) int { return strings.Compare(a.ID, b.ID) })
				sortLinks(links)
				if !slices.Equal(links, want) {
					t.Error("sortLinks differs from sorting by id")
				}
			})
		}
	}
}
