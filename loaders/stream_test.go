package loaders

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/storetest"
	"github.com/leydigkg/leydigkg/kg"
)

// randomNetwork is a signed edge list of rows random edges among n
// entities, seeded, then again of repeats of its rows: exact ones, and
// ones that state a row's assertion with another sign word.
func randomNetwork(seed uint64, rows, n, repeats int) (net, again string) {
	r := rand.New(rand.NewPCG(seed, 1))
	var b, a strings.Builder
	b.WriteString("source,target,sign\n")
	a.WriteString("source,target,sign\n")
	words := [][]string{{"1", "+", "activation"}, {"-1", "-", "inhibition"}}
	var lines []string
	for range rows {
		s, t := r.IntN(n), r.IntN(n)
		if s == t {
			t = (t + 1) % n
		}
		sign := words[r.IntN(2)]
		w := r.IntN(len(sign))
		lines = append(lines, fmt.Sprintf("g%d,g%d,%s\n", s, t, sign[w]))
		b.WriteString(lines[len(lines)-1])
		if len(lines) <= repeats {
			fmt.Fprintf(&a, "g%d,g%d,%s\n", s, t, sign[(w+1)%len(sign)])
		}
	}
	for range repeats {
		b.WriteString(lines[r.IntN(len(lines))])
	}
	return b.String(), a.String()
}

// storeQuads lists every quad s holds, sorted.
func storeQuads(t *testing.T, s *kg.Store) []string {
	t.Helper()
	return storetest.Dump(t, s.Quads)
}

// TestLargeLoadStreamed: a signed network large enough for a new bolt
// store to take it by a bulk load, which lays the quads out as it writes
// them, from the records the load drops as it goes (kg.Store.Apply), ends
// up as the same quads, and the same report, as the same files loaded
// into a memory store: random rows, some repeated, assertions stated
// again in a second file (evidence added to one link), and bad rows
// skipped with --skip-invalid.
func TestLargeLoadStreamed(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 50,000 rows twice")
	}
	ctx := context.Background()
	first, again := randomNetwork(1, 45_000, 9_000, 1_000) // links and entities: more than kg's bulk threshold of 50,000 records
	second := again + "g1,g2,sideways\ng3,,1\n"
	files := []string{"net.csv", first, "more.csv", second}
	bolt, err := kg.Open(ctx, "bolt:"+filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer bolt.Close()
	opts := Options{SkipInvalid: true}
	got, err := loadStrings(bolt, opts, files...)
	if err != nil {
		t.Fatal(err)
	}
	mem := open(t)
	want, err := loadStrings(mem, opts, files...)
	if err != nil {
		t.Fatal(err)
	}
	if got.AddedEvidence == 0 || got.Repeated == 0 || got.SkippedRows != 2 {
		t.Fatalf("the files do not test what they should: %v", got)
	}
	untimed := func(r *Report) string { s := r.String(); return s[:strings.LastIndex(s, ", in ")] }
	if g, w := untimed(got), untimed(want); g != w || !sameApplied(got.Applied, want.Applied) || got.Skipped.Error() != want.Skipped.Error() {
		t.Errorf("bolt's report:\n%s, %+v\nmemory's:\n%s, %+v", g, got.Applied, w, want.Applied)
	}
	if g, w := storeQuads(t, bolt), storeQuads(t, mem); !slices.Equal(g, w) {
		t.Errorf("bolt holds %d quads, memory %d; first of each not in the other:\n%s", len(g), len(w), firstMissing(g, w))
	}
}

// firstMissing shows the first quad of a not in b, and of b not in a.
func firstMissing(a, b []string) string {
	first := func(x, y []string) string {
		for _, q := range x {
			if _, ok := slices.BinarySearch(y, q); !ok {
				return q
			}
		}
		return "(none)"
	}
	return first(a, b) + "\n" + first(b, a)
}

// sameApplied compares what two loads wrote but the quads (a memory store
// writes none).
func sameApplied(a, b graph.Applied) bool {
	a.Quads, b.Quads = 0, 0
	return a == b
}
