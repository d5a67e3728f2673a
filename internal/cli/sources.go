package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/kg"
)

// sourceRow is a source with what the graph holds of it: the links its
// evidence supports and its evidence items.
type sourceRow struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	License  string `json:"license"`
	URL      string `json:"url"`
	Version  string `json:"version"`
	Links    int    `json:"links"`
	Evidence int    `json:"evidence"`
}

func sources(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sources", stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: leydigkg sources [flags]\n\nLists the sources the graph's evidence comes from: id, title, licence, URL,\nversion, the links each one supports and its evidence items. The ids are\nwhat --sources and --deny-sources of the causal commands take.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	spec := fs.String("store", "memory", "store: memory, bolt:PATH, postgres:DSN or cockroach:DSN")
	noCurated := fs.Bool("no-curated", false, "do not fill an empty store with the curated graph")
	beliefs := addBeliefFlag(fs)
	format := fs.String("format", "text", "output: text (a table), json, ndjson or csv")
	var files multi
	fs.Var(&files, "data", dataUsage)
	lf := addLoadFlags(fs, "data-format")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{fmt.Errorf("unexpected arguments %q", pos)}
	}
	switch *format {
	case "text", "json", "ndjson", "csv":
	default:
		return usageError{fmt.Errorf("--format %q: want one of text, json, ndjson, csv", *format)}
	}
	if _, err := lf.options(); err != nil {
		return err
	}
	store, err := openStoreWith(ctx, *spec, *noCurated, *beliefs, files, lf, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	rows, err := sourceRows(ctx, store)
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		return writeJSON(stdout, rows)
	case "ndjson":
		enc := json.NewEncoder(stdout)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	case "csv":
		w := csv.NewWriter(stdout)
		w.Write([]string{"id", "title", "license", "url", "version", "links", "evidence"})
		for _, r := range rows {
			w.Write([]string{r.ID, r.Title, r.License, r.URL, r.Version, strconv.Itoa(r.Links), strconv.Itoa(r.Evidence)})
		}
		w.Flush()
		return w.Error()
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTITLE\tLICENSE\tVERSION\tLINKS\tEVIDENCE\tURL")
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\n", r.ID, r.Title, dash(r.License), dash(r.Version), r.Links, r.Evidence, dash(r.URL))
	}
	return tw.Flush()
}

// sourceRows lists the store's sources by id, counting for each the links
// its evidence supports and its evidence items.
func sourceRows(ctx context.Context, store *kg.Store) ([]sourceRow, error) {
	b, err := store.Records(ctx)
	if err != nil {
		return nil, err
	}
	at := map[string]int{}
	rows := make([]sourceRow, len(b.Sources))
	for i, s := range b.Sources {
		rows[i] = sourceRow{ID: s.ID, Title: s.Title, License: s.License, URL: s.URL, Version: s.Version}
		at[s.ID] = i
	}
	for _, l := range b.Links {
		seen := map[string]bool{}
		for _, e := range l.Evidence {
			i, ok := at[e.Source]
			if !ok {
				return nil, fmt.Errorf("link %q: evidence of source %q, which the store does not hold", l.ID, e.Source)
			}
			rows[i].Evidence++
			if !seen[e.Source] {
				seen[e.Source] = true
				rows[i].Links++
			}
		}
	}
	slices.SortFunc(rows, func(a, b sourceRow) int { return strings.Compare(a.ID, b.ID) })
	return rows, nil
}

// side is one side of a contradiction: the link and its belief, by source.
type side struct {
	Link   *graph.Link  `json:"link"`
	Belief graph.Belief `json:"belief"`
}

type contradictionRecord struct {
	Subject   *graph.Entity `json:"subject"`
	Object    *graph.Entity `json:"object"`
	Increases side          `json:"increases"`
	Decreases side          `json:"decreases"`
}

type contradictionsResult struct {
	Contradictions []contradictionRecord `json:"contradictions"`
	More           bool                  `json:"more"`
}

