package loaders

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/kg"
)

// fuzzLoad loads data as file into an empty store, both all-or-nothing
// and with SkipInvalid, and checks what every reader must do: never panic,
// give every problem a position in the file, and write nothing when it
// fails.
func fuzzLoad(t *testing.T, file string, data []byte, opts Options) {
	fuzzLoadWithin(t, file, data, opts)
	opts.Limits = tight
	fuzzLoadWithin(t, file, data, opts)
}

// tight are Limits the fuzz seeds pass, at and past each.
var tight = Limits{Line: 64, Text: 16, YAML: 256, Unzipped: 1 << 10, Ratio: 2, Problems: 3}

// limitSeeds are inputs at and just past the tight limits: a line of
// 64 and 65 bytes, a field of 16 and 17, problems past 3, each in the
// syntax of a line format (line(n) builds a line of n bytes, field(n) a
// line whose first field has n bytes).
func limitSeeds(f *testing.F, line, field func(n int) string) {
	for _, n := range []int{63, 64, 65} {
		f.Add([]byte(line(n) + "\n" + line(n)))
	}
	for _, n := range []int{16, 17} {
		f.Add([]byte(field(n)))
	}
	f.Add([]byte(strings.Repeat(line(20)+"\n", 5)))
	f.Add([]byte(strings.Repeat("\xff\n", 5)))
}

func fuzzLoadWithin(t *testing.T, file string, data []byte, opts Options) {
	ctx := context.Background()
	for _, skip := range []bool{false, true} {
		s, err := kg.Open(ctx, "memory")
		if err != nil {
			t.Fatal(err)
		}
		opts.SkipInvalid = skip
		rep, err := (&Loader{Store: s, Opts: opts}).Load(ctx, Input{Name: file, R: bytes.NewReader(data), Size: int64(len(data))})
		st := s.Stats(ctx)
		s.Close()
		var problems ErrorList
		if err != nil {
			if !errors.As(err, &problems) {
				t.Fatalf("skip=%v: error is not an ErrorList: %v", skip, err)
			}
			if st.Entities+st.Links+st.Sources+st.References != 0 {
				t.Fatalf("skip=%v: a failed load wrote %+v", skip, st)
			}
		} else {
			problems = rep.Skipped
			if rep.Applied.Entities != st.Entities || rep.Applied.Links != st.Links {
				t.Fatalf("skip=%v: report says %+v, store holds %+v", skip, rep.Applied, st)
			}
			if !skip && len(rep.Skipped) > 0 {
				t.Fatalf("skipped records without SkipInvalid: %v", rep.Skipped)
			}
		}
		for _, e := range problems {
			if e.File != file || e.Line < 1 || e.Column < 1 {
				t.Fatalf("skip=%v: problem without a position: %#v", skip, e)
			}
		}
	}
}

// seeds adds the cases every reader is fed: malformed input of all kinds,
// invalid UTF-8, and (as bigLine) a 1 MB line in the reader's own syntax.
func seeds(f *testing.F, bigLine string, good ...string) {
	for _, g := range good {
		f.Add([]byte(g))
		// Spreadsheet habits: a byte-order mark, a sep=X line, semicolons.
		f.Add([]byte("\ufeff" + g))
		f.Add([]byte("sep=;\r\n" + strings.ReplaceAll(g, "\t", ";")))
		f.Add([]byte("\ufeff" + strings.ReplaceAll(g, "\t", ",")))
	}
	for _, s := range []string{"", "\n", "\xff\xfe", "a\x00b", "\"unterminated", "a,b\n\"c", bigLine,
		"\ufeff", "\ufeff\ufeff", "sep=", "sep=;", "sep=\"\n", "\ufeffsep=;\na;0;b\n", "a;b;c\n\"d;e\";f\n"} {
		f.Add([]byte(s))
	}
}

var big = strings.Repeat("x", 1<<20)

