package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agnivade/levenshtein"
)

// nearByScan is what TypoIndex.Near must answer, found the slow way: the
// distance of the query to every key.
func nearByScan(pairs []TypoPair, query string, maxDist, n int) []Typo {
	d := min(max(maxDist, 0), MaxTypoDistance)
	if n <= 0 || query == "" {
		return nil
	}
	best := map[string]int{}
	for _, p := range pairs {
		if p.Key == "" {
			continue
		}
		if dist := levenshtein.ComputeDistance(query, p.Key); dist <= d {
			if old, ok := best[p.Label]; !ok || dist < old {
				best[p.Label] = dist
			}
		}
	}
	out := []Typo{}
	for l, dist := range best {
		out = append(out, Typo{l, dist})
	}
	slices.SortFunc(out, func(a, b Typo) int {
		if a.Dist != b.Dist {
			return a.Dist - b.Dist
		}
		return strings.Compare(a.Label, b.Label)
	})
	return out[:min(n, len(out))]
}

func TestTypoIndex(t *testing.T) {
	pairs := []TypoPair{
		{"testosterone", "testosterone"}, {"t", "testosterone"},
		{"luteinizinghormone", "lh"}, {"lh", "lh"},
		{"folliclestimulatinghormone", "fsh"}, {"fsh", "fsh"},
		{"gnrh", "gnrh"}, {"gonadotropinreleasinghormone", "gnrh"},
		{"ros", "ros"}, {"reactiveoxygenspecies", "ros"},
		{"il6", "il6"}, {"il1", "il1"}, {"il1b", "il1b"},
		{"", "empty"},
		{"östradiol", "estradiol"}, {"estradiol", "estradiol"},
		{"17β-estradiol", "estradiol"},
		{"shared", "a"}, {"shared", "b"},
		{"a", "x"}, {"ab", "y"},
	}
	x := NewTypoIndex(pairs)
	tests := []struct {
		name    string
		query   string
		maxDist int
		n       int
		want    []Typo
	}{
		{"exact", "testosterone", 2, 3, []Typo{{"testosterone", 0}}},
		{"one substitution", "testosterine", 2, 3, []Typo{{"testosterone", 1}}},
		{"one deletion", "testoterone", 2, 3, []Typo{{"testosterone", 1}}},
		{"two insertions", "testossterrone", 2, 3, []Typo{{"testosterone", 2}}},
		{"three edits", "tesxosxerxne", 2, 3, []Typo{}},
		{"maxDist 1", "testossterrone", 1, 3, []Typo{}},
		{"transposition counts 2", "tsetosterone", 2, 3, []Typo{{"testosterone", 2}}},
		{"edits at the start", "xxstosterone", 2, 3, []Typo{{"testosterone", 2}}},
		{"edits at the end", "testosteroxx", 2, 3, []Typo{{"testosterone", 2}}},
		{"short keys", "il", 1, 5, []Typo{{"il1", 1}, {"il6", 1}}},
		{"short keys within 2", "il", 2, 8, []Typo{{"il1", 1}, {"il6", 1}, {"il1b", 2}, {"lh", 2}, {"testosterone", 2}, {"x", 2}, {"y", 2}}},
		{"n caps", "il", 2, 2, []Typo{{"il1", 1}, {"il6", 1}}},
		{"runes, not bytes", "ostradiol", 2, 3, []Typo{{"estradiol", 1}}},
		{"one key, two labels", "sharde", 2, 3, []Typo{{"a", 2}, {"b", 2}}},
		{"a label once, at its nearest key", "lx", 2, 1, []Typo{{"lh", 1}}},
		{"empty query", "", 2, 3, nil},
		{"longer than every key", strings.Repeat("q", 30_000), 2, 3, nil},
		{"negative maxDist is 0", "fsh", -1, 3, []Typo{{"fsh", 0}}},
		{"maxDist above the cap", "fsxxx", 9, 3, []Typo{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := x.Near(context.Background(), tt.query, tt.maxDist, tt.n)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) || (len(got) > 0 && !slices.Equal(got, tt.want)) {
				t.Errorf("Near(%q, %d, %d) = %v, want %v", tt.query, tt.maxDist, tt.n, got, tt.want)
			}
			if scan := nearByScan(pairs, tt.query, tt.maxDist, tt.n); len(scan) != len(got) || (len(got) > 0 && !slices.Equal(scan, got)) {
				t.Errorf("a scan finds %v", scan)
			}
		})
	}
}

// randomPairs makes n keys from a small alphabet, so that many are a few
// edits apart, with a label for every two keys.
func randomPairs(rng *rand.Rand, n int, alphabet string) []TypoPair {
	rs := []rune(alphabet)
	pairs := make([]TypoPair, n)
	for i := range pairs {
		b := make([]rune, rng.IntN(12))
		for j := range b {
			b[j] = rs[rng.IntN(len(rs))]
		}
		pairs[i] = TypoPair{string(b), fmt.Sprintf("e%d", i/2)}
	}
	return pairs
}

