package cli

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strconv"
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

// TestWriteRows: the rows written straight into the buffer read back, as
// JSON and as CSV, into exactly the reached entities' columns.
func TestWriteRows(t *testing.T) {
	rs := []graph.Reached{
		{Entity: &graph.Entity{ID: "a", Name: `comma, "quote" <tag> & more`, Kind: "HORMONE"}, Distance: 1, Effects: []graph.Effect{graph.Increases}, Confidence: 0.899},
		{Entity: &graph.Entity{ID: "b", Name: " leading space\nnew line", Kind: "PROCESS"}, Distance: 4, Effects: []graph.Effect{graph.Increases, graph.Decreases}, Confidence: 1e-7},
		{Entity: &graph.Entity{ID: "c", Name: "é\u2028", Kind: "GENE"}, Distance: 2, Effects: []graph.Effect{graph.Decreases}, Confidence: 1},
	}
	type row struct {
		ID, Name, Kind       string
		Distance             int
		Increases, Decreases bool
		Confidence           float64
	}
	var want []row
	for _, r := range rs {
		want = append(want, row{r.Entity.ID, r.Entity.Name, string(r.Entity.Kind), r.Distance,
			slices.Contains(r.Effects, graph.Increases), slices.Contains(r.Effects, graph.Decreases), r.Confidence})
	}
	var nd strings.Builder
	if err := writeRows(&nd, "ndjson", rs); err != nil {
		t.Fatal(err)
	}
	var got []row
	dec := json.NewDecoder(strings.NewReader(nd.String()))
	dec.DisallowUnknownFields()
	for dec.More() {
		var r row
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if !slices.Equal(got, want) || strings.Count(nd.String(), "\n") != len(rs) {
		t.Errorf("ndjson\n%s\nreads back as %v, want %v", nd.String(), got, want)
	}
	var c strings.Builder
	if err := writeRows(&c, "csv", rs); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(c.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, r := range recs[1:] {
		d, _ := strconv.Atoi(r[3])
		f, _ := strconv.ParseFloat(r[6], 64)
		got = append(got, row{r[0], r[1], r[2], d, r[4] == "true", r[5] == "true", f})
	}
	if strings.Join(recs[0], ",") != strings.Join(schema.ReachColumnNames, ",") || !slices.Equal(got, want) {
		t.Errorf("csv\n%s\nreads back as %v %v, want %v", c.String(), recs[0], got, want)
	}
}
