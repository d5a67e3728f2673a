package server

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

// The playground is GraphiQL built from the npm registry by web/ (npm ci &&
// npm run build) into playground/dist, committed, and embedded here, so the
// binary serves it with no set-up and no request leaving the host. The
// explorer (/explore: chains and neighbourhoods drawn with Cytoscape.js) is
// the same project's second page, built beside it and served the same way.
//
//go:embed playground/dist
var playgroundFiles embed.FS

// playgroundCSP allows the page nothing but this server: scripts, editor
// workers, styles, fonts and the API all come from 'self'.
const playgroundCSP = "default-src 'self'; script-src 'self'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"

func playground() http.Handler {
	dist, err := fs.Sub(playgroundFiles, "playground/dist")
	if err != nil {
		panic(err) // the embed pattern above guarantees the folder
	}
	files := http.FileServerFS(dist)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		path := r.URL.Path
		if path == "/explore/" {
			// The question stays in the query string.
			target := "/explore"
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return
		}
		if strings.HasPrefix(path, "/explore/assets/") {
			path = strings.TrimPrefix(path, "/explore")
		}
		if path != "/" && path != "/index.html" && path != "/explore" && !strings.HasPrefix(path, "/assets/") {
			http.NotFound(w, r)
			return
		}
		if strings.HasPrefix(path, "/assets/") {
			// File names carry a content hash.
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		w.Header().Set("Content-Security-Policy", playgroundCSP)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if path == "/explore" {
			http.ServeFileFS(w, r, dist, "explore.html")
			return
		}
		if path != r.URL.Path {
			r2 := new(http.Request)
			*r2 = *r
			u := *r.URL
			u.Path = path
			u.RawPath = ""
			r2.URL = &u
			r = r2
		}
		files.ServeHTTP(w, r)
	})
}
