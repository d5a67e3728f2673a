// Command leydigkg serves and queries the causal Leydig knowledge graph.
// See 'leydigkg -h' and the README.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/leydigkg/leydigkg/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
