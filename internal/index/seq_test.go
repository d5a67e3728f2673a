package index

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestSeqEdit holds seq's edits to a plain sorted list: random drops and
// adds, large and small, across chunk boundaries and splits, and lookups
// of every id, present or not. Earlier seqs must not change.
func TestSeqEdit(t *testing.T) {
	ids := []string{}
	key := func(x int32) string { return ids[x] }
	fresh := func(id string) int32 {
		ids = append(ids, id)
		return int32(len(ids) - 1)
	}
	var model []int32
	for i := range 3 * seqChunk {
		model = append(model, fresh(fmt.Sprintf("e%07d", 10*i)))
	}
	q := newSeq(slices.Clone(model))
	live := map[string]bool{}
	for _, x := range model {
		live[ids[x]] = true
	}
	r := rand.New(rand.NewPCG(1, 2))
	type kept struct {
		q     seq
		model []int32
	}
	var history []kept
	for step := range 60 {
		history = append(history, kept{q, slices.Clone(model)})
		var drop, add []int32
		for range r.IntN([]int{3, 3 * seqChunk}[step%2]) {
			if len(model) > 0 && r.IntN(3) == 0 {
				i := r.IntN(len(model))
				drop = append(drop, model[i])
				delete(live, ids[model[i]])
				model = slices.Delete(model, i, i+1)
			}
		}
		for range r.IntN([]int{3, 3 * seqChunk}[(step/2)%2]) {
			id := fmt.Sprintf("e%07d", r.IntN(10*3*seqChunk))
			if !live[id] {
				live[id] = true
				x := fresh(id)
				add = append(add, x)
				model = append(model, x)
			}
		}
		slices.SortFunc(model, func(a, b int32) int { return strings.Compare(ids[a], ids[b]) })
		q = q.edit(drop, add, key)
		checkSeq(t, q, model, key)
	}
	for _, h := range history {
		checkSeq(t, h.q, h.model, key)
	}
	if q := (seq{}).edit(nil, []int32{fresh("a"), fresh("b")}, key); q.len() != 2 {
		t.Errorf("an empty seq with two added holds %d", q.len())
	}
}

func checkSeq(t *testing.T, q seq, model []int32, key func(int32) string) {
	t.Helper()
	if got := slices.Collect(q.all()); !slices.Equal(got, model) || q.len() != len(model) {
		t.Fatalf("seq holds %d items (len %d), want %d", len(got), q.len(), len(model))
	}
	for _, c := range q.chunks {
		if len(c) == 0 || len(c) > 2*seqChunk {
			t.Fatalf("a chunk of %d items", len(c))
		}
	}
	for _, x := range model {
		if y, ok := q.find(key(x), key); !ok || y != x {
			t.Fatalf("find(%s) = %d, %v, want %d", key(x), y, ok, x)
		}
	}
	if _, ok := q.find("e", key); ok {
		t.Fatal("found an id not there")
	}
	if len(model) > 0 {
		if x, _ := q.last(func(int32) bool { return false }); x != model[len(model)-1] {
			t.Fatalf("last = %d, want %d", x, model[len(model)-1])
		}
	}
}
