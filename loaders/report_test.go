package loaders

import (
	"maps"
	"reflect"
	"strings"
	"testing"
)

// TestReportAccountsForEveryRow loads files whose rows each meet one fate
// and wants the report to put every row in its place: the counts add up
// to the rows of the files, counted here by hand.
func TestReportAccountsForEveryRow(t *testing.T) {
	// Stored before each case's load: TNF -> NFKB1 of the source "lab".
	before := []string{"lab.csv", "source,target,sign\nTNF,NFKB1,1\n"}
	signed := "source,target,is_stimulation,is_inhibition\n" +
		"TNF,NFKB1,1,0\n" + // evidence of net.csv added to the stored assertion
		"TNF,NFKB1,1,0\n" + // a repeat of the row above
		"TNF,IL6,1,1\n" + // no sign: ignored
		"TNF,,1,0\n" + // no target: invalid
		"A,B,0,1\n" + // a new assertion
		"A,B,0,1\n" + // repeats
		"A,B,0,1\n"
	kgxNodes := "id\tcategory\tname\n" +
		"HGNC:1\tbiolink:Gene\tX1\n" +
		"HGNC:2\tbiolink:Gene\tX2\n"
	kgxEdges := "id\tsubject\tpredicate\tobject\tqualified_predicate\tobject_direction_qualifier\tprimary_knowledge_source\n" +
		"e1\tHGNC:1\tbiolink:regulates\tHGNC:2\tbiolink:causes\tincreased\tinfores:a\n" + // new
		"e2\tHGNC:1\tbiolink:regulates\tHGNC:2\tbiolink:causes\tincreased\tinfores:b\n" + // a second source: evidence added
		"e3\tHGNC:1\tbiolink:interacts_with\tHGNC:2\t\t\tinfores:a\n" + // not causal: ignored
		"e4\tHGNC:2\tbiolink:interacts_with\tHGNC:1\t\t\tinfores:a\n" // ignored
	tests := []struct {
		name  string
		files []string
		twice bool // load the files once before, so that every row is stored already
		want  Report
		why   map[string]int
	}{
		{"signed list", []string{"net.csv", signed, "other.csv", "source,target,sign\nA,B,-1\nTNF,NFKB1,1\n"}, false,
			Report{Rows: 9, NewAssertions: 1, AddedEvidence: 3, Repeated: 3, Ignored: 1, SkippedRows: 1},
			map[string]int{"no sign: is_stimulation and is_inhibition both or neither": 1}},
		{"signed list again", []string{"net.csv", signed}, true,
			Report{Rows: 7, Stored: 2, Repeated: 3, Ignored: 1, SkippedRows: 1},
			map[string]int{"no sign: is_stimulation and is_inhibition both or neither": 1}},
		{"KGX pair", []string{"g_nodes.tsv", kgxNodes, "g_edges.tsv", kgxEdges}, false,
			Report{Rows: 6, NewAssertions: 1, AddedEvidence: 1, Ignored: 2, Records: 2},
			map[string]int{"predicate biolink:interacts_with is not a signed causal one": 2}},
		{"KGX pair again", []string{"g_nodes.tsv", kgxNodes, "g_edges.tsv", kgxEdges}, true,
			Report{Rows: 6, Stored: 2, Ignored: 2, Records: 2},
			map[string]int{"predicate biolink:interacts_with is not a signed causal one": 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			if _, err := loadStrings(s, Options{}, before...); err != nil {
				t.Fatal(err)
			}
			if tc.twice {
				if _, err := loadStrings(s, Options{SkipInvalid: true}, tc.files...); err != nil {
					t.Fatal(err)
				}
			}
			rep, err := loadStrings(s, Options{SkipInvalid: true}, tc.files...)
			if err != nil {
				t.Fatal(err)
			}
			got := Report{Rows: rep.Rows, NewAssertions: rep.NewAssertions, AddedEvidence: rep.AddedEvidence, Stored: rep.Stored,
				Repeated: rep.Repeated, Ignored: rep.Ignored, SkippedRows: rep.SkippedRows, Records: rep.Records}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("report %+v\nwant   %+v", got, tc.want)
			}
			if !maps.Equal(rep.IgnoredBy, tc.why) {
				t.Errorf("ignored by %v, want %v", rep.IgnoredBy, tc.why)
			}
			if n := rep.Unaccounted(); n != 0 || strings.Contains(rep.String(), "UNACCOUNTED") {
				t.Errorf("%d rows unaccounted: %v", n, rep)
			}
		})
	}
}
