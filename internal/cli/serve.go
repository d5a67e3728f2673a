package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/internal/buildinfo"
	"github.com/leydigkg/leydigkg/schema"
	"github.com/leydigkg/leydigkg/server"
)

// envPrefix names the environment variables that give serve's flags their
// defaults: --max-depth is LEYDIGKG_MAX_DEPTH. A flag on the command line
// wins over the variable.
const envPrefix = "LEYDIGKG_"

func envName(flagName string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parseEnv parses args as parse does, then sets every flag the command
// line did not give from its variable in the environment (read through
// getenv): the flag wins, also for a repeatable flag (LEYDIGKG_DATA=a
// --data b adds b only). Each flag's help names its variable.
func parseEnv(fs *flag.FlagSet, args []string, getenv func(string) string) ([]string, error) {
	fs.VisitAll(func(f *flag.Flag) { f.Usage += " [$" + envName(f.Name) + "]" })
	pos, err := parse(fs, args)
	if err != nil {
		return nil, err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	fs.VisitAll(func(f *flag.Flag) {
		name := envName(f.Name)
		v := getenv(name)
		if err != nil || given[f.Name] || v == "" {
			return
		}
		if e := fs.Set(f.Name, v); e != nil {
			err = usageError{fmt.Errorf("$%s: %w", name, e)}
		}
	})
	return pos, err
}

// serveConfig is everything serve's flags set.
type serveConfig struct {
	addr, spec, logFormat, logLevel  string
	beliefs                          string
	noCurated                        bool
	files                            multi
	load                             *loadFlags
	token, tokenFile                 string
	cors                             multi
	srv                              server.Config
	readHeader, read, write, idle    time.Duration
	shutdown                         time.Duration
	maxDepth, maxAliases, maxFields  int
	maxCost, maxQueryLength, maxBody int
	maxConns                         int
	maxName, maxText                 int
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: leydigkg serve [--addr HOST:PORT] [--store SPEC] [--data FILE]... [flags]\n\nServes GraphQL at /graphql, the playground at /, the explorer at /explore,\nMCP at /mcp, and /healthz, /readyz and /metrics (docs/serving.md). Every\nflag can also be set by its LEYDIGKG_* environment variable (--max-depth:\nLEYDIGKG_MAX_DEPTH); a flag on the command line wins.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	var c serveConfig
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&c.spec, "store", "memory", "store: memory, bolt:PATH, postgres:DSN or cockroach:DSN")
	fs.BoolVar(&c.noCurated, "no-curated", false, "do not fill an empty store with the curated graph")
	fs.StringVar(&c.beliefs, "belief-table", "", "YAML belief table that scores evidence, instead of the shipped data/belief/default.yaml (see docs/model.md)")
	fs.Var(&c.files, "data", dataUsage)
	c.load = addLoadFlags(fs, "data-format")
	fs.StringVar(&c.token, "token", "", "bearer token that may run mutations (prefer $LEYDIGKG_TOKEN or --token-file: a flag shows in ps); none: read-only")
	fs.StringVar(&c.tokenFile, "token-file", "", "file of bearer tokens that may run mutations, one a line")
	fs.Var(&c.cors, "cors-origins", "origins allowed to call the API from a browser, comma-separated (* for any); none: no CORS headers")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&c.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	verbose := fs.Bool("v", false, "log at debug level (probes too)")
	fs.DurationVar(&c.srv.RequestTimeout, "timeout", server.DefaultRequestTimeout, "deadline of one GraphQL request's execution")
	fs.Int64Var(&c.srv.MaxListItems, "max-items", server.DefaultMaxListItems, "list items one GraphQL request may resolve")
	fs.IntVar(&c.maxBody, "max-body", server.DefaultMaxBodyBytes, "longest request body in bytes (413 beyond)")
	fs.IntVar(&c.maxQueryLength, "max-query-length", schema.DefaultMaxQueryLength, "longest GraphQL document in bytes (-1: no limit)")
	fs.IntVar(&c.maxDepth, "max-depth", schema.DefaultMaxDepth, "deepest nesting of selections (-1: no limit)")
	fs.IntVar(&c.maxAliases, "max-aliases", schema.DefaultMaxAliases, "most aliases in a document (-1: no limit)")
	fs.IntVar(&c.maxFields, "max-fields", schema.DefaultMaxFields, "most field selections, fragments expanded (-1: no limit)")
	fs.IntVar(&c.maxCost, "max-cost", schema.DefaultMaxCost, "highest estimated cost; first/limit/maxDepth/maxLength arguments multiply (-1: no limit)")
	fs.IntVar(&c.maxConns, "max-conns", defaultMaxConns, fmt.Sprintf("most connections served at once; %d more answer only /healthz, /readyz and /metrics (0: no limit)", server.ReserveConns))
	fs.IntVar(&c.maxName, "max-name-length", schema.DefaultMaxNameLength, "longest id, name or search text argument in bytes, variables too (-1: no limit)")
	fs.IntVar(&c.maxText, "max-text-length", schema.DefaultMaxTextLength, "longest quote, description, mechanism or section argument in bytes (-1: no limit)")
	fs.DurationVar(&c.readHeader, "read-header-timeout", 10*time.Second, "time to read a request's headers")
	fs.DurationVar(&c.read, "read-timeout", 30*time.Second, "time to read a whole request")
	fs.DurationVar(&c.write, "write-timeout", 0, "time to write a response (0: --timeout plus 10s)")
	fs.DurationVar(&c.idle, "idle-timeout", 2*time.Minute, "how long an idle keep-alive connection stays open")
	fs.DurationVar(&c.shutdown, "shutdown-timeout", 15*time.Second, "on SIGINT/SIGTERM, how long in-flight requests may finish")
	if pos, err := parseEnv(fs, args, os.Getenv); err != nil {
		return err
	} else if len(pos) > 0 {
		return usageError{fmt.Errorf("unexpected arguments %q", pos)}
	}
	if c.maxConns < 0 {
		return usageError{fmt.Errorf("--max-conns %d: want 0 (no limit) or more", c.maxConns)}
	}
	if *verbose {
		c.logLevel = "debug"
	}
	log, err := newLogger(stderr, c.logFormat, c.logLevel)
	if err != nil {
		return usageError{err}
	}
	tokens, err := readTokens(c.token, c.tokenFile)
	if err != nil {
		return err
	}
	c.srv.Tokens, c.srv.CORSOrigins, c.srv.Logger = tokens, c.cors, log
	c.srv.MaxBodyBytes = int64(c.maxBody)
	c.srv.Limits = schema.Limits{
		QueryLength: c.maxQueryLength, Depth: c.maxDepth, Aliases: c.maxAliases,
		Fields: c.maxFields, Cost: c.maxCost, NameLength: c.maxName, TextLength: c.maxText,
	}
	if c.write == 0 {
		c.write = c.srv.RequestTimeout + 10*time.Second
	}

	store, err := openStoreWith(ctx, c.spec, c.noCurated, c.beliefs, c.files, c.load, stderr)
	if err != nil {
		return err
	}
	defer func() {
		if err := store.Close(); err != nil {
			log.Error("closing the store", "err", err)
			return
		}
		log.Info("store closed")
	}()
	c.srv.Store = store
	// Opening a store decodes the whole graph and a load writes it: their
	// garbage (several times the index they leave) would stay in the
	// process's memory until the scavenger got to it. Hand it back before
	// serving (a 10⁶-link bolt store: 1.9 GB anonymous RSS without this;
	// at 10⁷ it takes 2 s, during which allocation waits, so a server
	// already listening would not answer either).
	debug.FreeOSMemory()
	dv, err := data.Version()
	if err != nil {
		return err
	}
	c.srv.Meta = schema.Meta{Version: buildinfo.Read().String(), DataVersion: dv}
	h, err := server.New(c.srv)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	if c.maxConns > 0 {
		ln = server.LimitListener(ln, c.maxConns)
	}
	srv := &http.Server{
		Handler:           h,
		ConnContext:       server.ConnContext,
		ReadHeaderTimeout: c.readHeader,
		ReadTimeout:       c.read,
		WriteTimeout:      c.write,
		IdleTimeout:       c.idle,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		// Requests do not inherit the signal context: on shutdown they
		// finish, within --shutdown-timeout.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	st := store.Stats(ctx)
	base := "http://" + ln.Addr().String()
	log.InfoContext(ctx, "serving", "url", base+"/", "graphql", base+"/graphql",
		"store", store.String(), "entities", st.Entities, "links", st.Links, "writes", len(tokens) > 0)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.InfoContext(ctx, "shutting down: no new connections, finishing requests in flight", "timeout", c.shutdown)
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.shutdown)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// defaultMaxConns bounds the connections serve holds open. Go raises the
// soft limit on open files to the hard one at start (often 4,096 or more),
// so a flood of connections meets this cap, not "too many open files".
const defaultMaxConns = 1000

func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: l}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", format)
}

