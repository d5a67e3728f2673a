package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/buildinfo"
)

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

const userFile = `# a researcher's own additions
entities:
  - id: my_compound
    name: My compound
    kind: MOLECULE
    description: A test compound.
links:
  - id: my_compound_decreases_ros
    subject: my_compound
    object: reactive_oxygen_species
    effect: DECREASES
    predicate: biolink:regulates
    mechanism: Scavenges ROS.
    evidence:
      - quote: "My compound lowers ROS in our assay."
        source: article
`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// ownGraph stands alone: it needs nothing from the curated graph.
const ownGraph = `sources: [{id: lab, title: Lab notebook}]
entities:
  - {id: il6, name: IL-6, kind: MOLECULE}
  - {id: stat3, name: STAT3, kind: GENE_PRODUCT}
links:
  - id: il6_increases_stat3
    subject: il6
    object: stat3
    effect: INCREASES
    predicate: biolink:regulates
    evidence: [{quote: "IL-6 activates STAT3.", source: lab}]
`

// belief is the belief of the curated link subject -effect-> object, by
// the shipped belief table: what outputs show as its confidence.
func belief(t *testing.T, subject string, effect graph.Effect, object string) float64 {
	t.Helper()
	b, err := data.Batch()
	if err != nil {
		t.Fatal(err)
	}
	table, err := data.BeliefTable()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range b.Links {
		if l.Subject == subject && l.Effect == effect && l.Object == object {
			return table.Belief(l.Evidence, nil).Score
		}
	}
	t.Fatalf("no curated link %s %s %s", subject, effect, object)
	return 0
}

// walkingFile makes brisk walking a kind of lifestyle intervention, whose
// curated link lowers chronic inflammation.
const walkingFile = `sources: [{id: mine, title: My notes}]
entities:
  - {id: brisk_walking, name: brisk walking, kind: THERAPY}
relations:
  - subject: brisk_walking
    predicate: biolink:subclass_of
    object: lifestyle_interventions
    evidence: [{quote: "Brisk walking is a lifestyle intervention.", source: mine}]
`

