package export

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	lg "github.com/leydigkg/leydigkg/graph"
)

// exchangePictures are the pictures the exchange formats are tested on:
// a trace, a neighbourhood, the whole curated graph, and an awkward one
// (markup and quotes in names, a belief of exactly 1, a link whose object
// the picture lacks, two links between the same two entities).
func exchangePictures(t *testing.T) map[string]*Picture {
	t.Helper()
	ctx := context.Background()
	s, b := curated(t)
	res, err := s.Trace(ctx, lg.TraceQuery{From: "chronic inflammation", To: "testosterone", MaxDepth: 4, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	around, err := Neighbourhood(ctx, s, "LH", 2)
	if err != nil {
		t.Fatal(err)
	}
	a := &lg.Entity{ID: "a&b", Name: `<x> & "y" 'z'` + "\nline two", Kind: lg.Molecule, Xrefs: []string{"CHEBI:2", "CHEBI:1"}}
	c := &lg.Entity{ID: "c", Name: "c", Kind: lg.Cell}
	ev := []lg.Evidence{{Source: "s2", References: []string{"r1"}, Publications: []string{"PMID:2"}}, {Source: "s1", References: []string{"r1", "r0"}}}
	awkward := &Picture{
		Title:    `a <b> & "c"`,
		Entities: []*lg.Entity{c, a},
		Links: []*lg.Link{
			{ID: "l2", Subject: "a&b", Object: "c", Effect: lg.Decreases, Predicate: "biolink:regulates", Confidence: 1, Evidence: ev},
			{ID: "l1", Subject: "a&b", Object: "c", Effect: lg.Increases, Predicate: "biolink:causes", Confidence: 0.25, Evidence: ev[:1]},
			{ID: "l3", Subject: "c", Object: "missing", Effect: lg.Increases, Predicate: "biolink:causes", Confidence: 0.5, Evidence: ev[1:]},
			{ID: "l4", Subject: "a&b", Object: "c", Effect: lg.Increases, Predicate: "biolink:regulates", Confidence: 0.5, Evidence: ev[1:]},
		},
	}
	return map[string]*Picture{
		"trace":    TracePicture(res),
		"around":   BatchPicture("around LH", around),
		"curated":  BatchPicture("leydigkg", b),
		"awkward":  awkward,
		"no links": {Title: "alone", Entities: []*lg.Entity{c}},
	}
}

// wantNetwork is what a picture's network holds: node ids (entities and
// the ends of links) and links.
func wantNetwork(p *Picture) (nodes []string, links map[string]*lg.Link) {
	links = map[string]*lg.Link{}
	for _, e := range p.Entities {
		nodes = append(nodes, e.ID)
	}
	for _, l := range p.Links {
		links[l.ID] = l
		nodes = append(nodes, l.Subject, l.Object)
	}
	slices.Sort(nodes)
	return slices.Compact(nodes), links
}

// TestExchangeGolden writes a trace in each exchange format and compares
// it with its golden file; each writes the same bytes twice.
func TestExchangeGolden(t *testing.T) {
	p := exchangePictures(t)["trace"]
	for _, tc := range []struct{ format, file string }{
		{"cx2", "trace.cx2"}, {"cytoscape", "trace.cyjs"}, {"graphml", "trace.graphml"}, {"sif", "trace.sif"},
	} {
		t.Run(tc.format, func(t *testing.T) {
			got, err := p.Exchange(tc.format)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := p.Exchange(tc.format)
			if got != again {
				t.Error("two writes differ")
			}
			golden(t, tc.file, []byte(got))
			// The registry writes the same as the method.
			w, ok := Writers.Lookup(tc.format)
			if !ok {
				t.Fatalf("%s is not in Writers", tc.format)
			}
			var buf bytes.Buffer
			if err := w.Codec.One(context.Background(), &buf, nil, p); err != nil || buf.String() != got {
				t.Errorf("Writers' %s writes other bytes (%v)", tc.format, err)
			}
		})
	}
	if _, err := p.Exchange("xlsx"); err == nil {
		t.Error("Exchange(xlsx) gave no error")
	}
}

// TestCX2Structure checks CX2 against its published structure (the CX2
// specification; ndex2's CX2Network.to_cx2): the aspects in order, the
// header, metaData's counts, every value of a node, edge or the network
// declared in attributeDeclarations with a value of its declared type,
// unique ids, every edge's ends among the nodes, and a successful status.
func TestCX2Structure(t *testing.T) {
	for name, p := range exchangePictures(t) {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := p.CX2(&buf); err != nil {
				t.Fatal(err)
			}
			dec := json.NewDecoder(&buf)
			dec.UseNumber()
			var doc []map[string]any
			if err := dec.Decode(&doc); err != nil {
				t.Fatal(err)
			}
			var order []string
			aspect := map[string][]any{}
			for i, a := range doc {
				if i == 0 {
					if len(a) != 2 || a["CXVersion"] != "2.0" || a["hasFragments"] != false {
						t.Fatalf("header %v, want {CXVersion: 2.0, hasFragments: false}", a)
					}
					order = append(order, "CXVersion")
					continue
				}
				if len(a) != 1 {
					t.Fatalf("aspect %d has %d keys, want 1", i, len(a))
				}
				for k, v := range a {
					order = append(order, k)
					l, ok := v.([]any)
					if !ok {
						t.Fatalf("aspect %s is %T, want an array", k, v)
					}
					aspect[k] = l
				}
			}
			want := []string{"CXVersion", "metaData", "attributeDeclarations", "networkAttributes", "nodes", "edges", "status"}
			if !slices.Equal(order, want) {
				t.Fatalf("aspects %v, want %v", order, want)
			}
			for _, m := range aspect["metaData"] {
				m := m.(map[string]any)
				n, _ := m["elementCount"].(json.Number).Int64()
				if got := len(aspect[m["name"].(string)]); int64(got) != n {
					t.Errorf("metaData says %s has %d elements; it has %d", m["name"], n, got)
				}
			}
			if len(aspect["metaData"]) != 4 {
				t.Errorf("metaData names %d aspects, want 4", len(aspect["metaData"]))
			}
			decls := aspect["attributeDeclarations"][0].(map[string]any)
			typed := func(where string, values any) {
				for k, v := range values.(map[string]any) {
					d, ok := decls[where].(map[string]any)[k].(map[string]any)
					if !ok {
						t.Errorf("%s attribute %s is not declared", where, k)
						continue
					}
					if err := cx2Typed(d["d"].(string), v); err != nil {
						t.Errorf("%s attribute %s: %v", where, k, err)
					}
				}
			}
			typed("networkAttributes", aspect["networkAttributes"][0])
			nodes, links := wantNetwork(p)
			ids := map[string]string{}
			for _, n := range aspect["nodes"] {
				n := n.(map[string]any)
				id := string(n["id"].(json.Number))
				if _, dup := ids[id]; dup {
					t.Errorf("node id %s twice", id)
				}
				typed("nodes", n["v"])
				ids[id] = n["v"].(map[string]any)["leydigkg_id"].(string)
			}
			var got []string
			for _, id := range ids {
				got = append(got, id)
			}
			slices.Sort(got)
			if !slices.Equal(got, nodes) {
				t.Errorf("nodes %v, want %v", got, nodes)
			}
			edgeIDs := map[string]bool{}
			for _, e := range aspect["edges"] {
				e := e.(map[string]any)
				id := string(e["id"].(json.Number))
				if edgeIDs[id] {
					t.Errorf("edge id %s twice", id)
				}
				edgeIDs[id] = true
				typed("edges", e["v"])
				s, sok := ids[string(e["s"].(json.Number))]
				o, ook := ids[string(e["t"].(json.Number))]
				if !sok || !ook {
					t.Errorf("edge %s: an end is not a node", id)
					continue
				}
				v := e["v"].(map[string]any)
				l := links[v["leydigkg_id"].(string)]
				if l == nil || l.Subject != s || l.Object != o {
					t.Errorf("edge %s joins %s to %s: no such link", id, s, o)
				}
			}
			if len(edgeIDs) != len(links) {
				t.Errorf("%d edges, want %d", len(edgeIDs), len(links))
			}
			if st := aspect["status"][0].(map[string]any); st["success"] != true || st["error"] != "" {
				t.Errorf("status %v", st)
			}
		})
	}
}

