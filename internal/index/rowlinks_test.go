package index

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
)

// TestByIDsMerges: byIDs gives links and row links in one id order, a
// link before a row link of its id, for every mix: none of either, all
// links before or after the row links, runs, single links among many row
// links (where it gallops far), equal ids.
func TestByIDsMerges(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 18))
	for _, tc := range []struct{ links, rows, ids int }{
		{0, 0, 10}, {3, 0, 10}, {0, 3, 10}, {1, 1000, 100000}, {5, 1000, 100000}, {1000, 5, 100000},
		{200, 200, 50}, {1000, 1000, 1 << 20},
	} {
		t.Run(fmt.Sprint(tc), func(t *testing.T) {
			for range 20 {
				var links []*graph.Link
				var rls []RowLink
				id := func() string { return fmt.Sprintf("l%07d", rng.IntN(tc.ids)) }
				for range tc.links {
					links = append(links, &graph.Link{ID: id()})
				}
				for range tc.rows {
					rls = append(rls, RowLink{ID: id()})
				}
				slices.SortFunc(links, func(a, b *graph.Link) int { return strings.Compare(a.ID, b.ID) })
				slices.SortFunc(rls, func(a, b RowLink) int { return strings.Compare(a.ID, b.ID) })
				var want, got []string // ids, a link's marked
				j, k := 0, 0
				for j < len(links) || k < len(rls) {
					if k == len(rls) || j < len(links) && links[j].ID <= rls[k].ID {
						want, j = append(want, "L"+links[j].ID), j+1
					} else {
						want, k = append(want, "R"+rls[k].ID), k+1
					}
				}
				next := byIDs(links, rls)
				for i := range len(links) + len(rls) {
					l, rl := next(i)
					switch {
					case (l == nil) == (rl == nil):
						t.Fatalf("item %d: link %v, row link %v", i, l, rl)
					case l != nil:
						got = append(got, "L"+l.ID)
					default:
						got = append(got, "R"+rl.ID)
					}
				}
				if !slices.Equal(got, want) {
					t.Fatalf("merged\n %v\nwant\n %v", got, want)
				}
			}
		})
	}
}
