package main

import (
	"context"
	"fmt"

	"github.com/exitinterview/exitinterview/config"
	"github.com/exitinterview/exitinterview/store"
)

func runMigrate(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "migrate", "migrate [--database-url URL]")
	config.Flags(fs, "database-url")
	cfg, err := loadConfig(env, fs, args)
	if err != nil {
		return err
	}
	if err := store.Migrate(ctx, cfg.DatabaseURL, newLogger(cfg, env.stderr)); err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, "database is up to date")
	return nil
}
