// Package genfs is the generator's one file writer. It writes the files
// the emitters produce under an output root, or, in check mode, writes
// nothing and reports what writing would change.
//
// # The manifest
//
// Every output root holds a manifest, ManifestName, listing the files the
// generator wrote there: one slash-separated path per line, sorted, after
// a comment header. It is how the writer tells its own files from the
// ones people keep beside them (a README, a doc.go):
//
//   - a file in the old manifest that is no longer produced is stale: Write
//     removes it (and the directories it leaves empty), Check reports it;
//   - a file the generator never produced is never touched. Producing a
//     path where such a file already exists is an error unless the file
//     already holds exactly the produced bytes (then it is adopted): the
//     generator does not overwrite what it did not write;
//   - the manifest itself is written like any other file, so Check also
//     reports a manifest that is out of date.
//
// # Writing
//
// Only files whose bytes differ are written, each through a temporary file
// renamed into place, so unchanged files keep their modification times and
// a reader never sees half a file. Before changing anything, Write lists
// the old and the new files in the manifest, so that a run that is
// interrupted leaves no file the next run would not recognise; the final
// manifest lists the new files only. All file access goes through an
// os.Root, so neither a path nor a symbolic link can reach outside the
// output root.
//
// # Paths
//
// Paths are slash-separated, relative, and clean: empty paths, absolute
// paths, "." and ".." elements, backslashes, NUL bytes, duplicate paths,
// a path that is also the directory of another, and the manifest's own
// name are refused before anything is written.
package genfs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"syscall"

	"github.com/ltiforge/ltiforge/generator/emit"
)

// ManifestName is the name, under the output root, of the list of files
// the generator wrote there.
const ManifestName = ".ltigen-manifest"

// manifestHeader opens every manifest.
const manifestHeader = "# Files ltigen generated in this directory, one per line.\n" +
	"# ltigen removes those it no longer generates and touches no other file. Do not edit.\n"

// Permissions of written files and created directories.
const (
	filePerm = 0o644
	dirPerm  = 0o755
)

// Kind says what happens, or would happen, to one file.
type Kind int

// Kinds of change.
const (
	// Create is a produced file that does not exist yet.
	Create Kind = iota + 1
	// Update is a produced file that exists with other bytes.
	Update
	// Remove is a stale file: listed in the manifest, no longer produced.
	Remove
)

// String names the kind for messages.
func (k Kind) String() string {
	switch k {
	case Create:
		return "create"
	case Update:
		return "update"
	case Remove:
		return "remove"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Change is one file that a run changed, or in check mode would change.
type Change struct {
	// Path is slash-separated and relative to the output root.
	Path string
	Kind Kind
}

// Report says what a run did, or in check mode would do.
type Report struct {
	// Root is the output root as given.
	Root string
	// Check is set for a check run, which changed nothing.
	Check bool
	// Changes are the files created, updated or removed (or that would
	// be), sorted by path. The manifest is among them when it changes.
	Changes []Change
	// Unchanged is the number of produced files that already held the
	// produced bytes.
	Unchanged int
}

// UpToDate reports whether nothing had to change.
func (r Report) UpToDate() bool { return len(r.Changes) == 0 }

// Count returns the number of changes of kind k.
func (r Report) Count(k Kind) int {
	n := 0
	for _, c := range r.Changes {
		if c.Kind == k {
			n++
		}
	}
	return n
}

// Write writes files under root, creating root and directories as
// needed, removes the stale files the manifest lists, writes the manifest,
// and reports what changed. Nothing is written when a path is invalid or
// a produced path holds a file the generator did not write.
func Write(ctx context.Context, root string, files []emit.File) (Report, error) {
	return run(ctx, root, files, false)
}

// Check compares files with what is under root and reports the files
// Write would create, update or remove, without writing anything. A
// missing root is not an error: every file would be created.
func Check(ctx context.Context, root string, files []emit.File) (Report, error) {
	return run(ctx, root, files, true)
}

// plan is what a run found before changing anything.
type plan struct {
	changes []Change
	data    map[string][]byte // produced bytes by path
	old     []string          // the old manifest's paths
	// oldManifest is the old manifest's bytes; nil when there was none.
	oldManifest []byte
	unchanged   int
}

func run(ctx context.Context, root string, files []emit.File, check bool) (Report, error) {
	rep := Report{Root: root, Check: check}
	if root == "" {
		return rep, errors.New("genfs: no output root given")
	}
	want, err := validate(files)
	if err != nil {
		return rep, err
	}
	r, err := openRoot(root, check)
	if err != nil {
		return rep, err
	}
	if r != nil {
		defer r.Close()
	}
	p, err := planRun(ctx, r, root, want)
	if err != nil {
		return rep, err
	}
	rep.Changes, rep.Unchanged = p.changes, p.unchanged
	if check || len(p.changes) == 0 {
		return rep, nil
	}
	return rep, apply(ctx, r, root, p, want)
}

// openRoot opens the output root; in write mode it creates it first. In
// check mode a missing root gives a nil *os.Root.
func openRoot(root string, check bool) (*os.Root, error) {
	if !check {
		if err := os.MkdirAll(root, dirPerm); err != nil {
			return nil, fmt.Errorf("genfs: creating the output directory: %w", err)
		}
	}
	r, err := os.OpenRoot(root)
	if check && errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("genfs: opening the output directory: %w", err)
	}
	return r, nil
}

// validate checks every path and returns the produced bytes by path.
func validate(files []emit.File) (map[string][]byte, error) {
	want := make(map[string][]byte, len(files))
	for _, f := range files {
		if err := checkPath(f.Path); err != nil {
			return nil, fmt.Errorf("genfs: produced file %q: %w", f.Path, err)
		}
		if f.Path == ManifestName {
			return nil, fmt.Errorf("genfs: produced file %q: the name is reserved for the manifest", f.Path)
		}
		if _, dup := want[f.Path]; dup {
			return nil, fmt.Errorf("genfs: produced file %q is produced twice", f.Path)
		}
		want[f.Path] = f.Data
	}
	for p := range want {
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			if _, clash := want[d]; clash {
				return nil, fmt.Errorf("genfs: produced file %q is also the directory of produced file %q", d, p)
			}
		}
	}
	return want, nil
}

