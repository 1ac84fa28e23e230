package web

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/exitinterview/exitinterview/store"
)

// browser starts headless Chromium (Debian's package) with the flags this sandbox needs. `make test`
// installs it and sets EXITINTERVIEW_REQUIRE_BROWSER, so there a missing browser fails the test rather
// than skipping it.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("EXITINTERVIEW_REQUIRE_BROWSER") != "" {
			t.Fatal("chromium is not installed (scripts/testdeps.sh installs it)")
		}
		t.Skip("chromium is not installed; `make test` installs it")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()), chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.WindowSize(1200, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestBrowserManagerCreatesAndCSMCompletesAnInterview is the whole flow in a real browser: a manager signs
// in and creates a session, the CSM opens the invite, types answers (Enter sends) until the interview ends.
func TestBrowserManagerCreatesAndCSMCompletesAnInterview(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	ctx := browser(t)
	_, pw := e.user(store.RoleManager, "maria@example.com")

	must(t, chromedp.Do(ctx,
		chromedp.Navigate(e.ts.URL+"/login"),
		chromedp.SendKeys("#email", "maria@example.com"),
		chromedp.SendKeys("#password", pw),
		chromedp.Click(`button[type="submit"]`),
		chromedp.WaitVisible(`a[href="/interviews"]`),
		chromedp.Navigate(e.ts.URL+"/interviews/new"),
		chromedp.SendKeys("#csm_name", "Dana Whitfield"),
		chromedp.SetValue("#departure_date", departure()),
		chromedp.SendKeys("#accounts_text", "Acme Corp, $120,000, 2027-03-01, Enterprise"),
		chromedp.Click("#preview"),
		chromedp.WaitVisible("#create"),
		chromedp.Click("#create"),
		chromedp.WaitVisible("#invite-url"),
	))
	invite := run(t, ctx, chromedp.Value("#invite-url"))
	u, err := url.Parse(invite)
	must(t, err)

	must(t, chromedp.Do(ctx,
		chromedp.Navigate(e.ts.URL+u.Path),
		chromedp.Click(`button[type="submit"]`),
		chromedp.WaitVisible(`#chat[data-ready="true"] #answer`),
	))
	if first := run(t, ctx, chromedp.Text("#transcript")); !strings.Contains(first, "Acme Corp") {
		t.Fatalf("the first question does not name the account:\n%s", first)
	}
	// A draft survives a reload.
	must(t, chromedp.Do(ctx, chromedp.SendKeys("#answer", "half-typed draft"), chromedp.Reload(), chromedp.WaitVisible(`#chat[data-ready="true"] #answer`)))
	if draft := run(t, ctx, chromedp.Value("#answer")); draft != "half-typed draft" {
		t.Fatalf("draft after reload: %q", draft)
	}
	run(t, ctx, chromedp.Evaluate[string](`document.getElementById("answer").value = ""`))

	answer := "Acme uses it for support routing with 140 seats; Priya Shah, the VP of support, is the champion and Marco Rossi, the CFO, signs. " +
		"Renewal is on 1 March 2027 and likely; no upsell; two open tickets in Jira are tracked weekly; we keep a spreadsheet in the shared drive because reporting is slow."
	for turn := 0; ; turn++ {
		if turn > 40 {
			t.Fatal("the interview did not end")
		}
		if done := run(t, ctx, chromedp.Evaluate[bool](`!document.getElementById("done").hidden`)); done {
			break
		}
		before := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(".msg-interviewer").length`))
		must(t, chromedp.Do(ctx, chromedp.SendKeys("#answer", answer), chromedp.KeyEvent("\r")))
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll(".msg-interviewer:not(.msg-streaming)").length > `+
			strconv.Itoa(before)+` && !document.querySelector(".msg-pending") || !document.getElementById("done").hidden`, chromedp.WithPollingTimeout(20*time.Second)))
		must(t, err)
	}
	if p := run(t, ctx, chromedp.Evaluate[float64](`document.getElementById("progress").value`)); p < 50 {
		t.Errorf("progress bar at %v%% after a complete interview", p)
	}
	ivs, err := e.store.ListInterviews(context.Background(), "")
	must(t, err)
	msgs, err := e.store.Messages(context.Background(), ivs[0].ID)
	must(t, err)
	answers := 0
	for _, m := range msgs {
		if m.Role == "csm" && m.Content == answer {
			answers++
		}
	}
	if ivs[0].Status != "completed" || answers < 13 {
		t.Fatalf("status %s with %d answers stored", ivs[0].Status, answers)
	}
}

