package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/exitinterview/exitinterview/auth"
	"github.com/exitinterview/exitinterview/config"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

func runUsers(ctx context.Context, env *environment, args []string) error {
	if len(args) > 0 && (args[0] == "disable" || args[0] == "enable") {
		return runUsersDisable(ctx, env, args[0], args[1:])
	}
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(env.stderr, "Usage: exitinterview users create --email E --name N --role admin|manager|successor [--password-stdin] | users disable|enable --email E")
		return errors.New("users: the subcommands are create, disable and enable")
	}
	fs := newFlagSet(env, "users create", "users create --email E --name N --role admin|manager|successor [--password-stdin]")
	email := fs.String("email", "", "the user's email (their login)")
	name := fs.String("name", "", "the user's full name")
	role := fs.String("role", "", "admin, manager or successor")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input instead of generating one")
	config.Flags(fs, "database-url")
	cfg, err := loadConfig(env, fs, args[1:])
	if err != nil {
		return err
	}
	password := ""
	if *fromStdin {
		if password, err = readPassword(env.stdin); err != nil {
			return err
		}
	} else {
		password = auth.GeneratePassword()
	}
	svc, err := openServices(ctx, cfg, newLogger(cfg, env.stderr))
	if err != nil {
		return err
	}
	defer svc.Close()
	u, err := svc.auth.CreateUser(ctx, auth.NewUserInput{Email: *email, Name: *name, Role: store.Role(*role), Password: password}, "", auth.Client{})
	var fields validation.Errors
	if errors.As(err, &fields) {
		return fmt.Errorf("cannot create user: %s", fields.Error())
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "created %s %s <%s> (id %s)\n", u.Role, u.Name, u.Email, u.ID)
	if !*fromStdin {
		fmt.Fprintf(env.stdout, "password: %s\n(shown once; hand it over privately)\n", password)
	}
	return nil
}

// runUsersDisable disables a user (their sessions and API tokens stop working at once) or enables them.
func runUsersDisable(ctx context.Context, env *environment, sub string, args []string) error {
	fs := newFlagSet(env, "users "+sub, "users "+sub+" --email E")
	email := fs.String("email", "", "the user's email")
	config.Flags(fs, "database-url")
	cfg, err := loadConfig(env, fs, args)
	if err != nil {
		return err
	}
	if *email == "" {
		return fmt.Errorf("users %s: --email is required", sub)
	}
	svc, err := openServices(ctx, cfg, newLogger(cfg, env.stderr))
	if err != nil {
		return err
	}
	defer svc.Close()
	u, err := svc.store.UserByEmail(ctx, auth.NormalizeEmail(*email))
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("users %s: no user with email %s", sub, auth.NormalizeEmail(*email))
	}
	if err != nil {
		return err
	}
	if u, err = svc.auth.SetDisabled(ctx, u.ID, sub == "disable", "", auth.Client{}); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "%sd %s <%s>\n", sub, u.Name, u.Email)
	return nil
}