// cx2Typed checks a JSON value (decoded with UseNumber) against a CX2
// declared type. A double must look like one (1.0, not 1): readers type
// numbers by their look.
func cx2Typed(typ string, v any) error {
	switch typ {
	case "string":
		if _, ok := v.(string); ok {
			return nil
		}
	case "double":
		if n, ok := v.(json.Number); ok && strings.ContainsAny(string(n), ".eE") {
			return nil
		}
	case "integer", "long":
		if n, ok := v.(json.Number); ok {
			if _, err := n.Int64(); err == nil {
				return nil
			}
		}
	case "list_of_string":
		if l, ok := v.([]any); ok {
			for _, x := range l {
				if _, ok := x.(string); !ok {
					return fmt.Errorf("item %v of a list_of_string", x)
				}
			}
			return nil
		}
	default:
		return fmt.Errorf("type %q is not one CX2 declares", typ)
	}
	return fmt.Errorf("%#v is not a %s", v, typ)
}

type graphML struct {
	XMLName xml.Name `xml:"http://graphml.graphdrawing.org/xmlns graphml"`
	Keys    []struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	} `xml:"key"`
	Graph struct {
		EdgeDefault string      `xml:"edgedefault,attr"`
		Data        []graphData `xml:"data"`
		Nodes       []struct {
			ID   string      `xml:"id,attr"`
			Data []graphData `xml:"data"`
		} `xml:"node"`
		Edges []struct {
			ID     string      `xml:"id,attr"`
			Source string      `xml:"source,attr"`
			Target string      `xml:"target,attr"`
			Data   []graphData `xml:"data"`
		} `xml:"edge"`
	} `xml:"graph"`
}

