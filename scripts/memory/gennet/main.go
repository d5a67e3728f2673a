// Command gennet writes a generated signed network (graph/gen, seed 1) of
// N edges as a signed edge list (source,target,sign) to standard output.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
)

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	fmt.Fprintln(w, "source,target,sign")
	for _, l := range gen.Generate(gen.Config{Edges: n, Seed: 1}).Links {
		s := "1"
		if l.Effect == graph.Decreases {
			s = "-1"
		}
		fmt.Fprintf(w, "%s,%s,%s\n", l.Subject, l.Object, s)
	}
}
