package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/knowledge"
	"github.com/exitinterview/exitinterview/redact"
	"github.com/exitinterview/exitinterview/store"
)

// accountIDs maps the fixture's account names to their ids.
func (f *knowledgeFixture) accountIDs(t *testing.T) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for _, iv := range f.ivs {
		accounts, err := f.e.store.Accounts(context.Background(), iv.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range accounts {
			ids[a.Name] = a.ID
		}
	}
	return ids
}

// answer stores a CSM's answer to a question about accountID the way the interview does (credentials
// redacted before it is stored, what kind of credential recorded) and captures it.
func (f *knowledgeFixture) answer(t *testing.T, iv, accountID, topic, content string) {
	t.Helper()
	ctx := context.Background()
	redacted, found := redact.Text(content)
	var redactions []store.Redaction
	for _, m := range found {
		redactions = append(redactions, store.Redaction{Kind: string(m.Kind), System: m.System})
	}
	var answer store.Message
	err := f.e.store.Transact(ctx, func(tx *store.Store) error {
		if _, err := tx.LockInterview(ctx, f.ivs[iv].ID); err != nil {
			return err
		}
		q, err := tx.InsertMessage(ctx, store.Message{InterviewID: f.ivs[iv].ID, Role: "interviewer", Kind: "question",
			Content: "Tell me more.", AccountID: accountID, Topics: []string{topic}})
		if err != nil {
			return err
		}
		answer, err = tx.InsertMessage(ctx, store.Message{InterviewID: f.ivs[iv].ID, Role: "csm", Kind: "answer",
			Content: redacted, ReplyTo: q.ID, Redactions: redactions})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	capture := knowledge.New(f.e.store, knowledge.NewVectors(f.e.store, embed.NewOffline(), nil, log), nil, log)
	if err := capture.Capture(ctx, answer.ID); err != nil {
		t.Fatal(err)
	}
}

func (f *knowledgeFixture) page(t *testing.T, who, path string) (int, string) {
	t.Helper()
	var opts []reqOpt
	if tok := f.tokens[who]; tok != "" {
		opts = append(opts, withBearer(tok))
	}
	r := f.e.do(http.MethodGet, path, nil, opts...)
	return r.StatusCode, readBody(t, r)
}

// TestAccountPageByRole checks the access rules for the account page: whoever may not see an account gets the
// same 404 as for an account that does not exist.
func TestAccountPageByRole(t *testing.T) {
	t.Parallel()
	f := newKnowledgeFixture(t)
	ids := f.accountIDs(t)
	nw, it := "/accounts/"+ids["Northwind"], "/accounts/"+ids["Initech"]
	missing := "/accounts/00000000-0000-4000-8000-000000000000"
	for _, tc := range []struct {
		path string
		want map[string]int
	}{
		{nw, map[string]int{"admin": 200, "manager A": 200, "manager B": 404, "successor 1": 200, "successor 2": 404, "successor 0": 404}},
		{it, map[string]int{"admin": 200, "manager A": 404, "manager B": 200, "successor 1": 404, "successor 2": 200, "successor 0": 404}},
		{missing, map[string]int{"admin": 404, "manager A": 404, "successor 1": 404}},
		{"/accounts/not-an-id", map[string]int{"admin": 404, "manager A": 404, "successor 1": 404}},
		{"/accounts/" + url.PathEscape("' OR 1=1 --"), map[string]int{"admin": 404}},
	} {
		for who, want := range tc.want {
			t.Run(tc.path+" as "+who, func(t *testing.T) {
				code, body := f.page(t, who, tc.path)
				if code != want {
					t.Fatalf("status %d, want %d", code, want)
				}
				if want == 404 && (strings.Contains(body, "Northwind") || strings.Contains(body, "Initech") || strings.Contains(body, "Dana")) {
					t.Errorf("the 404 tells about the account:\n%s", body)
				}
			})
		}
	}
	// Not visible and not there read the same.
	_, denied := f.page(t, "manager B", nw)
	_, absent := f.page(t, "manager B", missing)
	if denied != absent {
		t.Errorf("a denial differs from a missing account:\n%s\n---\n%s", denied, absent)
	}

	// Anonymous callers are sent to the login; the CSM's invite, as a cookie or a token, opens nothing here.
	r := f.e.do(http.MethodGet, nw, nil)
	if loc := r.Header.Get("Location"); r.StatusCode != http.StatusSeeOther || loc != loginURL(nw) {
		t.Errorf("anonymous: %d to %q", r.StatusCode, loc)
	}
	tok, _, err := f.e.srv.ivs.NewInvite(context.Background(), f.ivs["one"])
	if err != nil {
		t.Fatal(err)
	}
	cookie := findCookie(f.e.postForm("/i/"+tok, url.Values{}, nil), inviteCookieName)
	if cookie == nil {
		t.Fatal("no invite cookie")
	}
	if r := f.e.do(http.MethodGet, nw, nil, withCookie(cookie)); r.StatusCode != http.StatusForbidden {
		t.Errorf("CSM with the invite cookie: %d", r.StatusCode)
	}
	if r := f.e.do(http.MethodGet, nw, nil, withBearer(tok)); r.StatusCode != http.StatusForbidden {
		t.Errorf("CSM with the invite token: %d", r.StatusCode)
	}
}

func TestAccountPageShowsFindingsWithTheirSources(t *testing.T) {
	t.Parallel()
	f := newKnowledgeFixture(t)
	ids := f.accountIDs(t)
	f.answer(t, "one", ids["Northwind"], "stakeholders", "Dr. Aisha Khan, their head of clinical operations, is our executive sponsor. She only answers on Teams.")
	f.answer(t, "one", ids["Northwind"], "upsell", "Northwind verbally agreed to an upgrade to the Enterprise tier, roughly €1.2M over three years; next step is a call with their procurement lead on 3 December.")
	f.answer(t, "one", ids["Northwind"], "workarounds", "They export tickets nightly with a script. The admin password for their Zendesk is Tr0ub4dor&3 by the way.")

	code, body := f.page(t, "successor 1", "/accounts/"+ids["Northwind"])
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	for _, want := range []string{
		"<h1>Northwind</h1>", "Dana", "Test successor", "successor1@example.com",
		"Dr. Aisha Khan", `<span class="muted">Role:</span> head of clinical operations`,
		"Marco Rossi signs the renewal.", // from the fixture
		`<span class="muted">Product:</span> Enterprise tier`, `<span class="muted">Value:</span> 1,200,000`,
		`<span class="muted">Next step:</span> a call with their procurement lead`, `<span class="muted">Due:</span> 3 Dec`,
		`<span class="muted">Kind:</span> password`,
		`name="account" value="Northwind"`, `name="interview" value="` + f.ivs["one"].ID + `"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// Sections in the order a successor reads them, empty ones left out.
	last := -1
	for _, h := range []string{">Stakeholders <", ">Renewal <", ">Upsell opportunities <", ">Credentials to move into a vault <"} {
		i := strings.Index(body, h)
		if i < 0 || i < last {
			t.Errorf("heading %q missing or out of order", h)
		}
		last = i
	}
	if strings.Contains(body, ">Decisions <") {
		t.Error("an empty section is shown")
	}
	// Nothing of another account or of the portfolio, and never the secret.
	for _, leak := range []string{"Sara Lind", "Lena Fischer", "Peter Gibbons", "Tr0ub4dor"} {
		if strings.Contains(body, leak) {
			t.Errorf("the page shows %q", leak)
		}
	}
	// Every finding links to its source message, which the successor may open.
	links := regexp.MustCompile(`href="/messages/([0-9a-f-]{36})"`).FindAllStringSubmatch(body, -1)
	if len(links) < 4 {
		t.Fatalf("%d links to source messages", len(links))
	}
	seen := map[string]bool{}
	for _, l := range links {
		if seen[l[1]] {
			continue
		}
		seen[l[1]] = true
		code, msg := f.page(t, "successor 1", "/messages/"+l[1])
		if code != 200 || strings.Contains(msg, "Tr0ub4dor") {
			t.Errorf("source %s: %d", l[1], code)
		}
	}
	if len(seen) != 4 {
		t.Errorf("%d source messages, want 4", len(seen))
	}
}

func TestAccountPageWithNothingCaptured(t *testing.T) {
	t.Parallel()
	f := newKnowledgeFixture(t)
	created := f.e.createSession(f.tokens["manager A"])
	accounts, err := f.e.store.Accounts(context.Background(), created.ID)
	if err != nil || len(accounts) == 0 {
		t.Fatal(accounts, err)
	}
	a := accounts[0]
	code, body := f.page(t, "manager A", "/accounts/"+a.ID)
	if code != 200 || !strings.Contains(body, "Nothing captured about "+a.Name+" yet") || strings.Contains(body, "/messages/") {
		t.Fatalf("empty account: %d\n%s", code, body)
	}
	if !strings.Contains(body, "No successor assigned yet") {
		t.Error("no word on the missing successor")
	}
	if !strings.Contains(body, `href="/interviews/`+created.ID+`"`) {
		t.Error("the manager gets no link to the session")
	}
}

func TestAccountLinksFromHomeAndInterviewPages(t *testing.T) {
	t.Parallel()
	f := newKnowledgeFixture(t)
	ids := f.accountIDs(t)
	link := func(name string) string { return `href="/accounts/` + ids[name] + `"` }

	_, home := f.page(t, "successor 2", "/")
	if !strings.Contains(home, "Your accounts") || !strings.Contains(home, link("Globex")) || !strings.Contains(home, link("Initech")) ||
		strings.Contains(home, link("Northwind")) {
		t.Errorf("successor 2's home:\n%s", home)
	}
	for _, who := range []string{"successor 0", "manager A", "admin"} {
		if _, home := f.page(t, who, "/"); strings.Contains(home, "Your accounts") || strings.Contains(home, "/accounts/") {
			t.Errorf("%s's home lists accounts", who)
		}
	}
	if _, home := f.page(t, "successor 0", "/"); !strings.Contains(home, "No accounts handed to you yet") {
		t.Error("successor 0 gets no empty state")
	}

	code, page := f.page(t, "manager A", "/interviews/"+f.ivs["one"].ID)
	if code != 200 || !strings.Contains(page, link("Northwind")) || !strings.Contains(page, link("Globex")) {
		t.Errorf("interview page: %d, no links to its accounts", code)
	}
}

func TestFindingFieldsAndGroups(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		fields map[string]string
		text   string
		want   []fieldView
	}{
		"renewal": {map[string]string{"decider": "Hannah Lee", "probability": "0.9", "date": "2026-03-01"}, "It renews.",
			[]fieldView{{Label: "Date", Value: "1 Mar 2026"}, {Label: "Probability", Value: "90%"}, {Label: "Decides", Value: "Hannah Lee"}}},
		"commitment": {map[string]string{"what": "the uptime report", "to_whom": "Marco", "due_date": "2025-11-30", "status": "open"}, "I promised the uptime report.",
			[]fieldView{{Label: "What", Value: "the uptime report"}, {Label: "To whom", Value: "Marco"}, {Label: "Due", Value: "30 Nov 2025"}, {Label: "Status", Value: "open"}}},
		"unknown keys last, empty and repeated ones left out": {map[string]string{"zeta": "z", "an_other": "a", "role": " ", "what": "They export tickets nightly.", "owner": "Ops"},
			"They export tickets nightly", []fieldView{{Label: "Owner", Value: "Ops"}, {Label: "An other", Value: "a"}, {Label: "Zeta", Value: "z"}}},
		"values that do not parse stay as captured": {map[string]string{"date": "early March", "probability": "likely", "value": "a lot"}, "",
			[]fieldView{{Label: "Date", Value: "early March"}, {Label: "Probability", Value: "likely"}, {Label: "Value", Value: "a lot"}}},
		"a web address is a link, anything else is not": {map[string]string{"kind": "qbr_deck", "link": "https://drive.example.com/q3"}, "",
			[]fieldView{{Label: "Kind", Value: "QBR or EBR deck"}, {Label: "Link", Value: "https://drive.example.com/q3", Href: "https://drive.example.com/q3"}}},
		"a link that is no web address stays text": {map[string]string{"link": "javascript:alert(1)"}, "",
			[]fieldView{{Label: "Link", Value: "javascript:alert(1)"}}},
		"none": {nil, "x", nil},
	} {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, fieldsOf(tc.fields, tc.text)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	groups := groupFindings([]store.Fact{
		{Type: "gossip_item", Text: "g"}, {Type: "risk", Text: "r1"}, {Type: "person", Text: "s"}, {Type: "risk", Text: "r2"},
	}, []store.Finding{{Type: "credential_mentioned", Text: "c"}, {Type: "risk", Text: "a finding, not a fact"}})
	var got []string
	for _, g := range groups {
		var texts []string
		for _, f := range g.Findings {
			texts = append(texts, f.Text)
		}
		got = append(got, g.Heading+": "+strings.Join(texts, ","))
	}
	want := []string{"Stakeholders: s", "Risks: r1,r2", "Credentials to move into a vault: c", "Gossip item: g"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
}
