package cli

import (
	"math"
	"os"
	"runtime/debug"
	"testing"
)

// TestCollectLess: GOGC is raised while a store opens only under a memory
// limit and when the user set no GOGC, and is restored after.
func TestCollectLess(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, tc := range []struct {
		name   string
		gogc   string // "" for unset
		limit  int64
		during int
	}{
		{"memory limit", "", 8 << 30, openGCPercent},
		{"no memory limit", "", math.MaxInt64, 100},
		{"GOGC set", "50", 8 << 30, 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GOGC", tc.gogc)
			if tc.gogc == "" {
				os.Unsetenv("GOGC") // t.Setenv puts back what was there
			}
			debug.SetMemoryLimit(tc.limit)
			restore := collectLess()
			during := debug.SetGCPercent(-1)
			debug.SetGCPercent(during)
			restore()
			after := debug.SetGCPercent(100)
			if during != tc.during || after != 100 {
				t.Errorf("GOGC %d while opening, %d after; want %d, 100", during, after, tc.during)
			}
		})
	}
}
