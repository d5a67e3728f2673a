package index

import (
	"cmp"
	"encoding/binary"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/leydigkg/leydigkg/graph"
)

// sortLinks sorts links by id, as slices.SortFunc by strings.Compare of
// the ids would (ids are unique: New's links are a store's). A store's
// links come in the order they were loaded, and comparing 3·10⁶ ids took
// 3 s: they are sorted by their first eight bytes as a number (an order
// the ids' own agrees with), the ids compared only where those are equal,
// in halves on two cores, then merged.
func sortLinks(links []*graph.Link) {
	byID := func(a, b *graph.Link) int { return strings.Compare(a.ID, b.ID) }
	if slices.IsSortedFunc(links, byID) {
		return
	}
	if len(links) < 1<<14 {
		slices.SortFunc(links, byID)
		return
	}
	keys := make([]prefixed, len(links))
	for i, l := range links {
		keys[i] = prefixed{prefix(l.ID), int32(i)}
	}
	order := func(a, b prefixed) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(links[a.i].ID, links[b.i].ID)
	}
	half := len(keys) / 2
	if runtime.GOMAXPROCS(0) > 1 {
		var wg sync.WaitGroup
		wg.Go(func() { slices.SortFunc(keys[:half], order) })
		slices.SortFunc(keys[half:], order)
		wg.Wait()
	} else {
		slices.SortFunc(keys[:half], order)
		slices.SortFunc(keys[half:], order)
	}
	sorted := make([]*graph.Link, 0, len(links))
	a, b := keys[:half], keys[half:]
	for len(a) > 0 && len(b) > 0 {
		if order(b[0], a[0]) < 0 {
			sorted, b = append(sorted, links[b[0].i]), b[1:]
		} else {
			sorted, a = append(sorted, links[a[0].i]), a[1:]
		}
	}
	for _, rest := range [][]prefixed{a, b} {
		for _, k := range rest {
			sorted = append(sorted, links[k.i])
		}
	}
	copy(links, sorted)
}

// prefixed is a link's place and its id's first eight bytes.
type prefixed struct {
	key uint64
	i   int32
}

// prefix is s's first eight bytes as a big-endian number, zeros after a
// shorter s: prefix(a) < prefix(b) means a < b, and prefix(a) > prefix(b)
// means a > b.
func prefix(s string) uint64 {
	var b [8]byte
	copy(b[:], s)
	return binary.BigEndian.Uint64(b[:])
}
