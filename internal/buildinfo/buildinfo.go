// Package buildinfo says which leydigkg this is: the module version and
// the VCS revision the binary was built from, as debug.ReadBuildInfo
// records them.
//
//	fmt.Println(buildinfo.Read()) // v1.2.0 (rev 8b371c9d2e41, 2026-12-01T17:00:00Z)
package buildinfo

import (
	"runtime/debug"
	"strings"
)

// Info is what the build recorded.
type Info struct {
	Version  string // module version; "(devel)" when built from a checkout
	Revision string // VCS revision; empty when the build recorded none
	Time     string // commit time (RFC 3339); empty when unknown
	Modified bool   // the checkout had uncommitted changes
}

// Read returns this binary's build information.
func Read() Info { return From(debug.ReadBuildInfo()) }

// From reads a build's information; ok false (no build information, as in
// a binary built without module support) gives version "unknown".
func From(bi *debug.BuildInfo, ok bool) Info {
	if !ok || bi == nil {
		return Info{Version: "unknown"}
	}
	in := Info{Version: bi.Main.Version}
	if in.Version == "" {
		in.Version = "(devel)"
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			in.Revision = s.Value
		case "vcs.time":
			in.Time = s.Value
		case "vcs.modified":
			in.Modified = s.Value == "true"
		}
	}
	return in
}

// String is the version, then the revision (12 digits, "+dirty" when
// modified) and time when known: "(devel) (rev 8b371c9d2e41+dirty,
// 2026-12-01T17:00:00Z)".
func (in Info) String() string {
	if in.Revision == "" {
		return in.Version
	}
	rev := in.Revision
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if in.Modified {
		rev += "+dirty"
	}
	var b strings.Builder
	b.WriteString(in.Version + " (rev " + rev)
	if in.Time != "" {
		b.WriteString(", " + in.Time)
	}
	b.WriteString(")")
	return b.String()
}
