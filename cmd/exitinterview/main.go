// Command exitinterview is the one binary of exitinterview: the HTTP server, the background worker and
// the administrative commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *environment, args []string) error
}

// environment is the outside world a command sees, so tests can run commands in-process.
type environment struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

var commands = []command{
	{"serve", "run the HTTP server (and background workers unless --workers=false)", runServe},
	{"worker", "run the background workers only", runWorker},
	{"migrate", "apply database migrations and exit", runMigrate},
	{"users", "manage users: users create --email E --name N --role R [--password-stdin]; users disable|enable --email E", runUsers},
	{"tokens", "manage personal API tokens: tokens create --email E [--name N] [--expires 90d]; tokens list --email E; tokens revoke --id ID", runTokens},
	{"report", "generate an interview's report: report --interview ID --out FILE.pdf (or .md, .json, .csv)", runReport},
	{"bench", "print the performance figures (on a scratch database)", runBench},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := &environment{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	err := run(ctx, env, os.Args[1:])
	stop()
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "exitinterview:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, env *environment, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.stdout)
		if len(args) == 0 {
			return errors.New("no command given")
		}
		return nil
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, env, args[1:])
		}
	}
	usage(env.stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "exitinterview keeps a departing Customer Success Manager's knowledge in the company.")
	fmt.Fprintln(w, "\nUsage: exitinterview <command> [flags]   (exitinterview <command> --help for its flags)")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
}
