package server_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/server"
)

// Serve the curated graph with writes allowed for one token, and remove a
// link through the API.
func ExampleNew() {
	ctx := context.Background()
	store, err := data.Open(ctx, "memory")
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	h, err := server.New(server.Config{Store: store, Tokens: []string{"let-me-write-0123456789"}})
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(h) // or http.ListenAndServe(addr, h)
	defer srv.Close()

	post := func(token, query string) {
		req, _ := http.NewRequest("POST", srv.URL+"/graphql", strings.NewReader(fmt.Sprintf(`{"query": %q}`, query)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/graphql-response+json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		fmt.Print(resp.StatusCode, " ", string(body))
	}
	post("", `mutation { removeLink(id: "leydig_cell_produces_testosterone") }`)
	post("let-me-write-0123456789", `mutation { removeLink(id: "leydig_cell_produces_testosterone") }`)
	post("", `{ link(id: "leydig_cell_produces_testosterone") { id } }`)
	// Output:
	// 401 {"errors":[{"message":"a mutation needs an Authorization: Bearer <token> header","locations":[],"extensions":{"code":"UNAUTHENTICATED"}}]}
	// 200 {"data":{"removeLink":"leydig_cell_produces_testosterone"}}
	// 200 {"data":{"link":null}}
}