type graphData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

// TestGraphML parses each GraphML export with encoding/xml (strictly) and
// checks the namespace, a directed graph, the counts, every data key
// declared for its element with a typed value (int and double parse),
// names and the title back as they were, and links' signs and beliefs.
func TestGraphML(t *testing.T) {
	for name, p := range exchangePictures(t) {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := p.GraphML(&buf); err != nil {
				t.Fatal(err)
			}
			var g graphML
			dec := xml.NewDecoder(&buf)
			dec.Strict = true
			if err := dec.Decode(&g); err != nil {
				t.Fatalf("not well-formed GraphML: %v", err)
			}
			if g.Graph.EdgeDefault != "directed" {
				t.Errorf("edgedefault %q", g.Graph.EdgeDefault)
			}
			keys := map[string]string{} // id: for/name/type
			for _, k := range g.Keys {
				if !slices.Contains([]string{"string", "int", "long", "double", "float", "boolean"}, k.Type) {
					t.Errorf("key %s: attr.type %q", k.ID, k.Type)
				}
				keys[k.ID] = k.For + "/" + k.Name + "/" + k.Type
			}
			values := func(kind string, data []graphData) map[string]string {
				out := map[string]string{}
				for _, d := range data {
					k, ok := keys[d.Key]
					if !ok || !strings.HasPrefix(k, kind+"/") {
						t.Errorf("%s data of key %q, declared as %q", kind, d.Key, k)
						continue
					}
					parts := strings.Split(k, "/")
					switch parts[2] {
					case "int":
						if _, err := strconv.Atoi(d.Value); err != nil {
							t.Errorf("%s %s = %q is not an int", kind, parts[1], d.Value)
						}
					case "double":
						if _, err := strconv.ParseFloat(d.Value, 64); err != nil {
							t.Errorf("%s %s = %q is not a double", kind, parts[1], d.Value)
						}
					}
					out[parts[1]] = d.Value
				}
				return out
			}
			if got := values("graph", g.Graph.Data)["name"]; got != p.Title {
				t.Errorf("title %q, want %q", got, p.Title)
			}
			nodes, links := wantNetwork(p)
			var got []string
			names := map[string]string{}
			for _, e := range p.Entities {
				names[e.ID] = e.Name
			}
			for _, n := range g.Graph.Nodes {
				got = append(got, n.ID)
				v := values("node", n.Data)
				if want, ok := names[n.ID]; ok && v["name"] != want {
					t.Errorf("node %s named %q, want %q", n.ID, v["name"], want)
				}
			}
			if !slices.Equal(got, nodes) {
				t.Errorf("nodes %v, want %v", got, nodes)
			}
			if len(g.Graph.Edges) != len(links) {
				t.Errorf("%d edges, want %d", len(g.Graph.Edges), len(links))
			}
			for _, e := range g.Graph.Edges {
				l := links[e.ID]
				if l == nil || l.Subject != e.Source || l.Object != e.Target {
					t.Errorf("edge %s %s→%s: no such link", e.ID, e.Source, e.Target)
					continue
				}
				v := values("edge", e.Data)
				if v["sign"] != strconv.Itoa(l.Effect.Sign()) || v["effect"] != string(l.Effect) {
					t.Errorf("edge %s: sign %s effect %s, want %s", e.ID, v["sign"], v["effect"], l.Effect)
				}
				if c, _ := strconv.ParseFloat(v["confidence"], 64); c != l.Confidence {
					t.Errorf("edge %s: confidence %s, want %v", e.ID, v["confidence"], l.Confidence)
				}
				if v["evidence_count"] != strconv.Itoa(supporting(l)) {
					t.Errorf("edge %s: evidence_count %s, want %d", e.ID, v["evidence_count"], supporting(l))
				}
			}
		})
	}
}

