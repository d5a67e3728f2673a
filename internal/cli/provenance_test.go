package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/internal/storetest"
)

// TestProvenanceCommands runs sources, contradictions, the filter flags,
// --belief-table and the AMBIGUOUS message as users do.
func TestProvenanceCommands(t *testing.T) {
	net := writeFile(t, "net.csv", "source,target,sign\nTNF,NFKB1,1\nTNF,NFKB1,-1\n")
	other := writeFile(t, "other.csv", "source,target,sign\nTNF,NFKB1,1\n")
	// Every evidence item alike: one gives 0.9, two 0.99.
	flat := writeFile(t, "flat.yaml", "- random: 0.1\n  systematic: 0\n  why: every item alike\n")
	badTable := writeFile(t, "bad.yaml", "- random: 2\n  systematic: 0\n  why: no\n")
	shared := writeFile(t, "shared.yaml", `sources: [{id: lab, title: Lab}]
entities:
  - {id: "NCBIGene:6469", name: SHH, kind: GENE_PRODUCT}
  - {id: "MGI:98297", name: Shh, kind: GENE_PRODUCT, synonyms: [SHH]}
  - {id: ptch1, name: PTCH1, kind: GENE_PRODUCT}
links:
  - {id: shh_ptch1, subject: "NCBIGene:6469", object: ptch1, effect: INCREASES, predicate: biolink:regulates, evidence: [{quote: "SHH raises PTCH1.", source: lab}]}
`)
	nodes := writeFile(t, "nodes.tsv", "id\tname\tcategory\nA\tA\tbiolink:Protein\nB\tB\tbiolink:Protein\n")
	denied := writeFile(t, "edges.tsv", "id\tsubject\tpredicate\tobject\tnegated\tprimary_knowledge_source\tknowledge_level\tagent_type\n"+
		"e1\tA\tbiolink:causes\tB\tfalse\tinfores:lab\tknowledge_assertion\tmanual_agent\n"+
		"e2\tA\tbiolink:causes\tB\ttrue\tinfores:other\tknowledge_assertion\tmanual_agent\n")
	tests := []struct {
		name           string
		args           []string
		code           int
		stdout, absent []string
		stderr         []string
	}{
		{"sources", []string{"sources"}, 0, []string{"ID ", "LINKS", "article ", " 174 "}, nil, nil},
		{"sources csv", []string{"sources", "--format", "csv", "--no-curated", "--data", net, "--data", other}, 0,
			[]string{"id,title,license,url,version,links,evidence\n", "net.csv,net.csv,,,,2,2\n", "other.csv,other.csv,,,,1,1\n"}, []string{"article"}, nil},
		{"sources ndjson", []string{"sources", "--format", "ndjson", "--data", net}, 0, []string{`{"id":"net.csv","title":"net.csv","license":"","url":"","version":"","links":2,"evidence":2}`}, nil, nil},
		{"sources bad format", []string{"sources", "--format", "xml"}, 2, nil, nil, []string{"want one of text, json, ndjson, csv"}},
		{"contradictions", []string{"contradictions", "--data", net, "--data", other}, 0,
			[]string{"1 contradiction(s)\n", "1. TNF and NFKB1: sources disagree", "TNF --increases--> NFKB1  belief 0.75", "other.csv: 1 evidence item(s), belief alone 0.50", "TNF --decreases--| NFKB1  belief 0.50"}, nil, nil},
		{"contradictions json", []string{"contradictions", "--format", "json", "--data", net}, 0, []string{`"increases": {`, `"bySource": [`, `"more": false`}, nil, nil},
		{"contradictions denied", []string{"contradictions", "--data", net, "--data", other, "--deny-sources", "net.csv"}, 0, []string{"0 contradiction(s)"}, []string{"TNF"}, nil},
		{"contradictions min belief", []string{"contradictions", "--data", net, "--data", other, "--min-belief", "0.6"}, 0, []string{"0 contradiction(s)"}, nil, nil},
		{"contradictions first", []string{"contradictions", "--first", "0"}, 2, nil, nil, []string{"--first must be at least 1"}},
		{"contradictions belief table", []string{"contradictions", "--data", net, "--data", other, "--belief-table", flat}, 0, []string{"TNF --increases--> NFKB1  belief 0.99", "TNF --decreases--| NFKB1  belief 0.90"}, nil, nil},
		{"trace filtered", []string{"trace", "LH", "testosterone", "--sources", "nosuch"}, 0, []string{"(FILTERED)", "sources nosuch only"}, nil, nil},
		{"trace licenses", []string{"trace", "LH", "testosterone", "--licenses", "CC-BY-4.0"}, 0, []string{"(FILTERED)"}, nil, nil},
		{"trace allowed", []string{"trace", "LH", "testosterone", "--sources", "article", "--knowledge-levels", "knowledge_assertion"}, 0, []string{"1. net INCREASES"}, nil, nil},
		// A denial among a hop's evidence must not read as support.
		{"trace denial", []string{"trace", "--no-curated", "--data", nodes, "--data", denied, "A", "B"}, 0,
			[]string{"from infores:lab, ", "denied by infores:other, "}, []string{"from infores:other"}, nil},
		{"trace belief table", []string{"trace", "GnRH", "LH", "--belief-table", flat}, 0, []string{"confidence 1.00"}, nil, nil},
		{"trace bad belief table", []string{"trace", "GnRH", "LH", "--belief-table", badTable}, 1, nil, nil, []string{"bad.yaml"}},
		{"downstream min belief", []string{"downstream", "GnRH", "--max-depth", "1", "--min-belief", "0.95"}, 0, []string{"0 entities downstream"}, []string{"luteinizing hormone"}, nil},
		{"upstream deny", []string{"upstream", "testosterone", "--max-depth", "1", "--deny-sources", "article"}, 0, []string{"0 entities upstream"}, []string{"testosterone replacement therapy"}, nil},
		{"loops filtered", []string{"loops", "testosterone", "--max-length", "3", "--sources", "nosuch"}, 0, []string{"0 loop(s)"}, []string{"BALANCING", "REINFORCING"}, nil},
		{"interventions filtered", []string{"interventions", "--goal", "increases", "testosterone", "--sources", "nosuch"}, 0, []string{"0 therapies reach"}, []string{"moves it toward the goal"}, nil},
		{"knockout filtered", []string{"knockout", "--remove", "LH", "GnRH", "testosterone", "--max-depth", "3", "--sources", "nosuch"}, 0, []string{"0 broken chain(s)"}, []string{"3 broken"}, nil},
		{"bad min belief", []string{"downstream", "GnRH", "--min-belief", "1.5"}, 2, nil, nil, []string{"--min-belief 1.5: want a belief from 0 to 1"}},
		{"bad min belief trace", []string{"trace", "GnRH", "LH", "--min-belief", "-0.1"}, 2, nil, nil, []string{"--min-belief -0.1: want a belief from 0 to 1"}},
		{"min belief not a number", []string{"loops", "--min-belief", "high"}, 2, nil, nil, []string{`invalid value "high" for flag --min-belief`}},
		{"bad knowledge level", []string{"knockout", "--remove", "LH", "GnRH", "T", "--knowledge-levels", "gossip"}, 2, nil, nil, []string{`--knowledge-levels: unknown knowledge level "gossip"`}},
		{"ambiguous", []string{"trace", "--no-curated", "--data", shared, "SHH", "PTCH1"}, 1, nil, nil,
			[]string{`"SHH" names 2 entities; ask by id:`, "MGI:98297", "NCBIGene:6469", "GENE_PRODUCT"}},
		{"ambiguous by id", []string{"trace", "--no-curated", "--data", shared, "NCBIGene:6469", "PTCH1"}, 0, []string{"SHH --increases--> PTCH1"}, nil, nil},
		{"upgrade no store", []string{"upgrade"}, 2, nil, nil, []string{"want --store"}},
		{"help lists the new commands", []string{"help"}, 0, []string{"leydigkg sources", "leydigkg contradictions", "leydigkg upgrade", "--min-belief"}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout)
				}
			}
			for _, no := range tt.absent {
				if strings.Contains(stdout, no) {
					t.Errorf("stdout has %q:\n%s", no, stdout)
				}
			}
			for _, want := range tt.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
		})
	}
}

