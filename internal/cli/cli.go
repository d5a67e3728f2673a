// Package cli is the leydigkg command line: serve, trace, validate, load,
// export, sources, upgrade and mcp, and the causal questions downstream,
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
	"regexp"
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
  leydigkg schema                                                         print the GraphQL schema as SDL (schema/schema.graphql)
  leydigkg mcp      [--store SPEC] [--data F]                             answer an AI assistant over MCP on stdin/stdout (docs/mcp.md)

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

// commands maps each command's name to what runs it.
func commands() map[string]func(context.Context, []string, io.Writer, io.Writer) error {
	return map[string]func(context.Context, []string, io.Writer, io.Writer) error{
		"serve":    serve,
		"trace":    trace,
		"validate": validate,
		"load":     load,
		"export":   exportCmd,
		"sources":  sources,
		"upgrade":  upgrade,
		"version":  version,
		"schema":   schemaCmd,
		"mcp":      mcpCmd,

		"downstream":     downstream,
		"upstream":       upstream,
		"loops":          loops,
		"interventions":  interventions,
		"knockout":       knockout,
		"contradictions": contradictions,
	}
}

// Main runs the command line args (without the program name) and returns
// the exit code: 0 success, 1 failure, 2 bad usage.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmds := commands()
	if args[0] == "help" && len(args) > 1 {
		run, ok := cmds[args[1]]
		if !ok {
			fmt.Fprintf(stderr, "leydigkg help: unknown command %q (see 'leydigkg help')\n", args[1])
			return 2
		}
		run(ctx, []string{"-h"}, stdout, stdout)
		return 0
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
	if errors.Is(err, graph.ErrBadArgument) {
		err = inFlagWords(err)
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
		var h hintError
		if errors.As(err, &h) {
			fmt.Fprintln(stderr, h.hint)
		}
		return 1
	}
	fmt.Fprintf(stderr, "leydigkg %s: %v\n", args[0], err)
	return 1
}

// argFlags names the flag that sets each query argument, so that an error
// of the query speaks of what the user typed.
var argFlags = map[string]string{
	"maxDepth": "--max-depth", "maxLength": "--max-length", "minBelief": "--min-belief",
	"netEffect": "--net-effect", "first": "--first", "limit": "--limit", "order": "--order-by",
	"goal": "--goal", "remove": "--remove",
}

var argWord = regexp.MustCompile(`(bad argument: )([A-Za-z]+)\b`)

// inFlagWords rewrites the argument a bad-argument error names into its
// flag: "bad argument: maxDepth must be in 1..8" reads "bad argument:
// --max-depth must be in 1..8". errors.Is still finds what err wraps.
func inFlagWords(err error) error {
	msg := argWord.ReplaceAllStringFunc(err.Error(), func(m string) string {
		sm := argWord.FindStringSubmatch(m)
		if f, ok := argFlags[sm[2]]; ok {
			return sm[1] + f
		}
		return m
	})
	return reworded{msg, err}
}

type reworded struct {
	msg string
	err error
}

func (r reworded) Error() string { return r.msg }
func (r reworded) Unwrap() error { return r.err }

type usageError struct{ error }

// dataUsage describes --data the same way on every command, with the
// formats of the reader registry.
var dataUsage = "data file to add to the graph, in any format leydigkg reads (" +
	strings.Join(loaders.Readers.Names(), ", ") + "; see 'leydigkg load -h'), repeatable"

