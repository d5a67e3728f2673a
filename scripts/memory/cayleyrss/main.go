// Command cayleyrss loads a signed edge list (source,target,sign) into
// cayley's memstore as one quad an edge and prints the process's resident
// memory: what cayley itself takes to hold the network.
package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/cayleygraph/cayley/graph/memstore"
	"github.com/cayleygraph/quad"
)

func main() {
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sc := bufio.NewScanner(f)
	qs := memstore.New()
	sc.Scan() // the header
	for sc.Scan() {
		p := strings.Split(sc.Text(), ",")
		pred := "increases"
		if p[2] == "-1" {
			pred = "decreases"
		}
		qs.AddQuad(quad.Make(quad.IRI(p[0]), quad.IRI(pred), quad.IRI(p[1]), nil))
	}
	runtime.GC()
	time.Sleep(time.Second)
	status, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(l, "VmRSS") {
			fmt.Println("cayley memstore, one quad an edge:", strings.TrimSpace(strings.TrimPrefix(l, "VmRSS:")))
		}
	}
	runtime.KeepAlive(qs)
}
