package index

import (
	"iter"
	"slices"
	"strings"
)

// seq lists live node numbers (or link indexes) in id order, in chunks
// shared between snapshots: a write makes a new list by copying the table
// of chunks (one slice header per seqChunk items) and the chunks it
// changes, not the list. Chunks are never changed once in a seq, and are
// never empty.
type seq struct {
	chunks [][]int32
	n      int
}

// seqChunk is the size of the chunks New makes and of those a write splits
// a grown chunk into (one longer than 2·seqChunk).
const seqChunk = 2048

// newSeq lists items in their order; the chunks share items' array.
func newSeq(items []int32) seq {
	q := seq{n: len(items)}
	for i := 0; i < len(items); i += seqChunk {
		j := min(i+seqChunk, len(items))
		q.chunks = append(q.chunks, items[i:j:j])
	}
	return q
}

func (q seq) len() int { return q.n }

// all yields the items in order.
func (q seq) all() iter.Seq[int32] {
	return func(yield func(int32) bool) {
		for _, c := range q.chunks {
			for _, x := range c {
				if !yield(x) {
					return
				}
			}
		}
	}
}

// chunkOf is the chunk where an item with this id is or would go: the
// first whose last item's id is not before it, else the last chunk.
func (q seq) chunkOf(id string, key func(int32) string) int {
	c, _ := slices.BinarySearchFunc(q.chunks, id, func(c []int32, id string) int { return strings.Compare(key(c[len(c)-1]), id) })
	return min(c, len(q.chunks)-1)
}

// find returns the item with this id.
func (q seq) find(id string, key func(int32) string) (int32, bool) {
	if q.n == 0 {
		return 0, false
	}
	c := q.chunks[q.chunkOf(id, key)]
	i, ok := slices.BinarySearchFunc(c, id, func(x int32, id string) int { return strings.Compare(key(x), id) })
	if !ok {
		return 0, false
	}
	return c[i], true
}

// last returns the last item for which skip is false.
func (q seq) last(skip func(int32) bool) (int32, bool) {
	for c := len(q.chunks) - 1; c >= 0; c-- {
		for i := len(q.chunks[c]) - 1; i >= 0; i-- {
			if x := q.chunks[c][i]; !skip(x) {
				return x, true
			}
		}
	}
	return 0, false
}

// edit returns q without the items drop and with the items add (whose ids
// no item kept has), in time proportional to the chunks it changes and the
// table of chunks. key gives an item's id, for the items of q and add.
func (q seq) edit(drop, add []int32, key func(int32) string) seq {
	if len(drop) == 0 && len(add) == 0 {
		return q
	}
	cmp := func(a, b int32) int { return strings.Compare(key(a), key(b)) }
	add = slices.SortedFunc(slices.Values(add), cmp)
	dropped := make(map[int32]bool, len(drop))
	touched := map[int]bool{}
	for _, x := range drop {
		dropped[x] = true
		if q.n > 0 {
			touched[q.chunkOf(key(x), key)] = true
		}
	}
	adds := map[int][]int32{} // chunk -> its items of add, in order
	for _, x := range add {
		c := 0
		if q.n > 0 {
			c = q.chunkOf(key(x), key)
		}
		adds[c] = append(adds[c], x)
		touched[c] = true
	}
	out := seq{chunks: make([][]int32, 0, len(q.chunks)+len(add)/seqChunk+1), n: q.n}
	for c := range max(len(q.chunks), 1) {
		var old []int32
		if c < len(q.chunks) {
			old = q.chunks[c]
		}
		if !touched[c] {
			out.chunks = append(out.chunks, old)
			continue
		}
		merged := make([]int32, 0, len(old)+len(adds[c]))
		a := adds[c]
		for _, x := range old {
			if dropped[x] {
				out.n--
				continue
			}
			for len(a) > 0 && cmp(a[0], x) < 0 {
				merged, a = append(merged, a[0]), a[1:]
			}
			merged = append(merged, x)
		}
		merged = append(merged, a...)
		out.n += len(adds[c])
		out.chunks = appendSplit(out.chunks, merged)
	}
	return out
}

// appendSplit appends c to chunks, split into chunks of seqChunk items
// when it is longer than 2·seqChunk, and not at all when empty.
func appendSplit(chunks [][]int32, c []int32) [][]int32 {
	if len(c) > 2*seqChunk {
		for len(c) > seqChunk {
			chunks, c = append(chunks, c[:seqChunk:seqChunk]), c[seqChunk:]
		}
	}
	if len(c) == 0 {
		return chunks
	}
	return append(chunks, c)
}
