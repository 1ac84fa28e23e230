package web

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/knowledge"
	"github.com/exitinterview/exitinterview/report"
	"github.com/exitinterview/exitinterview/store"
)

// reportFixture is a finished two-account interview whose answers are captured, its manager, another
// manager, the successor, an admin, and the CSM's invite.
type reportFixture struct {
	e      *testEnv
	iv     store.Interview
	tokens map[string]string
	invite string
}

func newReportFixture(t *testing.T) *reportFixture {
	t.Helper()
	e := newTestEnv(t, nil)
	ctx := context.Background()
	f := &reportFixture{e: e, tokens: map[string]string{}}
	users := map[string]store.User{}
	for name, role := range map[string]store.Role{"owner": store.RoleManager, "other manager": store.RoleManager,
		"successor": store.RoleSuccessor, "admin": store.RoleAdmin} {
		email := strings.ReplaceAll(name, " ", "") + "@example.com"
		users[name], _ = e.user(role, email)
		f.tokens[name] = e.token(email)
	}
	arr := 240000.0
	created, err := e.ivs.Create(ctx, users["owner"].ID, interview.CreateInput{CSMName: "Dana Whitfield",
		DepartureDate: time.Now().AddDate(0, 0, 30).Format(time.DateOnly), TimeBudgetMinutes: 10,
		Accounts:   []book.Account{{Name: "Northwind", ARR: &arr, CRM: book.CRMContext{Health: "green"}}, {Name: "Globex"}},
		Successors: []interview.SuccessorInput{{Account: "Northwind", Email: "successor@example.com"}}})
	if err != nil {
		t.Fatal(err)
	}
	f.iv, f.invite = created.Interview, created.InviteToken
	log := slog.New(slog.DiscardHandler)
	capture := knowledge.New(e.store, knowledge.NewVectors(e.store, embed.NewOffline(), nil, log), nil, log)
	answers := []string{
		"High risk: Marco Rossi, the CFO, signs the renewal and is sceptical; they are evaluating Zendesk. The admin password for their Salesforce is Winter2024! by the way.",
		"I promised Priya a fix date for the export bug by 5 December. Ticket SUP-4411 is still open.",
		"Nothing more to add.",
	}
	v, err := e.ivs.View(ctx, f.iv.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	for turn := 0; !v.Done; turn++ {
		if turn > 60 {
			t.Fatal("the interview does not end")
		}
		r, err := e.ivs.Answer(ctx, f.iv.ID, answers[min(turn, len(answers)-1)], fmt.Sprintf("c%d", turn), v.Next.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := capture.Capture(ctx, r.Message.ID); err != nil {
			t.Fatal(err)
		}
		v = r.View
	}
	return f
}

// generate runs the report job's work for the pending version, as the worker would.
func (f *reportFixture) generate(t *testing.T) {
	t.Helper()
	latest, _, _, err := f.e.store.LatestReports(context.Background(), f.iv.ID)
	if err != nil || latest == nil {
		t.Fatalf("no report requested: %v", err)
	}
	if err := f.e.reports.Generate(context.Background(), latest.ID); err != nil {
		t.Fatal(err)
	}
}

func (f *reportFixture) get(t *testing.T, who, path string) (*http.Response, string) {
	t.Helper()
	var opts []reqOpt
	if tok := f.tokens[who]; tok != "" {
		opts = append(opts, withBearer(tok))
	}
	r := f.e.do(http.MethodGet, path, nil, opts...)
	return r, readBody(t, r)
}

// TestFinishingTheInterviewRequestsTheReport and the API serves it once generated: JSON, PDF, Markdown
// and the checklist as CSV, none with the credential the CSM mentioned.
func TestFinishingTheInterviewRequestsTheReport(t *testing.T) {
	t.Parallel()
	f := newReportFixture(t)
	base := "/api/v1/interviews/" + f.iv.ID
	r, body := f.get(t, "owner", base+"/report")
	if r.StatusCode != 200 || !strings.Contains(body, `"status":"pending"`) {
		t.Fatalf("before generation: %d %s", r.StatusCode, body)
	}
	if r, body := f.get(t, "owner", base+"/report.pdf"); r.StatusCode != 404 || !strings.Contains(body, "no_report") {
		t.Fatalf("PDF before generation: %d %s", r.StatusCode, body)
	}
	// A second request while one is pending adds no version.
	rr := f.e.postJSON(base+"/report", `{}`, withBearer(f.tokens["owner"]))
	var v struct {
		Version int
		Status  string
	}
	if err := json.Unmarshal([]byte(readBody(t, rr)), &v); err != nil || rr.StatusCode != 202 || v.Version != 1 || v.Status != "pending" {
		t.Fatalf("request while pending: %d %+v %v", rr.StatusCode, v, err)
	}

	f.generate(t)
	r, body = f.get(t, "owner", base+"/report")
	var rep report.Report
	if err := json.Unmarshal([]byte(body), &rep); err != nil || r.StatusCode != 200 || rep.Status != "ready" || rep.Version != 1 {
		t.Fatalf("report: %d %v %.300s", r.StatusCode, err, body)
	}
	names := []string{}
	for _, a := range rep.Accounts {
		names = append(names, a.Name)
	}
	if strings.Join(names, ",") != "Northwind,Globex" || rep.Accounts[0].Risk.Level != "high" || len(rep.Checklist) == 0 || len(rep.Credentials) != 1 {
		t.Fatalf("accounts %v, Northwind risk %q, %d checklist items, %d credentials", names, rep.Accounts[0].Risk.Level, len(rep.Checklist), len(rep.Credentials))
	}
	for _, file := range []struct{ path, ctype, start string }{
		{"/report.pdf", "application/pdf", "%PDF-"},
		{"/report.md", "text/markdown", "# "},
		{"/checklist.csv", "text/csv", "id,account,kind,title,owner,due_date,done,sources"},
	} {
		r, body := f.get(t, "owner", base+file.path)
		if r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), file.ctype) || !strings.HasPrefix(body, file.start) ||
			!strings.Contains(r.Header.Get("Content-Disposition"), `attachment; filename="knowledge-transfer-dana-whitfield`) {
			t.Errorf("%s: %d %q %q %.40q", file.path, r.StatusCode, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"), body)
		}
		if strings.Contains(body, "Winter2024") {
			t.Errorf("%s carries the credential", file.path)
		}
	}
	if strings.Contains(body, "Winter2024") {
		t.Error("the report JSON carries the credential")
	}
	// The session now shows each account's risk.
	_, body = f.get(t, "owner", base)
	if !strings.Contains(body, `"risk":"high"`) {
		t.Errorf("the session does not show the report's risk: %.400s", body)
	}
}

// TestReportAccessByRouteAndRole: the session's manager and admins only; another manager gets the same
// 404 as for a session that does not exist, a successor and the CSM a 403.
func TestReportAccessByRouteAndRole(t *testing.T) {
	t.Parallel()
	f := newReportFixture(t)
	f.generate(t)
	_, body := f.get(t, "owner", "/api/v1/interviews/"+f.iv.ID+"/report")
	var rep report.Report
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatal(err)
	}
	item := rep.Checklist[0].ID
	base := "/api/v1/interviews/" + f.iv.ID
	page := "/interviews/" + f.iv.ID
	routes := []struct {
		method, path, body string
		ok                 int
		api                bool
	}{
		{"POST", base + "/report", `{}`, 202, true},
		{"GET", base + "/report", "", 200, true},
		{"GET", base + "/report.pdf", "", 200, true},
		{"GET", base + "/report.md", "", 200, true},
		{"GET", base + "/checklist.csv", "", 200, true},
		{"PATCH", base + "/checklist/" + item, `{"done":true}`, 200, true},
		{"GET", page + "/report", "", 200, false},
		{"POST", page + "/report", "", 303, false},
		{"POST", page + "/checklist/" + item, "due_date=2026-12-01", 303, false},
	}
	invite := findCookie(f.e.postForm("/i/"+f.invite, url.Values{}, nil), inviteCookieName)
	for _, rt := range routes {
		for who, want := range map[string]int{"owner": rt.ok, "admin": rt.ok, "other manager": 404, "successor": 403, "anonymous": 401, "csm": 403} {
			opts := []reqOpt{}
			switch who {
			case "anonymous":
			case "csm":
				opts = append(opts, withCookie(invite))
			default:
				opts = append(opts, withBearer(f.tokens[who]))
			}
			if who == "anonymous" && !rt.api {
				want = 303 // to the login page
			}
			var r *http.Response
			switch {
			case rt.api && rt.body != "":
				r = f.e.do(rt.method, rt.path, strings.NewReader(rt.body), append(opts, withHeader("Content-Type", "application/json"))...)
			case rt.body != "" || rt.method == "POST":
				r = f.e.do(rt.method, rt.path, strings.NewReader(rt.body), append(opts, withHeader("Content-Type", "application/x-www-form-urlencoded"))...)
			default:
				r = f.e.do(rt.method, rt.path, nil, opts...)
			}
			readBody(t, r)
			if r.StatusCode != want {
				t.Errorf("%s %s as %s: %d, want %d", rt.method, rt.path, who, r.StatusCode, want)
			}
		}
	}
}