// version prints the build and the curated data's version.
func version(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version", stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: leydigkg version   (or leydigkg --version)\n\nPrints the build (module version, VCS revision and time when the build\nrecorded them) and the version of the curated data compiled in.\n")
	}
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
//
// A wrong flag is one line naming the closest flag, not the whole usage;
// -h prints the usage.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	out, usage := fs.Output(), fs.Usage
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	defer func() { fs.SetOutput(out); fs.Usage = usage }()
	for {
		if err := fs.Parse(args); err != nil {
			fs.SetOutput(out)
			if errors.Is(err, flag.ErrHelp) {
				if usage != nil {
					usage()
				} else {
					fmt.Fprintf(out, "Usage: %s [flags]\n\nFlags:\n", fs.Name())
					fs.PrintDefaults()
				}
				return nil, err
			}
			return nil, usageError{flagError(fs, err)}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// flagError is err of fs.Parse in flag words (--name, as the usage
// writes them), with the closest flag when the flag is unknown.
func flagError(fs *flag.FlagSet, err error) error {
	msg := strings.ReplaceAll(err.Error(), ": -", ": --")
	msg = strings.ReplaceAll(msg, "flag -", "flag --")
	const unknown = "flag provided but not defined: -"
	name, ok := strings.CutPrefix(err.Error(), unknown)
	if !ok {
		return errors.New(msg)
	}
	name = strings.TrimLeft(name, "-")
	msg = fmt.Sprintf("unknown flag --%s", name)
	if near := closestFlag(fs, name); near != "" {
		msg += fmt.Sprintf("; did you mean --%s?", near)
	}
	return errors.New(msg + " (see -h)")
}

// closestFlag is the flag of fs nearest to name: fewest edits (at most a
// third of the name, and at least 2), or else the one flag that contains
// name or that name contains; "" when none is near.
func closestFlag(fs *flag.FlagSet, name string) string {
	best, bestDist := "", max(2, len(name)/3)+1
	var within []string
	fs.VisitAll(func(f *flag.Flag) {
		if d := editDistance(name, f.Name); d < bestDist {
			best, bestDist = f.Name, d
		}
		if strings.Contains(f.Name, name) || strings.Contains(name, f.Name) && len(f.Name) > 1 {
			within = append(within, f.Name)
		}
	})
	if best == "" && len(within) == 1 {
		best = within[0]
	}
	return best
}

// editDistance is the Levenshtein distance of a and b, in bytes (flag
// names are ASCII).
func editDistance(a, b string) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("leydigkg "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// openStoreWith opens the store named by spec and loads files into it.
// A new (empty) store is filled with the curated graph (unless noCurated)
// and the files in one all-or-nothing load: a refused load leaves the store
// as it was, and a bolt directory it created is removed again. Files that
// hold every curated entity (an export of the curated graph) are loaded
// without the fill.
func openStoreWith(ctx context.Context, spec string, noCurated bool, beliefs string, files []string, lf *loadFlags, stderr io.Writer) (*kg.Store, error) {
	table, err := beliefTable(beliefs)
	if err != nil {
		return nil, err
	}
	store, err := openCollectingLess(ctx, spec, table)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*kg.Store, error) {
		store.Discard() // removes only what this Open created
		return nil, err
	}
	fill := !noCurated && store.Stats(ctx).Entities == 0
	var curated []loaders.File
	if fill {
		if curated, err = data.Files(); err != nil {
			return fail(err)
		}
	}
	if len(files) == 0 {
		if fill {
			if _, err := data.Load(ctx, store); err != nil {
				return fail(err)
			}
		}
		return store, nil
	}
	if _, err := loadFiles(ctx, store, curated, files, lf, stderr); err != nil {
		if !fill || ctx.Err() != nil {
			return fail(err)
		}
		all, some := holdsCurated(ctx, files, lf)
		switch {
		case all:
			fmt.Fprintf(stderr, "the files hold every curated entity (an export of the curated graph?): loading them without the curated fill (--no-curated)\n")
			if _, err := loadFiles(ctx, store, nil, files, lf, stderr); err != nil {
				return fail(err)
			}
		case some > 0:
			return fail(hintError{err, fmt.Sprintf("a new store is filled with the curated graph in the same load, and %d of the files' entities have curated ids: to load files that carry curated records, add --no-curated", some)})
		default:
			return fail(err)
		}
	}
	return store, nil
}

// hintError adds a line of advice to an error, printed after its problems.
type hintError struct {
	err  error
	hint string
}

func (h hintError) Error() string { return h.err.Error() + "\n" + h.hint }
func (h hintError) Unwrap() error { return h.err }

// holdsCurated reads files alone into a scratch store and reports whether
// their entities include every curated entity, and how many curated ids
// they use. Files that do not load alone hold nothing.
func holdsCurated(ctx context.Context, files []string, lf *loadFlags) (all bool, some int) {
	b, err := data.Batch()
	if err != nil {
		return false, 0
	}
	scratch, err := data.OpenEmpty(ctx, "memory", kg.Options{})
	if err != nil {
		return false, 0
	}
	defer scratch.Close()
	quiet := lf
	if lf != nil {
		q, none := *lf, "none"
		q.progress = &none
		quiet = &q
	}
	if _, err := loadFiles(ctx, scratch, nil, files, quiet, io.Discard); err != nil {
		return false, 0
	}
	for _, e := range b.Entities {
		if got, err := scratch.Entity(ctx, e.ID); err == nil && got != nil {
			some++
		}
	}
	return some == len(b.Entities) && some > 0, some
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
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: leydigkg validate [flags] FILE...\n\nChecks data files as 'serve --data' would load them, on top of the curated\ngraph compiled into the binary (--no-curated: alone), and writes nothing;\neach problem is listed as file:line:col. Formats: %s.\n\nFlags:\n", strings.Join(loaders.Readers.Names(), ", "))
		fs.PrintDefaults()
	}
	lf := addLoadFlags(fs, "format")
	noCurated := fs.Bool("no-curated", false, "check the files alone, not on top of the curated graph")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError{errors.New("want one or more FILEs")}
	}
	if !*noCurated || !allCurated(pos, *lf.format) {
		return validateData(ctx, pos, !*noCurated, lf, stdout, stderr)
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
	rels := ""
	if len(b.Relations) > 0 {
		rels = fmt.Sprintf(", %d relations", len(b.Relations))
	}
	fmt.Fprintf(stdout, "ok: %d entities, %d links, %d references, %d sources%s in %d file(s)\n",
		len(b.Entities), len(b.Links), len(b.References), len(b.Sources), rels, len(files))
	return nil
}