// signIn signs a user in on the login page and waits for the navigation of a signed-in page.
func signIn(t *testing.T, ctx context.Context, base, email, password string) {
	t.Helper()
	must(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.SendKeys("#email", email),
		chromedp.SendKeys("#password", password),
		chromedp.Click(`button[type="submit"]`),
		chromedp.WaitVisible(`a[href="/search"]`),
	))
}

// TestBrowserSearchShowsResultsAsYouType: a successor types a few words and the results appear without
// submitting, with only what they may see, and the address follows the query.
func TestBrowserSearchShowsResultsAsYouType(t *testing.T) {
	t.Parallel()
	f := newKnowledgeFixture(t)
	ctx := browser(t)
	signIn(t, ctx, f.e.ts.URL, "successor1@example.com", "correct horse battery successor")
	must(t, chromedp.Do(ctx,
		chromedp.Navigate(f.e.ts.URL+"/search"),
		chromedp.WaitVisible("#q"),
		chromedp.SendKeys("#q", "who signs the renewal"),
	))
	// On a loaded machine the keys arrive slowly and a shorter query ("who signs the") may be answered
	// first; the results and the address must then follow the whole query.
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("#results ol.results li") !== null &&
		location.search.includes("q=who+signs+the+renewal") && document.getElementById("results").getAttribute("aria-busy") !== "true"`,
		chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		t.Fatalf("no results for the whole query at %s: %v", run(t, ctx, chromedp.Location()), err)
	}
	text := run(t, ctx, chromedp.Text("#results"))
	if !strings.Contains(text, "Marco Rossi") || strings.Contains(text, "Sara") || strings.Contains(text, "Peter") {
		t.Fatalf("instant results for successor 1:\n%s", text)
	}
	if marks := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#results mark").length`)); marks == 0 {
		t.Error("no highlighted words in the snippets")
	}
}

// TestBrowserDashboardAndReview: the manager's dashboard names the account at risk of a blind handover
// and why; the CSM reviews what was captured and corrects a statement in the browser.
func TestBrowserDashboardAndReview(t *testing.T) {
	t.Parallel()
	f := newQuestionsFixture(t)
	f.csm(t, "At Northwind, Marco Rossi, the CFO, signs the renewal. Priya Shah is our champion.")
	ctx := browser(t)
	_, err := chromedp.Run(ctx, chromedp.Navigate(f.e.ts.URL+"/login"))
	must(t, err)
	must(t, chromedp.Do(ctx,
		chromedp.SendKeys("#email", "maria@example.com"),
		chromedp.SendKeys("#password", "correct horse battery manager"),
		chromedp.Click(`button[type="submit"]`),
		chromedp.WaitVisible("#attention-h"),
	))
	attention := run(t, ctx, chromedp.Text("ul.attention"))
	if !strings.Contains(attention, "Globex") || !strings.Contains(attention, "not discussed") {
		t.Fatalf("the dashboard's attention list:\n%s", attention)
	}

	// The CSM, in their own browser session: the invite, then the review.
	csm := browser(t)
	must(t, chromedp.Do(csm,
		chromedp.Navigate(f.e.ts.URL+"/i/"+f.invite),
		chromedp.Click(`button[type="submit"]`),
		chromedp.WaitVisible(`#chat[data-ready="true"] #answer`),
		chromedp.Navigate(f.e.ts.URL+"/interview/review"),
		chromedp.WaitVisible("ul.review"),
	))
	id := run(t, csm, chromedp.Evaluate[string](`[...document.querySelectorAll("ul.review li")].find(li => li.textContent.includes("Marco Rossi")).id.slice(2)`))
	run(t, csm, chromedp.Evaluate[bool](`document.querySelector("#f-`+id+` details").open = true`))
	run(t, csm, chromedp.Evaluate[string](`document.getElementById("t-`+id+`").value = "Erik Holm, the new CFO, signs the renewal."`))
	must(t, chromedp.Do(csm, chromedp.Click(`#f-`+id+` button.primary`), chromedp.WaitVisible(".notice")))
	if notice := run(t, csm, chromedp.Text(".notice")); !strings.Contains(notice, "correction is saved") {
		t.Fatalf("after saving: %q", notice)
	}
	if got := run(t, csm, chromedp.Text("main")); !strings.Contains(got, "Now: Erik Holm, the new CFO, signs the renewal.") {
		t.Fatalf("the review page does not list the correction:\n%s", got)
	}
}