// checkPath reports why p is not a clean, relative, slash-separated path
// inside the root, or nil.
func checkPath(p string) error {
	switch {
	case p == "":
		return errors.New("the path is empty")
	case strings.ContainsRune(p, 0):
		return errors.New("the path holds a NUL byte")
	case strings.Contains(p, `\`):
		return errors.New("the path holds a backslash; paths are slash-separated")
	case path.IsAbs(p) || isWindowsAbs(p):
		return errors.New("the path is absolute; paths are relative to the output root")
	}
	for _, el := range strings.Split(p, "/") {
		switch el {
		case "..":
			return errors.New("the path escapes the output root (..)")
		case ".", "":
			return errors.New("the path is not clean (empty or . element)")
		}
	}
	return nil
}

// isWindowsAbs reports whether p starts with a drive letter ("C:"), which
// would leave the root on Windows.
func isWindowsAbs(p string) bool {
	return len(p) >= 2 && p[1] == ':' && ('a' <= p[0]|0x20 && p[0]|0x20 <= 'z')
}

// planRun reads the old manifest and the existing files and works out the
// changes.
func planRun(ctx context.Context, r *os.Root, root string, want map[string][]byte) (*plan, error) {
	p := &plan{data: want}
	oldData, err := readFile(r, ManifestName)
	if err != nil {
		return nil, fmt.Errorf("genfs: reading %s: %w", path.Join(root, ManifestName), err)
	}
	p.oldManifest = oldData
	oldSet := map[string]bool{}
	if oldData != nil {
		p.old, err = parseManifest(oldData)
		if err != nil {
			return nil, fmt.Errorf("genfs: %s: %w", path.Join(root, ManifestName), err)
		}
		for _, o := range p.old {
			oldSet[o] = true
		}
	}
	for _, name := range sortedKeys(want) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		have, err := readFile(r, name)
		if err != nil {
			return nil, fmt.Errorf("genfs: reading %s: %w", path.Join(root, name), err)
		}
		switch {
		case have == nil:
			p.changes = append(p.changes, Change{Path: name, Kind: Create})
		case bytes.Equal(have, want[name]):
			p.unchanged++
		case !oldSet[name]:
			return nil, fmt.Errorf("genfs: %s exists and was not written by ltigen (it is not in %s); "+
				"remove or rename it so that ltigen can write it", path.Join(root, name), ManifestName)
		default:
			p.changes = append(p.changes, Change{Path: name, Kind: Update})
		}
	}
	for _, name := range p.old {
		if _, still := want[name]; still {
			continue
		}
		exists, err := isFile(r, name)
		if err != nil {
			return nil, fmt.Errorf("genfs: stale file %s: %w", path.Join(root, name), err)
		}
		if exists {
			p.changes = append(p.changes, Change{Path: name, Kind: Remove})
		}
	}
	newManifest := manifest(sortedKeys(want))
	switch {
	case oldData == nil:
		p.changes = append(p.changes, Change{Path: ManifestName, Kind: Create})
	case !bytes.Equal(oldData, newManifest):
		p.changes = append(p.changes, Change{Path: ManifestName, Kind: Update})
	}
	slices.SortFunc(p.changes, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
	return p, nil
}

// apply carries out a plan: the interim manifest, removals, writes, the
// final manifest.
func apply(ctx context.Context, r *os.Root, root string, p *plan, want map[string][]byte) error {
	newPaths := sortedKeys(want)
	union := slices.Clone(newPaths)
	for _, o := range p.old {
		if _, ok := want[o]; !ok {
			union = append(union, o)
		}
	}
	slices.Sort(union)
	onDisk := p.oldManifest
	if interim := manifest(union); !bytes.Equal(interim, onDisk) {
		if err := writeAtomic(r, ManifestName, interim); err != nil {
			return fmt.Errorf("genfs: writing %s: %w", path.Join(root, ManifestName), err)
		}
		onDisk = interim
	}
	var emptied []string
	for _, c := range p.changes {
		if c.Kind != Remove {
			continue
		}
		if err := r.Remove(c.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("genfs: removing stale file %s: %w", path.Join(root, c.Path), err)
		}
		emptied = append(emptied, path.Dir(c.Path))
	}
	pruneDirs(r, emptied)
	for _, c := range p.changes {
		if err := ctx.Err(); err != nil {
			return err
		}
		if c.Path == ManifestName || c.Kind == Remove {
			continue
		}
		if d := path.Dir(c.Path); d != "." {
			if err := r.MkdirAll(d, dirPerm); err != nil {
				return fmt.Errorf("genfs: creating directory %s: %w", path.Join(root, d), err)
			}
		}
		if err := writeAtomic(r, c.Path, want[c.Path]); err != nil {
			return fmt.Errorf("genfs: writing %s: %w", path.Join(root, c.Path), err)
		}
	}
	if final := manifest(newPaths); !bytes.Equal(final, onDisk) {
		if err := writeAtomic(r, ManifestName, final); err != nil {
			return fmt.Errorf("genfs: writing %s: %w", path.Join(root, ManifestName), err)
		}
	}
	return nil
}

// pruneDirs removes the given directories, and then their parents, while
// they are empty. The root itself is never removed.
func pruneDirs(r *os.Root, dirs []string) {
	slices.Sort(dirs)
	dirs = slices.Compact(dirs)
	// Deepest first, so that a parent is tried after its children.
	slices.SortFunc(dirs, func(a, b string) int { return strings.Count(b, "/") - strings.Count(a, "/") })
	for _, d := range dirs {
		for ; d != "." && d != "/"; d = path.Dir(d) {
			// Remove refuses a directory that is not empty: that, or
			// any other failure, ends the walk up for this directory.
			if r.Remove(d) != nil {
				break
			}
		}
	}
}

// writeAtomic writes data to name through a temporary file in the same
// directory, renamed into place.
func writeAtomic(r *os.Root, name string, data []byte) error {
	dir, base := path.Split(name)
	tmp := dir + "." + base + ".ltigen-tmp"
	if err := r.WriteFile(tmp, data, filePerm); err != nil {
		return err
	}
	if err := r.Rename(tmp, name); err != nil {
		_ = r.Remove(tmp)
		return err
	}
	return nil
}

// readFile returns the content of name, or nil when it does not exist (or
// the root itself does not). A directory where a file is expected is an
// error.
func readFile(r *os.Root, name string) ([]byte, error) {
	if r == nil {
		return nil, nil
	}
	st, err := r.Stat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist) || isNotDirErr(err):
		return nil, nil
	case err != nil:
		return nil, err
	case st.IsDir():
		return nil, errors.New("it is a directory, where a file is expected")
	case !st.Mode().IsRegular():
		return nil, errors.New("it is not a regular file")
	}
	data, err := r.ReadFile(name)
	if data == nil && err == nil {
		data = []byte{}
	}
	return data, err
}

// isFile reports whether name exists as a regular file; a directory or a
// special file there is an error.
func isFile(r *os.Root, name string) (bool, error) {
	if r == nil {
		return false, nil
	}
	st, err := r.Lstat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist) || isNotDirErr(err):
		return false, nil
	case err != nil:
		return false, err
	case !st.Mode().IsRegular():
		return false, errors.New("it is not a regular file; remove it by hand")
	}
	return true, nil
}

// isNotDirErr reports whether err says a path element is a file where a
// directory was expected ("a/b" when "a" is a file), which for reading
// means the file does not exist.
func isNotDirErr(err error) bool { return errors.Is(err, syscall.ENOTDIR) }

// manifest returns the manifest listing paths, which must be sorted.
func manifest(paths []string) []byte {
	var b bytes.Buffer
	b.WriteString(manifestHeader)
	for _, p := range paths {
		b.WriteString(p)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// parseManifest reads a manifest's paths. Comment lines (#) and blank
// lines are skipped; every path must be valid, so that a damaged manifest
// can never make Write remove a file outside the root.
func parseManifest(data []byte) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := checkPath(line); err != nil {
			return nil, fmt.Errorf("line %d: %q: %w", i+1, line, err)
		}
		if line == ManifestName || seen[line] {
			continue
		}
		seen[line] = true
		out = append(out, line)
	}
	slices.Sort(out)
	return out, nil
}

func sortedKeys(m map[string][]byte) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
