package fidelity

import (
	"context"
	"time"

	"github.com/exitinterview/exitinterview/store"
)

// StoreAnswers stores the persona's interview straight in st, for benchmarks of what follows an answer:
// a session of the manager's with the persona's accounts (invite is its invite hash, unique per
// session), and each prepared answer given to a question of its account and topic, in one transaction.
// answered, when not nil, runs in that transaction for each answer (to enqueue its capture). It returns
// the answers' ids.
func StoreAnswers(ctx context.Context, st *store.Store, managerID string, p Persona, invite string,
	answered func(tx *store.Store, m store.Message) error) ([]string, error) {
	var accounts []store.Account
	for _, a := range p.Accounts {
		accounts = append(accounts, store.Account{Name: a.Name, Depth: "deep"})
	}
	var ids []string
	err := st.Transact(ctx, func(tx *store.Store) error {
		iv, stored, err := tx.CreateInterview(ctx, store.NewInterview{ManagerID: managerID, CSMName: p.CSM.Name,
			DepartureDate: time.Now().AddDate(0, 1, 0), TimeBudgetMinutes: 60, Accounts: accounts,
			InviteHash: []byte(invite), InviteExpiresAt: time.Now().AddDate(0, 2, 0)})
		if err != nil {
			return err
		}
		if _, err := tx.LockInterview(ctx, iv.ID); err != nil {
			return err
		}
		byName := map[string]string{}
		for _, a := range stored {
			byName[a.Name] = a.ID
		}
		for _, an := range p.Answers {
			q, err := tx.InsertMessage(ctx, store.Message{InterviewID: iv.ID, Role: "interviewer", Kind: "question",
				Content: "Tell me about " + an.Topic, AccountID: byName[an.Account], Topics: []string{an.Topic}})
			if err != nil {
				return err
			}
			m, err := tx.InsertMessage(ctx, store.Message{InterviewID: iv.ID, Role: "csm", Kind: "answer", Content: an.Text, ReplyTo: q.ID})
			if err != nil {
				return err
			}
			if answered != nil {
				if err := answered(tx, m); err != nil {
					return err
				}
			}
			ids = append(ids, m.ID)
		}
		return nil
	})
	return ids, err
}
