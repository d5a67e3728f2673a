package par

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
)

// TestShares: the shares cover 0..n once each, at most one a core and
// at most 1 + n/least of them, for n of none, below least, and many
// times it.
func TestShares(t *testing.T) {
	for _, tc := range []struct{ n, least int }{{0, 4}, {1, 4}, {3, 4}, {4, 4}, {9, 4}, {1000, 4}, {1001, 7}, {1 << 16, 4096}} {
		t.Run(fmt.Sprint(tc), func(t *testing.T) {
			seen := make([]int, tc.n)
			var mu sync.Mutex
			var sizes []int
			Shares(tc.n, tc.least, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					seen[i]++ // a share's own part
				}
				mu.Lock()
				sizes = append(sizes, hi-lo)
				mu.Unlock()
			})
			for i, c := range seen {
				if c != 1 {
					t.Fatalf("item %d done %d times", i, c)
				}
			}
			if len(sizes) > runtime.GOMAXPROCS(0) || len(sizes) > 1+tc.n/tc.least {
				t.Errorf("%d shares of %d items, least %d", len(sizes), tc.n, tc.least)
			}
		})
	}
}