// readTokens gathers the write tokens of --token and --token-file (one a
// line; blank lines and lines starting with # are skipped). As ssh does
// with private keys, it refuses a token file that its group or others may
// read or write, and every token shorter than server.MinTokenLength.
func readTokens(token, file string) ([]string, error) {
	var tokens []string
	if t := strings.TrimSpace(token); t != "" {
		if len(t) < server.MinTokenLength {
			return nil, fmt.Errorf("--token ($LEYDIGKG_TOKEN): a token must be at least %d bytes long, this one has %d; make one with: openssl rand -hex 32", server.MinTokenLength, len(t))
		}
		tokens = append(tokens, t)
	}
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return nil, fmt.Errorf("--token-file: %w", err)
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return nil, fmt.Errorf("--token-file: %w", err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
			return nil, fmt.Errorf("--token-file %s has mode %04o: its group or others may read it; run: chmod 600 %s", file, perm, file)
		}
		b, err := io.ReadAll(io.LimitReader(f, maxTokenFile+1))
		if err != nil {
			return nil, fmt.Errorf("--token-file: %w", err)
		}
		if len(b) > maxTokenFile {
			return nil, fmt.Errorf("--token-file %s is longer than %d bytes", file, maxTokenFile)
		}
		n := len(tokens)
		for i, line := range strings.Split(string(b), "\n") {
			if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			if len(line) < server.MinTokenLength {
				return nil, fmt.Errorf("%s:%d: a token must be at least %d bytes long, this one has %d; make one with: openssl rand -hex 32", file, i+1, server.MinTokenLength, len(line))
			}
			tokens = append(tokens, line)
		}
		if len(tokens) == n {
			return nil, fmt.Errorf("--token-file %s holds no token", file)
		}
	}
	return tokens, nil
}

// maxTokenFile bounds what --token-file reads.
const maxTokenFile = 1 << 20