func TestCommands(t *testing.T) {
	inflammationT := belief(t, "chronic_inflammation", graph.Decreases, "testosterone")
	trtT := belief(t, "trt", graph.Increases, "testosterone")
	gnrhLH := belief(t, "gnrh", graph.Increases, "luteinizing_hormone")
	good := writeFile(t, "mine.yaml", userFile)
	own := writeFile(t, "own.yaml", ownGraph)
	sourcesFile := writeFile(t, "sources.txt", "# sources\nchronic inflammation\n\nGnRH\n")
	targetsFile := writeFile(t, "targets.txt", "luteinizing hormone\n")
	bad := writeFile(t, "bad.yaml", strings.Replace(userFile, "object: reactive_oxygen_species", "object: reactive_oxygen_specie", 1))
	walking := writeFile(t, "walking.yaml", walkingFile)
	dataVersion, err := data.Version()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string // each must appear
		stderr []string
	}{
		{"no command", nil, 2, nil, []string{"Usage:"}},
		{"help", []string{"help"}, 0, []string{"leydigkg trace"}, nil},
		{"unknown command", []string{"frobnicate"}, 2, nil, []string{`unknown command "frobnicate"`}},
		{"version", []string{"version"}, 0, []string{"leydigkg " + buildinfo.Read().String() + "\n", "curated data " + dataVersion + ", Biolink 4.x"}, nil},
		{"--version", []string{"--version"}, 0, []string{"leydigkg " + buildinfo.Read().String() + "\n", "curated data " + dataVersion}, nil},
		{"version takes no arguments", []string{"version", "x"}, 2, nil, []string{"takes no arguments"}},
		{"validate curated", []string{"validate", "../../data/sources.yaml", "../../data/entities.yaml", "../../data/links.yaml"}, 0, []string{"ok: 0 entities, 0 links, 0 references, 0 sources beyond the curated graph in 3 file(s)"}, nil},
		{"validate curated alone", []string{"validate", "--no-curated", "../../data/sources.yaml", "../../data/entities.yaml", "../../data/links.yaml"}, 0, []string{"ok: 85 entities"}, nil},
		// A user's file alone names an entity only the curated graph has.
		// By default a file is checked on top of the curated graph, as serve --data loads it.
		{"validate on the curated graph", []string{"validate", good}, 0, []string{"ok: 1 entities, 1 links, 0 references, 0 sources beyond the curated graph in 1 file(s)"}, nil},
		{"validate alone", []string{"validate", "--no-curated", good}, 1, nil, []string{`mine.yaml:10:13: unknown entity "reactive_oxygen_species"`, "mine.yaml:16:17: unknown source"}},
		{"validate with curated", []string{"validate", "../../data/sources.yaml", "../../data/entities.yaml", "../../data/links.yaml", good}, 0, []string{"ok: "}, nil},
		{"validate no files", []string{"validate"}, 2, nil, []string{"want one or more FILEs"}},
		{"validate wrong extension", []string{"validate", "x.txt"}, 1, nil, []string{"unknown format"}},
		{"trace", []string{"trace", "chronic inflammation", "testosterone", "--max-depth", "3", "--limit", "3"}, 0,
			[]string{"chronic inflammation [PROCESS] -> testosterone [HORMONE]", "1. net DECREASES", "“", "(more exist: raise --limit)"}, nil},
		{"trace set to set, files and lists", []string{"trace", "--from-file", sourcesFile, "--to", "testosterone,Leydig cell", "--max-depth", "2", "--limit", "3"}, 0,
			[]string{"from chronic inflammation, gonadotropin-releasing hormone\nto   testosterone, Leydig cell\n", "3 chain(s) over all pairs (more exist: raise --limit)", fmt.Sprintf("net DECREASES, 1 link(s), confidence %.2f\n   chronic inflammation --decreases--| testosterone", inflammationT)}, nil},
		{"trace set to set json", []string{"trace", "--from", "GnRH", "--to-file", targetsFile, "--limit", "1", "--format", "json"}, 0, []string{`"from": [`, `"id": "gnrh"`, `"paths": [`, fmt.Sprintf(`"confidence": %v`, gnrhLH)}, nil},
		{"trace set to set wants both sets", []string{"trace", "--from", "GnRH"}, 2, nil, []string{"want sources (--from or --from-file) and targets"}},
		{"trace set to set or a pair, not both", []string{"trace", "--from", "GnRH", "--to", "LH", "GnRH", "LH"}, 2, nil, []string{"not both"}},
		{"trace set to set no pictures", []string{"trace", "--from", "GnRH", "--to", "LH", "--format", "dot"}, 2, nil, []string{"takes one pair"}},
		{"trace set to set overlap", []string{"trace", "--from", "GnRH,LH", "--to", "LH"}, 1, nil, []string{"both in from and in to"}},
		{"schema", []string{"schema"}, 0, []string{"type Query {", "  paths(\n", "input TracePair {", "type Mutation {"}, nil},
		{"schema takes no arguments", []string{"schema", "x"}, 2, nil, []string{"takes no arguments"}},
		{"trace flags first", []string{"trace", "--limit=1", "GnRH", "LH"}, 0, []string{"net INCREASES, 1 link(s)", "gonadotropin-releasing hormone --increases--> luteinizing hormone"}, nil},
		{"trace net effect filter", []string{"trace", "--net-effect", "increases", "--max-depth", "2", "anastrozole", "estrogen"}, 0, []string{"No causal chain of at most 2 links (NET_EFFECT): chains from \"anastrozole\" to \"estrogen\" within 2 links exist, but none has net effect INCREASES"}, nil},
		{"trace too far", []string{"trace", "GnRH", "fatigue", "--max-depth", "1"}, 0, []string{"(TOO_FAR): the shortest chain from \"gnrh\" to \"fatigue\" has 3 links"}, nil},
		{"trace by confidence", []string{"trace", "--order-by", "confidence", "--limit", "1", "chronic inflammation", "testosterone"}, 0, []string{fmt.Sprintf("1 link(s), confidence %.2f", inflammationT)}, nil},
		{"downstream", []string{"downstream", "chronic inflammation", "--max-depth", "2", "--kinds", "hormone"}, 0,
			[]string{"entities downstream of chronic inflammation within 2 link(s)", "1  testosterone", "decreases", "chronic inflammation --decreases--| testosterone"}, nil},
		{"upstream csv", []string{"upstream", "--format", "csv", "testosterone", "--max-depth", "1"}, 0, []string{"id,name,kind,distance,increases,decreases,confidence\n", "trt,testosterone replacement therapy,THERAPY,1,true,false," + strconv.FormatFloat(trtT, 'f', -1, 64) + "\n"}, nil},
		{"downstream ndjson", []string{"downstream", "--format", "ndjson", "GnRH", "--max-depth", "1"}, 0, []string{`{"id":"luteinizing_hormone","name":"luteinizing hormone","kind":"HORMONE","distance":1,"increases":true,"decreases":false,"confidence":` + strconv.FormatFloat(gnrhLH, 'f', -1, 64) + "}"}, nil},
		{"downstream zero depth", []string{"downstream", "--max-depth", "0", "testosterone"}, 2, nil, []string{"--max-depth must be at least 1, not 0"}},
		{"loops zero first", []string{"loops", "--first", "0"}, 2, nil, []string{"--first must be at least 1, not 0"}},
		{"knockout zero limit", []string{"knockout", "--limit", "0", "--remove", "LH", "GnRH", "T"}, 2, nil, []string{"--limit must be at least 1, not 0"}},
		{"downstream bad kind", []string{"downstream", "--kinds", "GENE", "GnRH"}, 2, nil, []string{`unknown kind "GENE"`}},
		{"downstream bad format", []string{"downstream", "--format", "xml", "GnRH"}, 2, nil, []string{"want one of text, json, ndjson, csv"}},
		{"loops", []string{"loops", "testosterone", "--max-length", "3"}, 0, []string{"4 loop(s) through testosterone", "BALANCING, 2 link(s)", "REINFORCING, 3 link(s)", "systemic anti-inflammatory defenses --decreases--| chronic inflammation"}, nil},
		{"loops json", []string{"loops", "--format", "json", "--kind", "reinforcing", "--max-length", "3"}, 0, []string{`"kind": "REINFORCING"`}, nil},
		{"interventions", []string{"interventions", "--goal", "increases", "testosterone", "--max-depth", "3"}, 0,
			[]string{"testosterone replacement therapy: moves it toward the goal", "but also: testosterone replacement therapy --decreases--| luteinizing hormone", "risk: raises testicular atrophy"}, nil},
		{"interventions no goal", []string{"interventions", "testosterone"}, 2, nil, []string{"--goal"}},
		{"knockout", []string{"knockout", "--remove", "LH", "GnRH", "testosterone", "--max-depth", "3"}, 0, []string{"is cut: no chain of at most 3 links survives", "2 broken chain(s)"}, nil},
		{"knockout no remove", []string{"knockout", "GnRH", "testosterone"}, 2, nil, []string{"--remove"}},
		{"trace json", []string{"trace", "--json", "--limit", "1", "GnRH", "LH"}, 0, []string{`"netEffect": "INCREASES"`}, nil},
		{"trace user data", []string{"trace", "--data", good, "My compound", "oxidative stress", "--max-depth", "2"}, 0,
			[]string{"My compound --decreases--| reactive oxygen species --increases--> oxidative stress", "net DECREASES"}, []string{"loaded "}},
		{"trace bad user data", []string{"trace", "--data", bad, "My compound", "oxidative stress"}, 1, nil,
			[]string{`bad.yaml:10:13: unknown entity "reactive_oxygen_specie"`, "nothing was written"}},
		{"trace own graph only", []string{"trace", "--no-curated", "--data", own, "IL-6", "STAT3"}, 0, []string{"IL-6 --increases--> STAT3"}, nil},
		{"no curated graph", []string{"trace", "--no-curated", "--data", own, "chronic inflammation", "testosterone"}, 1, nil, []string{`no entity "chronic inflammation"`}},
		{"own graph beside the curated one", []string{"trace", "--data", own, "IL-6", "STAT3"}, 0, []string{"IL-6 --increases--> STAT3"}, nil},
		{"trace unknown", []string{"trace", "chronic inflammation", "tstosterone"}, 1, nil, []string{`did you mean "testosterone"`}},
		{"trace one end", []string{"trace", "LH"}, 2, nil, []string{"want FROM and TO"}},
		{"trace zero depth", []string{"trace", "--max-depth", "0", "LH", "T"}, 2, nil, []string{"must be at least 1"}},
		{"trace depth too big", []string{"trace", "--max-depth", "9", "LH", "T"}, 1, nil, []string{"--max-depth must be in 1..8, not 9"}},
		{"trace bad effect", []string{"trace", "--net-effect", "UP", "LH", "T"}, 2, nil, []string{"INCREASES or DECREASES"}},
		// A member takes its class's causal links only when asked.
		{"validate a relation", []string{"validate", walking}, 0, []string{"ok: 1 entities, 0 links, 0 references, 1 sources, 1 relations beyond the curated graph"}, nil},
		{"trace inherit", []string{"trace", "--data", walking, "--inherit", "brisk walking", "chronic inflammation", "--max-depth", "1"}, 0,
			[]string{"brisk walking --decreases (inherited from lifestyle_interventions)--| chronic inflammation", "inherited from the class lifestyle_interventions (link ", "an inference, not a statement"}, nil},
		{"trace without inherit says so", []string{"trace", "--data", walking, "brisk walking", "chronic inflammation"}, 0,
			[]string{"(ONLY_BY_INHERITANCE): no stated chain", "With inherit: true"}, nil},
		{"trace inherit takes a pair", []string{"trace", "--inherit", "--from", "GnRH", "--to", "LH"}, 2, nil, []string{"--inherit and --distinct take one pair"}},
		{"loops distinct", []string{"loops", "testosterone", "--distinct"}, 0, []string{"distinct loop(s) through testosterone", "   variant, "}, nil},
		{"trace distinct", []string{"trace", "--distinct", "GnRH", "testosterone"}, 0,
			[]string{"1 distinct chain(s)", "   variant, 2 link(s), confidence 0.80: gonadotropin-releasing hormone --increases--> luteinizing hormone --increases--> testosterone\n"}, nil},
		{"trace distinct takes a pair", []string{"trace", "--distinct", "--from", "GnRH", "--to", "LH"}, 2, nil, []string{"--inherit and --distinct take one pair"}},
		// Formats, their flags and their help come from loaders.Readers and export.Writers.
		{"load help", []string{"load", "-h"}, 0, nil, []string{"  kgx        .tsv .csv       KGX TSV", "  signed     .tsv .csv .sif  a signed edge list", "  kgx-jsonl  .jsonl ", "-format string\n    \tformat of the data files, instead of by extension: curated, nquads, kgx, kgx-jsonl, json, signed\n"}},
		{"load bad format", []string{"load", "--store", "memory", "--format", "xlsx", good}, 2, nil, []string{`unknown format: "xlsx" (want one of curated, nquads, kgx, kgx-jsonl, json, signed)`}},
		{"export help", []string{"export", "-h"}, 0, nil, []string{"  kgx        KGX TSV: PATH_nodes.tsv and PATH_edges.tsv (needs --out PATH)\n", "  svg        the picture as SVG\n"}},
		{"export bad format", []string{"export", "--format", "xlsx"}, 2, nil, []string{`--format "xlsx" (want one of nquads, kgx, kgx-jsonl, json, dot, mermaid, svg, cx2, cytoscape, graphml, sif)`}},
		{"export kgx to stdout", []string{"export", "--format", "kgx"}, 2, nil, []string{"--format kgx writes two files: give --out PREFIX"}},
		// Every command that reads data files takes the same --max-* flags.
		{"load past --max-text", []string{"load", "--store", "memory", "--no-curated", "--progress", "none", "--max-text", "3", good}, 1, nil, []string{"mine.yaml:", "too large: ", "longer than 3 bytes (--max-text)", "nothing was written"}},
		{"trace past --max-line", []string{"trace", "--data", good, "--max-line", "20B", "My compound", "oxidative stress"}, 1, nil, []string{"too large: line longer than 20 bytes (--max-line)"}},
		{"validate past --max-yaml", []string{"validate", "--no-curated", "--max-yaml", "10B", good}, 1, nil, []string{"mine.yaml:1:11: too large: file longer than 10 bytes (--max-yaml)"}},
		{"validate within --max-yaml", []string{"validate", "--max-yaml", "1M", "../../data/sources.yaml", "../../data/entities.yaml", "../../data/links.yaml", good}, 0, []string{"ok: "}, nil},
		{"zero --max-line", []string{"load", "--store", "memory", "--max-line", "0", good}, 2, nil, []string{`invalid value "0" for flag --max-line: "0" is out of range`}},
		{"bad --max-unzipped", []string{"load", "--store", "memory", "--max-unzipped", "lots", good}, 2, nil, []string{`"lots" is not a size`}},
		{"zero --max-problems", []string{"load", "--store", "memory", "--max-problems", "0", good}, 2, nil, []string{"--max-ratio and --max-problems must be at least 1"}},
		{"export kgx-jsonl to stdout", []string{"export", "--format", "kgx-jsonl", "--around", "LH"}, 0, []string{`{"id":"luteinizing_hormone",`, `"subject":"`}, nil},
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
			for _, want := range tt.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
		})
	}
}

