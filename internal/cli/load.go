package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/kg"
	"github.com/leydigkg/leydigkg/loaders"
)

// loadFlags are the flags of every command that reads data files: how to
// read formats other than curated YAML.
type loadFlags struct {
	format      *string
	kind        *string
	source      *string
	srcTitle    *string
	srcLicense  *string
	srcURL      *string
	srcVersion  *string
	level       *string
	agent       *string
	maps        multi
	mapFile     *string
	prefixes    multi
	base        *string
	columns     *string
	header      *string
	delimiter   *string
	skipInvalid *bool
	progress    *string
	limits      *loaders.Limits
}

// formatFlag names the input-format flag: --format for load, and
// --data-format where --format means the output's.
func addLoadFlags(fs *flag.FlagSet, formatFlag string) *loadFlags {
	lf := &loadFlags{
		format:      fs.String(formatFlag, "", "format of the data files, instead of by extension: "+strings.Join(loaders.Readers.Names(), ", ")),
		kind:        fs.String("kind", string(graph.GeneProduct), "kind of entities a file names without a kind (signed edge lists, N-Quads nodes)"),
		source:      fs.String("source", "", "id of the source the files are (an infores: CURIE for a public resource), when their rows name none (default: each file is its own source)"),
		srcTitle:    fs.String("source-title", "", "title of --source"),
		srcLicense:  fs.String("source-license", "", "licence of --source, an SPDX id (CC-BY-4.0, CC-BY-NC-4.0, ...)"),
		srcURL:      fs.String("source-url", "", "where --source comes from"),
		srcVersion:  fs.String("source-version", "", "release or date of --source"),
		level:       fs.String("knowledge-level", "", "Biolink knowledge level of evidence whose file gives none: "+levels()),
		agent:       fs.String("agent-type", "", "Biolink agent type of evidence whose file gives none: "+agents()),
		base:        fs.String("base", "", "absolute IRI that relative IRIs in N-Quads resolve against (without it they are refused, as RDF 1.1 N-Quads says)"),
		mapFile:     fs.String("map-file", "", "file of N-Quads predicate mappings, one IRI EFFECT [biolink:predicate] a line"),
		columns:     fs.String("columns", "", "signed edge list columns SOURCE,TARGET,SIGN: header names or 1-based positions"),
		header:      fs.String("header", "", "signed edge list has a header: yes, no (default: look)"),
		delimiter:   fs.String("delimiter", "", "field separator of signed edge lists and KGX TSV/CSV: , ; | tab (or comma, semicolon, pipe), over the one the first line uses most"),
		skipInvalid: fs.Bool("skip-invalid", false, "load the good records and report the bad ones, instead of writing nothing"),
		progress:    fs.String("progress", "auto", "progress: bar, log, none, or auto (a bar on a terminal, log lines otherwise)"),
	}
	if formatFlag != "data-format" { // one name on every command: --data-format too
		fs.StringVar(lf.format, "data-format", "", "same as --"+formatFlag)
	}
	lf.limits = addLimitFlags(fs)
	fs.Var(&lf.maps, "map", "N-Quads predicate IRI=INCREASES|DECREASES[=biolink:predicate] (repeatable)")
	fs.Var(&lf.prefixes, "prefix", "CURIE prefix for N-Quads IRIs, PREFIX=IRI-stem (repeatable)")
	return lf
}

// addLimitFlags adds the --max-* flags of every command that reads data
// files: loaders.Limits.
func addLimitFlags(fs *flag.FlagSet) *loaders.Limits {
	d := loaders.DefaultLimits
	l := &d
	fs.Var((*size)(&l.Line), "max-line", "longest line of N-Quads, JSON Lines or YAML, and longest CSV/TSV record (B, KiB, MiB, GiB)")
	fs.Var((*size)(&l.Text), "max-text", "longest id, name, quote or other text of a record")
	fs.Var((*size)(&l.YAML), "max-yaml", "largest curated YAML or JSON file (each read whole)")
	fs.Var((*size64)(&l.Unzipped), "max-unzipped", "most a gzipped file may decompress to")
	fs.IntVar(&l.Ratio, "max-ratio", d.Ratio, "most a gzipped file may decompress to per compressed byte (past 1 MiB)")
	fs.IntVar(&l.Problems, "max-problems", d.Problems, "problems listed; the rest are counted")
	return l
}

