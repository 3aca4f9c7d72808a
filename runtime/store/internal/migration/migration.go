// Package migration reads the versioned schema changes a store embeds:
// files named NNNN_description.sql, numbered 1, 2, 3, ... with no gap.
// Applying them is each store's own business (its locking and its
// schema_migrations table differ by database).
package migration

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Migration is one schema change.
type Migration struct {
	// Version is the file's number.
	Version int
	// Name is the file's name.
	Name string
	// SQL is the file's contents.
	SQL string
}

// Load returns the migrations in directory dir of fsys, ordered by
// version; it fails on a misnamed file or a gap in the numbering.
func Load(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	var ms []Migration
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 || !strings.HasSuffix(name, ".sql") {
			return nil, fmt.Errorf("migrations: %s: name is not NNNN_description.sql", name)
		}
		body, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("migrations: %w", err)
		}
		ms = append(ms, Migration{Version: v, Name: name, SQL: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migrations: %s: version %d, want %d", m.Name, m.Version, i+1)
		}
	}
	return ms, nil
}
