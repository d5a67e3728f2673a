package buildinfo

import (
	"runtime/debug"
	"testing"
)

func TestFrom(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	for _, tc := range []struct {
		name string
		bi   *debug.BuildInfo
		ok   bool
		want Info
		str  string
	}{
		{"no build info", nil, false, Info{Version: "unknown"}, "unknown"},
		{"go install of a tag", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, true,
			Info{Version: "v1.2.0"}, "v1.2.0"},
		{"checkout, clean", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: vcs("vcs.revision", "8b371c9d2e41aa0011223344556677889900aabb", "vcs.time", "2026-12-01T17:00:00Z", "vcs.modified", "false")}, true,
			Info{Version: "(devel)", Revision: "8b371c9d2e41aa0011223344556677889900aabb", Time: "2026-12-01T17:00:00Z"},
			"(devel) (rev 8b371c9d2e41, 2026-12-01T17:00:00Z)"},
		{"checkout, modified", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: vcs("vcs.revision", "abc", "vcs.modified", "true")}, true,
			Info{Version: "(devel)", Revision: "abc", Modified: true}, "(devel) (rev abc+dirty)"},
		{"empty main version", &debug.BuildInfo{}, true, Info{Version: "(devel)"}, "(devel)"},
	} {
		got := From(tc.bi, tc.ok)
		if got != tc.want {
			t.Errorf("%s: From = %+v, want %+v", tc.name, got, tc.want)
		}
		if s := got.String(); s != tc.str {
			t.Errorf("%s: String = %q, want %q", tc.name, s, tc.str)
		}
	}
}
