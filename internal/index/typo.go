package index

import (
	"context"
	"hash/maphash"
	"slices"
	"strings"
	"unicode/utf8"
)

// MaxTypoDistance is the most edits a TypoIndex looks across.
const MaxTypoDistance = 2

// TypoIndex finds the keys a few edits (Levenshtein distance, in runes)
// from a query, without comparing the query with every key: a "did you
// mean" that costs the same on 10² names as on 10⁶, and nothing for a query
// longer than every key. Built once from (key, label) pairs, it is
// immutable and safe for concurrent use.
//
// It is the partition filter of PassJoin (Li, Deng, Wang, Feng, VLDB 2011):
// each key is cut into MaxTypoDistance+1 segments and each segment is
// indexed under the key's length, its number and its text. A query at most
// d ≤ MaxTypoDistance edits from a key leaves one of those segments intact,
// shifted by at most d; so looking up, for each length within d of the
// query's and each segment, the query's substrings at those shifts finds
// every such key: (2d+1)² lookups for each of 2d+1 lengths, whatever the
// number of keys. Candidates are then checked with a Levenshtein distance
// banded to d. The index holds three hashes per key.
type TypoIndex struct {
	keys    []string  // distinct keys
	labels  []string  // distinct labels
	byKey   [][]int32 // key -> its labels
	seed    maphash.Seed
	segs    map[uint64]postings // hash of (length, segment, text) -> keys
	keyIDs  []int32             // the postings' keys, in one array
	lengths map[int]bool        // lengths (in runes) of the keys
	longest int                 // runes of the longest key
}

type postings struct{ start, n int32 }

// TypoPair is a key and what it names: a normalized entity name and the
// entity's id.
type TypoPair struct{ Key, Label string }

// Typo is one suggestion: a label and the edit distance of its nearest key.
type Typo struct {
	Label string
	Dist  int
}

// NewTypoIndex indexes pairs; pairs with an empty key are skipped.
func NewTypoIndex(pairs []TypoPair) *TypoIndex {
	x := &TypoIndex{seed: maphash.MakeSeed(), segs: map[uint64]postings{}, lengths: map[int]bool{}}
	keyID, labelID := map[string]int32{}, map[string]int32{}
	for _, p := range pairs {
		if p.Key == "" {
			continue
		}
		k, ok := keyID[p.Key]
		if !ok {
			k = int32(len(x.keys))
			keyID[p.Key] = k
			x.keys = append(x.keys, p.Key)
			x.byKey = append(x.byKey, nil)
		}
		l, ok := labelID[p.Label]
		if !ok {
			l = int32(len(x.labels))
			labelID[p.Label] = l
			x.labels = append(x.labels, p.Label)
		}
		if !slices.Contains(x.byKey[k], l) {
			x.byKey[k] = append(x.byKey[k], l)
		}
	}
	// Two passes: count each segment's keys, then lay the postings out in
	// one array.
	type seg struct {
		h   uint64
		key int32
	}
	all := make([]seg, 0, len(x.keys)*(MaxTypoDistance+1))
	var rs []rune
	for k, key := range x.keys {
		rs = appendRunes(rs[:0], key)
		x.lengths[len(rs)] = true
		x.longest = max(x.longest, len(rs))
		for i := 0; i <= MaxTypoDistance; i++ {
			start, n := segment(len(rs), i)
			all = append(all, seg{x.hash(len(rs), i, rs[start:start+n]), int32(k)})
		}
	}
	counts := map[uint64]int32{}
	for _, s := range all {
		counts[s.h]++
	}
	var next int32
	for h, n := range counts {
		x.segs[h] = postings{next, 0}
		next += n
	}
	x.keyIDs = make([]int32, next)
	for _, s := range all {
		p := x.segs[s.h]
		x.keyIDs[p.start+p.n] = s.key
		p.n++
		x.segs[s.h] = p
	}
	return x
}

// Len is the number of distinct keys.
func (x *TypoIndex) Len() int { return len(x.keys) }

// segment is where the i-th of the MaxTypoDistance+1 segments of a key of
// length l starts, and its length: the first l mod (MaxTypoDistance+1)
// segments are one rune longer than the others.
func segment(l, i int) (start, n int) {
	const parts = MaxTypoDistance + 1
	short, long := l/parts, l%parts
	if i < long {
		return i * (short + 1), short + 1
	}
	return long*(short+1) + (i-long)*short, short
}

