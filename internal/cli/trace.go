package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/leydigkg/leydigkg/export"
	"github.com/leydigkg/leydigkg/graph"
)

func trace(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("trace", stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: leydigkg trace [flags] FROM TO\n       leydigkg trace [flags] --from A,B --to C,D    (or --from-file F --to-file G)\n\nPrints the causal chains from FROM to TO, hop by hop, with each hop's direction\nand quote, and each chain's net effect. FROM and TO are ids, names, synonyms or CURIEs.\n\nWith sets of sources and targets (--from, --to, --from-file, --to-file: comma\nlists or files of one entity a line, # comments), prints the best chains from any\nsource to any target, ranked over all pairs (PathLinker's question); each chain\nstops at the first target it reaches and passes through no other source.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	depth := fs.Int("max-depth", graph.DefaultTraceDepth, fmt.Sprintf("most links in a chain (1..%d)", graph.MaxTraceDepth))
	limit := fs.Int("limit", graph.DefaultTraceLimit, fmt.Sprintf("most chains (1..%d)", graph.MaxTraceLimit))
	effect := fs.String("net-effect", "", "only chains with this net effect: INCREASES or DECREASES")
	spec := fs.String("store", "memory", "store: memory, bolt:PATH, postgres:DSN or cockroach:DSN")
	noCurated := fs.Bool("no-curated", false, "do not fill an empty store with the curated graph")
	beliefs := addBeliefFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON instead of text (same as --format json)")
	format := fs.String("format", "text", "output: text, json, a picture (dot, mermaid, svg) or a network (cx2, cytoscape, graphml, sif)")
	order := fs.String("order-by", "LENGTH", "rank chains by LENGTH (shortest first) or CONFIDENCE")
	inherit := fs.Bool("inherit", false, "let a member take its class's causal links (subclass_of): such hops are marked and scored as inferences")
	distinct := fs.Bool("distinct", false, "report chains that differ only by shortcut links once, the fullest, with the others as its variants")
	var via, avoid, files, fromSet, toSet multi
	fs.Var(&fromSet, "from", "source entities for set-to-set chains (comma list, repeatable)")
	fs.Var(&toSet, "to", "target entities for set-to-set chains (comma list, repeatable)")
	fromFile := fs.String("from-file", "", "file of source entities, one a line, for set-to-set chains")
	toFile := fs.String("to-file", "", "file of target entities, one a line, for set-to-set chains")
	fs.Var(&via, "via", "entity every chain passes through (repeatable)")
	fs.Var(&avoid, "avoid", "entity no chain passes through (repeatable)")
	fs.Var(&files, "data", dataUsage)
	lf := addLoadFlags(fs, "data-format")
	ff := addFilterFlags(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	sets := len(fromSet) > 0 || len(toSet) > 0 || *fromFile != "" || *toFile != ""
	if sets {
		if len(pos) != 0 {
			return usageError{fmt.Errorf("takes either FROM TO or sets (--from, --to, --from-file, --to-file), not both")}
		}
		for _, f := range []struct {
			path string
			into *multi
		}{{*fromFile, &fromSet}, {*toFile, &toSet}} {
			if f.path == "" {
				continue
			}
			refs, err := readRefs(f.path)
			if err != nil {
				return err
			}
			*f.into = append(*f.into, refs...)
		}
		if len(fromSet) == 0 || len(toSet) == 0 {
			return usageError{fmt.Errorf("set-to-set chains want sources (--from or --from-file) and targets (--to or --to-file)")}
		}
		if *inherit || *distinct {
			return usageError{fmt.Errorf("--inherit and --distinct take one pair, FROM TO")}
		}
		switch *format {
		case "text", "json":
		default:
			if !*asJSON {
				return usageError{fmt.Errorf("--format %q takes one pair; set-to-set chains print as text or json", *format)}
			}
		}
	} else if len(pos) != 2 {
		return usageError{fmt.Errorf("want FROM and TO, got %d argument(s)", len(pos))}
	} else {
		fromSet, toSet = multi{pos[0]}, multi{pos[1]}
	}
	if *depth < 1 || *limit < 1 {
		return usageError{fmt.Errorf("--max-depth and --limit must be at least 1")}
	}
	q := graph.TraceQuery{From: fromSet[0], To: toSet[0], MaxDepth: *depth, Limit: *limit, Via: via, Avoid: avoid, OrderBy: graph.Order(strings.ToUpper(*order)),
		Inherit: *inherit, Distinct: *distinct}
	if *effect != "" {
		if q.NetEffect, err = graph.ParseEffect(*effect); err != nil {
			return usageError{err}
		}
	}
	if q.Filter, err = ff.get(); err != nil {
		return err
	}
	switch *format {
	case "text", "json", "dot", "mermaid", "svg", "cx2", "cytoscape", "graphml", "sif":
	default:
		return usageError{fmt.Errorf("--format %q (want text, json, dot, mermaid, svg, cx2, cytoscape, graphml or sif)", *format)}
	}
	if *asJSON {
		*format = "json"
	}
	store, err := openStoreWith(ctx, *spec, *noCurated, *beliefs, files, lf, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	if sets {
		res, err := store.Paths(ctx, graph.PathsQuery{
			From: fromSet, To: toSet, MaxDepth: q.MaxDepth, Limit: q.Limit, NetEffect: q.NetEffect,
			Via: q.Via, Avoid: q.Avoid, OrderBy: q.OrderBy, Filter: q.Filter,
		})
		if err != nil {
			return err
		}
		if *format == "json" {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(res)
		}
		return WritePaths(stdout, res)
	}
	res, err := store.Trace(ctx, q)
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	case "dot":
		return export.TracePicture(res).DOT(stdout)
	case "mermaid":
		return export.TracePicture(res).Mermaid(stdout)
	case "svg":
		return export.TracePicture(res).SVG(ctx, stdout)
	case "cx2", "cytoscape", "graphml", "sif":
		out, err := export.TracePicture(res).Exchange(*format)
		if err != nil {
			return err
		}
		_, err = io.WriteString(stdout, out)
		return err
	}
	return WriteTrace(stdout, res, q)
}

// WriteTrace prints a trace result for people: each chain with its net
// effect and confidence, then each hop with its direction and evidence.
func WriteTrace(w io.Writer, res *graph.TraceResult, q graph.TraceQuery) error {
	var b strings.Builder
	name := func(e *graph.Entity) string { return fmt.Sprintf("%s [%s]", e.Name, e.Kind) }
	fmt.Fprintf(&b, "%s -> %s\n", name(res.From), name(res.To))
	if len(res.Paths) == 0 {
		depth := q.MaxDepth
		if depth == 0 {
			depth = graph.DefaultTraceDepth
		}
		fmt.Fprintf(&b, "\nNo causal chain of at most %d links", depth)
		if res.Explanation != nil {
			fmt.Fprintf(&b, " (%s): %s", res.Explanation.Reason, res.Explanation.Message)
		}
		b.WriteString(".\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	more := ""
	if res.Truncated {
		more = " (more exist: raise --limit)"
	}
	what := "chain(s)"
	if q.Distinct {
		what = "distinct chain(s)"
	}
	fmt.Fprintf(&b, "%d %s, shortest first, then most confident%s\n", len(res.Paths), what, more)
	writeChains(&b, res.Paths)
	_, err := io.WriteString(w, b.String())
	return err
}

// WritePaths prints set-to-set chains for people, as WriteTrace does.
func WritePaths(w io.Writer, res *graph.PathsResult) error {
	var b strings.Builder
	names := func(es []*graph.Entity) string {
		out := make([]string, len(es))
		for i, e := range es {
			out[i] = e.Name
		}
		return strings.Join(out, ", ")
	}
	fmt.Fprintf(&b, "from %s\nto   %s\n", names(res.From), names(res.To))
	if len(res.Paths) == 0 {
		b.WriteString("\nNo causal chain from any source to any target within --max-depth.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	more := ""
	if res.Truncated {
		more = " (more exist: raise --limit)"
	}
	fmt.Fprintf(&b, "%d chain(s) over all pairs%s\n", len(res.Paths), more)
	writeChains(&b, res.Paths)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeChains prints each chain with its net effect and confidence, then
// each hop with its direction and evidence.
func writeChains(b *strings.Builder, paths []graph.Path) {
	for i, p := range paths {
		fmt.Fprintf(b, "\n%d. net %s, %d link(s), confidence %.2f\n", i+1, p.NetEffect, p.Len(), p.Confidence)
		fmt.Fprintf(b, "   %s\n", chain(p))
		for j, l := range p.Links {
			fmt.Fprintf(b, "   %d) %s %s %s  (%s, confidence %.2f)\n", j+1, p.Entities[j].Name, l.Effect, p.Entities[j+1].Name, l.Predicate, l.Confidence)
			if l.Inherited() {
				fmt.Fprintf(b, "      inherited from the class %s (link %s): an inference, not a statement\n", l.InheritedFrom, l.InheritedLink)
			}
			for _, ev := range l.Evidence {
				refs := ""
				if len(ev.References) > 0 {
					refs = " [" + strings.Join(ev.References, ", ") + "]"
				}
				if len(ev.Publications) > 0 {
					refs += " " + strings.Join(ev.Publications, ", ")
				}
				if ev.Quote == "" { // a row of a database or file
					where := ev.Source
					if ev.At != "" {
						where += ", " + ev.At
					} else if ev.Key != "" {
						where += " " + ev.Key
					}
					fmt.Fprintf(b, "      %s %s (%s)%s\n", from(ev.Negated), where, strings.ReplaceAll(string(ev.Level()), "_", " "), refs)
					continue
				}
				against := ""
				if ev.Negated {
					against = "denies it: "
				}
				fmt.Fprintf(b, "      %s“%s” (%s)%s\n", against, ev.Quote, ev.Section, refs)
			}
		}
		for _, v := range p.Variants {
			fmt.Fprintf(b, "   variant, %d link(s), confidence %.2f: %s\n", v.Len(), v.Confidence, chain(v))
		}
	}
}

// from introduces an evidence row: a denial (a negated item) must not
// read as support.
func from(negated bool) string {
	if negated {
		return "denied by"
	}
	return "from"
}

// readRefs reads a file of entity references, one a line; blank lines and
// lines starting with # are skipped.
func readRefs(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var refs []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			refs = append(refs, line)
		}
	}
	if len(refs) == 0 {
		return nil, usageError{fmt.Errorf("%s names no entity", path)}
	}
	return refs, nil
}

// chain draws a path on one line: A --increases--> B --decreases--| C.
func chain(p graph.Path) string {
	var b strings.Builder
	b.WriteString(p.Entities[0].Name)
	for i, l := range p.Links {
		arrow := " --increases--> "
		if l.Effect == graph.Decreases {
			arrow = " --decreases--| "
		}
		if l.Inherited() { // a hop taken from a class: say which
			arrow = strings.Replace(arrow, "creases--", "creases (inherited from "+l.InheritedFrom+")--", 1)
		}
		b.WriteString(arrow)
		b.WriteString(p.Entities[i+1].Name)
	}
	return b.String()
}
