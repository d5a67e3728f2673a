package cli

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// startServe runs 'leydigkg serve' on a free loopback port, exactly as a
// user would, and returns its base URL. The server stops, as on SIGTERM,
// when the test ends; its log is printed if the test failed.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), io.Discard, &stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d", code)
			}
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop")
		}
		if t.Failed() {
			t.Logf("server log:\n%s", stderr.String())
		}
	})
	urlRE := regexp.MustCompile(`url=(http://\S+)/ `)
	for deadline := time.Now().Add(30 * time.Second); ; {
		if m := urlRE.FindStringSubmatch(stderr.String()); m != nil {
			return m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not start:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// need skips a test whose outside tool is missing, or fails it under CI
// (CI=true), whose .ci/run installs every one.
func need(t *testing.T, what, how string) {
	t.Helper()
	msg := fmt.Sprintf("%s is not available: %s", what, how)
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// webDir is the playground's npm project, where npm ci installed the
// audit suite.
func webDir(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join("..", "..", "web"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestGraphQLOverHTTPAudit runs the graphql-http audit suite (1.23.1) of
// the GraphQL-over-HTTP spec against the real server: every MUST and
// every SHOULD audit must pass.
func TestGraphQLOverHTTPAudit(t *testing.T) {
	if testing.Short() {
		t.Skip("starts node")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		need(t, "node", "install Node.js")
	}
	web := webDir(t)
	if _, err := os.Stat(filepath.Join(web, "node_modules", "graphql-http")); err != nil {
		need(t, "the graphql-http audit suite", "run 'npm ci' in web/ (.ci/run does)")
	}
	base := startServe(t, "--token", "audit-token-0123456789")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "audit.mjs", base+"/graphql")
	cmd.Dir = web
	out, err := cmd.CombinedOutput()
	t.Logf("graphql-http audit:\n%s", out)
	if err != nil {
		t.Fatalf("audit failed: %v", err)
	}
	if !strings.Contains(string(out), `"MUST ok"`) || strings.Contains(string(out), "MUST error") || strings.Contains(string(out), "SHOULD warn") {
		t.Errorf("audit summary is not all ok")
	}
}

// chromiumPath finds Debian's chromium (or $LEYDIGKG_CHROMIUM).
func chromiumPath() string {
	if p := os.Getenv("LEYDIGKG_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestPlaygroundInChromium opens the playground in headless Chromium with
// every address but the loopback unreachable, runs the example query and
// reads its result off the page. Every request the page makes must go to
// the server and succeed.
func TestPlaygroundInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts chromium")
	}
	browser := chromiumPath()
	if browser == "" {
		need(t, "chromium", "apt-get install chromium (.ci/run does)")
	}
	base := startServe(t)
	ctx, net := openBrowser(t, base, browser)
	poll := func(sel, text string) chromedp.Action[chromedp.Void] {
		return pollJS(fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.innerText.includes(%q); })()`, sel, text))
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`.graphiql-container`)),
		// The example query is in the editor on first open.
		poll(`.graphiql-query-editor`, "testosterone"),
		chromedp.Click(chromedp.CSS(`button.graphiql-execute-button`)),
		poll(`.graphiql-response`, "DECREASES"),
	)
	var result, docs string
	if err == nil {
		result, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.graphiql-response`)))
	}
	if err == nil {
		// The schema's docs are there too.
		err = chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS(`button[aria-label="Show Documentation Explorer"]`)),
			poll(`.graphiql-doc-explorer`, "Query"),
		)
	}
	if err == nil {
		docs, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.graphiql-doc-explorer`)))
	}
	net.mu.Lock()
	defer net.mu.Unlock()
	t.Logf("%d requests: %s", len(net.requests), strings.Join(net.requests, "\n  "))
	if err != nil {
		if png, serr := chromedp.Run(ctx, chromedp.CaptureScreenshot()); serr == nil {
			shot := filepath.Join(t.TempDir(), "playground.png")
			if os.WriteFile(shot, png, 0o644) == nil && os.Getenv("LEYDIGKG_SCREENSHOT") != "" {
				os.WriteFile(os.Getenv("LEYDIGKG_SCREENSHOT"), png, 0o644)
			}
		}
		t.Fatalf("driving the playground: %v\nproblems: %q", err, net.problems)
	}
	if !strings.Contains(result, "testosterone") || !strings.Contains(result, "DECREASES") {
		t.Errorf("result pane:\n%.2000s", result)
	}
	if !strings.Contains(docs, "Query") {
		t.Errorf("docs pane:\n%.500s", docs)
	}
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

// short cuts a URL (data: URLs hold whole fonts) for the log.
func short(u string) string {
	if len(u) > 100 {
		return u[:100] + "..."
	}
	return u
}

// browserLog records what a page asks of the network, and what went wrong.
type browserLog struct {
	mu                 sync.Mutex
	requests, problems []string
}

// openBrowser starts headless Chromium with no way off the host: names do
// not resolve and every connection that is not to the loopback goes to a
// proxy that refuses it. It records each request (one that leaves base's
// host is a problem), failed loads, HTTP errors, uncaught exceptions and
// what the page's Content-Security-Policy refused.
func openBrowser(t *testing.T, base, browser string) (context.Context, *browserLog) {
	t.Helper()
	origin, _ := url.Parse(base)

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(browser),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// No way out: names do not resolve and every connection that is not
		// to the loopback (which Chromium never proxies) goes to a proxy that
		// refuses it.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.ProxyServer("http://127.0.0.1:9"),
		chromedp.WindowSize(1400, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(cancelCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelTimeout)

	l := &browserLog{}
	err := chromedp.Listen(ctx, func(ev any) {
		l.mu.Lock()
		defer l.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			l.requests = append(l.requests, ev.Request.Method+" "+short(ev.Request.URL))
			u, err := url.Parse(ev.Request.URL)
			if err != nil || (u.Scheme != "data" && u.Scheme != "blob" && u.Host != origin.Host) {
				l.problems = append(l.problems, "request off the host: "+short(ev.Request.URL))
			}
		case *network.EventLoadingFailed:
			l.problems = append(l.problems, fmt.Sprintf("request failed: %s %s", ev.ErrorText, ev.BlockedReason))
		case *network.EventResponseReceived:
			if ev.Response.Status >= 400 {
				l.problems = append(l.problems, fmt.Sprintf("%d %s", ev.Response.Status, short(ev.Response.URL)))
			}
		case *runtime.EventExceptionThrown:
			l.problems = append(l.problems, "exception: "+ev.ExceptionDetails.Text)
		case *cdplog.EventEntryAdded:
			// What the Content-Security-Policy refused (a request that would
			// have left the host) never reaches the network.
			if ev.Entry.Source == cdplog.EntrySourceSecurity {
				l.problems = append(l.problems, "refused by the page's policy: "+short(ev.Entry.Text))
			}
		}
	})
	if err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, runtime.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	return ctx, l
}
