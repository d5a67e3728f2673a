package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/leydigkg/leydigkg/internal/buildinfo"
	"github.com/leydigkg/leydigkg/internal/mcpserver"
	"github.com/leydigkg/leydigkg/schema"
	"github.com/leydigkg/leydigkg/server"
)

// mcpCmd serves the MCP tools over stdin and stdout, for a desktop
// assistant that starts leydigkg itself (see docs/mcp.md). Stdout carries
// the protocol only; everything else goes to stderr.
func mcpCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("mcp", stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: leydigkg mcp [--store SPEC] [--data FILE]... [flags]\n\nAnswers an AI assistant over MCP on stdin and stdout (docs/mcp.md): read-only\ntools (find entities, trace, downstream, upstream, loops, interventions,\nknockout, a link's evidence) and resources (the sources, the schema's SDL).\nStdout carries the protocol only.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	spec := fs.String("store", "memory", "store: memory, bolt:PATH, postgres:DSN or cockroach:DSN")
	noCurated := fs.Bool("no-curated", false, "do not fill an empty store with the curated graph")
	beliefs := addBeliefFlag(fs)
	var files multi
	fs.Var(&files, "data", dataUsage)
	lf := addLoadFlags(fs, "data-format")
	timeout := fs.Duration("timeout", server.DefaultRequestTimeout, "deadline of one tool call")
	maxLine := fs.Int("max-body", server.DefaultMaxBodyBytes, "longest message in bytes")
	maxName := fs.Int("max-name-length", schema.DefaultMaxNameLength, "longest string argument of a tool in bytes (-1: no limit)")
	if pos, err := parseEnv(fs, args, os.Getenv); err != nil {
		return err
	} else if len(pos) > 0 {
		return usageError{fmt.Errorf("unexpected arguments %q", pos)}
	}
	store, err := openStoreWith(ctx, *spec, *noCurated, *beliefs, files, lf, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	sch, err := schema.New(store)
	if err != nil {
		return err
	}
	srv := mcpserver.New(store, mcpserver.Options{Version: buildinfo.Read().String(), Timeout: *timeout, MaxNameLength: *maxName, SDL: schema.SDL(&sch)})
	err = srv.Run(ctx, &mcp.IOTransport{Reader: os.Stdin, Writer: nopWriteCloser{stdout}, MaxLineLength: *maxLine})
	if errors.Is(err, io.EOF) || ctx.Err() != nil {
		return nil // the client hung up, or a signal
	}
	return err
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }
