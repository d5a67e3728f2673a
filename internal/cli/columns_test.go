package cli

import (
	"bufio"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/schema"
)

// TestColumnsAsGraphQL: the command line's csv header and ndjson keys are
// the column names of GraphQL's downstream/upstream { columns }.
func TestColumnsAsGraphQL(t *testing.T) {
	var cols map[string]any
	if err := json.Unmarshal(schema.ReachColumns{Res: &graph.ReachResult{Of: &graph.Entity{}}}.AppendJSON(nil), &cols); err != nil {
		t.Fatal(err)
	}
	var want []string
	for k := range cols {
		if k != "of" && k != "upstream" && k != "truncated" { // the answer's, not a row's
			want = append(want, k)
		}
	}
	slices.Sort(want)
	for _, format := range []string{"csv", "ndjson"} {
		t.Run(format, func(t *testing.T) {
			code, out, errs := run(t, "downstream", "--format", format, "GnRH", "--max-depth", "1")
			if code != 0 {
				t.Fatal(errs)
			}
			first, _, _ := strings.Cut(out, "\n")
			var got []string
			if format == "csv" {
				got = strings.Split(first, ",")
			} else {
				sc := bufio.NewScanner(strings.NewReader(first))
				for sc.Scan() {
					for _, kv := range strings.Split(strings.Trim(sc.Text(), "{}"), ",") {
						k, _, _ := strings.Cut(kv, ":")
						got = append(got, strings.Trim(k, `"`))
					}
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s columns %v, GraphQL's %v", format, got, want)
			}
		})
	}
}
