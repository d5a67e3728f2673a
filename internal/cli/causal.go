package cli

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/jsonw"
	"github.com/leydigkg/leydigkg/kg"
	"github.com/leydigkg/leydigkg/loaders"
	"github.com/leydigkg/leydigkg/schema"
)

// storeFlags are the flags every query command shares.
type storeFlags struct {
	spec      *string
	noCurated *bool
	beliefs   *string
	files     multi
	format    *string
	order     *string
	limits    *loaders.Limits
	filter    *filterFlags
}

func addStoreFlags(fs *flag.FlagSet, formats string) *storeFlags {
	sf := &storeFlags{
		spec:      fs.String("store", "memory", "store: memory, bolt:PATH, postgres:DSN or cockroach:DSN"),
		noCurated: fs.Bool("no-curated", false, "do not fill an empty store with the curated graph"),
		format:    fs.String("format", "text", "output: "+formats),
		order:     fs.String("order-by", "LENGTH", "rank by LENGTH (fewest links first) or CONFIDENCE"),
		beliefs:   addBeliefFlag(fs),
	}
	fs.Var(&sf.files, "data", dataUsage)
	sf.limits = addLimitFlags(fs)
	sf.filter = addFilterFlags(fs)
	return sf
}

// filterFlags are the flags of every causal command that leave evidence,
// and the links left without any, out of its answer: graph.Filter.
type filterFlags struct {
	allow, deny, levels, licenses multi
	minBelief                     *float64
}

func addFilterFlags(fs *flag.FlagSet) *filterFlags {
	ff := &filterFlags{minBelief: fs.Float64("min-belief", 0, "leave out links whose belief, from the evidence kept, is below this (0..1)")}
	fs.Var(&ff.allow, "sources", "keep only evidence of these sources, comma-separated ids (see 'leydigkg sources')")
	fs.Var(&ff.deny, "deny-sources", "leave out evidence of these sources, comma-separated ids")
	fs.Var(&ff.levels, "knowledge-levels", "keep only evidence of these Biolink knowledge levels, comma-separated: "+levels())
	fs.Var(&ff.licenses, "licenses", "keep only evidence of sources with these licences, comma-separated SPDX ids (e.g. CC-BY-4.0)")
	return ff
}

// get checks the flags and returns their filter.
func (ff *filterFlags) get() (graph.Filter, error) {
	var f graph.Filter
	if m := *ff.minBelief; !(m >= 0 && m <= 1) {
		return f, usageError{fmt.Errorf("--min-belief %v: want a belief from 0 to 1", m)}
	}
	for _, l := range ff.levels {
		k := graph.KnowledgeLevel(strings.ToLower(l))
		if !k.Valid() {
			return f, usageError{fmt.Errorf("--knowledge-levels: unknown knowledge level %q (want %s)", l, levels())}
		}
		f.KnowledgeLevels = append(f.KnowledgeLevels, k)
	}
	f.Sources.Allow, f.Sources.Deny, f.Licenses = ff.allow, ff.deny, ff.licenses
	f.MinBelief = *ff.minBelief
	return f, nil
}

func (sf *storeFlags) orderBy() (graph.Order, error) {
	o := graph.Order(strings.ToUpper(*sf.order))
	if o != graph.ByLength && o != graph.ByConfidence {
		return "", usageError{fmt.Errorf("--order-by %q: want LENGTH or CONFIDENCE", *sf.order)}
	}
	return o, nil
}

func (sf *storeFlags) checkFormat(allowed ...string) error {
	for _, f := range allowed {
		if *sf.format == f {
			return nil
		}
	}
	return usageError{fmt.Errorf("--format %q: want one of %s", *sf.format, strings.Join(allowed, ", "))}
}

func (sf *storeFlags) open(ctx context.Context, stderr io.Writer) (*kg.Store, error) {
	return openStoreWith(ctx, *sf.spec, *sf.noCurated, *sf.beliefs, sf.files, &loadFlags{limits: sf.limits}, stderr)
}

// atLeast refuses a count flag below min: 0 would otherwise fall back to
// the query's default silently.
func atLeast(min int, flags map[string]int) error {
	for _, name := range slices.Sorted(maps.Keys(flags)) {
		if v := flags[name]; v < min {
			return usageError{fmt.Errorf("--%s must be at least %d, not %d", name, min, v)}
		}
	}
	return nil
}

func parseKinds(s string) ([]graph.Kind, error) {
	var out []graph.Kind
	for _, k := range strings.Split(s, ",") {
		if k = strings.TrimSpace(k); k == "" {
			continue
		}
		kind := graph.Kind(strings.ToUpper(k))
		if !kind.Valid() {
			return nil, usageError{fmt.Errorf("--kinds: unknown kind %q", k)}
		}
		out = append(out, kind)
	}
	return out, nil
}

