package interview

import (
	"slices"
	"testing"

	"github.com/exitinterview/exitinterview/extract"
	"github.com/exitinterview/exitinterview/store"
)

func TestJudge(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, topic, answer, want string
	}{
		{"empty", "renewal", "", Missing},
		{"one word", "renewal", "January.", Partial},
		{"hedged", "churn_risk", "Not sure, maybe some risk.", Partial},
		{"clear nothing", "upsell", "No upsell in progress right now.", Covered},
		{"none", "open_issues", "None.", Covered},
		{"nothing in motion", "upsell", "Nothing commercial in motion.", Covered},
		{"a no that is not nothing", "churn_risk", "No, they are at risk.", Partial},
		{"full renewal", "renewal", "Renewal is on 31 January, Marco the CFO decides, I'd say 70% likely if we fix reporting first.", Covered},
		{"stakeholders with roles", "stakeholders", "Priya Shah is our champion and runs support operations; Marco Rossi, the CFO, signs the renewal.", Covered},
		{"long but off topic", "stakeholders", "The weather in Berlin has been awful and the office coffee machine broke again, which nobody fixed for weeks now honestly.", Partial},
		{"workaround", "workarounds", "We run a nightly script that exports tickets to CSV and re-imports them into their BI tool because the connector breaks.", Covered},
		{"shadow system", "shadow_systems", "I keep a Google Sheet called Renewal radar in my Drive with every renewal date and the last contact.", Covered},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := judge(tc.topic, tc.answer); got != tc.want {
				t.Errorf("judge(%s, %q) = %s, want %s", tc.topic, tc.answer, got, tc.want)
			}
		})
	}
}

// followUpState is an interview of one deep account with question q answered by answer.
func followUpState(topics []string, answer string, followUps int) (*State, *store.Message, *store.Message) {
	acc := store.Account{ID: "acc", Name: "Northwind Traders", Depth: "deep"}
	other := store.Account{ID: "other", Name: "Kestrel Dental Group", Depth: "deep"}
	st := &State{Interview: store.Interview{CSMName: "Dana Whitfield"}, Accounts: []store.Account{acc, other}}
	for _, t := range AccountTopics {
		fu := 0
		for _, q := range topics {
			if q == t {
				fu = followUps
			}
		}
		st.Coverage = append(st.Coverage, store.CoverageItem{AccountID: "acc", Topic: t, State: Missing, FollowUps: fu})
	}
	// What was said earlier about another account.
	q0 := store.Message{ID: "q0", Seq: 1, Role: "interviewer", Kind: KindQuestion, AccountID: "other", Topics: []string{"stakeholders"}}
	a0 := store.Message{ID: "a0", Seq: 2, Role: "csm", Kind: KindAnswer, Content: "Aoife Brennan is the champion there, on maternity leave.", ReplyTo: "q0"}
	q := store.Message{ID: "q", Seq: 3, Role: "interviewer", Kind: KindQuestion, AccountID: "acc", Topics: topics}
	a := store.Message{ID: "a", Seq: 4, Role: "csm", Kind: KindAnswer, Content: answer, ReplyTo: "q"}
	st.Messages = []store.Message{q0, a0, q, a}
	return st, &st.Messages[2], &st.Messages[3]
}

// TestNoRoleQuestionForAnotherAccountsPerson: a person the answer places at another account of the book
// is that account's all through the answer, even before anything was said about that account, and even
// where a later sentence names them alone.
func TestNoRoleQuestionForAnotherAccountsPerson(t *testing.T) {
	t.Parallel()
	for _, answer := range []string{
		"Bea Ferreira, owner, does everything. Bea reminds me of Aoife at Kestrel actually. Someone should send Aoife a card for the baby btw.",
		"Our contact is Ruth Adler, head of ops, she runs the show. Funny, Ruth used to work with Niamh from Kestrel Dental. Say hi to Niamh if you meet her.",
		"ruth adler (ops lead) is it really. ps - Kestrel's Tomasz asked after you, tomasz is lovely.",
	} {
		st, q, a := followUpState([]string{"stakeholders"}, answer, 0)
		st.Messages = st.Messages[2:] // nothing said about Kestrel yet
		q, a = &st.Messages[0], &st.Messages[1]
		cov := st.coverage()
		judgeAnswer(st, cov, q, a)
		if m := followUpFor(st, cov, q, a); m != nil && m.section == "person_role" {
			t.Errorf("%q: asks the role of %v, a person of another account", answer, m.fields)
		}
	}
}