func contradictions(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("contradictions", stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: leydigkg contradictions [flags]\n\nLists the pairs of assertions with the same subject and object and opposite\neffects (sources disagree), the best supported first: each side with its\nbelief and the sources it rests on. The filters keep a pair when both sides\nkeep evidence.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	first := fs.Int("first", graph.DefaultPageSize, fmt.Sprintf("most pairs (1..%d)", graph.MaxPageSize))
	sf := addStoreFlags(fs, "text or json")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{fmt.Errorf("unexpected arguments %q", pos)}
	}
	if err := atLeast(1, map[string]int{"first": *first}); err != nil {
		return err
	}
	if *first > graph.MaxPageSize {
		return usageError{fmt.Errorf("--first must be at most %d, not %d", graph.MaxPageSize, *first)}
	}
	if err := sf.checkFormat("text", "json"); err != nil {
		return err
	}
	q := graph.ContradictionQuery{First: *first}
	if q.Filter, err = sf.filter.get(); err != nil {
		return err
	}
	return ask(ctx, sf, stdout, stderr, func(store *kg.Store) (*contradictionsResult, error) {
		pairs, more, err := store.Contradictions(ctx, q)
		if err != nil {
			return nil, err
		}
		res := &contradictionsResult{Contradictions: []contradictionRecord{}, More: more}
		for _, p := range pairs {
			subj, err := store.Entity(ctx, p.Increases.Subject)
			if err != nil {
				return nil, err
			}
			obj, err := store.Entity(ctx, p.Increases.Object)
			if err != nil {
				return nil, err
			}
			res.Contradictions = append(res.Contradictions, contradictionRecord{Subject: subj, Object: obj,
				Increases: side{p.Increases, store.Belief(p.Increases)}, Decreases: side{p.Decreases, store.Belief(p.Decreases)}})
		}
		return res, nil
	}, func(res *contradictionsResult, b *strings.Builder) {
		fmt.Fprintf(b, "%d contradiction(s)", len(res.Contradictions))
		if res.More {
			b.WriteString(" (more exist: raise --first)")
		}
		b.WriteString("\n")
		for i, c := range res.Contradictions {
			fmt.Fprintf(b, "\n%d. %s and %s: sources disagree\n", i+1, c.Subject.Name, c.Object.Name)
			for _, s := range []side{c.Increases, c.Decreases} {
				arrow := "--increases-->"
				if s.Link.Effect == graph.Decreases {
					arrow = "--decreases--|"
				}
				fmt.Fprintf(b, "   %s %s %s  belief %.2f  (%s)\n", c.Subject.Name, arrow, c.Object.Name, s.Belief.Score, s.Link.ID)
				for _, sb := range s.Belief.BySource {
					fmt.Fprintf(b, "      %s: %d evidence item(s), belief alone %.2f\n", sb.Source, sb.EvidenceCount, sb.Contribution)
				}
			}
		}
	})
}

func upgrade(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("upgrade", stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: leydigkg upgrade --store SPEC\n\nRewrites a store written by an older leydigkg into this one's layout, in one\ntransaction: all of it or nothing. A store in this layout is left alone.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	spec := fs.String("store", "", "store to upgrade: bolt:PATH, postgres:DSN or cockroach:DSN")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{fmt.Errorf("unexpected arguments %q", pos)}
	}
	if *spec == "" {
		return usageError{errors.New("want --store bolt:PATH, postgres:DSN or cockroach:DSN")}
	}
	u, err := kg.Upgrade(ctx, *spec)
	if err != nil {
		return err
	}
	if u.From == 0 {
		_, err = fmt.Fprintln(stdout, "nothing needed upgrading: the store is empty or in this leydigkg's layout already")
		return err
	}
	if u.From == 3 {
		_, err = fmt.Fprintf(stdout, "upgraded the store from layout 3 to %d: removed the class and position quads of the evidence items of %d links and relations\n", u.To, u.Records)
		return err
	}
	_, err = fmt.Fprintf(stdout, "upgraded the store from layout %d to %d: rewrote %d records (sources, references, entities, links and relations)\n", u.From, u.To, u.Records)
	return err
}
