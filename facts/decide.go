package facts

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/exitinterview/exitinterview/store"
)

// Change is one thing the CSM said of what was understood: new fields for a fact (FactID and Fields), a
// fact that is wrong (FactID and Withdraw), or a fact the rules missed (New).
type Change struct {
	FactID   string
	Fields   map[string]string
	Withdraw bool
	New      *New
}

// New is a fact the CSM adds.
type New struct {
	Type   string
	Fields map[string]string
}

// ErrInvalid wraps every problem with a change: the caller answers 4xx and nothing is changed.
var ErrInvalid = errors.New("invalid change")

// Validate checks a fact's fields against its type: only the type's fields, and values of the
// vocabulary (a risk level, a relationship, a status, do-not-contact yes or no, dates as YYYY-MM-DD, a
// probability from 0 to 1). An empty value clears a field.
func Validate(typ string, fields map[string]string) error {
	allowed := FieldsOf(typ)
	if allowed == nil {
		return fmt.Errorf("%w: unknown fact type %q", ErrInvalid, typ)
	}
	for k, v := range fields {
		v = strings.TrimSpace(v)
		if !slices.Contains(allowed, k) {
			return fmt.Errorf("%w: a %s has no field %q (it has %s)", ErrInvalid, typ, k, strings.Join(allowed, ", "))
		}
		if v == "" {
			continue
		}
		if len(v) > 2000 {
			return fmt.Errorf("%w: %s is longer than 2000 characters", ErrInvalid, k)
		}
		var ok bool
		switch {
		case typ == Risk && k == "level":
			ok = LevelRank(v) >= 0
		case typ == Person && k == "relationship":
			ok = slices.Contains(Relationships, v)
		case typ == Person && k == "status":
			ok = slices.Contains(Statuses, v)
		case k == "do_not_contact":
			ok = v == "yes" || v == "no"
		case k == "date" || k == "due_date":
			ok = isDate(v)
		case k == "probability":
			p, err := strconv.ParseFloat(v, 64)
			ok = err == nil && p >= 0 && p <= 1
		default:
			ok = true
		}
		if !ok {
			return fmt.Errorf("%w: %q is not a valid %s", ErrInvalid, v, Label(k))
		}
	}
	return nil
}

// Check validates changes against the facts they name (facts of the interview and, when accountID is
// not "", of that account), before anything is written.
func Check(all []Fact, accountID string, changes []Change) error {
	for i, c := range changes {
		switch {
		case c.New != nil:
			if c.FactID != "" || c.Withdraw {
				return fmt.Errorf("%w: change %d: a new fact has no fact_id and is not withdrawn", ErrInvalid, i+1)
			}
			if err := Validate(c.New.Type, c.New.Fields); err != nil {
				return err
			}
		case c.FactID == "":
			return fmt.Errorf("%w: change %d names no fact_id", ErrInvalid, i+1)
		default:
			j := slices.IndexFunc(all, func(f Fact) bool { return f.ID == c.FactID && (accountID == "" || f.AccountID == accountID) })
			if j < 0 {
				return fmt.Errorf("%w: change %d: no such fact %q here", ErrInvalid, i+1, c.FactID)
			}
			if !c.Withdraw {
				if len(c.Fields) == 0 {
					return fmt.Errorf("%w: change %d has neither fields nor withdraw", ErrInvalid, i+1)
				}
				if err := Validate(all[j].Type, c.Fields); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// Decide records the CSM's read-back of an account (accountID "" for the portfolio): every fact of it
// they did not change is confirmed (when confirm is true; not those whose account is a guess, which the
// card does not show), the changed ones are corrected or withdrawn, and new ones are added. It runs in the caller's transaction and holds the fact lock.
func Decide(ctx context.Context, tx *store.Store, interviewID, accountID string, confirm bool, changes []Change, at time.Time) error {
	if err := tx.LockFacts(ctx, interviewID); err != nil {
		return err
	}
	all, err := tx.Facts(ctx, interviewID)
	if err != nil {
		return err
	}
	if err := Check(all, accountID, changes); err != nil {
		return err
	}
	changed := map[string]bool{}
	for _, c := range changes {
		if c.New != nil {
			fields := map[string]string{}
			for k, v := range c.New.Fields {
				if v = strings.TrimSpace(v); v != "" {
					fields[k] = v
				}
			}
			f := Fact{InterviewID: interviewID, AccountID: accountID, Type: c.New.Type, Fields: fields, Confidence: 1,
				State: Corrected, DecidedAt: &at, Position: 1 << 20}
			if _, err := tx.SaveFact(ctx, f); err != nil {
				return err
			}
			continue
		}
		f := all[slices.IndexFunc(all, func(f Fact) bool { return f.ID == c.FactID })]
		changed[f.ID] = true
		f.DecidedAt, f.Confidence = &at, 1
		if c.Withdraw {
			f.State = Withdrawn
		} else {
			f.State = Corrected
			f.Fields = clone(f.Fields)
			for k, v := range c.Fields {
				if v = strings.TrimSpace(v); v == "" {
					delete(f.Fields, k)
				} else {
					f.Fields[k] = v
				}
			}
			if maps := f.Extracted; maps != nil && equalFields(maps, f.Fields) {
				f.State = Confirmed // "corrected" to what the rules said: the CSM confirmed it
			}
		}
		if _, err := tx.SaveFact(ctx, f); err != nil {
			return err
		}
	}
	if !confirm {
		return nil
	}
	for _, f := range all {
		if f.AccountID != accountID || changed[f.ID] || f.State != Extracted || f.Uncertain {
			continue
		}
		f.State, f.DecidedAt, f.Confidence = Confirmed, &at, 1
		if _, err := tx.SaveFact(ctx, f); err != nil {
			return err
		}
	}
	return nil
}

func equalFields(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
