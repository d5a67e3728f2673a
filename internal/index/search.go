package index

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/leydigkg/leydigkg/graph"
)

// Search finds entities by free text, best match first. An exact id, name,
// synonym or xref scores 1; a name that starts with or contains the text
// scores less; words found in names, then in descriptions, less again; a
// name a typo or two away scores least. kinds, when not empty, keeps only
// those kinds; first caps the hits (0: DefaultSearchHits). With a filter f,
// only entities with a link it keeps are found.
func (s *Snapshot) Search(ctx context.Context, text string, kinds []graph.Kind, first int, f graph.Filter) ([]graph.SearchHit, error) {
	switch {
	case strings.TrimSpace(text) == "":
		return nil, fmt.Errorf("%w: search text is empty", graph.ErrBadArgument)
	case len(text) > 1000:
		return nil, fmt.Errorf("%w: search text is longer than 1000 bytes", graph.ErrBadArgument)
	case first < 0 || first > graph.MaxSearchHits:
		return nil, fmt.Errorf("%w: first must be in 1..%d, not %d", graph.ErrBadArgument, graph.MaxSearchHits, first)
	case first == 0:
		first = graph.DefaultSearchHits
	}
	w, err := s.work(ctx, 0, f)
	if err != nil {
		return nil, err
	}
	q := graph.Normalize(text)
	words := tokens(text)
	snap := s
	var hits []graph.SearchHit
	keep := func(i int32) bool {
		e := snap.entities[i]
		return (len(kinds) == 0 || slices.Contains(kinds, e.Kind)) && (w.keep == nil || s.touched(w, i))
	}
	matched := map[int32]bool{}
	j := 0
	for i := range snap.order.all() {
		e := snap.entities[i]
		if j++; j%1024 == 1 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !keep(i) {
			continue
		}
		if sc := score(e, q, words); sc > 0 {
			hits = append(hits, graph.SearchHit{Entity: e, Score: math.Round(sc*1000) / 1000})
			matched[i] = true
		}
	}
	// Typos are looked for only when exact and word matches are too few.
	if len(hits) < first {
		typo, err := snap.typoHits(ctx, text, first, func(i int32) bool { return !matched[i] && keep(i) })
		if err != nil {
			return nil, err
		}
		hits = append(hits, typo...)
	}
	slices.SortFunc(hits, func(a, b graph.SearchHit) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Entity.ID, b.Entity.ID)
	})
	if len(hits) > first {
		hits = hits[:first]
	}
	return hits, nil
}

func tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

func score(e *graph.Entity, q string, words []string) float64 {
	if q == "" {
		return 0
	}
	best := 0.0
	names := append([]string{e.Name, e.ID}, e.Synonyms...)
	for _, x := range e.Xrefs {
		if graph.Normalize(x) == q {
			return 1
		}
	}
	for _, n := range names {
		k := graph.Normalize(n)
		if k == "" {
			continue
		}
		ratio := float64(len(q)) / float64(max(len(k), len(q)))
		switch {
		case k == q:
			return 1
		case strings.HasPrefix(k, q):
			best = max(best, 0.7+0.2*ratio)
		case strings.Contains(k, q):
			best = max(best, 0.5+0.2*ratio)
		}
	}
	if best > 0 {
		return best
	}
	// Every word of the query in the names (as a word prefix), then in
	// the description.
	nameWords := tokens(strings.Join(names, " "))
	if found := countWords(words, nameWords); found == len(words) && len(words) > 0 {
		return 0.45
	} else if found > 0 {
		best = 0.3 * float64(found) / float64(len(words))
	}
	if found := countWords(words, tokens(e.Description)); found > 0 {
		best = max(best, 0.25*float64(found)/float64(len(words)))
	}
	return best
}

// typoHits finds entities by typos, for those keep allows: a whole name
// or synonym a few edits from text (score up to 0.2), or a word of their
// names near each word of text (up to 0.15; fewer words matched, less),
// from the snapshot's typo indexes.
func (s *Snapshot) typoHits(ctx context.Context, text string, first int, keep func(int32) bool) ([]graph.SearchHit, error) {
	x, err := s.typoIndex(ctx)
	if err != nil {
		return nil, err
	}
	var hits []graph.SearchHit
	seen := map[int32]bool{}
	add := func(n int32, sc float64) {
		if !seen[n] && keep(n) {
			seen[n] = true
			hits = append(hits, graph.SearchHit{Entity: s.entities[n], Score: math.Round(sc*1000) / 1000})
		}
	}
	q := graph.Normalize(text)
	if qn := utf8.RuneCountInString(q); qn >= 4 {
		near, err := x.names.Near(ctx, q, min(MaxTypoDistance, qn/4), max(first*8, 64))
		if err != nil {
			return nil, err
		}
		for _, t := range near {
			if n, ok := s.byID.get(t.Label); ok {
				add(n, 0.2*(1-float64(t.Dist)/float64(qn)))
			}
		}
	}
	ms, err := s.wordTypos(ctx, x, text, first)
	if err != nil {
		return nil, err
	}
	qw := len(tokens(text))
	for _, m := range ms {
		sc := 0.1 * float64(m.words) / float64(qw)
		if m.all {
			sc = max(0.05, 0.15-0.02*float64(m.dist))
		}
		add(m.node, sc)
	}
	return hits, nil
}

// countWords counts the query words that start a word of in.
func countWords(query, in []string) int {
	n := 0
	for _, w := range query {
		for _, x := range in {
			if strings.HasPrefix(x, w) && (len(w) >= 3 || x == w) {
				n++
				break
			}
		}
	}
	return n
}