// TestBrowserCSMFilesAPassage: on the review page the CSM says which account a passage that named two
// accounts is about, and it leaves the list. EXITINTERVIEW_SCREENSHOTS names a folder to keep pictures of
// the page in, at 1280 and 390 px.
func TestBrowserCSMFilesAPassage(t *testing.T) {
	t.Parallel()
	f := newQuestionsFixture(t)
	f.csm(t, "Northwind and Globex both run the nightly CSV export workaround. Unlike Globex, they pay on time.")
	csm := browser(t)
	must(t, chromedp.Do(csm,
		chromedp.Navigate(f.e.ts.URL+"/i/"+f.invite),
		chromedp.Click(`button[type="submit"]`),
		chromedp.WaitVisible(`#chat[data-ready="true"] #answer`),
		chromedp.Navigate(f.e.ts.URL+"/interview/review"),
		chromedp.WaitVisible("#unsettled"),
	))
	if dir := os.Getenv("EXITINTERVIEW_SCREENSHOTS"); dir != "" {
		for _, w := range []int64{1280, 390} {
			must(t, chromedp.Do(csm, chromedp.EmulateViewport(w, 900)))
			png := run(t, csm, chromedp.FullScreenshot(100))
			must(t, os.WriteFile(dir+"/review-"+strconv.FormatInt(w, 10)+".png", png, 0o644))
		}
	}
	n := run(t, csm, chromedp.Evaluate[int](`document.querySelectorAll("#unsettled li").length`))
	if n != 1 { // the two sentences, both unsure and about the same accounts, are one passage
		t.Fatalf("%d passages to file, want 1", n)
	}
	id := run(t, csm, chromedp.Evaluate[string](`[...document.querySelectorAll("#unsettled li")].find(li => li.textContent.includes("CSV export")).id.slice(2)`))
	must(t, chromedp.Do(csm,
		chromedp.SetValue(`#a-`+id, "Globex"),
		chromedp.Click(`#p-`+id+` button.primary`),
		chromedp.WaitVisible(".notice"),
	))
	var settled int
	if err := f.e.store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM attributions a JOIN accounts ac ON ac.id = a.account_id
WHERE ac.name = 'Globex' AND a.text LIKE '%CSV export%'`).Scan(&settled); err != nil || settled != 1 {
		t.Fatalf("the passage was not filed under Globex: %d %v", settled, err)
	}
}

// TestBrowserReadbackCard: in the chat, the read-back card shows what was understood of the account as
// fields; the CSM corrects one (the risk level) and confirms the rest with the keyboard, and on the next
// card picks a risk level the rules could not read. EXITINTERVIEW_SCREENSHOTS keeps pictures of the card
// at 1280 and 390 px.
func TestBrowserReadbackCard(t *testing.T) {
	t.Parallel()
	r := newReadbackEnv(t)
	r.answerUntilReadback(t, decodeInto[turnJSON](t, r.e.do(http.MethodGet, "/api/v1/interview", nil, r.csm)))
	ctx := browser(t)
	must(t, chromedp.Do(ctx,
		chromedp.Navigate(r.e.ts.URL+"/i/"+r.invite),
		chromedp.Click(`button[type="submit"]`),
		chromedp.WaitVisible("#readback-confirm"),
	))
	card := run(t, ctx, chromedp.Text("#readback"))
	for _, want := range []string{"What I understood of Stark Logistics", "Churn risk", "People", "Commitments"} {
		if !strings.Contains(card, want) {
			t.Errorf("the card lacks %q:\n%s", want, card)
		}
	}
	if got := run(t, ctx, chromedp.Evaluate[string](`document.querySelector('#readback [data-type="risk"] select').value`)); got != "high" {
		t.Fatalf("the risk level shown: %q", got)
	}
	screenshots(t, ctx, "readback", "#readback")
	must(t, chromedp.Do(ctx, chromedp.SetValue(`#readback [data-type="risk"] select`, "critical")))
	run(t, ctx, chromedp.Evaluate[bool](`document.querySelector('#readback [data-type="risk"] select').dispatchEvent(new Event("change", {bubbles: true}))`))
	if label := run(t, ctx, chromedp.Text("#readback-confirm")); label != "Confirm with my corrections" {
		t.Errorf("the button after a change reads %q", label)
	}
	must(t, chromedp.Do(ctx, chromedp.Focus("#readback-confirm"), chromedp.KeyEvent("\r")))
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("readback").hidden`, chromedp.WithPollingTimeout(20*time.Second)))
	must(t, err)
	states := map[string]string{}
	for _, f := range r.facts(t) {
		states[f.Type+":"+f.Fields["name"]+f.Fields["level"]] = f.State
	}
	if states["risk:critical"] != "corrected" || states["person:Priya Shah"] != "confirmed" || states["commitment:"] != "confirmed" {
		t.Fatalf("facts after the card: %v", states)
	}

	// The next card (Wayne Retail) asks for the risk level as a choice.
	r.answerUntilReadback(t, decodeInto[turnJSON](t, r.e.do(http.MethodGet, "/api/v1/interview", nil, r.csm)))
	must(t, chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(`#readback input[name="rb-choice"]`)))
	screenshots(t, ctx, "readback-choice", "#readback")
	must(t, chromedp.Do(ctx, chromedp.Click(`#readback input[name="rb-choice"][value="medium"]`), chromedp.Click("#readback-confirm")))
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("readback").hidden`, chromedp.WithPollingTimeout(20*time.Second)))
	must(t, err)
	found := false
	for _, f := range r.facts(t) {
		found = found || f.Type == "risk" && f.Fields["level"] == "medium" && f.State == "corrected"
	}
	if !found {
		t.Fatal("the chosen risk level was not kept")
	}
}

// screenshots saves the page, and the element sel when given, at 1280 and 390 px wide when
// EXITINTERVIEW_SCREENSHOTS names a folder.
func screenshots(t *testing.T, ctx context.Context, name, sel string) {
	dir := os.Getenv("EXITINTERVIEW_SCREENSHOTS")
	if dir == "" {
		return
	}
	for _, w := range []int64{1280, 390} {
		must(t, chromedp.Do(ctx, chromedp.EmulateViewport(w, 900)))
		png := run(t, ctx, chromedp.FullScreenshot(100))
		must(t, os.WriteFile(dir+"/"+name+"-"+strconv.FormatInt(w, 10)+".png", png, 0o644))
		if sel != "" {
			png = run(t, ctx, chromedp.Screenshot(sel))
			must(t, os.WriteFile(dir+"/"+name+"-element-"+strconv.FormatInt(w, 10)+".png", png, 0o644))
		}
	}
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(1200, 900)))
}

// TestBrowserReviewCard: on the review page the CSM corrects what was understood of an account in place
// and saves it without leaving the page.
func TestBrowserReviewCard(t *testing.T) {
	t.Parallel()
	r := newReadbackEnv(t)
	r.answerUntilReadback(t, decodeInto[turnJSON](t, r.e.do(http.MethodGet, "/api/v1/interview", nil, r.csm)))
	msgs, err := r.e.store.Messages(context.Background(), r.id)
	must(t, err)
	for _, m := range msgs {
		must(t, r.capture.Capture(context.Background(), m.ID))
	}
	ctx := browser(t)
	card := `form.review-card`
	must(t, chromedp.Do(ctx,
		chromedp.Navigate(r.e.ts.URL+"/i/"+r.invite),
		chromedp.Click(`button[type="submit"]`),
		chromedp.WaitVisible(`#chat[data-ready="true"] #answer`),
		chromedp.Navigate(r.e.ts.URL+"/interview/review"),
		chromedp.WaitVisible(card+` [data-type="risk"] select`),
	))
	screenshots(t, ctx, "review-card", card)
	must(t, chromedp.Do(ctx, chromedp.SetValue(card+` [data-type="risk"] select`, "critical"), chromedp.Click(card+` button[type="submit"]`)))
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`[...document.querySelectorAll("[role=status]")].some(p => p.textContent.startsWith("Saved"))`,
		chromedp.WithPollingTimeout(20*time.Second)))
	must(t, err)
	found := false
	for _, f := range r.facts(t) {
		found = found || f.Type == "risk" && f.Fields["level"] == "critical" && f.State == "corrected"
	}
	if !found {
		t.Fatal("the corrected risk level was not saved")
	}
}

