package cli

import (
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/loaders"
)

// TestOneVoice: help for a command, one-line errors in flag words with the
// closest flag, and --data described with every format.
func TestOneVoice(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout []string // each must appear
		stderr string   // the one line of stderr (empty: stderr empty)
	}{
		{"help CMD prints CMD's help", []string{"help", "trace"}, 0, []string{"Usage: leydigkg trace [flags] FROM TO", "-max-depth"}, ""},
		{"help validate has a header", []string{"help", "validate"}, 0, []string{"Usage: leydigkg validate [flags] FILE...", "-no-curated"}, ""},
		{"help of an unknown command", []string{"help", "tarce"}, 2, nil, `leydigkg help: unknown command "tarce" (see 'leydigkg help')`},
		{"a misspelt flag", []string{"trace", "--maxdepth", "3", "LH", "T"}, 2, nil, "leydigkg trace: unknown flag --maxdepth; did you mean --max-depth? (see -h)"},
		{"a flag named in part", []string{"downstream", "--levels", "x", "LH"}, 2, nil, "leydigkg downstream: unknown flag --levels; did you mean --knowledge-levels? (see -h)"},
		{"a flag two flags contain", []string{"downstream", "--belief", "0.5", "LH"}, 2, nil, "leydigkg downstream: unknown flag --belief (see -h)"},
		{"a flag like no other", []string{"trace", "--zzzzzz", "LH", "T"}, 2, nil, "leydigkg trace: unknown flag --zzzzzz (see -h)"},
		{"a bad flag value", []string{"trace", "--max-depth", "x", "LH", "T"}, 2, nil, `leydigkg trace: invalid value "x" for flag --max-depth: parse error`},
		{"a depth out of range, in flag words", []string{"trace", "--max-depth", "9", "LH", "T"}, 1, nil, "leydigkg trace: bad argument: --max-depth must be in 1..8, not 9"},
		{"a loop length out of range", []string{"loops", "--max-length", "99"}, 1, nil, "leydigkg loops: bad argument: --max-length must be in 1..8, not 99"},
		{"interventions without --goal", []string{"interventions", "testosterone"}, 2, nil, "leydigkg interventions: --goal is required: INCREASES or DECREASES"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := run(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstderr: %s", code, tc.code, errs)
			}
			for _, w := range tc.stdout {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			if got := strings.TrimSuffix(errs, "\n"); got != tc.stderr {
				t.Errorf("stderr:\n%s\nwant the one line:\n%s", errs, tc.stderr)
			}
		})
	}
	// --data takes every format the reader registry knows, on every command
	// that has it.
	for _, cmd := range []string{"serve", "trace", "downstream", "upstream", "loops", "interventions", "knockout", "contradictions", "sources", "export"} {
		_, out, _ := run(t, "help", cmd)
		i := strings.Index(out, "\n  -data value\n")
		if i < 0 {
			t.Errorf("%s: help has no --data:\n%s", cmd, out)
			continue
		}
		help := strings.Join(strings.Fields(out[i:min(len(out), i+400)]), " ")
		for _, f := range loaders.Readers.Names() {
			if !strings.Contains(help, f) {
				t.Errorf("%s: --data help does not name format %q: %.200s", cmd, f, help)
			}
		}
		if strings.Contains(help, "curated YAML file to add") {
			t.Errorf("%s: --data help says only curated YAML: %.200s", cmd, help)
		}
	}
}
