// Command ltigen reads UML models of LTI services and media types and works
// with them: it inspects what a model says, and (as the toolkit grows)
// generates Go bindings, JSON-LD contexts, REST handlers and clients, and
// reference documentation from them.
//
// Run "ltigen help" for the commands.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit statuses shared by every command.
const (
	exitOK      = 0
	exitProblem = 1
	exitUsage   = 2
)

// command is one ltigen subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	cmds := []command{
		{name: "inspect", summary: "load model files and print the resolved UML model", run: runInspect},
		{name: "generate", summary: "generate Go types, JSON-LD contexts and REST code from the model", run: runGenerate},
		{name: "docs", summary: "serve the reference documentation site, rebuilt as the model changes", run: runDocs},
		{name: "oauth", summary: "sign an OAuth 1.0a (LTI) request, or verify one and show its base string", run: runOAuth},
	}
	cmds = append(cmds, documentCommands()...)
	return append(cmds, command{name: "new-service", summary: "write the starting UML model of a partner's REST service", run: runNewService})
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(rest) == 0 {
			usage(stdout)
			return exitOK
		}
		for _, c := range commands() {
			if c.name == rest[0] {
				return c.run(ctx, []string{"--help"}, stdout, stderr)
			}
		}
		fmt.Fprintf(stderr, "ltigen: no command named %q\n\n", rest[0])
		usage(stderr)
		return exitUsage
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, rest, stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "ltigen: unknown command %q\n\n", name)
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprint(w, `ltigen works with UML models of LTI services and media types.

Usage:
  ltigen <command> [flags] [arguments]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run "ltigen help <command>" (or "ltigen <command> --help") for a command's
flags and exit statuses.
`)
}
