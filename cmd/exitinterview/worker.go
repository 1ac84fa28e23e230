package main

import (
	"context"
	"fmt"

	"github.com/exitinterview/exitinterview/config"
)

func runWorker(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "worker", "worker [--database-url URL]")
	config.Flags(fs, "database-url")
	cfg, err := loadConfig(env, fs, args)
	if err != nil {
		return err
	}
	log := newLogger(cfg, env.stderr)
	svc, err := openServices(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer svc.Close()
	client, err := svc.river(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	if err := client.Start(ctx); err != nil {
		return fmt.Errorf("start workers: %w", err)
	}
	log.Info("worker started")
	<-ctx.Done()
	stopCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	return client.Stop(stopCtx)
}