func downstream(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return reachCmd(ctx, "downstream", args, stdout, stderr)
}

func upstream(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return reachCmd(ctx, "upstream", args, stdout, stderr)
}

func reachCmd(ctx context.Context, name string, args []string, stdout, stderr io.Writer) error {
	up := name == "upstream"
	fs := newFlags(name, stderr)
	what := "everything ENTITY affects"
	if up {
		what = "everything that affects ENTITY"
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: leydigkg %s [flags] ENTITY\n\nPrints %s within --max-depth links: each entity's distance, the net\neffect(s) of its shortest chains, their confidence and an example chain.\nThe ndjson and csv formats stream every entity, for other tools.\n\nFlags:\n", name, what)
		fs.PrintDefaults()
	}
	depth := fs.Int("max-depth", graph.DefaultReachDepth, fmt.Sprintf("most links (1..%d)", graph.MaxReachDepth))
	first := fs.Int("first", 0, "most entities (0: all)")
	effect := fs.String("net-effect", "", "only entities reached with this net effect: INCREASES or DECREASES")
	kinds := fs.String("kinds", "", "only entities of these kinds, comma-separated (e.g. HORMONE,PROCESS)")
	sf := addStoreFlags(fs, "text, json, ndjson or csv")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{fmt.Errorf("want one ENTITY, got %d argument(s)", len(pos))}
	}
	if err := atLeast(1, map[string]int{"max-depth": *depth}); err != nil {
		return err
	}
	if err := atLeast(0, map[string]int{"first": *first}); err != nil {
		return err
	}
	if err := sf.checkFormat("text", "json", "ndjson", "csv"); err != nil {
		return err
	}
	q := graph.ReachQuery{Of: pos[0], MaxDepth: *depth, First: *first, Paths: *sf.format == "text" || *sf.format == "json"}
	if q.OrderBy, err = sf.orderBy(); err != nil {
		return err
	}
	if q.Filter, err = sf.filter.get(); err != nil {
		return err
	}
	if q.Kinds, err = parseKinds(*kinds); err != nil {
		return err
	}
	if *effect != "" {
		if q.NetEffect, err = graph.ParseEffect(*effect); err != nil {
			return usageError{err}
		}
	}
	store, err := sf.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	var res *graph.ReachResult
	if up {
		res, err = store.Upstream(ctx, q)
	} else {
		res, err = store.Downstream(ctx, q)
	}
	if err != nil {
		return err
	}
	switch *sf.format {
	case "json":
		return writeJSON(stdout, res)
	case "ndjson", "csv":
		return writeRows(stdout, *sf.format, res.Reached)
	}
	var b strings.Builder
	dir := "downstream of"
	if up {
		dir = "upstream of"
	}
	fmt.Fprintf(&b, "%d entities %s %s within %d link(s)", res.Total, dir, res.Of.Name, q.MaxDepth)
	if res.Truncated {
		b.WriteString(" (search cut short by its budget: more may exist)")
	}
	b.WriteString("\n")
	for _, r := range res.Reached {
		effects := make([]string, len(r.Effects))
		for i, e := range r.Effects {
			effects[i] = strings.ToLower(string(e))
		}
		fmt.Fprintf(&b, "%d  %-45s %-13s %-20s %.2f  %s\n", r.Distance, r.Entity.Name, r.Entity.Kind, strings.Join(effects, "+"), r.Confidence, chain(*r.Path))
	}
	_, err = io.WriteString(stdout, b.String())
	return err
}

