package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// pollJS waits until a JavaScript expression is true.
func pollJS(expr string) chromedp.Action[chromedp.Void] {
	p := chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(30*time.Second), chromedp.WithPollingInterval(100*time.Millisecond))
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := p(ctx, tg)
		return chromedp.Void{}, err
	}
}

// evalJSON runs an expression whose value is JSON.stringify'd in the page
// and decodes it into v.
func evalJSON(ctx context.Context, expr string, v any) error {
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string]("JSON.stringify("+expr+")"))
	if err != nil {
		return err
	}
	return json.Unmarshal([]byte(s), v)
}

// apiQuery asks the server's GraphQL API directly, for what the page should
// show.
func apiQuery(t *testing.T, base, query string, v any) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	resp, err := http.Post(base+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data   json.RawMessage
		Errors []struct{ Message string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Errors) > 0 {
		t.Fatalf("%s: %v %v", query, err, out.Errors)
	}
	if err := json.Unmarshal(out.Data, v); err != nil {
		t.Fatal(err)
	}
}

// TestExplorerInChromium opens /explore in headless Chromium with the
// network off: it draws the chronic inflammation → testosterone chains
// (every entity and link of the API's answer, DECREASES as red dashed tees,
// INCREASES as green arrows, the net effect of each chain listed), shows a
// link's quote when the link is tapped, keeps the question in the URL, offers
// the API's suggestions for a misspelt name, and nothing leaves the host.
// LEYDIGKG_EXPLORER_SCREENSHOT=path saves the view (docs/img/explorer.png).
func TestExplorerInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts chromium")
	}
	browser := chromiumPath()
	if browser == "" {
		need(t, "chromium", "apt-get install chromium (.ci/run does)")
	}
	base := startServe(t)

	// What the API says, which the page must draw.
	var tr struct {
		Trace struct {
			Paths []struct {
				NetEffect string
				Entities  []struct{ ID string }
				Links     []struct{ ID, Effect string }
			}
		}
	}
	apiQuery(t, base, `{ trace(from: "chronic inflammation", to: "testosterone") { paths { netEffect entities { id } links { id effect } } } }`, &tr)
	nodes, edges := map[string]bool{}, map[string]string{}
	for _, p := range tr.Trace.Paths {
		for _, e := range p.Entities {
			nodes[e.ID] = true
		}
		for _, l := range p.Links {
			edges[l.ID] = l.Effect
		}
	}
	if len(tr.Trace.Paths) < 2 {
		t.Fatalf("the graph has %d chains from chronic inflammation to testosterone", len(tr.Trace.Paths))
	}
	const tapped = "chronic_inflammation_decreases_testosterone"
	var lk struct {
		Link struct{ Evidence []struct{ Quote *string } }
	}
	apiQuery(t, base, `{ link(id: "`+tapped+`") { evidence { quote } } }`, &lk)
	var quote string
	for _, e := range lk.Link.Evidence {
		if e.Quote != nil && quote == "" {
			quote = *e.Quote
		}
	}
	if quote == "" {
		t.Fatalf("%s has no quote", tapped)
	}
	if len(quote) > 60 {
		quote = quote[:60]
	}

	ctx, net := openBrowser(t, base, browser)
	drawn := `document.getElementById('graph').dataset.state === 'drawn'`
	type view struct {
		Nodes, Edges int
		Attr         [2]string
		Chains       []struct{ Text, NetEffect string }
		ChainsText   string
		Shapes       map[string][2]string
		Search       string
	}
	look := func(v *view) error {
		return evalJSON(ctx, `(() => {
			const x = window.__explorer, g = document.getElementById('graph'), shapes = {};
			x.cy.edges().forEach((e) => { shapes[e.id()] = [e.style('target-arrow-shape'), e.style('line-style')]; });
			return { nodes: x.state.nodes, edges: x.state.edges, attr: [g.dataset.nodes, g.dataset.edges],
				chains: x.state.chains, chainsText: document.getElementById('chains').innerText, shapes, search: location.search };
		})()`, v)
	}
	var steps []string
	step := func(name string, err error) bool {
		if err != nil {
			steps = append(steps, fmt.Sprintf("%s: %v", name, err))
			return false
		}
		return true
	}
	fail := func() {
		if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
			t.Logf("screenshot: %d bytes", len(png))
		}
		net.mu.Lock()
		defer net.mu.Unlock()
		t.Fatalf("%s\nproblems: %q\nrequests: %q", strings.Join(steps, "\n"), net.problems, net.requests)
	}

	// 1. Typed into the form: the chains, and the question in the URL.
	ok := step("ask in the form", chromedp.Do(ctx,
		chromedp.Navigate(base+"/explore"),
		chromedp.WaitVisible(chromedp.CSS(`#graph canvas`)),
		chromedp.SendKeys(chromedp.CSS(`#from`), "chronic inflammation"),
		chromedp.SendKeys(chromedp.CSS(`#to`), "testosterone"),
		chromedp.Click(chromedp.CSS(`#go`)),
		pollJS(drawn),
	))
	var v view
	if ok && step("look", look(&v)) {
		if v.Search != "?from=chronic+inflammation&to=testosterone" {
			t.Errorf("URL query %q", v.Search)
		}
	}
	if !ok {
		fail()
	}

	// 2. The shared URL, opened afresh, draws the same view.
	ok = step("open the URL", chromedp.Do(ctx,
		chromedp.Navigate(base+"/explore"+v.Search),
		pollJS(drawn),
	)) && step("look", look(&v))
	if !ok {
		fail()
	}
	var form [2]string
	if step("form", evalJSON(ctx, `[document.getElementById('from').value, document.getElementById('to').value]`, &form)) && form != [2]string{"chronic inflammation", "testosterone"} {
		t.Errorf("the form after opening the URL: %q", form)
	}
	if v.Nodes != len(nodes) || v.Edges != len(edges) {
		t.Errorf("drawn %d entities and %d links; the trace has %d and %d", v.Nodes, v.Edges, len(nodes), len(edges))
	}
	if v.Attr != [2]string{fmt.Sprint(len(nodes)), fmt.Sprint(len(edges))} {
		t.Errorf("data-nodes, data-edges: %q", v.Attr)
	}
	if len(v.Chains) != len(tr.Trace.Paths) {
		t.Errorf("%d chains listed, the trace has %d", len(v.Chains), len(tr.Trace.Paths))
	}
	for i, p := range tr.Trace.Paths {
		if i < len(v.Chains) && v.Chains[i].NetEffect != p.NetEffect {
			t.Errorf("chain %d: net effect %s, want %s", i, v.Chains[i].NetEffect, p.NetEffect)
		}
	}
	if !strings.Contains(v.ChainsText, "chronic inflammation ⊣ testosterone — net DECREASES") {
		t.Errorf("the chains panel:\n%s", v.ChainsText)
	}
	want := map[string][2]string{"INCREASES": {"triangle", "solid"}, "DECREASES": {"tee", "dashed"}}
	for id, effect := range edges {
		if got := v.Shapes[id]; got != want[effect] {
			t.Errorf("%s (%s) is drawn %q, want %q", id, effect, got, want[effect])
		}
	}

	// 3. Tapping a link shows its evidence.
	ok = step("tap a link", chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`void (window.__explorer.cy.getElementById('`+tapped+`').emit('tap'), undefined)`),
		pollJS(fmt.Sprintf(`document.getElementById('evidence').innerText.includes(%q)`, quote)),
	))
	if !ok {
		fail()
	}
	if path := os.Getenv("LEYDIGKG_EXPLORER_SCREENSHOT"); path != "" {
		if !filepath.IsAbs(path) { // relative to the repository's root, as the README says
			path = filepath.Join("..", "..", path)
		}
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil || os.WriteFile(path, png, 0o644) != nil {
			t.Errorf("screenshot: %v", err)
		}
	}

	// 4. A misspelt name: the API's suggestions, one click from the chains.
	ok = step("a misspelt name", chromedp.Do(ctx,
		chromedp.Navigate(base+"/explore?from=chronic%20inflamation&to=testosterone"),
		pollJS(`!!document.querySelector('#suggestions button.suggestion')`),
		chromedp.Click(chromedp.CSS(`#suggestions button.suggestion`)),
		pollJS(drawn),
	)) && step("look", look(&v))
	if !ok {
		fail()
	}
	if v.Search != "?from=chronic+inflammation&to=testosterone" || v.Nodes != len(nodes) {
		t.Errorf("after the suggestion: URL query %q, %d entities", v.Search, v.Nodes)
	}

	// 5. One name and a direction; tapping an entity expands it.
	ok = step("around LH", chromedp.Do(ctx,
		chromedp.Navigate(base+"/explore?around=LH&dir=down"),
		pollJS(drawn),
	)) && step("look", look(&v))
	if !ok {
		fail()
	}
	if v.Nodes < 3 || !strings.Contains(v.ChainsText, "downstream of luteinizing hormone") {
		t.Errorf("downstream of LH: %d entities; chains panel:\n%s", v.Nodes, v.ChainsText)
	}
	before := v.Nodes
	ok = step("expand an entity", chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`void (window.__explorer.cy.getElementById('testosterone').emit('tap'), undefined)`),
		pollJS(`document.getElementById('status').innerText.includes('outgoing')`),
	)) && step("look", look(&v))
	if !ok {
		fail()
	}
	if v.Nodes <= before {
		t.Errorf("expanding testosterone: %d entities, were %d", v.Nodes, before)
	}

	net.mu.Lock()
	defer net.mu.Unlock()
	t.Logf("%d requests: %s", len(net.requests), strings.Join(net.requests, "\n  "))
	for _, p := range net.problems {
		t.Error(p)
	}
	var posted bool
	for _, r := range net.requests {
		posted = posted || strings.HasPrefix(r, "POST "+base+"/graphql")
	}
	if !posted {
		t.Error("the page never posted to /graphql")
	}
}

