package loaders

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"slices"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/kg"
)

// ReadFiles reads files from disk, checking each one's format and size
// (DefaultLimits.YAML).
func ReadFiles(names ...string) ([]File, error) {
	return ReadFilesWithin(DefaultLimits, names...)
}

// ReadFilesWithin is ReadFiles with a file at most lim.YAML bytes long.
func ReadFilesWithin(lim Limits, names ...string) ([]File, error) {
	lim = lim.withDefaults()
	files := make([]File, 0, len(names))
	for _, name := range names {
		if _, err := FormatOf(name); err != nil {
			return nil, err
		}
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		data, err := readYAML(name, f, lim)
		f.Close()
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: name, Data: data})
	}
	return files, nil
}

// ReadFS reads the files of fsys that match pattern (path.Match syntax),
// in name order.
func ReadFS(fsys fs.FS, pattern string) ([]File, error) {
	names, err := fs.Glob(fsys, pattern)
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	files := make([]File, 0, len(names))
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: name, Data: data})
	}
	return files, nil
}

// Validate reads and checks curated files on their own, as if they were to
// be loaded into an empty store. It returns what it read, and every problem
// as an ErrorList.
func Validate(files ...File) (*Curated, error) {
	c, err := ReadCurated(files...)
	return c, c.checked(err, graph.CheckBatch)
}

// checked adds the problems check finds to the errors of reading, unless
// a file could not be parsed at all (its records would be missing, and
// every reference to them reported in vain).
func (c *Curated) checked(readErr error, check func(*graph.Batch) graph.Problems) error {
	if errors.Is(readErr, ErrSyntax) {
		return readErr
	}
	var errs ErrorList
	errors.As(readErr, &errs)
	var more ErrorList
	errors.As(c.Check(check), &more)
	errs = append(errs, more...)
	errs.Sort()
	return errs.Err()
}

// Load reads curated files, validates them against the store and writes
// them as one batch. Nothing is written unless every record is valid: a
// problem anywhere comes back as an ErrorList with file:line:col positions,
// and the store is left as it was.
func Load(ctx context.Context, s *kg.Store, files ...File) (graph.Applied, error) {
	c, err := ReadCurated(files...)
	if err != nil {
		return graph.Applied{}, c.checked(err, func(b *graph.Batch) graph.Problems { return s.Check(ctx, b) })
	}
	applied, err := s.Apply(ctx, &c.Batch)
	var ps graph.Problems
	if errors.As(err, &ps) {
		return graph.Applied{}, c.Check(func(*graph.Batch) graph.Problems { return ps })
	}
	return applied, err
}