// TestBrowserReviewFiling: on the review page the CSM opens an answer, unticks a topic it is not about,
// adds one it is about and saves; the page says so and the answer is filed that way.
func TestBrowserReviewFiling(t *testing.T) {
	t.Parallel()
	r := newReadbackEnv(t)
	r.answerUntilReadback(t, decodeInto[turnJSON](t, r.e.do(http.MethodGet, "/api/v1/interview", nil, r.csm)))
	msgs, err := r.e.store.Messages(context.Background(), r.id)
	must(t, err)
	first := ""
	for _, m := range msgs {
		if m.Role == "csm" && m.Kind == "answer" && first == "" {
			first = m.ID
		}
	}
	ctx := browser(t)
	item := `#m-` + first
	must(t, chromedp.Do(ctx,
		chromedp.Navigate(r.e.ts.URL+"/i/"+r.invite),
		chromedp.Click(`button[type="submit"]`),
		chromedp.WaitVisible(`#chat[data-ready="true"] #answer`),
		chromedp.Navigate(r.e.ts.URL+"/interview/review#filing"),
		chromedp.Click(item+` summary`), // "Change the filing"
		chromedp.WaitVisible(item+` select[name="add_topic"]`),
	))
	screenshots(t, ctx, "review-filing", item)
	must(t, chromedp.Do(ctx,
		chromedp.Click(item+` input[type="checkbox"]`), // the first topic it was filed under: not about it
		chromedp.SetValue(item+` select[name="add_account"]`, ""),
		chromedp.SetValue(item+` select[name="add_topic"]`, "shadow_systems"),
		chromedp.Click(item+` button[type="submit"]`),
		chromedp.WaitVisible(`#filing [role="status"]`),
	))
	m, err := r.e.store.MessageByID(context.Background(), first)
	must(t, err)
	if len(m.Filed) == 0 || !slices.Contains(m.Filed, store.Filed{Topic: "shadow_systems"}) {
		t.Fatalf("the answer is filed under %+v", m.Filed)
	}
}

