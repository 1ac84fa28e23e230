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
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(env.stderr, "Usage: exitinterview users create --email E --name N --role admin|manager|successor [--password-stdin]")
		return errors.New("users: the only subcommand is create")
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
