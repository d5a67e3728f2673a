package cli

import (
	"strings"
	"testing"
)

// TestLoadDelimiter: --delimiter overrides the separator sniffed from a
// file's first line, for signed edge lists and KGX files (whose header is
// then told by it), and a bad value is a usage error.
func TestLoadDelimiter(t *testing.T) {
	// Each first line has as many commas as semicolons: sniffed as commas.
	semi := writeFile(t, "semi.csv", "source;target;sign;note (who, when, why, how)\nIL6;testosterone;-1;Smith, 2001, review\n")
	nodes := writeFile(t, "nodes.tsv", "id;category;name;note (a, b, c, d)\nHGNC:6018;biolink:Gene;IL6R;x\n")
	tests := []struct {
		name string
		args []string
		code int
		want string // in stdout and stderr
	}{
		{"signed, sniffed wrongly", []string{semi}, 1, "semi.csv:1:1: missing field"},
		{"signed, ;", []string{"--delimiter", ";", semi}, 0, "1 new assertion(s)"},
		{"signed, semicolon", []string{"--delimiter", "semicolon", semi}, 0, "1 new assertion(s)"},
		{"KGX, sniffed wrongly", []string{nodes}, 1, "nodes.tsv:1:1: missing field"},
		{"KGX, ;", []string{"--delimiter", "semicolon", nodes}, 0, "1 entity/source/reference record(s)"},
		{"tab word on a semicolon file", []string{"--delimiter", "tab", semi}, 1, "semi.csv:1:1: missing field"},
		{"invalid", []string{"--delimiter", "colon", semi}, 2, `--delimiter: invalid value: "colon" (want , ; | or tab, or comma, semicolon, tab, pipe)`},
		{"invalid, two characters", []string{"--delimiter", ";;", semi}, 2, `--delimiter: invalid value: ";;"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := run(t, append([]string{"load", "--store", "memory", "--progress", "none"}, tc.args...)...)
			if code != tc.code || !strings.Contains(out+errs, tc.want) {
				t.Errorf("exit %d (want %d), output lacks %q:\n%s%s", code, tc.code, tc.want, out, errs)
			}
		})
	}
}
