package index_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
)

// forgivingFixture has multi-word names, as the curated graph does.
func forgivingFixture() *graph.Batch {
	return &graph.Batch{Entities: []graph.Entity{
		{ID: "chronic_inflammation", Name: "chronic inflammation", Kind: graph.Process},
		{ID: "inflammation_induced_hypogonadism", Name: "inflammation-induced hypogonadism", Kind: graph.Condition},
		{ID: "inflammatory_cytokines", Name: "inflammatory cytokines", Kind: graph.Molecule},
		{ID: "oxidative_stress", Name: "oxidative stress", Kind: graph.Process, Synonyms: []string{"ROS load"}},
		{ID: "testosterone", Name: "testosterone", Kind: graph.Hormone},
		{ID: "free_testosterone", Name: "free testosterone", Kind: graph.Hormone},
		{ID: "LH", Name: "luteinizing hormone", Kind: graph.Hormone, Synonyms: []string{"LH"}},
	}}
}

// A name nothing has is NOT_FOUND with the near entities, by name and id:
// a whole name a few edits away first, else names with a word near each
// word of the ref.
func TestSuggestions(t *testing.T) {
	s := snapshotOf(forgivingFixture())
	for _, tc := range []struct {
		ref  string
		want []string // candidate ids, in order
		msg  string
	}{
		{"testosteron", []string{"testosterone"}, `not found: no entity "testosteron" (did you mean "testosterone"?)`},
		{"luteinizing hormon", []string{"LH"}, `not found: no entity "luteinizing hormon" (did you mean "luteinizing hormone" (LH)?)`},
		{"inflamation", []string{"chronic_inflammation", "inflammation_induced_hypogonadism"},
			`not found: no entity "inflamation" (did you mean "chronic inflammation" (chronic_inflammation), "inflammation-induced hypogonadism" (inflammation_induced_hypogonadism)?)`},
		{"chronic inflamation", []string{"chronic_inflammation"}, ""},
		{"oxidtive", []string{"oxidative_stress"}, ""},
		{"oxidtive stres", []string{"oxidative_stress"}, ""},
		{"zzzzzzzz", nil, `not found: no entity "zzzzzzzz"`},
		{"abc", nil, `not found: no entity "abc"`},
	} {
		t.Run(tc.ref, func(t *testing.T) {
			e, err := s.Resolve(context.Background(), tc.ref)
			var nf *graph.NotFoundError
			if !errors.As(err, &nf) || !errors.Is(err, graph.ErrNotFound) {
				t.Fatalf("Resolve = %v, %v; want NOT_FOUND", e, err)
			}
			var got []string
			for _, c := range nf.Candidates {
				got = append(got, c.ID)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("candidates %v, want %v", got, tc.want)
			}
			if tc.msg != "" && err.Error() != tc.msg {
				t.Errorf("message\n%s\nwant\n%s", err, tc.msg)
			}
		})
	}
}

// search finds typos of whole names and of words in them, after exact and
// prefix matches, and keeps the kind filter.
func TestSearchTypos(t *testing.T) {
	s := snapshotOf(forgivingFixture())
	for _, tc := range []struct {
		text  string
		kinds []graph.Kind
		want  []string // ids, best first
	}{
		{"inflamation", nil, []string{"chronic_inflammation", "inflammation_induced_hypogonadism"}},
		{"inflamation", []graph.Kind{graph.Condition}, []string{"inflammation_induced_hypogonadism"}},
		{"oxidtive", nil, []string{"oxidative_stress"}},
		{"chronic inflamation", nil, []string{"chronic_inflammation", "inflammation_induced_hypogonadism"}},
		{"testosteron", nil, []string{"testosterone", "free_testosterone"}}, // prefix matches first
		{"tstosterone", nil, []string{"testosterone", "free_testosterone"}}, // whole name, then word
		{"qqqqqqq", nil, nil},
	} {
		t.Run(fmt.Sprint(tc.text, tc.kinds), func(t *testing.T) {
			hits, err := s.Search(context.Background(), tc.text, tc.kinds, 10, graph.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range hits {
				got = append(got, h.Entity.ID)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Search(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}

// wordyBatch has n entities named by two or three words of a vocabulary
// of 5000 made-up words of 5 to 10 letters, as a large ontology's names
// are; it returns one name's words, to misspell.
func wordyBatch(n int) (*graph.Batch, []string) {
	r := rand.New(rand.NewPCG(1, 2))
	vocab := make([]string, 5000)
	for i := range vocab {
		w := make([]byte, 5+r.IntN(6))
		for j := range w {
			w[j] = byte('a' + r.IntN(26))
		}
		vocab[i] = string(w)
	}
	b := &graph.Batch{Entities: make([]graph.Entity, n)}
	var words []string
	for i := range b.Entities {
		ws := make([]string, 2+r.IntN(2))
		for j := range ws {
			ws[j] = vocab[r.IntN(len(vocab))]
		}
		if i == n/2 {
			words = ws
		}
		b.Entities[i] = graph.Entity{ID: fmt.Sprintf("e%d", i), Name: strings.Join(ws, " "), Kind: graph.Process}
	}
	return b, words
}

// BenchmarkForgivingNames: a misspelt word of one name, looked up by
// search and as a name, over 10⁵ entities (the typo indexes built before).
func BenchmarkForgivingNames(b *testing.B) {
	batch, words := wordyBatch(100_000)
	s := snapshotOf(batch)
	typo := words[0][:2] + words[0][3:] // one letter dropped
	ctx := context.Background()
	s.Search(ctx, typo, nil, 10, graph.Filter{}) // builds the indexes
	b.Run("search", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			hits, err := s.Search(ctx, typo, nil, 10, graph.Filter{})
			if err != nil || len(hits) == 0 {
				b.Fatal(err, len(hits))
			}
		}
	})
	b.Run("not-found", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var nf *graph.NotFoundError
			if _, err := s.Resolve(ctx, typo); !errors.As(err, &nf) || len(nf.Candidates) == 0 {
				b.Fatal(err)
			}
		}
	})
}