// TestChecklistChanges: a valid change is kept and shown; bad input is a 400 naming the field and
// changes nothing; an unknown item is a 404.
func TestChecklistChanges(t *testing.T) {
	t.Parallel()
	f := newReportFixture(t)
	f.generate(t)
	base := "/api/v1/interviews/" + f.iv.ID
	current := func() report.Report {
		_, body := f.get(t, "owner", base+"/report")
		var rep report.Report
		if err := json.Unmarshal([]byte(body), &rep); err != nil {
			t.Fatal(err)
		}
		return rep
	}
	item := current().Checklist[0]
	patch := func(id, body string) (int, string) {
		r := f.e.do("PATCH", base+"/checklist/"+id, strings.NewReader(body), withBearer(f.tokens["owner"]), withHeader("Content-Type", "application/json"))
		return r.StatusCode, readBody(t, r)
	}
	for body, field := range map[string]string{
		`{"owner_email":"not an email"}`:          "owner_email",
		`{"due_date":"next friday"}`:              "due_date",
		`{}`:                                      "done",
		`{"done":"yes"}`:                          "",
		`{"done":true,"extra":1}`:                 "",
		`{"owner_email":"Lee <lee@example.com>"}`: "owner_email",
	} {
		code, resp := patch(item.ID, body)
		if code != 400 || (field != "" && !strings.Contains(resp, `"`+field+`"`)) {
			t.Errorf("PATCH %s: %d %s", body, code, resp)
		}
	}
	if got := current().Checklist[0]; !equalItems(got, item) {
		t.Fatalf("a refused change changed the item: %+v", got)
	}
	if code, _ := patch("ck_unknown", `{"done":true}`); code != 404 {
		t.Errorf("unknown item: %d", code)
	}
	code, resp := patch(item.ID, `{"done":true,"owner_email":"Lee@Example.com","due_date":"2026-12-01"}`)
	if code != 200 || !strings.Contains(resp, `"owner":"lee@example.com"`) {
		t.Fatalf("valid change: %d %s", code, resp)
	}
	got := current().Checklist[0]
	if !got.Done || got.Owner != "lee@example.com" || got.DueDate != "2026-12-01" {
		t.Fatalf("after the change: %+v", got)
	}
	// A regeneration keeps it.
	f.e.postJSON(base+"/report", `{}`, withBearer(f.tokens["owner"]))
	f.generate(t)
	if again := current(); again.Version != 2 || !equalItems(again.Checklist[0], got) {
		t.Fatalf("after regeneration: version %d, %+v", again.Version, again.Checklist[0])
	}
	if n := f.e.count("audit_log WHERE action = 'checklist.change'"); n != 1 {
		t.Errorf("%d audit entries for the change", n)
	}
}