// TestUpgradeCommand writes a store as an older leydigkg did (layout 1,
// and layout 3), which a query refuses naming the upgrade; upgrade
// rewrites it, once, and says what it did.
func TestUpgradeCommand(t *testing.T) {
	for _, tc := range []struct{ file, upgraded string }{
		{"../../kg/testdata/layout1.nq", "upgraded the store from layout 1 to 4: rewrote "},
		{"../../kg/testdata/layout3.nq", "upgraded the store from layout 3 to 4: removed the class and position quads of the evidence items of "},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			spec := "bolt:" + filepath.Join(t.TempDir(), "old")
			storetest.WriteNQuads(t, spec, tc.file)
			steps := []struct {
				args   []string
				code   int
				stdout string
				stderr string
			}{
				{[]string{"trace", "--store", spec, "GnRH", "LH"}, 1, "", "leydigkg upgrade --store " + spec},
				{[]string{"upgrade", "--store", spec}, 0, tc.upgraded, ""},
				{[]string{"upgrade", "--store", spec}, 0, "nothing needed upgrading", ""},
				{[]string{"trace", "--store", spec, "GnRH", "LH"}, 0, "gonadotropin-releasing hormone --increases--> luteinizing hormone", ""},
			}
			for i, s := range steps {
				code, stdout, stderr := run(t, s.args...)
				if code != s.code || !strings.Contains(stdout, s.stdout) || !strings.Contains(stderr, s.stderr) {
					t.Errorf("step %d %q: code %d, want %d\nstdout: %s\nstderr: %s", i+1, s.args, code, s.code, stdout, stderr)
				}
			}
		})
	}
}

