package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/knowledge"
	"github.com/exitinterview/exitinterview/store"
)

// fileForm is a form with a file (name, data; none when name is "") and fields.
func fileForm(t testing.TB, name string, data []byte, fields map[string]string) (io.Reader, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if name != "" {
		fw, err := w.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return &b, w.FormDataContentType()
}

// upload posts a file to the CSM's attachments.
func (e *testEnv) upload(name string, data []byte, fields map[string]string, opts ...reqOpt) *http.Response {
	e.t.Helper()
	body, ct := fileForm(e.t, name, data, fields)
	return e.do(http.MethodPost, "/api/v1/interview/attachments", body, append(opts, withHeader("Content-Type", ct))...)
}

// attachmentState counts what an upload may change: attachments, their reading jobs, passages of files.
func (e *testEnv) attachmentState() string {
	e.t.Helper()
	var files, jobs, chunks int
	err := e.store.Pool().QueryRow(context.Background(), `SELECT (SELECT count(*) FROM attachments), (SELECT count(*) FROM river_job WHERE kind = 'attachment'),
    (SELECT count(*) FROM chunks WHERE attachment_id IS NOT NULL)`).Scan(&files, &jobs, &chunks)
	if err != nil {
		e.t.Fatal(err)
	}
	return fmt.Sprintf("%d files, %d jobs, %d passages", files, jobs, chunks)
}

func accountIDs(t *testing.T, e *testEnv, interviewID string) map[string]string {
	t.Helper()
	accounts, err := e.store.Accounts(context.Background(), interviewID)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, a := range accounts {
		ids[a.Name] = a.ID
	}
	return ids
}

// download is who fetches a file's URL, and the status they must get.
type download struct {
	who    string
	opt    reqOpt
	url    string
	status int
}

func (e *testEnv) expectDownloads(ds []download) {
	e.t.Helper()
	for _, d := range ds {
		if r := e.do(http.MethodGet, d.url, nil, d.opt); r.StatusCode != d.status {
			e.t.Errorf("download by %s: %d, want %d", d.who, r.StatusCode, d.status)
		}
	}
}

func newAttachmentReader(e *testEnv) *knowledge.Service {
	log := slog.New(slog.DiscardHandler)
	return knowledge.New(e.store, knowledge.NewVectors(e.store, embed.NewOffline(), nil, log), nil, log)
}

// TestAttachmentsAPI: a CSM attaches files; bad requests change nothing; limits come from the settings;
// the same file twice is one attachment; reading makes it searchable with its citation; the original is
// served with its headers to who may see its account and to the CSM, and is a 404 to anyone else;
// removing it removes its passages.
func TestAttachmentsAPI(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, map[string]string{"EXITINTERVIEW_ATTACHMENT_MAX_BYTES": "4096", "EXITINTERVIEW_ATTACHMENTS_MAX": "3"})
	_, managerPW := e.user(store.RoleManager, "maria@example.com")
	c := e.createSession(e.token("maria@example.com"))
	csm := withBearer(c.InviteToken)
	first := decodeInto[csmInterviewJSON](t, e.do(http.MethodGet, "/api/v1/interview", nil, csm))
	ids := accountIDs(t, e, c.ID)
	if first.NextQuestion == nil || first.NextQuestion.Account == nil {
		t.Fatalf("no open question about an account: %+v", first)
	}
	current := ids[*first.NextQuestion.Account]

	notes := []byte("Stark Logistics QBR notes.\nThe warehouse team asked for a second region before the renewal.\n")
	r := e.upload("stark notes.txt", notes, nil, csm)
	created := decodeInto[attachmentJSON](t, r)
	sum := sha256.Sum256(notes)
	if r.StatusCode != 201 || created.ID == "" || created.SHA256 != hex.EncodeToString(sum[:]) || created.Size != int64(len(notes)) ||
		created.AccountID == nil || *created.AccountID != current || created.State != "reading" || created.Kind != "txt" ||
		created.DownloadURL != "/api/v1/attachments/"+created.ID+"/file" {
		t.Fatalf("upload: %d %+v", r.StatusCode, created)
	}
	if got := e.attachmentState(); got != "1 files, 1 jobs, 0 passages" {
		t.Fatalf("after one upload: %s", got)
	}
	// The same file again is the same attachment: 200, nothing new stored or enqueued.
	r = e.upload("stark notes (copy).txt", notes, nil, csm)
	if again := decodeInto[attachmentJSON](t, r); r.StatusCode != 200 || again.ID != created.ID {
		t.Fatalf("re-upload: %d %+v", r.StatusCode, again)
	}

	// Every refused request changes nothing, and says why.
	before := e.attachmentState()
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)
	bad := []struct {
		name, file string
		data       []byte
		fields     map[string]string
		status     int
		says       string
	}{
		{"no file", "", nil, map[string]string{"account_id": current}, 400, "field named file"},
		{"an account field too long", "a.txt", []byte("text"), map[string]string{"account_id": strings.Repeat("x", 300)}, 400, "account_id"},
		{"another interview's account", "a.txt", []byte("text"), map[string]string{"account_id": "00000000-0000-4000-8000-000000000001"}, 404, "not in your interview"},
		{"an account not in the interview", "a.txt", []byte("text"), map[string]string{"account_id": "Umbrella Corp"}, 404, "not in your interview"},
		{"an answer not in the interview", "a.txt", []byte("text"), map[string]string{"message_id": "00000000-0000-4000-8000-000000000001"}, 404, "not in your interview"},
		{"a file over the limit", "big.txt", bytes.Repeat([]byte("a"), 4097), nil, 413, "at most 4 KiB"},
		{"a picture named .pdf", "deck.pdf", png, nil, 415, "deck.pdf"},
		{"a program named .docx", "plan.docx", append([]byte("MZ\x90\x00"), make([]byte, 200)...), nil, 415, "plan.docx"},
	}
	for _, b := range bad {
		r := e.upload(b.file, b.data, b.fields, csm)
		body := readBody(t, r)
		if r.StatusCode != b.status || !strings.Contains(body, b.says) || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s: %d %s", b.name, r.StatusCode, body)
		}
	}
	// A body far over the limit is refused before it is read.
	big, ct := fileForm(t, "huge.txt", bytes.Repeat([]byte("b"), 200<<10), nil)
	r = e.do(http.MethodPost, "/api/v1/interview/attachments", big, csm, withHeader("Content-Type", ct))
	if body := readBody(t, r); r.StatusCode != 413 || !strings.Contains(body, "at most 4 KiB") {
		t.Errorf("huge body: %d %s", r.StatusCode, body)
	}
	// Nobody but the CSM uploads.
	if r := e.upload("a.txt", []byte("text"), nil, withBearer(e.token("maria@example.com"))); r.StatusCode != 401 {
		t.Errorf("a manager's upload: %d", r.StatusCode)
	}
	if got := e.attachmentState(); got != before {
		t.Fatalf("refused uploads changed %s into %s", before, got)
	}

	// A file for another account, chosen; then the count limit.
	globexNotes := []byte("Globex keeps its renewal forecast in the finance team's tracker; Hank Scorpio approves discounts above ten per cent.")
	r = e.upload("globex.md", globexNotes, map[string]string{"account_id": "globex"}, csm) // by its name
	globex := decodeInto[attachmentJSON](t, r)
	if r.StatusCode != 201 || globex.AccountID == nil || *globex.AccountID != ids["Globex"] || globex.Kind != "md" {
		t.Fatalf("upload for Globex: %d %+v", r.StatusCode, globex)
	}
	// A file attached to an answer is about the account of the question it answered, whatever the
	// interview asks now.
	turn := decodeInto[turnJSON](t, e.postJSON("/api/v1/interview/messages",
		`{"content":"They route support tickets for 140 agents; adoption is good.","client_id":"a1"}`, csm))
	if turn.Message == nil {
		t.Fatal("the answer was not stored")
	}
	r = e.upload("adoption.csv", []byte("month,agents\nJanuary,120\nFebruary,140\n"), map[string]string{"message_id": turn.Message.ID}, csm)
	byAnswer := decodeInto[attachmentJSON](t, r)
	if r.StatusCode != 201 || byAnswer.MessageID == nil || *byAnswer.MessageID != turn.Message.ID || byAnswer.AccountID == nil ||
		*byAnswer.AccountID != current || byAnswer.Kind != "csv" {
		t.Fatalf("upload for an answer: %d %+v", r.StatusCode, byAnswer)
	}
	before = e.attachmentState()
	r = e.upload("fourth.txt", []byte("one file too many"), nil, csm)
	if body := readBody(t, r); r.StatusCode != 413 || !strings.Contains(body, "3 files") {
		t.Fatalf("fourth file: %d %s", r.StatusCode, body)
	}
	if got := e.attachmentState(); got != before {
		t.Fatalf("a refused fourth file changed %s into %s", before, got)
	}
	// At the limit, a file already attached is still the same attachment, not one too many.
	r = e.upload("globex.md", globexNotes, map[string]string{"account_id": ids["Globex"]}, csm)
	if again := decodeInto[attachmentJSON](t, r); r.StatusCode != 200 || again.ID != globex.ID {
		t.Fatalf("the same file at the limit: %d %+v", r.StatusCode, again)
	}

	// Reading makes them searchable: a successor of Globex finds the Globex file, cited.
	reader := newAttachmentReader(e)
	for _, id := range []string{created.ID, globex.ID} {
		if err := reader.CaptureAttachment(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}
	list := decodeInto[struct {
		Attachments []attachmentJSON `json:"attachments"`
		Accounts    []struct{ ID, Name string }
	}](t, e.do(http.MethodGet, "/api/v1/interview/attachments", nil, csm))
	if len(list.Attachments) != 3 || list.Attachments[0].State != "ready" || list.Attachments[1].State != "ready" ||
		list.Attachments[2].State != "reading" || len(list.Accounts) != len(ids) {
		t.Fatalf("list after reading: %+v", list)
	}
	sam := withBearer(e.token("sam@example.com"))
	res := decodeInto[struct {
		Results []searchResultJSON `json:"results"`
	}](t, e.do(http.MethodGet, "/api/v1/search?q="+url.QueryEscape("who approves discounts"), nil, sam))
	if len(res.Results) == 0 || res.Results[0].Attachment == nil || res.Results[0].Attachment.ID != globex.ID ||
		res.Results[0].Attachment.Name != "globex.md" || res.Results[0].MessageID != "" || !strings.Contains(res.Results[0].Text, "Hank Scorpio") {
		t.Fatalf("search as Globex's successor: %+v", res.Results)
	}
	for _, hit := range res.Results {
		if strings.Contains(hit.Text, "warehouse") {
			t.Fatalf("Globex's successor finds the Stark file: %+v", hit)
		}
	}

	// Ask cites the file, over the API and on the search page.
	answer := decodeInto[askJSON](t, e.postJSON("/api/v1/ask", `{"question":"Who approves discounts at Globex?"}`, sam))
	cited := false
	for _, ct := range answer.Citations {
		cited = cited || ct.Attachment != nil && ct.Attachment.ID == globex.ID && ct.Attachment.DownloadURL == globex.DownloadURL && ct.MessageID == ""
	}
	if !cited {
		t.Fatalf("ask does not cite the file: %+v", answer)
	}
	samCookie := withCookie(e.login("sam@example.com", "correct horse battery successor"))
	page := readBody(t, e.postForm("/search/ask", url.Values{"question": {"Who approves discounts at Globex?"}}, nil, samCookie))
	if !strings.Contains(page, `href="`+globex.DownloadURL+`"`) || !strings.Contains(page, "globex.md") {
		t.Errorf("the ask page does not link the file it cites")
	}

	// Downloads: headers, and who may.
	r = e.do(http.MethodGet, globex.DownloadURL, nil, sam)
	got, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if r.StatusCode != 200 || !bytes.Equal(got, globexNotes) || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/markdown") ||
		r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("ETag") != `"`+globex.SHA256+`"` ||
		!strings.Contains(r.Header.Get("Content-Disposition"), "filename*=UTF-8''globex.md") {
		t.Fatalf("download: %d %v %q", r.StatusCode, r.Header, got)
	}
	if r := e.do(http.MethodGet, globex.DownloadURL, nil, sam, withHeader("If-None-Match", `"`+globex.SHA256+`"`)); r.StatusCode != 304 {
		t.Errorf("download with the ETag: %d", r.StatusCode)
	}
	manager := withCookie(e.login("maria@example.com", managerPW))
	e.expectDownloads([]download{
		{"the successor of another account", sam, created.DownloadURL, 404},
		{"the CSM", csm, created.DownloadURL, 200},
		{"the manager", manager, created.DownloadURL, 200},
		{"anyone", withHeader("X-Nobody", "1"), created.DownloadURL, 401},
		{"a file that is not there", manager, "/api/v1/attachments/00000000-0000-4000-8000-000000000009/file", 404},
	})
	// The manager's page lists the files.
	page = readBody(t, e.do(http.MethodGet, "/interviews/"+c.ID, nil, manager))
	if !strings.Contains(page, "globex.md") || !strings.Contains(page, "stark notes.txt") || !strings.Contains(page, globex.DownloadURL) {
		t.Errorf("the interview page does not list the files")
	}

	// The CSM's review lists them too.
	if review := readBody(t, e.do(http.MethodGet, "/interview/review", nil, csm)); !strings.Contains(review, "globex.md") || !strings.Contains(review, globex.DownloadURL) {
		t.Errorf("the review page does not list the files")
	}

	// Removing one removes its file and passages, and is in the audit log.
	if r := e.do(http.MethodDelete, "/api/v1/interview/attachments/"+globex.ID, nil, csm); r.StatusCode != 204 {
		t.Fatalf("remove: %d", r.StatusCode)
	}
	if r := e.do(http.MethodDelete, "/api/v1/interview/attachments/"+globex.ID, nil, csm); r.StatusCode != 404 {
		t.Fatalf("remove twice: %d", r.StatusCode)
	}
	if r := e.do(http.MethodGet, globex.DownloadURL, nil, sam); r.StatusCode != 404 {
		t.Errorf("download of a removed file: %d", r.StatusCode)
	}
	var left, audited int
	must(t, e.store.Pool().QueryRow(context.Background(), `SELECT (SELECT count(*) FROM chunks WHERE attachment_id = $1),
    (SELECT count(*) FROM audit_log WHERE action = 'attachment.removed' AND subject = $1::text)`, globex.ID).Scan(&left, &audited))
	if left != 0 || audited != 1 {
		t.Fatalf("after removal: %d passages left, %d audit entries", left, audited)
	}
	res = decodeInto[struct {
		Results []searchResultJSON `json:"results"`
	}](t, e.do(http.MethodGet, "/api/v1/search?q="+url.QueryEscape("who approves discounts"), nil, sam))
	for _, hit := range res.Results {
		if hit.Attachment != nil {
			t.Fatalf("a removed file is still found: %+v", hit)
		}
	}
}

