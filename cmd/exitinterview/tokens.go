package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/exitinterview/exitinterview/auth"
	"github.com/exitinterview/exitinterview/config"
	"github.com/exitinterview/exitinterview/store"
)

func runTokens(ctx context.Context, env *environment, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(env.stderr, "Usage: exitinterview tokens create --email E [--name NAME]")
		return errors.New("tokens: the only subcommand is create")
	}
	fs := newFlagSet(env, "tokens create", "tokens create --email E [--name NAME]")
	email := fs.String("email", "", "email of the user the token acts as")
	name := fs.String("name", "", "a label to recognise the token by (e.g. the script that uses it)")
	config.Flags(fs, "database-url")
	cfg, err := loadConfig(env, fs, args[1:])
	if err != nil {
		return err
	}
	if *email == "" {
		return errors.New("tokens create: --email is required")
	}
	svc, err := openServices(ctx, cfg, newLogger(cfg, env.stderr))
	if err != nil {
		return err
	}
	defer svc.Close()
	secret, _, err := svc.auth.CreateAPIToken(ctx, *email, *name)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("tokens create: no user with email %s", auth.NormalizeEmail(*email))
	}
	if err != nil {
		return err
	}
	// The token alone on stdout, so scripts can capture it: TOKEN=$(exitinterview tokens create --email …)
	fmt.Fprintln(env.stdout, secret)
	return nil
}