// TestCytoscapeJSON checks the Cytoscape.js export: elements.nodes and
// elements.edges with data.id, edges' source and target among the nodes,
// and the value and key NetworkX's cytoscape_graph needs.
func TestCytoscapeJSON(t *testing.T) {
	for name, p := range exchangePictures(t) {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := p.Cytoscape(&buf); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Data       map[string]any `json:"data"`
				Directed   bool           `json:"directed"`
				Multigraph bool           `json:"multigraph"`
				Elements   struct {
					Nodes []struct{ Data map[string]any } `json:"nodes"`
					Edges []struct{ Data map[string]any } `json:"edges"`
				} `json:"elements"`
			}
			if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			if !doc.Directed || !doc.Multigraph || doc.Data["name"] != p.Title {
				t.Errorf("directed %v, multigraph %v, data %v", doc.Directed, doc.Multigraph, doc.Data)
			}
			nodes, links := wantNetwork(p)
			var got []string
			for _, n := range doc.Elements.Nodes {
				id, _ := n.Data["id"].(string)
				if n.Data["value"] != id {
					t.Errorf("node %s: value %v", id, n.Data["value"])
				}
				got = append(got, id)
			}
			if !slices.Equal(got, nodes) {
				t.Errorf("nodes %v, want %v", got, nodes)
			}
			if len(doc.Elements.Edges) != len(links) {
				t.Errorf("%d edges, want %d", len(doc.Elements.Edges), len(links))
			}
			for _, e := range doc.Elements.Edges {
				id, _ := e.Data["id"].(string)
				l := links[id]
				if l == nil || e.Data["source"] != l.Subject || e.Data["target"] != l.Object || e.Data["key"] != id {
					t.Errorf("edge %v: not its link", e.Data)
					continue
				}
				if e.Data["sign"] != float64(l.Effect.Sign()) || e.Data["confidence"] != l.Confidence || e.Data["evidence_count"] != float64(supporting(l)) {
					t.Errorf("edge %s: %v", id, e.Data)
				}
			}
		})
	}
}

var sifLine = regexp.MustCompile(`^(\S+)\t(1|-1)\t(\S+)$`)