func (x *TypoIndex) hash(length, i int, text []rune) uint64 {
	var arr [64]byte
	b := append(arr[:0], byte(length), byte(length>>8), byte(length>>16), byte(i))
	for _, r := range text {
		b = utf8.AppendRune(b, r)
	}
	return maphash.Bytes(x.seed, b)
}

// Near returns up to n labels whose keys are at most maxDist edits from
// query (maxDist is capped at MaxTypoDistance), nearest first, then by
// label; each label once, at the distance of its nearest key. A query
// longer than every key by more than maxDist is answered at once, empty.
// It checks ctx as it goes and returns ctx's error once it is done.
func (x *TypoIndex) Near(ctx context.Context, query string, maxDist, n int) ([]Typo, error) {
	d := min(max(maxDist, 0), MaxTypoDistance)
	if n <= 0 || query == "" || len(query) > utf8.UTFMax*(x.longest+d) {
		return nil, ctx.Err()
	}
	q := appendRunes(nil, query)
	if len(q) > x.longest+d {
		return nil, ctx.Err()
	}
	seen := make([]uint64, (len(x.keys)+63)/64) // keys already checked
	best := map[int32]int{}                     // label -> distance
	var buf []rune
	var dp [2][]int
	steps := 0
	for l := max(len(q)-d, 1); l <= len(q)+d; l++ {
		if !x.lengths[l] {
			continue
		}
		for i := 0; i <= MaxTypoDistance; i++ {
			start, sn := segment(l, i)
			for s := max(start-d, 0); s <= start+d && s+sn <= len(q); s++ {
				p, ok := x.segs[x.hash(l, i, q[s:s+sn])]
				if !ok {
					continue
				}
				for _, k := range x.keyIDs[p.start : p.start+p.n] {
					if steps++; steps%256 == 0 {
						if err := ctx.Err(); err != nil {
							return nil, err
						}
					}
					if seen[k/64]&(1<<(k%64)) != 0 {
						continue
					}
					seen[k/64] |= 1 << (k % 64)
					buf = appendRunes(buf[:0], x.keys[k])
					dist, ok := banded(q, buf, d, &dp)
					if !ok {
						continue
					}
					for _, lab := range x.byKey[k] {
						if old, had := best[lab]; !had || dist < old {
							best[lab] = dist
						}
					}
				}
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]Typo, 0, len(best))
	for lab, dist := range best {
		out = append(out, Typo{x.labels[lab], dist})
	}
	slices.SortFunc(out, func(a, b Typo) int {
		if a.Dist != b.Dist {
			return a.Dist - b.Dist
		}
		return strings.Compare(a.Label, b.Label)
	})
	if len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// banded is the Levenshtein distance of a and b when it is at most d: only
// the cells within d of the diagonal are computed, in O(d·len(a)). It
// keeps its two rows in rows, for the next call.
func banded(a, b []rune, d int, rows *[2][]int) (int, bool) {
	if abs(len(a)-len(b)) > d {
		return 0, false
	}
	const inf = 1 << 30
	width := 2*d + 1
	// row[j-i+d] is the distance of a[:i] and b[:j], for |j-i| <= d.
	for i := range rows {
		if cap(rows[i]) < width {
			rows[i] = make([]int, width)
		}
		rows[i] = rows[i][:width]
	}
	prev, cur := rows[0], rows[1]
	for k := range prev {
		j := k - d // i = 0
		if j >= 0 && j <= len(b) {
			prev[k] = j
		} else {
			prev[k] = inf
		}
	}
	for i := 1; i <= len(a); i++ {
		low := inf
		for k := range cur {
			j := i + k - d
			if j < 0 || j > len(b) {
				cur[k] = inf
				continue
			}
			v := inf
			if j == 0 {
				v = i
			} else {
				// substitution or match: (i-1, j-1) is prev[k]
				cost := 1
				if a[i-1] == b[j-1] {
					cost = 0
				}
				v = prev[k] + cost
				// insertion: (i, j-1) is cur[k-1]
				if k > 0 && cur[k-1]+1 < v {
					v = cur[k-1] + 1
				}
			}
			// deletion: (i-1, j) is prev[k+1]
			if k+1 < width && prev[k+1]+1 < v {
				v = prev[k+1] + 1
			}
			cur[k] = v
			low = min(low, v)
		}
		if low > d {
			return 0, false
		}
		prev, cur = cur, prev
	}
	dist := prev[len(b)-len(a)+d]
	return dist, dist <= d
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func appendRunes(dst []rune, s string) []rune {
	for _, r := range s {
		dst = append(dst, r)
	}
	return dst
}
