package interview

import (
	"strings"

	"github.com/exitinterview/exitinterview/about"
	"github.com/exitinterview/exitinterview/extract"
	"github.com/exitinterview/exitinterview/mention"
	"github.com/exitinterview/exitinterview/store"
)

// Coverage follows what was said, not which question was asked: every sentence of every answer is read
// for the accounts and topics it is about (package about), so a pasted block of notes covers the
// stakeholders, risk and renewal it lists, and the plan does not ask for them again.

// reader returns the topic reader of the interview's book.
func (st *State) reader() *about.Reader {
	if st.about == nil {
		book := make([]mention.Account, len(st.Accounts))
		for i, a := range st.Accounts {
			book[i] = mention.Account{ID: a.ID, Name: a.Name}
		}
		st.about = about.NewReader(book)
	}
	return st.about
}

// Covers returns the (account, topic) pairs an answer covers, as the reader reads it, or as the CSM
// filed it.
func (st *State) Covers(m store.Message) []about.Cover {
	if m.Role != "csm" || m.Kind != KindAnswer {
		return nil
	}
	if m.Filed != nil {
		return filedCovers(m.Filed)
	}
	q := st.message(m.ReplyTo)
	if q == nil {
		return nil
	}
	return readCovers(st.reader(), st.answerText(m), *q)
}

// AnswerCovers returns the (account, topic) pairs a CSM's answer to question covers, as the interview
// reads it (the sentences addressed to the system are left out first), or as the CSM filed it.
func AnswerCovers(r *about.Reader, answer, question store.Message) []about.Cover {
	if answer.Role != "csm" || answer.Kind != KindAnswer {
		return nil
	}
	if answer.Filed != nil {
		return filedCovers(answer.Filed)
	}
	text, _ := extract.WithoutDirectives(answer.Content)
	return readCovers(r, text, question)
}

// filedCovers are the pairs the CSM filed an answer under: each answers its topic in full.
func filedCovers(filed []store.Filed) []about.Cover {
	out := make([]about.Cover, len(filed))
	for i, f := range filed {
		out[i] = about.Cover{Pair: about.Pair{AccountID: f.AccountID, Topic: f.Topic}}
	}
	return out
}

func readCovers(r *about.Reader, text string, q store.Message) []about.Cover {
	return about.Covers(r.Read(text, about.Question{AccountID: q.AccountID, Topics: q.Topics}))
}

// contentState is the coverage state a pair gets from what the answers say about it: covered when a
// sentence covers it, partial when every sentence that does is hedged or thin.
func contentState(c about.Cover) string {
	if c.Weak {
		return Partial
	}
	return Covered
}

// judgeContent raises the coverage of every pair the answer covers, whatever question it answered, and
// returns the pairs it newly covered that the plan had not asked yet: what the interviewer took from it.
func judgeContent(st *State, cov map[[2]string]*store.CoverageItem, answer *store.Message) []about.Pair {
	var took []about.Pair
	for _, c := range st.Covers(*answer) {
		item := cov[[2]string{c.AccountID, c.Topic}]
		if item == nil {
			continue
		}
		s := contentState(c)
		if a := st.account(c.AccountID); s == Partial && c.Topic == "upsell" && a != nil && a.CRMOpenOpportunity != "" &&
			!st.unmentionedOpportunity(*a) {
			s = Covered // what became of the opportunity the CRM lists is what the upsell question asks
		}
		if rank(s) <= rank(item.State) && item.State != Skipped {
			continue
		}
		item.State = s
		if s == Covered && item.Asked == 0 && item.FollowUps == 0 {
			took = append(took, c.Pair)
		}
	}
	return took
}

// tookText says what the interviewer took from an answer for topics it had not asked yet, one clause an
// account: "the stakeholders, the churn risk and the renewal for Umbrella Health".
func tookText(st *State, took []about.Pair) string {
	var order []string
	byAccount := map[string][]string{}
	for _, p := range took {
		if _, ok := byAccount[p.AccountID]; !ok {
			order = append(order, p.AccountID)
		}
		byAccount[p.AccountID] = append(byAccount[p.AccountID], "the "+strings.ToLower(mustTopic(p.Topic).Label))
	}
	var parts []string
	for _, id := range order {
		what := andList(byAccount[id])
		if a := st.account(id); a != nil {
			what += " for " + a.Name
		} else {
			what += " across your accounts"
		}
		parts = append(parts, what)
	}
	return strings.Join(parts, "; ")
}

// andList joins "a", "b" and "c" as "a, b and c".
func andList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