// TestBoltNeedsNoDataFiles loads into a bolt store once, then queries it
// later with no data files at hand.
func TestBoltNeedsNoDataFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kg")
	good := writeFile(t, "mine.yaml", userFile)
	code, stdout, stderr := run(t, "load", "--store", "bolt:"+dir, good)
	if code != 0 || !strings.Contains(stdout, "now holds") {
		t.Fatalf("load: %d\n%s\n%s", code, stdout, stderr)
	}
	os.Remove(good)
	code, stdout, stderr = run(t, "trace", "--store", "bolt:"+dir, "my compound", "oxidative stress")
	if code != 0 || !strings.Contains(stdout, "My compound --decreases--|") {
		t.Errorf("trace on bolt: %d\n%s\n%s", code, stdout, stderr)
	}
	if code, _, stderr := run(t, "load", good); code != 2 || !strings.Contains(stderr, "--store") {
		t.Errorf("load without --store: %d %s", code, stderr)
	}
}

// syncBuffer is a bytes.Buffer safe for the server's logger and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServe starts the real server on a free port, queries it, and stops
// it the way a signal would.
func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() { done <- Main(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, io.Discard, &stderr) }()
	urlRE := regexp.MustCompile(`graphql=(http://\S+)`)
	var endpoint string
	for deadline := time.Now().Add(30 * time.Second); endpoint == ""; {
		if m := urlRE.FindStringSubmatch(stderr.String()); m != nil {
			endpoint = m[1]
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not start:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp, err := http.Post(endpoint, "application/json", strings.NewReader(`{"query":"{ stats { entities links } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"entities":`) {
		t.Errorf("response: %s", body)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d:\n%s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}