// options turns the flags into loaders.Options. lf may hold limits only
// (commands that take no other load flags).
func (lf *loadFlags) options() (loaders.Options, error) {
	var o loaders.Options
	if lf == nil || lf.limits == nil {
		return o, nil
	}
	if lf.limits.Ratio < 1 || lf.limits.Problems < 1 {
		return o, usageError{fmt.Errorf("--max-ratio and --max-problems must be at least 1")}
	}
	o.Limits = *lf.limits
	if lf.format == nil {
		return o, nil
	}
	if *lf.format != "" {
		f, err := loaders.ParseFormat(*lf.format)
		if err != nil {
			return o, usageError{err}
		}
		o.Format = f
	}
	o.Kind = graph.Kind(strings.ToUpper(*lf.kind))
	if !o.Kind.Valid() {
		return o, usageError{fmt.Errorf("--kind %q (want one of %v)", *lf.kind, graph.Kinds)}
	}
	o.Source = graph.Source{ID: *lf.source, Title: *lf.srcTitle, License: *lf.srcLicense, URL: *lf.srcURL, Version: *lf.srcVersion}
	if o.Source.ID == "" && (o.Source.Title != "" || o.Source.License != "" || o.Source.URL != "" || o.Source.Version != "") {
		return o, usageError{fmt.Errorf("--source-title, --source-license, --source-url and --source-version describe --source: give --source ID too")}
	}
	o.KnowledgeLevel, o.AgentType = graph.KnowledgeLevel(*lf.level), graph.AgentType(*lf.agent)
	if o.KnowledgeLevel != "" && !o.KnowledgeLevel.Valid() {
		return o, usageError{fmt.Errorf("--knowledge-level %q (want one of %s)", *lf.level, levels())}
	}
	if o.AgentType != "" && !o.AgentType.Valid() {
		return o, usageError{fmt.Errorf("--agent-type %q (want one of %s)", *lf.agent, agents())}
	}
	o.SkipInvalid = *lf.skipInvalid
	o.Predicates = map[string]loaders.PredicateMapping{}
	if *lf.mapFile != "" {
		f, err := os.Open(*lf.mapFile)
		if err != nil {
			return o, err
		}
		m, err := loaders.ReadPredicateMap(*lf.mapFile, f)
		f.Close()
		if err != nil {
			return o, err
		}
		for k, v := range m {
			o.Predicates[k] = v
		}
	}
	for _, s := range lf.maps {
		iri, m, err := loaders.ParsePredicateMapping(s)
		if err != nil {
			return o, usageError{fmt.Errorf("--map: %w", err)}
		}
		o.Predicates[iri] = m
	}
	if *lf.base != "" {
		if err := loaders.CheckBase(*lf.base); err != nil {
			return o, usageError{fmt.Errorf("--base: %w", err)}
		}
		o.Base = *lf.base
	}
	o.Prefixes = map[string]string{}
	for _, s := range lf.prefixes {
		p, stem, ok := strings.Cut(s, "=")
		if !ok || p == "" || stem == "" {
			return o, usageError{fmt.Errorf("--prefix %q (want PREFIX=IRI-stem)", s)}
		}
		o.Prefixes[p] = stem
	}
	if *lf.columns != "" {
		c := strings.Split(*lf.columns, ",")
		if len(c) != 3 {
			return o, usageError{fmt.Errorf("--columns %q (want SOURCE,TARGET,SIGN)", *lf.columns)}
		}
		o.Signed.Source, o.Signed.Target, o.Signed.Sign = strings.TrimSpace(c[0]), strings.TrimSpace(c[1]), strings.TrimSpace(c[2])
	}
	switch *lf.header {
	case "", "yes", "no":
		o.Signed.Header = *lf.header
	default:
		return o, usageError{fmt.Errorf("--header %q (want yes or no)", *lf.header)}
	}
	if *lf.delimiter != "" {
		c, err := loaders.ParseDelimiter(*lf.delimiter)
		if err != nil {
			return o, usageError{fmt.Errorf("--delimiter: %w", err)}
		}
		o.Signed.Comma = c
	}
	switch *lf.progress {
	case "auto", "bar", "log", "none":
	default:
		return o, usageError{fmt.Errorf("--progress %q (want auto, bar, log or none)", *lf.progress)}
	}
	return o, nil
}

// progressFor picks how a load shows progress on stderr: a bar with rate
// and ETA on a terminal, a log line every few seconds otherwise.
func progressFor(mode string, stderr io.Writer) func(total int64) io.Writer {
	if mode == "auto" {
		mode = "log"
		if f, ok := stderr.(*os.File); ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
			mode = "bar"
		}
	}
	switch mode {
	case "bar":
		return func(total int64) io.Writer {
			return progressbar.NewOptions64(total,
				progressbar.OptionSetWriter(stderr),
				progressbar.OptionSetDescription("reading"),
				progressbar.OptionShowBytes(true),
				progressbar.OptionSetPredictTime(true),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionFullWidth(),
				progressbar.OptionOnCompletion(func() { fmt.Fprintln(stderr) }),
			)
		}
	case "log":
		return func(total int64) io.Writer {
			return &logProgress{w: stderr, total: total, start: time.Now(), every: 2 * time.Second}
		}
	}
	return nil
}

