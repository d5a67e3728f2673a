package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// docFiles are the pages a newcomer reads: the README, docs/*.md and
// data/README.md, as paths from this package's directory.
func docFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	files = append([]string{"../../README.md", "../../data/README.md"}, files...)
	if len(files) < 5 {
		t.Fatalf("found only %v", files)
	}
	return files
}

var (
	mdLink    = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	mdHeading = regexp.MustCompile(`(?m)^#{1,6} +(.+?) *$`)
	mdFence   = regexp.MustCompile("(?ms)^```.*?^```")
)

// anchors are GitHub's heading ids of a Markdown file.
func anchors(text string) map[string]bool {
	text = mdFence.ReplaceAllString(text, "")
	a := map[string]bool{}
	for _, m := range mdHeading.FindAllStringSubmatch(text, -1) {
		var b strings.Builder
		for _, r := range strings.ToLower(m[1]) {
			switch {
			case r == ' ':
				b.WriteRune('-')
			case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
				b.WriteRune(r)
			}
		}
		a[b.String()] = true
	}
	return a
}

// TestDocLinks: every relative link in the README, docs/*.md and
// data/README.md points at a file that exists, and a #anchor at a heading
// of the Markdown file it names.
func TestDocLinks(t *testing.T) {
	for _, f := range docFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := mdFence.ReplaceAllString(string(b), "")
		for _, m := range mdLink.FindAllStringSubmatch(text, -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			path, anchor, _ := strings.Cut(target, "#")
			full := f
			if path != "" {
				full = filepath.Join(filepath.Dir(f), path)
				if _, err := os.Stat(full); err != nil {
					t.Errorf("%s: link %q: %v", f, target, err)
					continue
				}
			}
			if anchor == "" || !strings.HasSuffix(full, ".md") {
				continue
			}
			tb, err := os.ReadFile(full)
			if err != nil {
				t.Errorf("%s: link %q: %v", f, target, err)
				continue
			}
			if !anchors(string(tb))[anchor] {
				t.Errorf("%s: link %q: no heading with that anchor in %s", f, target, full)
			}
		}
	}
}