// TestAFileWithCredentialsIsWithheldFromSuccessors: reading a file removes the credentials and personal
// remarks in it from its passages, as from an answer; the original still holds them, so the account's
// successor reads the passages (and its page lists the file, without a link, saying why) but gets a 403
// naming what was removed for the file itself, while the manager and the CSM download it. A file that
// held nothing to remove stays downloadable by the successor.
func TestAFileWithCredentialsIsWithheldFromSuccessors(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	_, managerPW := e.user(store.RoleManager, "maria@example.com")
	c := e.createSession(e.token("maria@example.com"))
	csm := withBearer(c.InviteToken)
	ids := accountIDs(t, e, c.ID)
	secret := []byte("Globex admin notes.\nThe admin password for their portal is Winter2024! by the way.\nHank Scorpio approves discounts.\n")
	plain := []byte("Globex renewal notes.\nHank Scorpio approves the renewal budget in March.\n")
	withSecret := decodeInto[attachmentJSON](t, e.upload("portal notes.txt", secret, map[string]string{"account_id": ids["Globex"]}, csm))
	clean := decodeInto[attachmentJSON](t, e.upload("renewal notes.txt", plain, map[string]string{"account_id": ids["Globex"]}, csm))
	reader := newAttachmentReader(e)
	for _, id := range []string{withSecret.ID, clean.ID} {
		if err := reader.CaptureAttachment(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}
	a, err := e.store.AttachmentByID(context.Background(), withSecret.ID)
	must(t, err)
	if a.Withheld != "credentials" {
		t.Fatalf("withheld %q, want credentials", a.Withheld)
	}
	chunks, err := e.store.AttachmentChunks(context.Background(), withSecret.ID)
	must(t, err)
	for _, ch := range chunks {
		if strings.Contains(ch.Text, "Winter2024") {
			t.Fatalf("a passage keeps the password: %q", ch.Text)
		}
	}
	sam := withBearer(e.token("sam@example.com"))
	r := e.do(http.MethodGet, withSecret.DownloadURL, nil, sam)
	if body := readBody(t, r); r.StatusCode != 403 || !strings.Contains(body, "holds credentials") || strings.Contains(body, "Winter2024") {
		t.Errorf("the successor downloading the file with a password: %d %s", r.StatusCode, body)
	}
	manager := withCookie(e.login("maria@example.com", managerPW))
	e.expectDownloads([]download{{"the manager", manager, withSecret.DownloadURL, 200}, {"the CSM", csm, withSecret.DownloadURL, 200},
		{"the successor", sam, clean.DownloadURL, 200}})
	page := readBody(t, e.do(http.MethodGet, "/accounts/"+ids["Globex"], nil, withCookie(e.login("sam@example.com", "correct horse battery successor"))))
	if strings.Contains(page, `href="`+withSecret.DownloadURL+`"`) || !strings.Contains(page, "portal notes.txt") ||
		!strings.Contains(page, "holds credentials") || !strings.Contains(page, `href="`+clean.DownloadURL+`"`) {
		t.Errorf("the successor's account page lists the files as:\n%s", page)
	}
}

// TestCleanFileName: a name keeps its last element, loses control and format characters (a
// right-to-left override would show "report\u202efdp.exe" as "reportexe.pdf"), and nothing usable is "".
func TestCleanFileName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"../../etc/passwd":      "passwd",
		`C:\Users\dana\QBR.pdf`: "QBR.pdf",
		"report\u202efdp.exe":   "reportfdp.exe",
		"\x01 \x01":             "",
		"..":                    "",
		" notes\x7f.txt ":       "notes.txt",
		"Q3 QBR deck.pdf":       "Q3 QBR deck.pdf",
	} {
		if got := cleanFileName(in); got != want {
			t.Errorf("cleanFileName(%q) = %q, want %q", in, got, want)
		}
	}
}
