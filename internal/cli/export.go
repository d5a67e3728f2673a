package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/leydigkg/leydigkg/export"
	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/format"
)

func exportCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("export", stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, `Usage: leydigkg export --format FORMAT [--out PATH] [--around ENTITY [--depth N] | --from X --to Y] [flags]

Writes the whole graph, an entity's neighbourhood (--around) or the chains of
a trace (--from, --to) as:
%sAn export as nquads, kgx or kgx-jsonl loads back with 'leydigkg load' and
exports again unchanged.
Flags:
`, export.Writers.Usage(false))
		fs.PrintDefaults()
	}
	outFormat := fs.String("format", "", "export format: "+strings.Join(export.Writers.Names(), ", "))
	out := fs.String("out", "", "file to write (kgx: the prefix of the two files); default stdout")
	around := fs.String("around", "", "export only this entity's neighbourhood")
	depth := fs.Int("depth", 1, "links from --around to include")
	from := fs.String("from", "", "export only the chains of a trace from this entity (with --to)")
	to := fs.String("to", "", "end of the trace (with --from)")
	maxDepth := fs.Int("max-depth", graph.DefaultTraceDepth, "most links in a traced chain")
	limit := fs.Int("limit", graph.DefaultTraceLimit, "most traced chains")
	spec := fs.String("store", "memory", "store: memory, bolt:PATH, postgres:DSN or cockroach:DSN")
	noCurated := fs.Bool("no-curated", false, "do not fill an empty store with the curated graph")
	beliefs := addBeliefFlag(fs)
	var files multi
	fs.Var(&files, "data", dataUsage)
	lf := addLoadFlags(fs, "data-format")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	writer, known := export.Writers.Lookup(*outFormat)
	switch {
	case len(pos) > 0:
		return usageError{fmt.Errorf("unexpected arguments %q", pos)}
	case !known:
		return usageError{fmt.Errorf("--format %q (want one of %s)", *outFormat, strings.Join(export.Writers.Names(), ", "))}
	case writer.Codec.One == nil && *out == "":
		return usageError{fmt.Errorf("--format %s writes two files: give --out PREFIX", *outFormat)}
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
	store, err := openStoreWith(ctx, *spec, *noCurated, *beliefs, files, lf, stderr)
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
	return writeExport(ctx, writer, *out, b, pic, stdout)
}

// writeExport writes b (or its picture) with f to out, or stdout: to
// two files named from out when f splits nodes from edges.
func writeExport(ctx context.Context, f format.Entry[export.Writer], out string, b *graph.Batch, pic *export.Picture, stdout io.Writer) error {
	create := func(name string) (io.Writer, func() error, error) {
		if name == "" {
			return stdout, func() error { return nil }, nil
		}
		file, err := os.Create(name)
		if err != nil {
			return nil, nil, err
		}
		bw := bufio.NewWriter(file)
		return bw, func() error { return errors.Join(bw.Flush(), file.Close()) }, nil
	}
	if split := f.Codec.Split; split != nil && (out != "" || f.Codec.One == nil) {
		nw, nclose, err := create(out + "_nodes" + f.Exts[0])
		if err != nil {
			return err
		}
		ew, eclose, err := create(out + "_edges" + f.Exts[0])
		if err != nil {
			nclose()
			return err
		}
		return errors.Join(split(nw, ew, b), nclose(), eclose())
	}
	w, closeW, err := create(out)
	if err != nil {
		return err
	}
	return errors.Join(f.Codec.One(ctx, w, b, pic), closeW())
}
