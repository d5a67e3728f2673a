// Package par runs the work of a loop in shares, one on each core: the
// one place that splits work across cores (decoding a store's links,
// looking up their ends). It imports only the standard library.
package par

import (
	"runtime"
	"sync"
)

// Shares calls work(lo, hi) for shares lo..hi that cover 0..n once each,
// at once, and returns when all have returned: at most one share a core,
// and at most 1 + n/least shares (under least items of work stay on one).
// Each share may write its own part of a result; nothing else is shared.
func Shares(n, least int, work func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), 1+n/least)
	per := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += per {
		wg.Go(func() { work(lo, min(lo+per, n)) })
	}
	wg.Wait()
}
