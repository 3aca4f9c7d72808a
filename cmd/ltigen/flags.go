package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// usageWriter prints a command's usage: its text, then its flags.
type usageWriter struct {
	fs   *flag.FlagSet
	text string
}

// print writes the usage to w.
func (u usageWriter) print(w io.Writer) {
	fmt.Fprint(w, u.text)
	u.fs.SetOutput(w)
	u.fs.PrintDefaults()
	u.fs.SetOutput(io.Discard)
}

// parseFlags parses args with fs and prints the command's usage exactly
// once where it is due: on standard output when asked for (-h, --help),
// and on standard error after the flag error itself. When ok is false the
// command returns code: exitOK after help, exitUsage after an error.
func parseFlags(fs *flag.FlagSet, text string, args []string, stdout, stderr io.Writer) (u usageWriter, code int, ok bool) {
	u = usageWriter{fs: fs, text: text}
	// The flag package would print its own usage and messages; they are
	// printed here instead, once.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	switch {
	case err == nil:
		return u, exitOK, true
	case errors.Is(err, flag.ErrHelp):
		u.print(stdout)
		return u, exitOK, false
	default:
		fmt.Fprintf(stderr, "ltigen %s: %v\n\n", fs.Name(), err)
		u.print(stderr)
		return u, exitUsage, false
	}
}