// TestBrowserAskHasThreeOutcomes: a successor asks in the browser and gets an answer with its source, the
// nearest passages when nothing answers for certain, or "nothing captured" with the form to send the
// question to the departing CSM, the account the question named chosen already; sending it says so.
func TestBrowserAskHasThreeOutcomes(t *testing.T) {
	t.Parallel()
	f := newKnowledgeFixture(t)
	ctx := browser(t)
	signIn(t, ctx, f.e.ts.URL, "successor1@example.com", "correct horse battery successor")
	ask := func(question string) (outcome, text string) {
		must(t, chromedp.Do(ctx,
			chromedp.Navigate(f.e.ts.URL+"/search"),
			chromedp.WaitVisible("#question"),
			chromedp.SendKeys("#question", question),
			chromedp.Click(`form[action="/search/ask"] button[type="submit"]`),
			chromedp.WaitVisible(".answer"),
		))
		return run(t, ctx, chromedp.Evaluate[string](`document.querySelector(".answer").dataset.outcome`)), run(t, ctx, chromedp.Text(".answer"))
	}
	if o, text := ask("who signs the renewal at northwnd"); o != "answer" || !strings.Contains(text, "Marco Rossi") {
		t.Fatalf("an answer: %s %q", o, text)
	}
	if n := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(".answer .citations a[href^='/messages/']").length`)); n == 0 {
		t.Fatal("the answer cites no source")
	}
	screenshots(t, ctx, "ask-answer", ".answer")
	if o, text := ask("who fixed the bugs in the mobile app last spring"); o != "nearest" || !strings.Contains(text, "may help") ||
		!strings.Contains(text, "Lena Fischer") {
		t.Fatalf("the nearest passages: %s %q", o, text)
	}
	screenshots(t, ctx, "ask-nearest", ".answer")
	if o, text := ask("northwind xylophone tour dates in Peru"); o != "nothing" || !strings.Contains(text, "Nothing captured") {
		t.Fatalf("nothing captured: %s %q", o, text)
	}
	chosen := run(t, ctx, chromedp.Evaluate[string](`document.querySelector("#ask-account").selectedOptions[0].textContent`))
	if !strings.HasPrefix(chosen, "Northwind") {
		t.Fatalf("the form to ask the CSM chose %q", chosen)
	}
	screenshots(t, ctx, "ask-nothing", "")
	must(t, chromedp.Do(ctx, chromedp.Click(`form.ask-csm button[type="submit"]`), chromedp.WaitVisible(`.notice[role="status"]`)))
	if text := run(t, ctx, chromedp.Text(`.notice[role="status"]`)); !strings.Contains(text, "Your question was sent") {
		t.Fatalf("after sending: %q", text)
	}
	if n := f.e.count("asked_questions WHERE text LIKE '%xylophone%'"); n != 1 {
		t.Fatalf("%d questions sent to the CSM", n)
	}
}
