// Command ferretdb-launcher starts an embedded FerretDB 1.24 on 127.0.0.1 and
// prints its MongoDB URI on stdout as the first line, so a Node process can
// spawn it and connect. Two backends:
//
//	-backend sqlite     -dir DIR                 (pure Go, files in DIR)
//	-backend postgresql -postgresql-url URL      (a PostgreSQL server the caller runs;
//	                                             or the URL in $FERRETDB_POSTGRESQL_URL)
//
// It stops when stdin closes or on SIGINT/SIGTERM, so a crashed parent never
// leaves it running.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	backend := flag.String("backend", "sqlite", "storage backend: sqlite or postgresql")
	dir := flag.String("dir", "", "data directory for SQLite files (created if missing; sqlite backend)")
	pgURL := flag.String("postgresql-url", os.Getenv("FERRETDB_POSTGRESQL_URL"),
		"PostgreSQL connection string, e.g. postgres://user:password@127.0.0.1:5432/ferretdb (postgresql backend; "+
			"default $FERRETDB_POSTGRESQL_URL, which keeps a password out of the process list)")
	addr := flag.String("listen", "127.0.0.1:0", "TCP address to listen on")
	watchStdin := flag.Bool("watch-stdin", true, "exit when stdin reaches EOF")
	flag.Parse()

	// FerretDB decodes and re-encodes every document it reads or writes, so its
	// heap turns over fast while staying small: at Go's default GOGC=100 the
	// collector ran so often that GOGC=400 cut FerretDB's CPU per ticket by 23%
	// (18.4 -> 14.1 ms, two desks side by side in bench/intake.bench.ts). A GOGC
	// or GOMEMLIMIT set in the environment still wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}

	cfg := &ferretdb.Config{Listener: ferretdb.ListenerConfig{TCP: *addr}}
	switch *backend {
	case "sqlite":
		if *dir == "" {
			log.Fatal("ferretdb-launcher: -dir is required with -backend sqlite")
		}
		abs, err := filepath.Abs(*dir)
		if err != nil {
			log.Fatalf("ferretdb-launcher: %v", err)
		}
		if err := os.MkdirAll(abs, 0o700); err != nil {
			log.Fatalf("ferretdb-launcher: %v", err)
		}
		cfg.Handler = "sqlite"
		cfg.SQLiteURL = "file:" + abs + "/"
	case "postgresql":
		if *pgURL == "" {
			log.Fatal("ferretdb-launcher: -postgresql-url is required with -backend postgresql")
		}
		cfg.Handler = "postgresql"
		cfg.PostgreSQLURL = *pgURL
	default:
		log.Fatalf("ferretdb-launcher: unknown -backend %q (sqlite or postgresql)", *backend)
	}

	f, err := ferretdb.New(cfg)
	if err != nil {
		log.Fatalf("ferretdb-launcher: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	fmt.Println(f.MongoDBURI())
	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		log.Fatalf("ferretdb-launcher: %v", err)
	}
}