// TestSIF checks the signed SIF: a line per distinct (subject, sign,
// object), each "subject TAB 1|-1 TAB object", the sign the link's.
func TestSIF(t *testing.T) {
	for name, p := range exchangePictures(t) {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := p.SIF(&buf); err != nil {
				t.Fatal(err)
			}
			want := map[string]bool{}
			for _, l := range p.Links {
				want[fmt.Sprintf("%s\t%d\t%s", l.Subject, l.Effect.Sign(), l.Object)] = true
			}
			got := map[string]bool{}
			for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
				if line == "" && len(want) == 0 {
					continue
				}
				if !sifLine.MatchString(line) {
					t.Errorf("line %q is not subject TAB 1|-1 TAB object", line)
				}
				if got[line] {
					t.Errorf("line %q twice", line)
				}
				got[line] = true
			}
			for l := range want {
				if !got[l] {
					t.Errorf("no line %q", l)
				}
			}
			if len(got) != len(want) {
				t.Errorf("%d lines, want %d", len(got), len(want))
			}
		})
	}
	bad := &Picture{Links: []*lg.Link{{ID: "x", Subject: "a\tb", Object: "c", Effect: lg.Increases}}}
	if err := bad.SIF(&bytes.Buffer{}); err == nil {
		t.Error("an id with a tab: no error")
	}
}

// TestNetworksLeaveOutDenials: a link that only negated evidence supports
// (its sources say it does not hold) is no edge of any signed network
// export; the asserted link beside it is.
func TestNetworksLeaveOutDenials(t *testing.T) {
	p := &Picture{
		Entities: []*lg.Entity{{ID: "TP53", Name: "TP53"}, {ID: "MDM2", Name: "MDM2"}},
		Links: []*lg.Link{
			{ID: "refuted", Subject: "TP53", Object: "MDM2", Effect: lg.Increases, Predicate: "biolink:regulates",
				Evidence: []lg.Evidence{{Source: "s", Negated: true}}},
			{ID: "stated", Subject: "MDM2", Object: "TP53", Effect: lg.Decreases, Predicate: "biolink:regulates",
				Evidence: []lg.Evidence{{Source: "s"}}},
		},
	}
	for name, write := range map[string]func(io.Writer) error{"sif": p.SIF, "cx2": p.CX2, "cyjs": p.Cytoscape, "graphml": p.GraphML} {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			t.Fatal(err)
		}
		if out := buf.String(); strings.Contains(out, "refuted") || name == "sif" && strings.Contains(out, "TP53\t1\tMDM2") {
			t.Errorf("%s writes the denied link:\n%s", name, out)
		}
		if out := buf.String(); !strings.Contains(out, "stated") && !strings.Contains(out, "MDM2\t-1\tTP53") {
			t.Errorf("%s leaves out the stated link:\n%s", name, out)
		}
	}
}

// supporting counts the evidence items that support l (not its denials).
func supporting(l *lg.Link) int {
	n := 0
	for _, e := range l.Evidence {
		if !e.Negated {
			n++
		}
	}
	return n
}

// TestNetworksSayWhoDenies: a link that one source states and another
// denies is exported with the first among its sources and evidence count
// and the second under denied_by, not among the sources it rests on.
func TestNetworksSayWhoDenies(t *testing.T) {
	p := &Picture{
		Entities: []*lg.Entity{{ID: "TP53", Name: "TP53"}, {ID: "MDM2", Name: "MDM2"}},
		Links: []*lg.Link{{ID: "contested", Subject: "MDM2", Object: "TP53", Effect: lg.Decreases, Predicate: "biolink:regulates",
			Evidence: []lg.Evidence{{Source: "infores:signor", Publications: []string{"PMID:1"}}, {Source: "infores:lab", Negated: true, Publications: []string{"PMID:2"}}}}},
	}
	var buf bytes.Buffer
	if err := p.Cytoscape(&buf); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Elements struct {
			Edges []struct{ Data map[string]any }
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Elements.Edges) != 1 {
		t.Fatalf("%d edges:\n%s", len(doc.Elements.Edges), buf.String())
	}
	d := doc.Elements.Edges[0].Data
	got := fmt.Sprint(d["sources"], d["denied_by"], d["evidence_count"], d["publications"])
	if want := "[infores:signor] [infores:lab] 1 [PMID:1]"; got != want {
		t.Errorf("sources, denied_by, evidence_count, publications: %s, want %s", got, want)
	}
}