func TestFollowUpRules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		topics    []string
		answer    string
		followUps int
		section   string // "" for no follow-up
		field     string // a field the template gets
	}{
		{"vague answer", []string{"churn_risk", "renewal"}, "Probably fine.", 0, "vague:churn_risk", ""},
		{"person without a role", []string{"stakeholders", "communication"}, "Mostly I talk to Priya Shah over Slack every week, and sometimes Jonas joins the calls when budget comes up.", 0, "person_role", "Priya Shah"},
		{"first name of someone given a role", []string{"stakeholders", "communication"}, "Marco Rossi is the CFO and signs everything. Marco only answers e-mail, weekly at most, so keep it short.", 0, "", ""},
		{"promise without a date", []string{"open_issues", "commitments"}, "There is one open ticket about exports, and I promised their admin a proper fix for the export bug.", 0, "promise_date", "I promised their admin a proper fix for the…"},
		{"promise with a date", []string{"open_issues", "commitments"}, "There is one open ticket about exports, and I promised their admin a fix by 5 December.", 0, "", ""},
		{"short answer with a date", []string{"open_issues", "commitments"}, "A fix is due 5 December, should be fine I hope.", 0, "date_detail", "5 December"},
		{"the renewal date is expected", []string{"churn_risk", "renewal"}, "Low risk, they are a loyal customer. It renews on 31 January and Marco the CFO signs.", 0, "", ""},
		{"risk before date", []string{"churn_risk", "renewal"}, "High. 20 February. Victor signs.", 0, "risk_detail", "High"},
		{"role given in a later sentence", []string{"open_issues", "commitments"}, "No open tickets. I talk to Hannah Lee, and Hannah Lee is the transport manager. I promised Hannah a credit by Friday.", 0, "", ""},
		{"workaround without detail", []string{"workarounds"}, "There is a manual export we do for them every so often to keep their reporting going.", 0, "workaround_detail", "There is a manual export we do for them…"},
		{"workaround with detail", []string{"workarounds"}, "A nightly script exports tickets to CSV; it lives in the shared drive under Integrations and runs at 2am.", 0, "", ""},
		{"risk without detail", []string{"churn_risk", "renewal"}, "Honestly I'd say high, renewal is 31 January 2027 and the CFO decides.", 0, "risk_detail", "Honestly I'd say high, renewal is 31 January 2027…"},
		{"a risk with what drives it", []string{"churn_risk", "renewal"}, "Honestly they are unhappy and looking at other vendors, renewal is 31 January 2027 and the CFO decides.", 0, "", ""},
		{"a low risk needs no reason", []string{"churn_risk"}, "not at risk tbh", 0, "", ""},
		{"a risk in a portfolio answer is no account's", []string{"product_feedback"}, "Reporting is the top request; it is the root of Brightwater's frustration.", 0, "", ""},
		{"a workaround whose place is said", []string{"workarounds"}, "Uwe runs a small script every night that splits the orders before the sync.", 0, "", ""},
		{"a name in passing in a risk answer", []string{"churn_risk"}, "severe. 3 demos w/ Fleetly since nov, new vp doesnt rate us", 0, "", ""},
		{"a person given a role in an earlier clause", []string{"stakeholders", "communication"}, "The most productive route to Priya is through her chief of staff Maya, who is organized and candid.", 0, "person_role", "Priya"},
		{"risk with a reason", []string{"churn_risk", "renewal"}, "They are unhappy because reporting is slow; we offered a training. Renewal is on 31 January 2027 and Marco the CFO decides.", 0, "", ""},
		{"a topic left out", []string{"stakeholders", "communication"}, "Priya Shah is the champion, she runs support operations; Marco Rossi is the CFO and the economic buyer who signs.", 0, "missing:communication", ""},
		{"limit reached", []string{"churn_risk", "renewal"}, "Probably fine.", MaxFollowUps, "", ""},
		{"a promise with only a vague time", []string{"commitments"}, "I promised their admin the usage report soon, she keeps asking for it.", 0, "firm_date", "soon"},
		{"a promise after the holidays", []string{"commitments"}, "I told their admin we'd merge the duplicate records after the holidays.", 0, "firm_date", "after the holidays"},
		{"next Friday could be either Friday", []string{"commitments"}, "I also promised their CFO a written remediation plan by next Friday.", 0, "firm_date", "next Friday"},
		{"firm days need no follow-up", []string{"commitments"}, "I promised their admin the usage report by 8 Jan and their CFO a pricing proposal by end of Q1.", 0, "", ""},
		{"the day in the next sentence", []string{"commitments"}, "I promised their admin two training sessions for the new staff. The first one is in two weeks.", 0, "", ""},
		{"a vague time about commitments without a promise word", []string{"commitments"}, "The SOW for their admin goes out asap, legal is still reviewing it.", 0, "firm_date", "asap"},
		{"a person named beside another account is that account's", []string{"stakeholders", "communication"}, "Bea Ferreira, owner, does everything, weekly calls on Teams. Bea reminds me of Aoife at Kestrel actually, same energy. Someone should send Aoife a card.", 0, "", ""},
		{"a promise referred to is not a new one", []string{"open_issues"}, "The DPA complaint sits with Legal, not us. Otherwise a ticket about audit log exports timing out, which is the one tied to my promise.", 0, "", ""},
		{"a commitment referred to by the issue", []string{"open_issues"}, "Only the SSO bug is open, that's the one linked to the commitment I mentioned, engineering has it.", 0, "", ""},
		{"a hedged day is a day", []string{"commitments"}, "I told their CFO we'd merge the duplicate records after the holidays, first week back, so the 4th-ish.", 0, "", ""},
		{"around a day is a day", []string{"commitments"}, "Promised Raj the export fix around the 20th, he knows it might slip a day.", 0, "", ""},
		{"the first day after the holidays is a day", []string{"commitments"}, "- training deck in German, promised their COO first thing after the holidays", 0, "", ""},
		{"a written-out date counts as a date", []string{"open_issues", "commitments"}, "There is one open ticket about exports, and I promised their admin a fix before xmas.", 0, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st, q, a := followUpState(tc.topics, tc.answer, tc.followUps)
			cov := st.coverage()
			judgeAnswer(st, cov, q, a)
			m := followUpFor(st, cov, q, a)
			switch {
			case tc.section == "" && m != nil:
				t.Fatalf("unexpected follow-up %s %v", m.section, m.fields)
			case tc.section == "":
				return
			case m == nil:
				t.Fatalf("no follow-up, want %s", tc.section)
			case m.section != tc.section:
				t.Fatalf("follow-up %s, want %s", m.section, tc.section)
			}
			if tc.field != "" {
				found := false
				for _, v := range m.fields {
					found = found || v == tc.field
				}
				if !found {
					t.Errorf("fields %v lack %q", m.fields, tc.field)
				}
			}
		})
	}
}

