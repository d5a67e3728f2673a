package format

import (
	"strings"
	"testing"
)

func TestByFile(t *testing.T) {
	r := Registry[int]{
		{Format: Curated, Codec: 1},
		{Format: KGX, Codec: 2},
		{Format: Signed, Codec: 3},
	}
	for _, c := range []struct {
		name, head string
		want       string // "" for none
	}{
		{"a.yaml", "", "curated"},
		{"A.YML.GZ", "", "curated"},
		{"a.tsv", "subject\tpredicate\tobject\n", "kgx"},
		{"a.tsv.gz", "id\tcategory\tname\n", "kgx"},
		{"a.csv", "\"id\",\"category\"\r\nx,y\n", "kgx"},
		{"a.csv", "id\tcategory\n", "signed"}, // a CSV's fields are split on commas
		{"a.tsv", "source\ttarget\tsign\n", "signed"},
		{"a.tsv", "", "signed"},
		{"a.sif", "TNF\t-1\tIL6\n", "signed"}, // a signed SIF
		{"A.SIF.GZ", "", "signed"},
		{"a.sif", "subject\tpredicate\tobject\n", "signed"}, // KGX is .tsv or .csv only
		{"a.nq", "", ""},
		{"a.gz", "", ""},
		{"yaml", "", ""},
	} {
		t.Run(c.name+"/"+c.head, func(t *testing.T) {
			var head []byte
			if c.head != "" {
				head = []byte(c.head)
			}
			e, ok := r.ByFile(c.name, head)
			if ok != (c.want != "") || e.Name != c.want {
				t.Errorf("ByFile = %q, %v; want %q", e.Name, ok, c.want)
			}
		})
	}
}

func TestRegistry(t *testing.T) {
	r := Registry[string]{
		{Format: Curated, Help: "curated YAML"},
		{Format: KGXJSONL, Help: "KGX JSON Lines"},
		{Format: Signed, Help: "signed"},
		{Format: KGX, Help: "KGX"},
	}
	if e, ok := r.Lookup("kgx-jsonl"); !ok || e.Help != "KGX JSON Lines" {
		t.Errorf("Lookup(kgx-jsonl) = %+v, %v", e, ok)
	}
	if _, ok := r.Lookup("KGX"); ok {
		t.Errorf("Lookup(KGX) found a format: names are exact")
	}
	if got := strings.Join(r.Names(), ","); got != "curated,kgx-jsonl,signed,kgx" {
		t.Errorf("Names = %s", got)
	}
	if got := strings.Join(r.Exts(), ","); got != ".yaml,.yml,.jsonl,.tsv,.csv,.sif" {
		t.Errorf("Exts = %s", got)
	}
	want := "" +
		"  curated    .yaml .yml      curated YAML\n" +
		"  kgx-jsonl  .jsonl          KGX JSON Lines\n" +
		"  signed     .tsv .csv .sif  signed\n" +
		"  kgx        .tsv .csv       KGX\n"
	if got := r.Usage(true); got != want {
		t.Errorf("Usage(true) =\n%s\nwant\n%s", got, want)
	}
	if got := r.Usage(false); !strings.HasPrefix(got, "  curated    curated YAML\n") {
		t.Errorf("Usage(false) =\n%s", got)
	}
}
