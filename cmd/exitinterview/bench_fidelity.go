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
// background capture and report) and prints how well each was understood, before and after the
// read-back, then all of them together. With misses, it also writes there what each run got wrong.
func benchFidelity(ctx context.Context, out, misses io.Writer, svc *services, base string) error {
	personas, err := fidelity.Personas()
	if err != nil {
		return err
	}
	questions, err := fidelity.Questions()
	if err != nil {
		return err
	}
	// The held-out and blind questions were written from the personas alone, by people who had seen
	// neither the labelled set nor the search code: how Ask does on questions nobody tuned it for. (The
	// held-out set has since been read while the rules were made; the blind set only once.)
	heldout, err := fidelity.HeldoutQuestions()
	if err != nil {
		return err
	}
	blind, err := fidelity.BlindQuestions()
	if err != nil {
		return err
	}
	// Each persona is interviewed twice: confirming every read-back card as it stands (what the rules
	// understood on their own), then correcting the cards from the truth and, on the review, filing each
	// answer the reader filed wrongly under what it is about (what the handover holds once the CSM has
	// read it back). Each run has a manager of its own, so what a successor asks afterwards finds that
	// run's knowledge and no other's.
	var before, after fidelity.Scores
	var asked, askedHeldout, askedBlind fidelity.AskScores
	for _, p := range personas {
		day, err := replayOn(ctx, svc, p.InterviewDate)
		if err != nil {
			return err
		}
		for _, correct := range []bool{false, true} {
			email := fmt.Sprintf("fidelity-%s-%v@example.com", p.Slug, correct)
			if _, err := svc.auth.CreateUser(ctx, auth.NewUserInput{Email: email, Name: "Fidelity Manager", Role: store.RoleManager},
				"", auth.Client{}); err != nil {
				return err
			}
			token, _, err := svc.auth.CreateAPIToken(ctx, email, "bench")
			if err != nil {
				return err
			}
			run, err := fidelity.Interview(ctx, base, token, p, day, correct)
			if err != nil {
				return fmt.Errorf("persona %s: %w", p.Slug, err)
			}
			sc := fidelity.Score(p, run)
			if misses != nil {
				fmt.Fprintf(misses, "# %s, read-back corrected: %v\n", p.Slug, correct)
				fidelity.PrintMisses(misses, p, run)
			}
			if correct {
				sc.Print(out, "fidelity_after_"+p.Slug+"_")
				after = after.Sum(sc)
				// What successors ask of the handover as it stands once the CSM has read it back.
				var sent []string
				for _, s := range run.Sent {
					sent = append(sent, s.Text)
				}
				for _, set := range []struct {
					questions []fidelity.Question
					prefix    string
					sum       *fidelity.AskScores
				}{{questions, "ask_", &asked}, {heldout, "ask_heldout_", &askedHeldout}, {blind, "ask_blind_", &askedBlind}} {
					var mine []fidelity.Question
					for _, q := range set.questions {
						if q.Persona == p.Slug {
							mine = append(mine, q)
						}
					}
					mine, notSaid := fidelity.Said(mine, sent)
					as, err := fidelity.AskAll(ctx, base, token, mine, misses)
					if err != nil {
						return fmt.Errorf("persona %s: %w", p.Slug, err)
					}
					as.NotSaid = notSaid
					as.Print(out, set.prefix+p.Slug+"_")
					*set.sum = set.sum.Add(as)
				}
			} else {
				sc.Print(out, "fidelity_before_"+p.Slug+"_")
				before = before.Sum(sc)
			}
		}
	}
	fmt.Fprintf(out, "fidelity_personas %d\n", len(personas))
	before.Print(out, "fidelity_before_")
	after.Print(out, "fidelity_after_")
	asked.Print(out, "ask_")
	askedHeldout.Print(out, "ask_heldout_")
	askedBlind.Print(out, "ask_blind_")
	return nil
}

// replayOn makes the bench's server live on the day a persona's interview was written for (YYYY-MM-DD),
// at today's time of day: the services' clocks, and the time the scratch database gives each new message,
// since a CSM's "next Friday" or "before Christmas" means the day it was said. Shifting the persona's
// dates to today instead would move "24 December" in the truth but not in the answer. It returns that day.
func replayOn(ctx context.Context, svc *services, date string) (time.Time, error) {
	day, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return time.Time{}, fmt.Errorf("interview date %q: %w", date, err)
	}
	now := time.Now().UTC()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	days := int(today.Sub(day).Hours() / 24)
	clock := func() time.Time { return time.Now().AddDate(0, 0, -days) }
	svc.interviews.SetClock(clock)
	svc.reports.SetClock(clock)
	if _, err := svc.pool.Exec(ctx, fmt.Sprintf(`ALTER TABLE messages ALTER COLUMN created_at SET DEFAULT now() - interval '%d days'`, days)); err != nil {
		return time.Time{}, err
	}
	return day, nil
}
