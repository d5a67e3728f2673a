// Package cli is the leydigkg command line: serve, trace, validate, load,
// export, sources and upgrade, and the causal questions downstream,
// upstream, loops, interventions, knockout and contradictions (the usage
// text below lists them). main only
// calls Main, so tests run exactly what users run.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/buildinfo"
	"github.com/leydigkg/leydigkg/kg"
	"github.com/leydigkg/leydigkg/loaders"
	"github.com/leydigkg/leydigkg/schema"
)

const usage = `leydigkg asks a causal biomedical knowledge graph why.

Usage:
  leydigkg serve    [--addr HOST:PORT] [--store SPEC] [--token-file F]   serve GraphQL and the playground
  leydigkg trace    [flags] FROM TO                                       print the causal chains FROM -> TO
  leydigkg validate FILE...                                               check curated YAML files
  leydigkg load     --store SPEC [FILE...]                                write the curated graph (and FILEs) into a store
  leydigkg export   --format FORMAT [--out PATH] [--around X | --from X --to Y]  write the graph (or part) as a file
  leydigkg sources  [--format text|json|ndjson|csv]                       the sources of the evidence, with counts
  leydigkg upgrade  --store SPEC                                          rewrite a store of an older leydigkg in this layout
  leydigkg version                                                        the build (version, revision) and the curated data's version

  leydigkg downstream    [flags] ENTITY              what ENTITY affects, with net effects
  leydigkg upstream      [flags] ENTITY              what affects ENTITY
  leydigkg loops         [flags] [ENTITY]            signed feedback cycles (REINFORCING, BALANCING)
  leydigkg interventions --goal EFFECT TARGET        therapies that move TARGET, and their side chains
  leydigkg knockout      --remove X FROM TO          which chains survive knocking X out
  leydigkg contradictions [flags]                    assertions of both effects between one pair, with beliefs and sources

The causal commands (trace and those above) take filters: --sources ID,...,
--deny-sources ID,..., --min-belief X, --knowledge-levels L,... and
--licenses SPDX,...; --belief-table FILE scores evidence with your own table
(see docs/model.md).

Stores (--store): memory (default), bolt:PATH, postgres:DSN (or a bare
postgres://... URL) or cockroach:DSN. An empty store is filled with
the curated graph compiled into the binary (unless --no-curated); --data adds
your own files: curated YAML, N-Quads, KGX TSV or JSON Lines, or signed
edge lists (see 'leydigkg load -h').
Run 'leydigkg COMMAND -h' for a command's flags.
`

// Main runs the command line args (without the program name) and returns
// the exit code: 0 success, 1 failure, 2 bad usage.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmds := map[string]func(context.Context, []string, io.Writer, io.Writer) error{
		"serve":    serve,
		"trace":    trace,
		"validate": validate,
		"load":     load,
		"export":   exportCmd,
		"sources":  sources,
		"upgrade":  upgrade,
		"version":  version,

		"downstream":     downstream,
		"upstream":       upstream,
		"loops":          loops,
		"interventions":  interventions,
		"knockout":       knockout,
		"contradictions": contradictions,
	}
	run, ok := cmds[args[0]]
	if !ok {
		if args[0] == "--version" || args[0] == "-version" {
			return Main(ctx, []string{"version"}, stdout, stderr)
		}
		if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprintf(stderr, "leydigkg: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	err := run(ctx, args[1:], stdout, stderr)
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "leydigkg %s: %v\n", args[0], err)
		return 2
	}
	var amb *graph.AmbiguousError
	if errors.As(err, &amb) {
		fmt.Fprintf(stderr, "leydigkg %s: %q names %d entities; ask by id:\n", args[0], amb.Ref, len(amb.Candidates))
		tw := tabwriter.NewWriter(stderr, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  ID\tNAME\tKIND")
		for _, c := range amb.Candidates {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.ID, c.Name, c.Kind)
		}
		tw.Flush()
		return 1
	}
	var list loaders.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintln(stderr, e)
		}
		note := "; nothing was written"
		if args[0] == "validate" {
			note = ""
		}
		fmt.Fprintf(stderr, "leydigkg %s: %d problem(s)%s\n", args[0], list.Count(), note)
		return 1
	}
	fmt.Fprintf(stderr, "leydigkg %s: %v\n", args[0], err)
	return 1
}

type usageError struct{ error }

// version prints the build and the curated data's version.
func version(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version", stderr)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{fmt.Errorf("takes no arguments, got %q", pos)}
	}
	dv, err := data.Version()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "leydigkg %s\ncurated data %s, Biolink %s\n", buildinfo.Read(), dv, schema.BiolinkVersion)
	return nil
}

// multi is a repeatable string flag; each use may also hold a comma list.
type multi []string

func (m *multi) String() string { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*m = append(*m, s)
		}
	}
	return nil
}

// parse parses flags wherever they stand among the positional arguments
// (leydigkg trace "chronic inflammation" testosterone --max-depth 4).
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("leydigkg "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// openStore opens spec with the belief table of the file beliefs (empty:
// the shipped one), fills it with the curated graph when it is empty
// (unless noCurated) and adds the user's files, read within limits.
// Loading what a store already holds changes nothing, so a bolt store
// filled once opens again without any data files.
func openStore(ctx context.Context, spec string, noCurated bool, beliefs string, files []string, limits *loaders.Limits, stderr io.Writer) (*kg.Store, error) {
	return openStoreWith(ctx, spec, noCurated, beliefs, files, &loadFlags{limits: limits}, stderr)
}

// openStoreWith is openStore reading the files as lf says (nil: defaults).
func openStoreWith(ctx context.Context, spec string, noCurated bool, beliefs string, files []string, lf *loadFlags, stderr io.Writer) (*kg.Store, error) {
	table, err := beliefTable(beliefs)
	if err != nil {
		return nil, err
	}
	open := data.OpenWith
	if noCurated {
		open = data.OpenEmpty
	}
	store, err := open(ctx, spec, kg.Options{Beliefs: table})
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*kg.Store, error) {
		store.Close()
		return nil, err
	}
	if len(files) > 0 {
		if _, err := loadFiles(ctx, store, files, lf, stderr); err != nil {
			return fail(err)
		}
	}
	return store, nil
}

// addBeliefFlag adds --belief-table.
func addBeliefFlag(fs *flag.FlagSet) *string {
	return fs.String("belief-table", "", "YAML belief table that scores evidence, instead of the shipped data/belief/default.yaml (see docs/model.md)")
}

// beliefTable reads the belief table file (empty: the shipped table).
func beliefTable(file string) (graph.BeliefTable, error) {
	if file == "" {
		return data.BeliefTable()
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("--belief-table: %w", err)
	}
	t, err := loaders.ReadBeliefTable(loaders.File{Name: file, Data: b})
	if err != nil {
		return nil, err
	}
	if err := t.Check(); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return t, nil
}

func validate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("validate", stderr)
	lf := addLoadFlags(fs, "format")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError{errors.New("want one or more FILEs")}
	}
	if !allCurated(pos, *lf.format) {
		return validateData(ctx, pos, lf, stdout, stderr)
	}
	files, err := loaders.ReadFilesWithin(*lf.limits, pos...)
	if err != nil {
		return err
	}
	c, err := loaders.Validate(files...)
	if err != nil {
		return err
	}
	b := &c.Batch
	fmt.Fprintf(stdout, "ok: %d entities, %d links, %d references, %d sources in %d file(s)\n",
		len(b.Entities), len(b.Links), len(b.References), len(b.Sources), len(files))
	return nil
}