func FuzzNQuads(f *testing.F) {
	data, _ := os.ReadFile("testdata/rdf.nq")
	seeds(f, "<http://"+big+"> <http://purl.obolibrary.org/obo/RO_0002213> <http://o> .\n", string(data),
		"<http://a b> <http://p> <http://o> .\n",
		"<http://a> <http://p> \"bad \\q escape\" .\n",
		"<http://a> <http://p> <http://o> <http://g> <http://x> .\n",
		"<http://a> <http://p> \"open .\n",
		"<http://a> <http://purl.obolibrary.org/obo/RO_0002213> _:b .\n",
		"_:é <http://purl.obolibrary.org/obo/RO_0002213> _:b.c .\n_:é <http://www.w3.org/2000/01/rdf-schema#label> \"A\" .\n",
		"<a> <http://purl.obolibrary.org/obo/RO_0002213> <b> .\n",
		"<http://a> <http://purl.obolibrary.org/obo/RO_0002212> <http://a> .\n",
		"<urn:leydigkg:entity:a> <rdf:type> <urn:leydigkg:Entity> .\n<urn:leydigkg:entity:a> <urn:leydigkg:name> \"A\" .\n",
		"<urn:leydigkg:link:x> <rdf:type> <urn:leydigkg:Link> .\n<urn:leydigkg:link:x> <urn:leydigkg:subject> <urn:leydigkg:entity:nowhere> .\n",
		"<http://a> <http://www.w3.org/2000/01/rdf-schema#label> \"\xff\" .\n",
	)
	limitSeeds(f,
		func(n int) string { return "<http://a> <http://p> \"" + strings.Repeat("x", max(0, n-27)) + "\" ." },
		func(n int) string {
			return "<http://" + strings.Repeat("a", n-7) + "> <http://purl.obolibrary.org/obo/RO_0002213> <http://o> .\n"
		})
	// Every file of the W3C suite, valid and invalid.
	w3c, _ := filepath.Glob("testdata/w3c-nquads/*.nq")
	for _, name := range w3c {
		data, _ := os.ReadFile(name)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzLoad(t, "f.nq", data, Options{})
	})
}

func FuzzKGX(f *testing.F) {
	n, _ := os.ReadFile("testdata/nodes.tsv")
	e, _ := os.ReadFile("testdata/edges.tsv")
	seeds(f, "id\tcategory\tname\n"+big+"\tbiolink:Gene\tA\n", string(n), string(e),
		"subject\tpredicate\tobject\nA\tbiolink:causes\tB\textra\textra\n",
		"id\tcategory\tname\nA\tbiolink:Gene|biolink:Protein\tname | with bar\nB\n",
		"subject\tpredicate\tobject\tobject_direction_qualifier\nA\tbiolink:regulates\tB\tsideways\n",
		"id\tid\n",
		"subject\tpredicate\tobject\tnegated\taggregator_knowledge_source\thas_confidence_score\tspecies_context_qualifier\tleydigkg_direct\nA\tbiolink:causes\tB\ttrue\tinfores:a|x\tNaN\t9606\tno\n",
	)
	limitSeeds(f,
		func(n int) string { return "id\tname\n" + strings.Repeat("a", max(1, n-2)) + "\tA" },
		func(n int) string { return "id\tcategory\tname\n" + strings.Repeat("a", n) + "\tbiolink:Gene\tA\n" })
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzLoad(t, "f.tsv", data, Options{Format: FormatKGX})
	})
}

func FuzzKGXJSONL(f *testing.F) {
	n, _ := os.ReadFile("testdata/nodes.jsonl")
	e, _ := os.ReadFile("testdata/edges.jsonl")
	seeds(f, `{"id":"`+big+`","name":"A"}`, string(n)+string(e),
		`{"id":"A","category":"biolink:Gene","name":["A"]}`+"\n"+`{"subject":"A","predicate":"biolink:regulates","object":"A"}`,
		`{"id": 1}`, `[1,2]`, `{"subject":{"x":1}}`, `null`, `{"id":"A","xref":[1,2]}`,
	)
	limitSeeds(f,
		func(n int) string { return `{"id":"` + strings.Repeat("a", max(1, n-10)) + `"}` },
		func(n int) string { return `{"id":"A","name":"` + strings.Repeat("n", n) + `"}` })
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzLoad(t, "f.jsonl", data, Options{})
	})
}