// mutate applies up to k random edits to s.
func mutate(rng *rand.Rand, s string, k int, alphabet string) string {
	rs, al := []rune(s), []rune(alphabet)
	for range rng.IntN(k + 1) {
		switch i := rng.IntN(len(rs) + 1); rng.IntN(3) {
		case 0:
			rs = slices.Insert(rs, i, al[rng.IntN(len(al))])
		case 1:
			if i < len(rs) {
				rs = slices.Delete(rs, i, i+1)
			}
		default:
			if i < len(rs) {
				rs[i] = al[rng.IntN(len(al))]
			}
		}
	}
	return string(rs)
}

// TestTypoIndexAgreesWithAScan compares Near with a scan on random keys
// and queries a few edits from them, distances 0 to 2.
func TestTypoIndexAgreesWithAScan(t *testing.T) {
	const alphabet = "abcdeé-1"
	rng := rand.New(rand.NewPCG(1, 2))
	pairs := randomPairs(rng, 2000, alphabet)
	x := NewTypoIndex(pairs)
	for i := range 3000 {
		q := mutate(rng, pairs[rng.IntN(len(pairs))].Key, 4, alphabet)
		d, n := i%3, 1+rng.IntN(8)
		got, err := x.Near(context.Background(), q, d, n)
		if err != nil {
			t.Fatal(err)
		}
		want := nearByScan(pairs, q, d, n)
		if len(got) != len(want) || (len(got) > 0 && !slices.Equal(got, want)) {
			t.Fatalf("Near(%q, %d, %d) = %v, a scan finds %v", q, d, n, got, want)
		}
	}
}

func FuzzTypoIndex(f *testing.F) {
	rng := rand.New(rand.NewPCG(3, 4))
	pairs := randomPairs(rng, 500, "abcé")
	pairs = append(pairs, TypoPair{"testosterone", "t"}, TypoPair{"lh", "lh"})
	x := NewTypoIndex(pairs)
	f.Add("testosteron", 2)
	f.Add("abcabc", 1)
	f.Add("éé", 2)
	f.Fuzz(func(t *testing.T, q string, d int) {
		if len(q) > 64 {
			return // the scan is the slow part
		}
		got, _ := x.Near(context.Background(), q, d, 5)
		want := nearByScan(pairs, q, d, 5)
		if len(got) != len(want) || (len(got) > 0 && !slices.Equal(got, want)) {
			t.Fatalf("Near(%q, %d) = %v, a scan finds %v", q, d, got, want)
		}
	})
}

// TestTypoIndexStopsOnCancel checks that Near gives up with the context's
// error once its context is done.
func TestTypoIndexStopsOnCancel(t *testing.T) {
	// One letter, so that every key of length 4..8 shares segments with
	// the query: the slowest case there is.
	var pairs []TypoPair
	for i := range 50_000 {
		pairs = append(pairs, TypoPair{strings.Repeat("a", 4+i%5) + fmt.Sprint(i%7), fmt.Sprint(i)})
	}
	x := NewTypoIndex(pairs)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got, err := x.Near(ctx, "aaaaaa", 2, 3); err != context.Canceled || got != nil {
		t.Errorf("cancelled: %v, %v", got, err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	if got, err := x.Near(ctx, "aaaaaa", 2, 3); err != nil || len(got) != 3 {
		t.Errorf("not cancelled: %v, %v", got, err)
	}
}

// typoNames makes n distinct names of 2 to 5 words drawn from a few
// hundred syllables, like the names of a large biomedical graph.
func typoNames(n int) []TypoPair {
	rng := rand.New(rand.NewPCG(5, 6))
	syl := []string{"ka", "lo", "mi", "ne", "ro", "su", "ta", "vi", "ze", "in", "ase", "ol", "one", "ide", "gen", "cyt", "pro", "tor", "an", "ex"}
	seen := map[string]bool{}
	pairs := make([]TypoPair, 0, n)
	for len(pairs) < n {
		var b strings.Builder
		for range 3 + rng.IntN(7) {
			b.WriteString(syl[rng.IntN(len(syl))])
		}
		if k := b.String(); !seen[k] {
			seen[k] = true
			pairs = append(pairs, TypoPair{k, fmt.Sprintf("e%d", len(pairs))})
		}
	}
	return pairs
}

// BenchmarkTypoIndex looks up names a few edits from stored ones, and
// unknown ones, among 2·10⁵ keys; BenchmarkTypoScan is the scan it
// replaces (graph's suggest), on a tenth of the keys.
func BenchmarkTypoIndex(b *testing.B) {
	pairs := typoNames(200_000)
	start := time.Now()
	x := NewTypoIndex(pairs)
	b.ReportMetric(float64(time.Since(start).Milliseconds()), "build-ms")
	rng := rand.New(rand.NewPCG(7, 8))
	queries := []string{strings.Repeat("q", 30_000), strings.Repeat("q", 512), "kalominerosuta"}
	for range 64 {
		queries = append(queries, mutate(rng, pairs[rng.IntN(len(pairs))].Key, 2, "abcdefgh"))
	}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, q := range queries {
			x.Near(ctx, q, 2, 3)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(queries)), "ns/query")
}

func BenchmarkTypoScan(b *testing.B) {
	pairs := typoNames(20_000)
	q := "kalominerosutx"
	for i := 0; i < b.N; i++ {
		for _, p := range pairs {
			levenshtein.ComputeDistance(q, p.Key)
		}
	}
}