func equalItems(a, b report.ChecklistItem) bool {
	return a.ID == b.ID && a.Done == b.Done && a.Owner == b.Owner && a.DueDate == b.DueDate && a.Title == b.Title
}

// TestReportPage shows the report in the PDF's order, lets the manager tick an item, and explains a
// refused change next to the item.
func TestReportPage(t *testing.T) {
	t.Parallel()
	f := newReportFixture(t)
	page := "/interviews/" + f.iv.ID + "/report"
	_, body := f.get(t, "owner", page)
	if !strings.Contains(body, "being generated") {
		t.Fatalf("pending page:\n%.500s", body)
	}
	f.generate(t)
	_, body = f.get(t, "owner", page)
	rest := body
	for _, section := range []string{"Executive summary", "Portfolio risk matrix", `<h2>Northwind</h2>`, `<h2>Globex</h2>`, "Operational playbooks",
		"Decision rationale", "Product feedback themes", "Credentials to move into a vault", "Handover checklist", "CRM contradictions",
		"Knowledge gaps", "Corrections by the CSM", "Appendix: transcript"} {
		i := strings.Index(rest, section)
		if i < 0 {
			t.Fatalf("section %q missing or out of order", section)
		}
		rest = rest[i:]
	}
	if !strings.Contains(body, `href="mailto:?subject=Introducing%20your%20new%20Customer%20Success%20Manager%20for%20Northwind&amp;body=Hello`) {
		i := strings.Index(body, "mailto:")
		t.Errorf("no mailto link for the introduction e-mail: %.200s", body[max(i, 0):])
	}
	if strings.Contains(body, "Winter2024") || !strings.Contains(body, `href="#msg-`) || !strings.Contains(body, "report.pdf") {
		t.Fatal("the page shows the credential, or has no citations or download")
	}
	_, jsonBody := f.get(t, "owner", "/api/v1/interviews/"+f.iv.ID+"/report")
	var rep report.Report
	if err := json.Unmarshal([]byte(jsonBody), &rep); err != nil {
		t.Fatal(err)
	}
	item := rep.Checklist[0]
	form := url.Values{"done": {"on"}, "owner_email": {"lee@example.com"}, "due_date": {item.DueDate}}
	r := f.e.do("POST", "/interviews/"+f.iv.ID+"/checklist/"+item.ID, strings.NewReader(form.Encode()), withBearer(f.tokens["owner"]),
		withHeader("Content-Type", "application/x-www-form-urlencoded"))
	if r.StatusCode != 303 || r.Header.Get("Location") != page+"#"+item.ID {
		t.Fatalf("tick: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	form.Set("due_date", "soon")
	r = f.e.do("POST", "/interviews/"+f.iv.ID+"/checklist/"+item.ID, strings.NewReader(form.Encode()), withBearer(f.tokens["owner"]),
		withHeader("Content-Type", "application/x-www-form-urlencoded"))
	if body := readBody(t, r); r.StatusCode != 400 || !strings.Contains(body, "must be a date") {
		t.Fatalf("bad date: %d", r.StatusCode)
	}
	_, body = f.get(t, "owner", page)
	if !strings.Contains(body, `<li id="`+item.ID+`" class="checklist-item done"`) {
		t.Fatal("the ticked item is not shown done")
	}
}

// TestReportPageListsTheAttachedFiles: the report page lists each account's files with what was read of
// them and a link to download each; the JSON carries them, and the checklist asks for a readable copy of
// the one that could not be read.
func TestReportPageListsTheAttachedFiles(t *testing.T) {
	t.Parallel()
	f := newReportFixture(t)
	ctx := context.Background()
	accounts, err := f.e.store.Accounts(ctx, f.iv.ID)
	if err != nil {
		t.Fatal(err)
	}
	var northwind string
	for _, a := range accounts {
		if a.Name == "Northwind" {
			northwind = a.ID
		}
	}
	attach := func(name, kind, sum string) store.Attachment {
		a, _, err := f.e.store.CreateAttachment(ctx, store.Attachment{InterviewID: f.iv.ID, AccountID: northwind, Name: name, Kind: kind,
			MIME: "application/octet-stream", SHA256: strings.Repeat(sum, 64)}, []byte(name))
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	deck, scan := attach("Q3 QBR deck.pdf", "pdf", "a"), attach("signed order.pdf", "pdf", "b")
	if err := f.e.store.SaveAttachmentChunks(ctx, deck.ID, nil, 12, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.e.store.MarkAttachmentUnreadable(ctx, scan.ID, "the PDF is encrypted"); err != nil {
		t.Fatal(err)
	}
	f.generate(t)
	_, body := f.get(t, "owner", "/interviews/"+f.iv.ID+"/report")
	for _, want := range []string{"<h3>Attached files</h3>", `<a href="` + attachmentDownloadPath(deck.ID) + `">Q3 QBR deck.pdf</a>`, "12 pages read",
		"could not be read (the PDF is encrypted)"} {
		if !strings.Contains(body, want) {
			t.Errorf("the report page lacks %s", want)
		}
	}
	_, jsonBody := f.get(t, "owner", "/api/v1/interviews/"+f.iv.ID+"/report")
	var rep report.Report
	if err := json.Unmarshal([]byte(jsonBody), &rep); err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, a := range rep.Accounts {
		for _, x := range a.Files {
			files = append(files, a.Name+"/"+x.Name+"/"+x.State)
		}
	}
	if want := []string{"Northwind/Q3 QBR deck.pdf/ready", "Northwind/signed order.pdf/unreadable"}; !slices.Equal(files, want) {
		t.Errorf("the JSON's files are %v, want %v", files, want)
	}
	found := false
	for _, it := range rep.Checklist {
		found = found || it.Kind == "readable_copy" && strings.Contains(it.Title, "signed order.pdf")
	}
	if !found {
		t.Error("no task asks for a readable copy of the file that could not be read")
	}
}
