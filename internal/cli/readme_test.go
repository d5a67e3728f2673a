package cli

import (
	"os"
	"regexp"
	"testing"
)

// TestDataREADMEExample: the YAML example of data/README.md, copied as it
// is into a file, validates (on top of the curated graph, as serve --data
// would load it); alone it names an entity it does not define.
func TestDataREADMEExample(t *testing.T) {
	b, err := os.ReadFile("../../data/README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(b, -1)
	if len(blocks) == 0 {
		t.Fatal("data/README.md has no yaml example")
	}
	for i, m := range blocks {
		file := writeFile(t, "example.yaml", string(m[1]))
		for _, tc := range []struct {
			args   []string
			code   int
			stdout string
		}{
			{[]string{"validate", file}, 0, "ok: "},
			{[]string{"validate", "--no-curated", file}, 1, ""},
		} {
			code, out, errs := run(t, tc.args...)
			if code != tc.code || !regexp.MustCompile(regexp.QuoteMeta(tc.stdout)).MatchString(out) {
				t.Errorf("example %d: %v: exit %d (want %d)\nstdout: %s\nstderr: %s", i+1, tc.args[:len(tc.args)-1], code, tc.code, out, errs)
			}
		}
	}
}
