package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/exitinterview/exitinterview/auth"
	"github.com/exitinterview/exitinterview/config"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

const tokensUsage = "tokens create --email E [--name NAME] [--expires 90d] | tokens list --email E | tokens revoke --id ID"

func runTokens(ctx context.Context, env *environment, args []string) error {
	sub := ""
	if len(args) > 0 {
		sub = args[0]
	}
	fs := newFlagSet(env, "tokens "+sub, tokensUsage)
	var email, name, expires, id *string
	switch sub {
	case "create":
		email = fs.String("email", "", "email of the user the token acts as")
		name = fs.String("name", "command line", "a label to recognise the token by (e.g. the script that uses it)")
		expires = fs.String("expires", "", "lifetime: days like 90d, or a duration like 720h (default: EXITINTERVIEW_TOKEN_TTL)")
	case "list":
		email = fs.String("email", "", "email of the user whose tokens to list")
	case "revoke":
		id = fs.String("id", "", "id of the token to revoke (see tokens list)")
	default:
		fmt.Fprintln(env.stderr, "Usage: exitinterview "+tokensUsage)
		return errors.New("tokens: the subcommands are create, list and revoke")
	}
	config.Flags(fs, "database-url")
	cfg, err := loadConfig(env, fs, args[1:])
	if err != nil {
		return err
	}
	if email != nil && *email == "" {
		return fmt.Errorf("tokens %s: --email is required", sub)
	}
	if id != nil && *id == "" {
		return errors.New("tokens revoke: --id is required")
	}
	var lifetime time.Duration
	if expires != nil && *expires != "" {
		if lifetime, err = parseLifetime(*expires); err != nil {
			return fmt.Errorf("tokens create: --expires %w", err)
		}
	}
	svc, err := openServices(ctx, cfg, newLogger(cfg, env.stderr))
	if err != nil {
		return err
	}
	defer svc.Close()
	var u store.User
	if email != nil {
		u, err = svc.store.UserByEmail(ctx, auth.NormalizeEmail(*email))
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("tokens %s: no user with email %s", sub, auth.NormalizeEmail(*email))
		}
		if err != nil {
			return err
		}
	}
	switch sub {
	case "create":
		secret, _, err := svc.auth.IssueAPIToken(ctx, u, *name, lifetime, "", auth.Client{})
		var fields validation.Errors
		switch {
		case errors.As(err, &fields):
			return fmt.Errorf("tokens create: %s", fields.Error())
		case errors.Is(err, auth.ErrUserDisabled):
			return fmt.Errorf("tokens create: user %s is disabled", u.Email)
		case err != nil:
			return err
		}
		// The token alone on stdout, so scripts can capture it: TOKEN=$(exitinterview tokens create --email …)
		fmt.Fprintln(env.stdout, secret)
	case "list":
		tokens, err := svc.store.APITokens(ctx, u.ID)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tNAME\tSTATUS\tCREATED\tLAST USED\tEXPIRES")
		now := time.Now()
		for _, t := range tokens {
			status := "active"
			if t.RevokedAt != nil {
				status = "revoked"
			} else if !t.Live(now) {
				status = "expired"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, status, t.CreatedAt.UTC().Format(time.DateOnly),
				dateOr(t.LastUsedAt, "never"), dateOr(t.ExpiresAt, "never"))
		}
		return w.Flush()
	case "revoke":
		t, err := svc.auth.RevokeAPIToken(ctx, *id, nil, auth.Client{})
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("tokens revoke: no token with id %s", *id)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "revoked token %s (%s)\n", t.ID, t.Name)
	}
	return nil
}

// parseLifetime reads a token lifetime: whole days like "90d", or a Go duration like "720h".
func parseLifetime(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 1 || n > 3650 {
			return 0, fmt.Errorf("must be between 1d and 3650d")
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("must be days like 90d or a duration like 720h")
	}
	return d, nil
}

func dateOr(t *time.Time, none string) string {
	if t == nil {
		return none
	}
	return t.UTC().Format(time.DateOnly)
}
