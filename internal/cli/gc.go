package cli

import (
	"context"
	"math"
	"os"
	"runtime/debug"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/kg"
)

// Opening a store decodes the whole graph into an index whose live heap
// only grows while it is built: each collection on the way marks all of
// it again and frees little. At 10⁷ links, collecting at Go's default
// (GOGC=100: when the heap is twice what the last collection left) was
// some 9 s of CPU of a 50 s open, on two cores.

// openGCPercent is the GOGC while a store opens (collectLess).
const openGCPercent = 300

// openCollectingLess opens the store named by spec (data.OpenEmpty),
// collecting less while it does (collectLess); loading files into it
// after is not covered: a load's heap holds garbage.
func openCollectingLess(ctx context.Context, spec string, beliefs graph.BeliefTable) (*kg.Store, error) {
	defer collectLess()()
	return data.OpenEmpty(ctx, spec, kg.Options{Beliefs: beliefs})
}

// collectLess lets the heap grow to four times what is live before a
// collection (GOGC=300), until restore: only where a memory limit bounds
// the heap anyway (the command sets one: cmd/leydigkg), and not when the
// user chose a GOGC. Without a limit, a heap four times the live one
// could ask for more memory than the machine has.
func collectLess() (restore func()) {
	if os.Getenv("GOGC") != "" || debug.SetMemoryLimit(-1) == math.MaxInt64 {
		return func() {}
	}
	old := debug.SetGCPercent(openGCPercent)
	return func() { debug.SetGCPercent(old) }
}
