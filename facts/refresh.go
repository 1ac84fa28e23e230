package facts

import (
	"context"
	"maps"
	"slices"

	"github.com/exitinterview/exitinterview/extract"
	"github.com/exitinterview/exitinterview/store"
)

// Refresh derives an interview's facts again from its findings (and pending ones: findings of answers
// whose capture has not completed, read by the rules so a read-back is never behind the chat) and
// stores them, in one transaction that holds the interview's fact lock. A fact the rules derive again
// keeps its id. An extracted fact takes what the rules say now; a fact the CSM confirmed, corrected or
// withdrew keeps the CSM's version and only learns what the rules say (Extracted) and where it was said
// (Sources). An extracted fact nothing derives any more is removed (unless an answer it rests on is not
// captured yet); a decided one stays.
func Refresh(ctx context.Context, st *store.Store, interviewID string, pending []store.Finding) error {
	return st.InTransaction(ctx, func(tx *store.Store) error {
		src, err := tx.LockFactSources(ctx, interviewID)
		if err != nil {
			return err
		}
		saves, deletes := reconcile(src.Facts, Derive(append(src.Findings, pending...)), src.Uncaptured)
		return tx.SaveFacts(ctx, saves, deletes)
	})
}

// reconcile pairs derived facts with stored ones and says which to save and which to delete. An
// extracted fact that rests on an answer whose capture has not completed is kept even when nothing
// derives it now: it was read from that answer ahead of its capture (for a read-back), and the capture
// decides.
func reconcile(stored, derived []Fact, uncaptured []string) (saves []Fact, deletes []string) {
	used := make([]bool, len(stored))
	for i, d := range derived {
		d.Position = i
		j := -1
		for k := range stored {
			if !used[k] && Same(stored[k], d) {
				j = k
				break
			}
		}
		if j < 0 {
			d.State = Extracted
			saves = append(saves, d)
			continue
		}
		used[j] = true
		s := stored[j]
		next := s
		if s.State == Extracted {
			next.Fields, next.Text, next.Confidence = d.Fields, d.Text, d.Confidence
		}
		next.Extracted, next.Sources, next.Position = d.Extracted, d.Sources, i
		if !unchanged(s, next) {
			saves = append(saves, next)
		}
	}
	for j, s := range stored {
		if !used[j] && s.State == Extracted && !slices.ContainsFunc(s.Sources, func(id string) bool { return slices.Contains(uncaptured, id) }) {
			deletes = append(deletes, s.ID)
		}
	}
	return saves, deletes
}

// Same reports whether a stored fact and a derived one are the same fact: same account and type, and
// for an account's risk and renewal nothing more (an account has one of each); for a person the same
// person, by the name the rules gave or the one the CSM set; for the rest the same words.
func Same(s, d Fact) bool {
	if s.AccountID != d.AccountID || s.Type != d.Type || s.Uncertain != d.Uncertain {
		return false
	}
	switch s.Type {
	case Risk, Renewal:
		return true
	case Person:
		return extract.SamePerson(s.Fields["name"], d.Fields["name"], nil) ||
			s.Extracted != nil && extract.SamePerson(s.Extracted["name"], d.Fields["name"], nil)
	case Commitment:
		if w := normal(d.Fields["what"]); w != "" && (normal(s.Fields["what"]) == w || normal(s.Extracted["what"]) == w) {
			return true
		}
	}
	return normal(s.Text) == normal(d.Text)
}

func unchanged(a, b Fact) bool {
	return maps.Equal(a.Fields, b.Fields) && maps.Equal(a.Extracted, b.Extracted) && (a.Extracted == nil) == (b.Extracted == nil) &&
		a.Text == b.Text && slices.Equal(a.Sources, b.Sources) && float32(a.Confidence) == float32(b.Confidence) && a.Position == b.Position
}

// Backfill derives the facts of every interview captured before facts were kept (it has findings but no
// facts), so that their reports, account pages and read-backs read facts like the others. It returns how
// many interviews it filled; run at start-up, it is quick when there are none.
func Backfill(ctx context.Context, st *store.Store) (int, error) {
	var kinds []string
	for _, t := range Types {
		kinds = append(kinds, FindingType(t))
	}
	ids, err := st.InterviewsWithoutFacts(ctx, kinds)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if err := Refresh(ctx, st, id, nil); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}
