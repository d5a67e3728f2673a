package data

import (
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/loaders"
)

func TestVersion(t *testing.T) {
	v1, err := Version()
	if err != nil {
		t.Fatal(err)
	}
	v2, _ := Version()
	if v1 != v2 || !strings.HasPrefix(v1, "sha256:") || len(v1) != len("sha256:")+16 {
		t.Fatalf("Version = %q then %q, want one stable sha256:<16 hex>", v1, v2)
	}
	files, _ := Files()
	base := hashFiles(files)
	if base != v1 {
		t.Fatalf("Version %q is not the hash of Files() %q", v1, base)
	}
	f := func(kv ...string) []loaders.File {
		var out []loaders.File
		for i := 0; i < len(kv); i += 2 {
			out = append(out, loaders.File{Name: kv[i], Data: []byte(kv[i+1])})
		}
		return out
	}
	ref := hashFiles(f("a.yaml", "xy", "b.yaml", "z"))
	for _, tc := range []struct {
		name  string
		files []loaders.File
	}{
		{"a byte changed", f("a.yaml", "xY", "b.yaml", "z")},
		{"a byte moved to the next file", f("a.yaml", "x", "b.yaml", "yz")},
		{"a byte moved into the next name", f("a.yaml", "x", "yb.yaml", "z")},
		{"a file renamed", f("a.yaml", "xy", "c.yaml", "z")},
		{"a file dropped", f("a.yaml", "xy")},
	} {
		if got := hashFiles(tc.files); got == ref {
			t.Errorf("%s: same version %q", tc.name, got)
		}
	}
	if again := hashFiles(f("a.yaml", "xy", "b.yaml", "z")); again != ref {
		t.Errorf("same files hash %q then %q", ref, again)
	}
}
