// Command leydigkg serves and queries the causal Leydig knowledge graph.
// See 'leydigkg -h' and the README.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/KimMachineGun/automemlimit/memlimit"

	"github.com/leydigkg/leydigkg/internal/cli"
)

func main() {
	if _, err := setMemoryLimit(); err != nil {
		// Go's own setting stands; say why the asked-for one does not.
		fmt.Fprintf(os.Stderr, "leydigkg: memory limit left to Go: %v\n", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// setMemoryLimit tells Go's garbage collector how much memory there is:
// 90% of the container's (cgroup) limit, or of the machine's where there
// is none. Left alone, the collector lets the heap grow to twice what is
// live before it collects, and a load of 10⁷ links (some 12 GB live at
// its peak) would ask for more than a machine of 23 GB has; told the
// limit, it collects sooner instead. GOMEMLIMIT in the environment, or
// AUTOMEMLIMIT=off, leaves Go's own setting; AUTOMEMLIMIT=0.5 takes half.
// The command's, not the library's: a program that embeds leydigkg
// decides for itself.
func setMemoryLimit() (int64, error) {
	return memlimit.Set(memlimit.WithProvider(memlimit.ApplyFallback(memlimit.FromCgroup, memlimit.FromSystem)))
}
