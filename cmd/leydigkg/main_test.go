package main

import (
	"math"
	"os"
	"runtime/debug"
	"testing"

	"github.com/KimMachineGun/automemlimit/memlimit"
)

func TestSetMemoryLimit(t *testing.T) {
	system, err := memlimit.FromSystem()
	if err != nil {
		t.Skip("the machine's memory is unknown here:", err)
	}
	cgroup, err := memlimit.FromCgroup()
	if err != nil {
		cgroup = math.MaxUint64
	}
	most := int64(min(system, cgroup))
	for _, tc := range []struct {
		name   string
		env    map[string]string
		lo, hi int64 // the limit set, within [lo, hi]
		fails  bool  // an error says why the limit is Go's own
	}{
		{"default: 90% of the memory there is", nil, most * 85 / 100, most * 90 / 100, false},
		{"AUTOMEMLIMIT takes a ratio", map[string]string{"AUTOMEMLIMIT": "0.5"}, most * 45 / 100, most / 2, false},
		{"AUTOMEMLIMIT=off leaves Go's", map[string]string{"AUTOMEMLIMIT": "off"}, math.MaxInt64, math.MaxInt64, false},
		{"GOMEMLIMIT leaves Go's", map[string]string{"GOMEMLIMIT": "1GiB"}, math.MaxInt64, math.MaxInt64, false},
		{"a bad AUTOMEMLIMIT leaves Go's, and says so", map[string]string{"AUTOMEMLIMIT": "lots"}, math.MaxInt64, math.MaxInt64, true},
		{"a ratio over 1 too", map[string]string{"AUTOMEMLIMIT": "1.5"}, math.MaxInt64, math.MaxInt64, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, k := range []string{"GOMEMLIMIT", "AUTOMEMLIMIT"} {
				t.Setenv(k, "") // restored after the test
				os.Unsetenv(k)
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			prev := debug.SetMemoryLimit(math.MaxInt64)
			defer debug.SetMemoryLimit(prev)
			if _, err := setMemoryLimit(); (err != nil) != tc.fails {
				t.Errorf("error %v, want one: %v", err, tc.fails)
			}
			if got := debug.SetMemoryLimit(-1); got < tc.lo || got > tc.hi {
				t.Errorf("memory limit %d, want %d..%d (system %d, cgroup %d)", got, tc.lo, tc.hi, system, cgroup)
			}
		})
	}
}