// writeRows writes reached entities as csv or ndjson rows, whose fields
// are the columns of GraphQL's downstream/upstream { columns }
// (schema.ReachColumnNames), by the same names, through one buffer: no
// row is built as a record first, and stdout sees a few large writes.
func writeRows(w io.Writer, format string, rs []graph.Reached) error {
	if format == "csv" {
		return writeCSVRows(w, rs)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	row := make([]byte, 0, 256)
	for i := range rs {
		r := &rs[i]
		row = append(jsonw.String(append(row[:0], `{"id":`...), r.Entity.ID), `,"name":`...)
		row = append(jsonw.String(row, r.Entity.Name), `,"kind":`...)
		row = append(jsonw.String(row, string(r.Entity.Kind)), `,"distance":`...)
		row = append(jsonw.Int(row, r.Distance), `,"increases":`...)
		row = append(jsonw.Bool(row, slices.Contains(r.Effects, graph.Increases)), `,"decreases":`...)
		row = append(jsonw.Bool(row, slices.Contains(r.Effects, graph.Decreases)), `,"confidence":`...)
		row = append(jsonw.Float(row, r.Confidence), '}', '\n')
		if _, err := bw.Write(row); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// writeCSVRows is writeRows for csv, through encoding/csv (which quotes
// as it must) with one record reused for every row.
func writeCSVRows(w io.Writer, rs []graph.Reached) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	cw := csv.NewWriter(bw)
	cw.Write(schema.ReachColumnNames)
	rec := make([]string, len(schema.ReachColumnNames))
	for i := range rs {
		r := &rs[i]
		rec[0], rec[1], rec[2] = r.Entity.ID, r.Entity.Name, string(r.Entity.Kind)
		rec[3] = strconv.Itoa(r.Distance)
		rec[4] = strconv.FormatBool(slices.Contains(r.Effects, graph.Increases))
		rec[5] = strconv.FormatBool(slices.Contains(r.Effects, graph.Decreases))
		rec[6] = strconv.FormatFloat(r.Confidence, 'f', -1, 64)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// ask opens the store, runs query on it and prints the answer as JSON or,
// by text, for people.
func ask[T any](ctx context.Context, sf *storeFlags, stdout, stderr io.Writer, query func(*kg.Store) (T, error), text func(T, *strings.Builder)) error {
	store, err := sf.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	res, err := query(store)
	if err != nil {
		return err
	}
	if *sf.format == "json" {
		return writeJSON(stdout, res)
	}
	var b strings.Builder
	text(res, &b)
	_, err = io.WriteString(stdout, b.String())
	return err
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func loops(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("loops", stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: leydigkg loops [flags] [ENTITY]\n\nPrints signed feedback cycles through ENTITY (or anywhere): REINFORCING when\nthe loop has an even number of DECREASES links, BALANCING when odd.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	length := fs.Int("max-length", graph.DefaultLoopLength, fmt.Sprintf("most links in a loop (1..%d)", graph.MaxLoopLength))
	first := fs.Int("first", graph.DefaultLoopFirst, fmt.Sprintf("most loops (1..%d)", graph.MaxLoopFirst))
	kind := fs.String("kind", "", "only REINFORCING or BALANCING loops")
	distinct := fs.Bool("distinct", false, "report loops that differ only by shortcut links once, the fullest, with the others as its variants")
	sf := addStoreFlags(fs, "text or json")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usageError{fmt.Errorf("want at most one ENTITY, got %d", len(pos))}
	}
	if err := atLeast(1, map[string]int{"max-length": *length, "first": *first}); err != nil {
		return err
	}
	if err := sf.checkFormat("text", "json"); err != nil {
		return err
	}
	q := graph.LoopQuery{MaxLength: *length, First: *first, Kind: graph.LoopKind(strings.ToUpper(*kind)), Distinct: *distinct}
	if len(pos) == 1 {
		q.Through = pos[0]
	}
	if q.OrderBy, err = sf.orderBy(); err != nil {
		return err
	}
	if q.Filter, err = sf.filter.get(); err != nil {
		return err
	}
	return ask(ctx, sf, stdout, stderr, func(store *kg.Store) (*graph.LoopResult, error) { return store.Loops(ctx, q) },
		func(res *graph.LoopResult, b *strings.Builder) {
			what := "loop(s)"
			if q.Distinct {
				what = "distinct loop(s)"
			}
			fmt.Fprintf(b, "%d %s", len(res.Loops), what)
			if res.Through != nil {
				fmt.Fprintf(b, " through %s", res.Through.Name)
			}
			if res.Truncated {
				b.WriteString(" (more exist: raise --first, or the search hit its budget)")
			}
			b.WriteString("\n")
			for i, l := range res.Loops {
				fmt.Fprintf(b, "%d. %s, %d link(s), confidence %.2f\n   %s\n", i+1, l.Kind, l.Path.Len(), l.Path.Confidence, chain(l.Path))
				for _, v := range l.Variants {
					fmt.Fprintf(b, "   variant, %d link(s), confidence %.2f: %s\n", v.Len(), v.Confidence, chain(v))
				}
			}
		})
}

func interventions(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("interventions", stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: leydigkg interventions [flags] --goal INCREASES|DECREASES TARGET\n\nPrints the therapies whose chains move TARGET toward the goal, each with its\nbest chain, the chains by which it works against the goal and the conditions\nit raises; then those that only move TARGET the wrong way.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	goal := fs.String("goal", "", "the change wanted in TARGET: INCREASES or DECREASES (required)")
	depth := fs.Int("max-depth", graph.DefaultInterventionDepth, fmt.Sprintf("most links from therapy to target (1..%d)", graph.MaxTraceDepth))
	first := fs.Int("first", graph.DefaultInterventionFirst, fmt.Sprintf("most therapies (1..%d)", graph.MaxInterventionFirst))
	sf := addStoreFlags(fs, "text or json")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{fmt.Errorf("want one TARGET, got %d argument(s)", len(pos))}
	}
	if err := atLeast(1, map[string]int{"max-depth": *depth, "first": *first}); err != nil {
		return err
	}
	if err := sf.checkFormat("text", "json"); err != nil {
		return err
	}
	if *goal == "" {
		return usageError{errors.New("--goal is required: INCREASES or DECREASES")}
	}
	q := graph.InterventionQuery{Target: pos[0], MaxDepth: *depth, First: *first}
	if q.Goal, err = graph.ParseEffect(*goal); err != nil {
		return usageError{fmt.Errorf("--goal: %w", err)}
	}
	if q.OrderBy, err = sf.orderBy(); err != nil {
		return err
	}
	if q.Filter, err = sf.filter.get(); err != nil {
		return err
	}
	return ask(ctx, sf, stdout, stderr, func(store *kg.Store) (*graph.InterventionResult, error) { return store.Interventions(ctx, q) },
		func(res *graph.InterventionResult, b *strings.Builder) {
			fmt.Fprintf(b, "%d therapies reach %s (goal: %s)\n", res.Total, res.Target.Name, res.Goal)
			for i, iv := range res.Interventions {
				verdict := "moves it toward the goal"
				if !iv.TowardGoal {
					verdict = "WRONG WAY: only moves it against the goal"
				}
				fmt.Fprintf(b, "\n%d. %s: %s (confidence %.2f)\n   %s\n", i+1, iv.Therapy.Name, verdict, iv.Path.Confidence, chain(iv.Path))
				if iv.TowardGoal {
					for _, p := range iv.Opposing {
						fmt.Fprintf(b, "   but also: %s (net %s)\n", chain(p), p.NetEffect)
					}
				}
				for _, r := range iv.Risks {
					fmt.Fprintf(b, "   risk: raises %s: %s\n", r.Entity.Name, chain(*r.Path))
				}
			}
		})
}

func knockout(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("knockout", stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: leydigkg knockout [flags] --remove ENTITY FROM TO\n\nKnocks entities out (for this question only) and prints which chains from\nFROM to TO survive, which break, and the cut points every surviving chain\npasses through.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	depth := fs.Int("max-depth", graph.DefaultTraceDepth, fmt.Sprintf("most links in a chain (1..%d)", graph.MaxTraceDepth))
	limit := fs.Int("limit", graph.DefaultTraceLimit, fmt.Sprintf("most chains listed of each sort (1..%d)", graph.MaxTraceLimit))
	var remove multi
	fs.Var(&remove, "remove", "entity to knock out: repeat the flag (--remove A --remove B) or give a comma-separated list (--remove A,B)")
	sf := addStoreFlags(fs, "text or json")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usageError{fmt.Errorf("want FROM and TO, got %d argument(s)", len(pos))}
	}
	if len(remove) == 0 {
		return usageError{fmt.Errorf("want at least one --remove ENTITY")}
	}
	if err := atLeast(1, map[string]int{"max-depth": *depth, "limit": *limit}); err != nil {
		return err
	}
	if err := sf.checkFormat("text", "json"); err != nil {
		return err
	}
	filter, err := sf.filter.get()
	if err != nil {
		return err
	}
	return ask(ctx, sf, stdout, stderr, func(store *kg.Store) (*graph.KnockoutResult, error) {
		return store.Knockout(ctx, graph.KnockoutQuery{Remove: remove, From: pos[0], To: pos[1], MaxDepth: *depth, Limit: *limit, Filter: filter})
	},
		func(res *graph.KnockoutResult, b *strings.Builder) {
			names := make([]string, len(res.Removed))
			for i, e := range res.Removed {
				names[i] = e.Name
			}
			fmt.Fprintf(b, "Without %s: %s -> %s ", strings.Join(names, ", "), res.From.Name, res.To.Name)
			if res.Connected {
				b.WriteString("is still connected\n")
			} else {
				fmt.Fprintf(b, "is cut: no chain of at most %d links survives\n", *depth)
			}
			for _, sec := range []struct {
				title string
				paths []graph.Path
			}{{"surviving", res.Surviving}, {"broken", res.Broken}} {
				fmt.Fprintf(b, "\n%d %s chain(s):\n", len(sec.paths), sec.title)
				for _, p := range sec.paths {
					fmt.Fprintf(b, "   %s (net %s)\n", chain(p), p.NetEffect)
				}
			}
			if len(res.CutPoints) > 0 {
				cuts := make([]string, len(res.CutPoints))
				for i, e := range res.CutPoints {
					cuts[i] = e.Name
				}
				fmt.Fprintf(b, "\nEvery surviving chain passes through: %s\n", strings.Join(cuts, ", "))
			}
			if res.Truncated {
				b.WriteString("\n(lists cut short: more chains exist; raise --limit)\n")
			}
		})
}