// logProgress writes "read 12.0 of 80.0 MB (15%), 6.1 MB/s, ETA 11s" lines.
type logProgress struct {
	mu    sync.Mutex
	w     io.Writer
	total int64
	done  int64
	start time.Time
	last  time.Time
	every time.Duration
}

func (p *logProgress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += int64(len(b))
	now := time.Now()
	if now.Sub(p.last) < p.every && p.done < p.total {
		return len(b), nil
	}
	if p.last.IsZero() {
		p.last = now       // no line for the first bytes: nothing to say yet,
		return len(b), nil // and none at all for a file read in a blink
	}
	p.last = now
	secs := now.Sub(p.start).Seconds()
	rate := float64(p.done) / max(secs, 1e-9)
	line := fmt.Sprintf("read %s of %s", mb(p.done), mb(p.total))
	if p.total > 0 {
		line += fmt.Sprintf(" (%d%%)", p.done*100/p.total)
	}
	line += fmt.Sprintf(", %s/s", mb(int64(rate)))
	if p.total > p.done && rate > 0 {
		line += ", ETA " + time.Duration(float64(p.total-p.done)/rate*float64(time.Second)).Round(time.Second).String()
	}
	fmt.Fprintln(p.w, line)
	return len(b), nil
}

func mb(n int64) string { return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + " MB" }

// loadFiles loads data files into store with the loaders' all-or-nothing
// Loader, printing progress and a summary on stderr. The curated files,
// when given, are read first in the same load (filling a new store).
func loadFiles(ctx context.Context, store *kg.Store, curated []loaders.File, files []string, lf *loadFlags, stderr io.Writer) (*loaders.Report, error) {
	opts, err := lf.options()
	if err != nil {
		return nil, err
	}
	mode := "none"
	if lf != nil && lf.progress != nil {
		mode = *lf.progress
	}
	if opts.Format == "" {
		for _, f := range files {
			if _, err := loaders.FormatOf(f); err != nil {
				return nil, err
			}
		}
	}
	ins, closeAll, err := loaders.OpenFiles(files...)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	if len(curated) > 0 {
		base := make([]loaders.Input, len(curated))
		for i, f := range curated {
			base[i] = loaders.Input{Name: f.Name, R: bytes.NewReader(f.Data), Size: int64(len(f.Data)), Format: loaders.FormatCurated}
		}
		ins = append(base, ins...)
	}
	l := &loaders.Loader{Store: store, Opts: opts, Progress: progressFor(mode, stderr)}
	rep, err := l.Load(ctx, ins...)
	if err != nil {
		return nil, err
	}
	for _, e := range rep.Skipped {
		fmt.Fprintf(stderr, "skipped: %v\n", e)
	}
	if len(curated) > 0 {
		if rep, err = withoutCurated(ctx, rep, curated, opts); err != nil {
			return nil, err
		}
		fmt.Fprintf(stderr, "filled the new store with the curated graph in the same step\n")
	}
	fmt.Fprintf(stderr, "loaded %s: %v\n", strings.Join(files, ", "), rep)
	return rep, nil
}

// withoutCurated takes the curated files' part out of the report of a load
// that read them first into an empty store: what they alone give (loaded
// into a scratch store), so that the report speaks of the user's files as
// if loaded onto the curated graph.
func withoutCurated(ctx context.Context, rep *loaders.Report, curated []loaders.File, opts loaders.Options) (*loaders.Report, error) {
	scratch, err := data.OpenEmpty(ctx, "memory", kg.Options{})
	if err != nil {
		return nil, err
	}
	defer scratch.Close()
	ins := make([]loaders.Input, len(curated))
	for i, f := range curated {
		ins[i] = loaders.Input{Name: f.Name, R: bytes.NewReader(f.Data), Format: loaders.FormatCurated}
	}
	opts.SkipInvalid = false
	base, err := (&loaders.Loader{Store: scratch, Opts: opts}).Load(ctx, ins...)
	if err != nil {
		return nil, err
	}
	return rep.Minus(base), nil
}

