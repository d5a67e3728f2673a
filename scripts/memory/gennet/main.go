// Command gennet writes a generated signed network (graph/gen, seed 1) of
// N edges as a signed edge list (source,target,sign) to standard output.
package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/leydigkg/leydigkg/graph/gen"
)

func main() {
	n, err := strconv.Atoi(os.Args[1])
	if err == nil {
		err = gen.WriteSigned(os.Stdout, gen.Generate(gen.Config{Edges: n, Seed: 1}).Links)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gennet:", err)
		os.Exit(1)
	}
}
