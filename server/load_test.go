package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/server"
)

// TestLoad is a bounded load test on the loopback: many readers and one
// writer against the real handler over TCP, for LEYDIGKG_LOAD_DURATION
// (default 2s) with LEYDIGKG_LOAD_READERS readers (default 32), over
// LEYDIGKG_LOAD_STORE (memory, or bolt for a bolt store in a temporary
// folder). Every request must succeed; throughput and latency percentiles
// are logged, never asserted. Run it alone with -v for the figures:
//
//	LEYDIGKG_LOAD_DURATION=10s go test -run TestLoad -v ./server
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	duration := envDuration(t, "LEYDIGKG_LOAD_DURATION", 2*time.Second)
	readers := envInt(t, "LEYDIGKG_LOAD_READERS", 32)
	spec := "memory"
	if os.Getenv("LEYDIGKG_LOAD_STORE") == "bolt" {
		spec = "bolt:" + filepath.Join(t.TempDir(), "db")
	}
	s, err := data.Open(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ts := serveStore(t, s, func(c *server.Config) {
		c.Tokens = []string{testToken}
		c.MaxListItems = server.DefaultMaxListItems
	})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: readers + 1}, Timeout: 30 * time.Second}
	defer client.CloseIdleConnections()

	reads := []string{
		server.ExampleQuery,
		`{ entity(id: "LH") { name outgoing { effect object { name } } incoming { subject { name } } } }`,
		`{ search(text: "oxidative", first: 5) { entity { id name } } }`,
		`{ links(first: 20) { totalCount edges { node { id effect subject { id } object { id } } } } }`,
		`{ trace(from: "inflammatory cytokines", to: "testosterone", maxDepth: 5, limit: 10) { truncated paths { length netEffect } } }`,
		`{ stats { entities links references } }`,
	}
	type sample struct {
		d   time.Duration
		err error
	}
	send := func(query string, vars map[string]any, token string) error {
		body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		req, _ := http.NewRequest("POST", ts.URL+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/graphql-response+json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		var g gqlResponse
		if err := json.Unmarshal(b, &g); err != nil || resp.StatusCode != 200 || len(g.Errors) > 0 || len(g.Data) == 0 {
			return fmt.Errorf("%d: %.300s", resp.StatusCode, b)
		}
		return nil
	}

	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	var wg sync.WaitGroup
	readSamples := make([][]sample, readers)
	for i := range readers {
		wg.Go(func() {
			for n := i; ctx.Err() == nil; n++ {
				start := time.Now()
				err := send(reads[n%len(reads)], nil, "")
				readSamples[i] = append(readSamples[i], sample{time.Since(start), err})
			}
		})
	}
	// The writer adds an entity, links it with evidence, adds evidence and
	// removes it all again, over and over: every write is seen by the
	// readers' traces between two of its steps.
	var writeSamples []sample
	wg.Go(func() {
		for n := 0; ctx.Err() == nil; n++ {
			id := "load_compound_" + strconv.Itoa(n)
			l := merge(link, map[string]any{"id": id + "_link", "subject": id})
			steps := []struct {
				q    string
				vars map[string]any
			}{
				{addEntity, map[string]any{"e": map[string]any{"id": id, "name": "Load compound " + strconv.Itoa(n), "kind": "MOLECULE"}}},
				{addLink, map[string]any{"l": l}},
				{addEv, map[string]any{"id": l["id"], "ev": []map[string]any{{"quote": "Seen again under load.", "source": "article"}}}},
				{rmEntity, map[string]any{"id": id, "c": true}},
			}
			for _, st := range steps {
				start := time.Now()
				err := send(st.q, st.vars, testToken)
				writeSamples = append(writeSamples, sample{time.Since(start), err})
			}
		}
	})
	wg.Wait()

	report := func(name string, samples []sample) {
		var ds []time.Duration
		errs := 0
		for _, s := range samples {
			if s.err != nil {
				if errs < 5 {
					t.Errorf("%s: %v", name, s.err)
				}
				errs++
			}
			ds = append(ds, s.d)
		}
		if len(ds) == 0 {
			t.Errorf("%s: no requests", name)
			return
		}
		slices.Sort(ds)
		p := func(q float64) time.Duration { return ds[min(len(ds)-1, int(q*float64(len(ds))))] }
		t.Logf("%-7s %7d requests, %4d errors, %8.0f req/s, p50 %v, p95 %v, p99 %v, max %v",
			name, len(ds), errs, float64(len(ds))/duration.Seconds(), p(.50), p(.95), p(.99), ds[len(ds)-1])
	}
	report("reads", slices.Concat(readSamples...))
	report("writes", writeSamples)
	t.Logf("store %s, %d readers and 1 writer for %v", spec, readers, duration)
	e, l := curatedCounts(t)
	if st := s.Stats(context.Background()); st.Entities != e || st.Links != l {
		t.Errorf("after the load the store holds %d entities and %d links, want the curated %d and %d", st.Entities, st.Links, e, l)
	}
}

func envDuration(t *testing.T, name string, def time.Duration) time.Duration {
	if v := os.Getenv(name); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("$%s: %v", name, err)
		}
		return d
	}
	return def
}

func envInt(t *testing.T, name string, def int) int {
	if v := os.Getenv(name); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("$%s: %v", name, err)
		}
		return n
	}
	return def
}