// TestLoadSummary loads a signed list with a repeated row, an unsigned
// row, an invalid one and rows of assertions the store holds, twice: the
// summary accounts for every row.
func TestLoadSummary(t *testing.T) {
	list := writeFile(t, "net.csv", "source,target,is_stimulation,is_inhibition\n"+
		"LH,testosterone,1,0\n"+ // the curated assertion gains evidence of net.csv
		"TNF,NFKB1,1,0\n"+ // new
		"TNF,NFKB1,1,0\n"+ // repeated
		"TNF,IL6,1,1\n"+ // unsigned: ignored
		"TNF,,1,0\n") // invalid: skipped
	spec := "bolt:" + filepath.Join(t.TempDir(), "db")
	for i, want := range []string{
		"5 row(s) in 1 file(s): 1 new assertion(s), 1 added evidence to existing assertions, 1 duplicate(s) (1 repeated, 0 already stored), 1 ignored (1 no sign: is_stimulation and is_inhibition both or neither), 1 skipped as invalid",
		"5 row(s) in 1 file(s): 0 new assertion(s), 0 added evidence to existing assertions, 3 duplicate(s) (1 repeated, 2 already stored), 1 ignored (1 no sign: is_stimulation and is_inhibition both or neither), 1 skipped as invalid",
	} {
		code, _, stderr := run(t, "load", "--store", spec, "--progress", "none", "--skip-invalid", list)
		if code != 0 || !strings.Contains(stderr, want) || strings.Contains(stderr, "UNACCOUNTED") {
			t.Errorf("load %d: code %d, stderr:\n%s\nwant %q", i+1, code, stderr, want)
		}
	}
}

// TestTraceRowEvidence: a link that rests on rows of files shows each row's
// source and place, not an empty quote.
func TestTraceRowEvidence(t *testing.T) {
	spec := "bolt:" + filepath.Join(t.TempDir(), "db")
	for _, name := range []string{"a.csv", "b.csv"} {
		f := writeFile(t, name, "source,target,sign\nTNF,NFKB1,1\n")
		if code, _, stderr := run(t, "load", "--store", spec, "--no-curated", "--progress", "none", f); code != 0 {
			t.Fatalf("load %s: %s", name, stderr)
		}
	}
	code, stdout, stderr := run(t, "trace", "--store", spec, "TNF", "NFKB1")
	if code != 0 {
		t.Fatalf("trace: %s", stderr)
	}
	for _, want := range []string{"from a.csv, ", "a.csv:2 (not provided)", "from b.csv, "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("trace lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "“”") {
		t.Errorf("trace shows an empty quote:\n%s", stdout)
	}
}
