// Command cvetl is the CLI of the cvetl recruitment-data ETL. Each subcommand lives in
// its own file and only parses flags and calls into the packages that do the work.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/cvetl/cvetl/config"
)

// Exit codes, for schedulers: 0 done, 1 done but some inputs failed (parse) or usage
// error, 2 the run itself failed.
const (
	exitOK      = 0
	exitPartial = 1
	exitFailed  = 2
)

// globals are the flags every subcommand accepts, before or after its name.
type globals struct {
	DB, Out, Config string
	LogLevel        string
	// Wait is how long a command waits for a store another process holds.
	Wait time.Duration
}

type command struct {
	name, usage, summary string
	run                  func(ctx context.Context, g globals, args []string, stdout io.Writer) int
}

var commands []command

func register(c command) { commands = append(commands, c) }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout io.Writer) int {
	g, rest, err := splitGlobals(args)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cvetl:", err)
		return exitPartial
	}
	slog.SetDefault(newLogger(g.LogLevel))
	if len(rest) == 0 || rest[0] == "help" || rest[0] == "-h" || rest[0] == "--help" {
		usage(stdout)
		return exitOK
	}
	for _, c := range commands {
		if c.name == rest[0] {
			return c.run(ctx, g, rest[1:], stdout)
		}
	}
	fmt.Fprintf(os.Stderr, "cvetl: unknown command %q\n", rest[0])
	usage(os.Stderr)
	return exitPartial
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "cvetl — recruitment-data ETL with GDPR compliance built in")
	fmt.Fprintln(w, "\nUsage: cvetl [--db PATH] [--out DIR] [--config FILE] COMMAND [ARGS]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands {
		if len(c.usage) > 40 {
			fmt.Fprintf(w, "  %s\n  %-40s %s\n", c.usage, "", c.summary)
			continue
		}
		fmt.Fprintf(w, "  %-40s %s\n", c.usage, c.summary)
	}
	fmt.Fprintln(w, "\nGlobal flags (before or after the command):")
	fmt.Fprintln(w, "  --db PATH        DuckDB store (default ./cvetl.duckdb)")
	fmt.Fprintln(w, "  --out DIR        output folder: manifests, quarantine copies (default ./out)")
	fmt.Fprintln(w, "  --config FILE    configuration (default ./cvetl.yaml when present)")
	fmt.Fprintln(w, "  --log-level L    debug, info, warn or error (default info)")
	fmt.Fprintln(w, "  --wait D         how long to wait for a store another process holds (default 5s; CVETL_WAIT)")
}

// splitGlobals takes the global flags out of args wherever they appear.
func splitGlobals(args []string) (globals, []string, error) {
	g := globals{DB: "cvetl.duckdb", Out: "out", LogLevel: "info", Wait: cliBusyWait}
	wait := os.Getenv("CVETL_WAIT")
	targets := map[string]*string{"db": &g.DB, "out": &g.Out, "config": &g.Config, "log-level": &g.LogLevel, "wait": &wait}
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		dst, ok := targets[name]
		if !strings.HasPrefix(a, "-") || !ok {
			rest = append(rest, a)
			continue
		}
		if !hasValue {
			if i+1 >= len(args) {
				return g, nil, fmt.Errorf("flag --%s needs a value", name)
			}
			i++
			value = args[i]
		}
		*dst = value
	}
	if wait != "" {
		d, err := time.ParseDuration(wait)
		if err != nil || d < 0 {
			return g, nil, fmt.Errorf("--wait %q: want a duration such as 30s or 10m", wait)
		}
		g.Wait = d
	}
	return g, rest, nil
}

// parseInterleaved parses flags that may come after positional arguments.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}

// loadConfig reads --config, or ./cvetl.yaml when present, or the defaults.
func loadConfig(g globals) (config.Config, error) {
	path := g.Config
	if path == "" {
		if _, err := os.Stat("cvetl.yaml"); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return config.Default(), nil
			}
			return config.Config{}, err
		}
		path = "cvetl.yaml"
	}
	return config.Load(path)
}