// TestExplorerShowsDenials: a link's evidence panel says which items deny
// the link, so that a denial does not read as support.
func TestExplorerShowsDenials(t *testing.T) {
	if testing.Short() {
		t.Skip("starts chromium")
	}
	browser := chromiumPath()
	if browser == "" {
		need(t, "chromium", "apt-get install chromium (.ci/run does)")
	}
	nodes := writeFile(t, "nodes.tsv", "id\tname\tcategory\nA\tA\tbiolink:Protein\nB\tB\tbiolink:Protein\n")
	edges := writeFile(t, "edges.tsv", "id\tsubject\tpredicate\tobject\tnegated\tprimary_knowledge_source\tknowledge_level\tagent_type\n"+
		"e1\tA\tbiolink:causes\tB\tfalse\tinfores:lab\tknowledge_assertion\tmanual_agent\n"+
		"e2\tA\tbiolink:causes\tB\ttrue\tinfores:other\tknowledge_assertion\tmanual_agent\n")
	base := startServe(t, "--no-curated", "--data", nodes, "--data", edges)
	var tr struct {
		Trace struct {
			Paths []struct{ Links []struct{ ID string } }
		}
	}
	apiQuery(t, base, `{ trace(from: "A", to: "B") { paths { links { id } } } }`, &tr)
	if len(tr.Trace.Paths) != 1 || len(tr.Trace.Paths[0].Links) != 1 {
		t.Fatalf("want one chain of one link from A to B: %+v", tr)
	}
	id := tr.Trace.Paths[0].Links[0].ID
	ctx, net := openBrowser(t, base, browser)
	items := `[...document.querySelectorAll('#evidence .item')].map((e) => e.innerText)`
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/explore?from=A&to=B"),
		pollJS(`document.getElementById('graph').dataset.state === 'drawn'`),
		chromedp.Evaluate[chromedp.Void](`void (window.__explorer.cy.getElementById('`+id+`').emit('tap'), undefined)`),
		pollJS(items+`.length === 2`),
	)
	if err != nil {
		net.mu.Lock()
		defer net.mu.Unlock()
		t.Fatalf("%v\nproblems: %q\nrequests: %q", err, net.problems, net.requests)
	}
	var got []string
	if err := evalJSON(ctx, items, &got); err != nil {
		t.Fatal(err)
	}
	for _, text := range got {
		denies := strings.Contains(text, "Denies this link")
		if strings.Contains(text, "infores:other") != denies {
			t.Errorf("evidence item %q: says it denies the link: %v", text, denies)
		}
	}
}
