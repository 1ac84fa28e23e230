package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/exitinterview/exitinterview/auth"
	"github.com/exitinterview/exitinterview/fidelity"
	"github.com/exitinterview/exitinterview/store"
)

// benchFidelity runs every persona of the fidelity corpus through the real HTTP flow (offline engine,
// background capture and report) and prints how well each was understood, then all of them together.
func benchFidelity(ctx context.Context, out io.Writer, svc *services, base string) error {
	personas, err := fidelity.Personas()
	if err != nil {
		return err
	}
	if _, err := svc.auth.CreateUser(ctx, auth.NewUserInput{Email: "fidelity@example.com", Name: "Fidelity Manager", Role: store.RoleManager},
		"", auth.Client{}); err != nil {
		return err
	}
	token, _, err := svc.auth.CreateAPIToken(ctx, "fidelity@example.com", "bench")
	if err != nil {
		return err
	}
	var total fidelity.Scores
	for _, p := range personas {
		run, err := fidelity.Interview(ctx, base, token, p, time.Now())
		if err != nil {
			return fmt.Errorf("persona %s: %w", p.Slug, err)
		}
		sc := fidelity.Score(p, run)
		sc.Print(out, "fidelity_"+p.Slug+"_")
		total = total.Sum(sc)
	}
	fmt.Fprintf(out, "fidelity_personas %d\n", len(personas))
	total.Print(out, "fidelity_")
	return nil
}