func load(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("load", stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, `Usage: leydigkg load --store SPEC [flags] FILE...

Writes FILEs into a store, all or nothing: one bad record and nothing is
written, with file:line:col for every problem (--skip-invalid loads the good
records and lists the bad ones). Formats (--format), chosen by extension,
each optionally .gz:
%sFlags:
`, loaders.Readers.Usage(true))
		fs.PrintDefaults()
	}
	spec := fs.String("store", "", "store to write into: bolt:PATH, postgres:DSN, cockroach:DSN (or memory, to check a load)")
	noCurated := fs.Bool("no-curated", false, "do not fill a new (empty) store with the curated graph, which is otherwise loaded with FILEs in the same all-or-nothing step")
	beliefs := addBeliefFlag(fs)
	lf := addLoadFlags(fs, "format")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *spec == "" {
		return usageError{errors.New("want --store bolt:PATH, postgres:DSN or cockroach:DSN")}
	}
	if _, err := lf.options(); err != nil {
		return err
	}
	start := time.Now()
	store, err := openStoreWith(ctx, *spec, *noCurated, *beliefs, pos, lf, stderr)
	if err != nil {
		return err
	}
	st := store.Stats(ctx)
	fmt.Fprintf(stdout, "%s now holds %d entities and %d links (%s)\n", store, st.Entities, st.Links, time.Since(start).Round(time.Millisecond))
	return store.Close()
}

// allCurated reports whether every file is curated YAML.
func allCurated(files []string, format string) bool {
	if format != "" {
		return format == loaders.FormatCurated
	}
	for _, f := range files {
		if ff, err := loaders.FormatOf(f); err != nil || ff != loaders.FormatCurated {
			return false
		}
	}
	return true
}

// validateData checks files of any format by loading them into a memory
// store, which is then dropped: one holding the curated graph when curated
// is set (as serve --data loads them), else an empty one.
func validateData(ctx context.Context, files []string, curated bool, lf *loadFlags, stdout, stderr io.Writer) error {
	if *lf.progress == "auto" {
		*lf.progress = "none"
	}
	open := data.OpenEmpty
	if curated {
		open = data.OpenWith
	}
	store, err := open(ctx, "memory", kg.Options{})
	if err != nil {
		return err
	}
	defer store.Close()
	rep, err := loadFiles(ctx, store, nil, files, lf, io.Discard)
	if err != nil {
		return err
	}
	for _, e := range rep.Skipped {
		fmt.Fprintf(stderr, "skipped: %v\n", e)
	}
	onto := ""
	if rep.Applied.Relations > 0 {
		onto = fmt.Sprintf(", %d relations", rep.Applied.Relations)
	}
	if curated {
		onto += " beyond the curated graph"
	}
	fmt.Fprintf(stdout, "ok: %d entities, %d links, %d references, %d sources%s in %d file(s); %d ignored, %d skipped\n",
		rep.Applied.Entities, rep.Applied.Links, rep.Applied.References, rep.Applied.Sources, onto, len(files), rep.Ignored, rep.Skipped.Count())
	return nil
}

// size is a flag of a size in bytes, with an optional unit: B, KiB, MiB
// or GiB (K, M, G, KB, MB, GB mean the same).
type size int

func (s *size) String() string { return formatSize(int64(*s)) }
func (s *size) Set(v string) error {
	n, err := parseSize(v, math.MaxInt32)
	*s = size(n)
	return err
}

// size64 is a size flag of int64.
type size64 int64

func (s *size64) String() string { return formatSize(int64(*s)) }
func (s *size64) Set(v string) error {
	n, err := parseSize(v, math.MaxInt64)
	*s = size64(n)
	return err
}

var sizeUnits = []struct {
	names []string
	n     int64
}{{[]string{"GiB", "GB", "G"}, 1 << 30}, {[]string{"MiB", "MB", "M"}, 1 << 20}, {[]string{"KiB", "KB", "K"}, 1 << 10}, {[]string{"B", ""}, 1}}

func parseSize(v string, most int64) (int64, error) {
	t := strings.TrimSpace(v)
	for _, u := range sizeUnits {
		for _, name := range u.names {
			num, ok := strings.CutSuffix(t, name)
			if !ok {
				continue
			}
			n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
			if err != nil {
				break // "12MiB" also ends in "B": let the later units try
			}
			if n < 1 || n > most/u.n {
				return 0, fmt.Errorf("%q is out of range (1 B to %s)", v, formatSize(most))
			}
			return n * u.n, nil
		}
	}
	return 0, fmt.Errorf("%q is not a size (want a number and B, KiB, MiB or GiB)", v)
}

func formatSize(n int64) string {
	for _, u := range sizeUnits {
		if n >= u.n && n%u.n == 0 {
			return strconv.FormatInt(n/u.n, 10) + u.names[0]
		}
	}
	return strconv.FormatInt(n, 10) + "B"
}

func levels() string {
	var out []string
	for _, k := range graph.KnowledgeLevels {
		out = append(out, string(k))
	}
	return strings.Join(out, ", ")
}

func agents() string {
	var out []string
	for _, a := range graph.AgentTypes {
		out = append(out, string(a))
	}
	return strings.Join(out, ", ")
}
