package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDataFlagsEverywhere: every command that reads data files takes the
// same flags for them, by the same names: --data-format (validate and load
// also call it --format), --map, --columns and the --max-* limits.
func TestDataFlagsEverywhere(t *testing.T) {
	for _, cmd := range []string{"validate", "load", "trace", "export", "sources", "serve", "mcp"} {
		t.Run(cmd, func(t *testing.T) {
			_, _, errs := run(t, cmd, "-h")
			for _, flag := range []string{"-data-format ", "-map ", "-columns ", "-max-line "} {
				if !strings.Contains(errs, "  "+flag) {
					t.Errorf("%s -h has no %s:\n%s", cmd, flag, errs)
				}
			}
		})
	}
	// A file whose name says nothing of its format, read by --data-format.
	f := filepath.Join(t.TempDir(), "net.txt")
	if err := os.WriteFile(f, []byte("source,target,sign\nTNF,NFKB1,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"validate", "--data-format", "signed", f},
		{"validate", "--format", "signed", f},
		{"load", "--store", "memory", "--progress", "none", "--data-format", "signed", f},
		{"trace", "--data", f, "--data-format", "signed", "TNF", "NFKB1"},
	} {
		if code, out, errs := run(t, args...); code != 0 {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, errs)
		}
	}
}

// TestEveryHelpHasAHeader: 'leydigkg help CMD' starts with the command's
// usage line, for every command.
func TestEveryHelpHasAHeader(t *testing.T) {
	for name := range commands() {
		t.Run(name, func(t *testing.T) {
			_, out, errs := run(t, "help", name)
			if got := out + errs; !strings.HasPrefix(got, "Usage: leydigkg "+name) {
				t.Errorf("help %s starts %.60q", name, got)
			}
		})
	}
}