func TestBriefAccountsGetNoFollowUps(t *testing.T) {
	t.Parallel()
	st, q, a := followUpState([]string{"churn_risk", "renewal"}, "Probably fine.", 0)
	st.Accounts[0].Depth = "brief"
	if m := followUpFor(st, st.coverage(), q, a); m != nil {
		t.Fatalf("brief account got a follow-up: %s", m.section)
	}
}

// TestChannelsPlacesAndTeamsAreNotPeople: the follow-up about a person's role is asked only of names
// that can be people; a channel, a time zone, a region or a department never gets one.
func TestChannelsPlacesAndTeamsAreNotPeople(t *testing.T) {
	t.Parallel()
	text := "We talk on Slack Connect, never before 10am Central. The Midwest stores escalate to Compliance in Providence. Ask Karen about it."
	withRole, withoutRole := names(text, []string{"Northwind"})
	if all := append(withRole, withoutRole...); len(all) != 1 || all[0] != "Karen" {
		t.Errorf("names = %v; want only Karen", all)
	}
}

// TestFollowUpsAskOnlyAboutPeople: whom the role follow-up may ask about is whom extraction takes for a
// person, the same recogniser, across writing styles: never "Midwest", "Legal", "QBR" or "Honestly".
func TestFollowUpsAskOnlyAboutPeople(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"Honestly the Midwest team is fine, Legal signs the SOW after the QBR.", nil},
		{"Apparently Procurement wants the PO before Friday, 10am Central works.", nil},
		{"spoke to karen last week, she's fine", []string{"karen"}},
		{"His chief of staff Maya runs the weekly call on Slack Connect.", []string{"Maya"}},
		{"KL signs off on everything over 50k.", []string{"KL"}},
		{"Dr. Amal Haddad runs Compliance there.", []string{"Dr. Amal Haddad"}},
	} {
		withRole, withoutRole := names(tc.text, []string{"Northwind"})
		got := append(withRole, withoutRole...)
		if !slices.Equal(got, tc.want) {
			t.Errorf("names(%q) = %q, want %q", tc.text, got, tc.want)
		}
		var people []string
		for _, p := range extract.People(tc.text, []string{"Northwind"}) {
			people = append(people, p.Name)
		}
		if !slices.Equal(people, tc.want) {
			t.Errorf("extract.People(%q) = %q, want %q: the follow-ups and extraction disagree", tc.text, people, tc.want)
		}
	}
}