func FuzzJSON(f *testing.F) {
	g, _ := os.ReadFile("../export/testdata/curated.graph.json")
	seeds(f, `{"entities":[{"id":"`+big+`","name":"A","kind":"GENE_PRODUCT"}]}`, string(g),
		`{"entities":[{"id":"A","name":"A","kind":"GENE_PRODUCT","colour":"red"}]}`,
		`{"links":[{"id":"l","subject":"A","object":"B","effect":"INCREASES","evidence":[{"source":"s","quotes":"q"}]}]}`,
		`{"entities":[{"id":1}], "links":{}, "sources":null, "x":[]}`,
		`{"entities":[1,[],null,{"synonyms":"a"}]}`, `[{"id":"A"}]`, `null`, `{}{}`, `{"entities":[{"id":"A"}`,
		`{"sources":[],"sources":[]}`, "{\n  \"references\": [\n    {\"id\": \"r\", \"year\": \"1999\"}\n  ]\n}",
	)
	limitSeeds(f,
		func(n int) string { return `{"sources":[{"id":"` + strings.Repeat("a", max(1, n-30)) + `"}]}` },
		func(n int) string { return `{"entities":[{"id":"A","name":"` + strings.Repeat("n", n) + `"}]}` })
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzLoad(t, "f.json", data, Options{})
	})
}

func FuzzSigned(f *testing.F) {
	s, _ := os.ReadFile("testdata/signed.csv")
	seeds(f, "source,target,sign\n"+big+",B,1\n", string(s),
		"source,target,sign\nA,B,sideways\n",
		"source,target,sign\nA,B\n",
		"A,1,B\nC,-1\n",
		"source,target,sign\n\"A,B,1\n",
		"source,target,is_stimulation,is_inhibition\nA,B,1,1\n",
		"source,target,sign\nA,A,1\n",
		"source,target,sign\n,B,1\n",
		// SIGNOR's TSV and OmniPath's interactions, and unsigned words.
		"ENTITYA\tTYPEA\tIDA\tDATABASEA\tENTITYB\tTYPEB\tIDB\tDATABASEB\tEFFECT\tPMID\tSENTENCE\tSIGNOR_ID\nMDM2\tprotein\tQ00987\tUNIPROT\tTP53\tprotein\tP04637\tUNIPROT\tdown-regulates\t1\ts\tSIGNOR-1\nA\tcomplex\tSIGNOR-C1\tSIGNOR\tB\tx\t1\tmiRBase\tform complex\t\t\t\n",
		"source\ttarget\tis_directed\tis_stimulation\tis_inhibition\tsources\treferences\nA\tB\t1\t1\t0\tX;Y\tX:1;2;Y:z\nC\tD\t0\t0\t1\t\t\n",
		"source;target;sign\nA;B;unknown\nC;D;0\n",
		// SIGNOR's context columns, OmniPath's consensus and infores names.
		"ENTITYA\tIDA\tDATABASEA\tENTITYB\tIDB\tDATABASEB\tEFFECT\tMECHANISM\tTAX_ID\tCELL_DATA\tTISSUE_DATA\tDIRECT\nA\tP1\tUNIPROT\tB\tP2\tUNIPROT\tup-regulates\tbinding\t-1\tBTO:1;;BTO:2\t|\tmaybe\n",
		"source\ttarget\tis_directed\tis_stimulation\tis_inhibition\tconsensus_stimulation\tconsensus_inhibition\tsources\treferences\nA\tB\t1\t1\t1\t0\t1\tSIGNOR;KEGG;Reactome_SIGNOR\tSIGNOR:1\n",
	)
	limitSeeds(f,
		func(n int) string { return "A,1," + strings.Repeat("b", max(1, n-4)) },
		func(n int) string {
			return "source,target,sign\n" + strings.Repeat("a", n) + ",B,1\n\"" + strings.Repeat("q\n", n) + "\",B,1\n"
		})
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzLoad(t, "f.csv", data, Options{})
	})
}
