package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/leydigkg/leydigkg/export"
	"github.com/leydigkg/leydigkg/graph"
)

func exportCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("export", stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, `Usage: leydigkg export --format FORMAT [--out PATH] [--around ENTITY [--depth N] | --from X --to Y] [flags]

Writes the whole graph, an entity's neighbourhood (--around) or the chains of
a trace (--from, --to) as:
  nquads      N-Quads in leydigkg's layout (loads into cayley unchanged)
  kgx         KGX TSV: PATH_nodes.tsv and PATH_edges.tsv (needs --out PATH)
  kgx-jsonl   KGX JSON Lines: PATH_nodes.jsonl and PATH_edges.jsonl, or both on stdout
  json        one JSON document
  dot, mermaid, svg   a picture (entities coloured by kind, DECREASES dashed red)
Every export loads back with 'leydigkg load' and exports again unchanged.
Flags:
`)
		fs.PrintDefaults()
	}
	format := fs.String("format", "", "export format: "+strings.Join(export.Formats, ", "))
	out := fs.String("out", "", "file to write (kgx: the prefix of the two files); default stdout")
	around := fs.String("around", "", "export only this entity's neighbourhood")
	depth := fs.Int("depth", 1, "links from --around to include")
	from := fs.String("from", "", "export only the chains of a trace from this entity (with --to)")
	to := fs.String("to", "", "end of the trace (with --from)")
	maxDepth := fs.Int("max-depth", graph.DefaultTraceDepth, "most links in a traced chain")
	limit := fs.Int("limit", graph.DefaultTraceLimit, "most traced chains")
	spec := fs.String("store", "memory", "store: memory, bolt:PATH, postgres:DSN or cockroach:DSN")
	noCurated := fs.Bool("no-curated", false, "do not fill an empty store with the curated graph")
	var files multi
	fs.Var(&files, "data", "data file to add to the graph before exporting (repeatable)")
	lf := addLoadFlags(fs, "data-format")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 0:
		return usageError{fmt.Errorf("unexpected arguments %q", pos)}
	case !slices.Contains(export.Formats, *format):
		return usageError{fmt.Errorf("--format %q (want one of %s)", *format, strings.Join(export.Formats, ", "))}
	case *format == "kgx" && *out == "":
		return usageError{errors.New("--format kgx writes two files: give --out PREFIX")}
	case (*from == "") != (*to == ""):
		return usageError{errors.New("--from and --to go together")}
	case *around != "" && *from != "":
		return usageError{errors.New("--around or --from/--to, not both")}
	case *depth < 0:
		return usageError{errors.New("--depth must not be negative")}
	}
	if _, err := lf.options(); err != nil {
		return err
	}
	store, err := openStoreWith(ctx, *spec, *noCurated, files, lf, stderr)
	if err != nil {
		return err
	}
	defer store.Close()

	var b *graph.Batch
	var pic *export.Picture
	switch {
	case *around != "":
		b, err = export.Neighbourhood(ctx, store, *around, *depth)
		if err == nil {
			pic = export.BatchPicture(fmt.Sprintf("around %s (%d link(s) deep)", *around, *depth), b)
		}
	case *from != "":
		var res *graph.TraceResult
		res, err = store.Trace(ctx, graph.TraceQuery{From: *from, To: *to, MaxDepth: *maxDepth, Limit: *limit})
		if err == nil {
			b, err = export.FromTrace(ctx, store, res)
			pic = export.TracePicture(res)
		}
	default:
		b, err = store.Records(ctx)
		if err == nil {
			pic = export.BatchPicture("leydigkg", b)
		}
	}
	if err != nil {
		return err
	}
	return writeExport(ctx, *format, *out, b, pic, stdout)
}

// writeExport writes b (or its picture) in format to out, or stdout.
func writeExport(ctx context.Context, format, out string, b *graph.Batch, pic *export.Picture, stdout io.Writer) error {
	create := func(name string) (io.Writer, func() error, error) {
		if name == "" {
			return stdout, func() error { return nil }, nil
		}
		f, err := os.Create(name)
		if err != nil {
			return nil, nil, err
		}
		bw := bufio.NewWriter(f)
		return bw, func() error { return errors.Join(bw.Flush(), f.Close()) }, nil
	}
	if format == "kgx" || (format == "kgx-jsonl" && out != "") {
		ext := ".tsv"
		if format == "kgx-jsonl" {
			ext = ".jsonl"
		}
		nw, nclose, err := create(out + "_nodes" + ext)
		if err != nil {
			return err
		}
		ew, eclose, err := create(out + "_edges" + ext)
		if err != nil {
			nclose()
			return err
		}
		if format == "kgx" {
			err = export.KGX(nw, ew, b)
		} else {
			err = export.KGXJSONL(nw, ew, b)
		}
		return errors.Join(err, nclose(), eclose())
	}
	w, closeW, err := create(out)
	if err != nil {
		return err
	}
	switch format {
	case "nquads":
		err = export.NQuads(w, b)
	case "kgx-jsonl":
		err = export.KGXJSONL(w, w, b)
	case "json":
		err = export.JSON(w, b)
	case "dot":
		err = pic.DOT(w)
	case "mermaid":
		err = pic.Mermaid(w)
	case "svg":
		err = pic.SVG(ctx, w)
	}
	return errors.Join(err, closeW())
}
