package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/exitinterview/exitinterview/report"
)

// TestHandoverConfirmsWhatIsOpenAndCanBeUndone: the page asks before a handover, listing the open
// checklist tasks and the accounts not ready; a post without the confirmation changes nothing; the
// handover can be undone within 24 hours, which reopens the CSM's link, and both are audited.
func TestHandoverConfirmsWhatIsOpenAndCanBeUndone(t *testing.T) {
	t.Parallel()
	f := newReportFixture(t)
	f.generate(t)
	ctx := context.Background()
	base := "/interviews/" + f.iv.ID + "/handover"
	owner := withBearer(f.tokens["owner"])
	status := func() string {
		iv, err := f.e.store.InterviewByID(ctx, f.iv.ID)
		if err != nil {
			t.Fatal(err)
		}
		return iv.Status
	}
	before := status()
	_, rep := f.get(t, "owner", "/api/v1/interviews/"+f.iv.ID+"/report")
	var r report.Report
	if err := json.Unmarshal([]byte(rep), &r); err != nil || len(r.Checklist) == 0 {
		t.Fatalf("report: %v", err)
	}

	for _, get := range []func() *http.Response{
		func() *http.Response { return f.e.do(http.MethodGet, base, nil, owner) },
		func() *http.Response { return f.e.postForm(base, url.Values{}, nil, owner) }, // the old button, no confirmation
	} {
		resp := get()
		body := readBody(t, resp)
		if resp.StatusCode != 200 || !strings.Contains(body, "Hand over Dana Whitfield’s session?") {
			t.Fatalf("confirmation: %d\n%s", resp.StatusCode, body)
		}
		for _, want := range []string{strconv.Itoa(len(r.Checklist)) + " handover tasks are not done", "1 of 2 accounts is not ready", "Northwind", `name="confirm" value="yes"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the confirmation lacks %q", want)
			}
		}
	}
	if got := status(); got != before {
		t.Fatalf("asking for the confirmation handed over: %s", got)
	}

	var state handoverJSON
	resp := f.e.do(http.MethodGet, "/api/v1"+base, nil, owner)
	if err := json.NewDecoder(resp.Body).Decode(&state); err != nil || state.OpenTasks != len(r.Checklist) || len(state.NotReady) == 0 || state.UndoUntil != nil {
		t.Fatalf("API state before: %v %+v", err, state)
	}

	resp = f.e.postForm(base, url.Values{"confirm": {"yes"}}, nil, owner)
	if resp.StatusCode != 303 || status() != "handed_over" {
		t.Fatalf("handover: %d, status %s", resp.StatusCode, status())
	}
	if r := f.e.do(http.MethodGet, "/api/v1/interview", nil, withBearer(f.invite)); r.StatusCode < 400 {
		t.Fatalf("the CSM's link works after the handover: %d", r.StatusCode)
	}
	page := readBody(t, f.e.do(http.MethodGet, base, nil, owner))
	if !strings.Contains(page, "is handed over") || !strings.Contains(page, base+"/undo") {
		t.Fatal("the handed-over page offers no undo")
	}

	resp = f.e.postForm(base+"/undo", nil, nil, owner)
	if resp.StatusCode != 303 || status() != before {
		t.Fatalf("undo: %d, status %s, want %s", resp.StatusCode, status(), before)
	}
	if r := f.e.do(http.MethodGet, "/api/v1/interview", nil, withBearer(f.invite)); r.StatusCode != 200 {
		t.Fatalf("the CSM's link does not work again after the undo: %d", r.StatusCode)
	}
	if resp := f.e.postForm(base+"/undo", nil, nil, owner); resp.StatusCode != 409 || !strings.Contains(readBody(t, resp), "not handed over") {
		t.Errorf("undoing twice: %d", resp.StatusCode)
	}
	for action, want := range map[string]int{"session.handed_over": 1, "session.handover_undone": 1} {
		if n := f.e.count("audit_log WHERE action = '" + action + "' AND subject = '" + f.iv.ID + "'"); n != want {
			t.Errorf("%d %s in the audit trail", n, action)
		}
	}

	// Over the API, and too late: a day after, the undo is refused and changes nothing.
	if r := f.e.postJSON("/api/v1"+base, `{}`, owner); r.StatusCode != 200 {
		t.Fatalf("API handover: %d", r.StatusCode)
	}
	if _, err := f.e.store.Pool().Exec(ctx, `UPDATE interviews SET handed_over_at = now() - interval '25 hours' WHERE id = $1`, f.iv.ID); err != nil {
		t.Fatal(err)
	}
	resp = f.e.do(http.MethodDelete, "/api/v1"+base, nil, owner)
	if body := readBody(t, resp); resp.StatusCode != 409 || !strings.Contains(body, "undo_window_ended") || status() != "handed_over" {
		t.Fatalf("late undo: %d %s, status %s", resp.StatusCode, body, status())
	}
	if page := readBody(t, f.e.do(http.MethodGet, base, nil, owner)); strings.Contains(page, base+"/undo") || !strings.Contains(page, "can no longer be undone") {
		t.Error("the page offers an undo after the window")
	}
	if _, err := f.e.store.Pool().Exec(ctx, `UPDATE interviews SET handed_over_at = now() - interval '1 hour' WHERE id = $1`, f.iv.ID); err != nil {
		t.Fatal(err)
	}
	resp = f.e.do(http.MethodDelete, "/api/v1"+base, nil, owner)
	if body := readBody(t, resp); resp.StatusCode != 200 || !strings.Contains(body, `"status":"`+before+`"`) {
		t.Fatalf("API undo: %d %s", resp.StatusCode, body)
	}
	// Another manager can neither see nor change it.
	if r := f.e.do(http.MethodDelete, "/api/v1"+base, nil, withBearer(f.tokens["other manager"])); r.StatusCode != 404 {
		t.Errorf("another manager's undo: %d", r.StatusCode)
	}
}

// TestChecklistFormSavesEveryRowAtOnce: without JavaScript one Save stores every row's tick, owner and
// due date; a mistake in any row saves nothing and says which row.
func TestChecklistFormSavesEveryRowAtOnce(t *testing.T) {
	t.Parallel()
	f := newReportFixture(t)
	f.generate(t)
	owner := withBearer(f.tokens["owner"])
	current := func() []report.ChecklistItem {
		_, body := f.get(t, "owner", "/api/v1/interviews/"+f.iv.ID+"/report")
		var r report.Report
		if err := json.Unmarshal([]byte(body), &r); err != nil {
			t.Fatal(err)
		}
		return r.Checklist
	}
	items := current()
	if len(items) < 3 {
		t.Fatalf("%d checklist items", len(items))
	}
	page := readBody(t, f.e.do(http.MethodGet, "/interviews/"+f.iv.ID+"/report", nil, owner))
	if strings.Count(page, ">Save the checklist<") != 1 || strings.Contains(page, `action="/interviews/`+f.iv.ID+`/checklist/`) {
		t.Fatal("the checklist does not have exactly one Save for the whole form")
	}
	form := func(edit func(url.Values)) url.Values {
		v := url.Values{}
		for _, it := range items {
			v.Add("item", it.ID)
			if it.Done {
				v.Set("done_"+it.ID, "on")
			}
			v.Set("due_"+it.ID, it.DueDate)
		}
		edit(v)
		return v
	}
	path := "/interviews/" + f.iv.ID + "/checklist"

	bad := form(func(v url.Values) {
		v.Set("done_"+items[0].ID, "on")
		v.Set("due_"+items[2].ID, "soon")
	})
	resp := f.e.postForm(path, bad, nil, owner)
	if body := readBody(t, resp); resp.StatusCode != 400 || !strings.Contains(body, "Nothing was saved") || !strings.Contains(body, "must be a date") {
		t.Fatalf("a bad row: %d", resp.StatusCode)
	}
	if got := current(); got[0].Done != items[0].Done {
		t.Fatal("a form with a bad row saved the good one")
	}

	good := form(func(v url.Values) {
		v.Set("done_"+items[0].ID, "on")
		v.Set("done_"+items[1].ID, "on")
		v.Set("owner_"+items[2].ID, "lee@example.com")
		v.Set("due_"+items[2].ID, "2026-12-01")
	})
	resp = f.e.postForm(path, good, nil, owner)
	if resp.StatusCode != 303 || !strings.HasSuffix(resp.Header.Get("Location"), "/report?saved=3#checklist") {
		t.Fatalf("save all: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	got := current()
	if !got[0].Done || !got[1].Done || got[2].Owner != "lee@example.com" || got[2].DueDate != "2026-12-01" {
		t.Fatalf("after saving: %+v", got[:3])
	}
	if n := f.e.count("audit_log WHERE action = 'checklist.change'"); n != 3 {
		t.Errorf("%d checklist changes audited, want 3 (the rows that changed)", n)
	}
	if body := readBody(t, f.e.do(http.MethodGet, resp.Header.Get("Location"), nil, owner)); !strings.Contains(body, "The checklist is saved: 3 changes.") {
		t.Error("no word that the checklist was saved")
	}
	// Unticking is a change too: a row whose box is not sent is not done.
	resp = f.e.postForm(path, form(func(v url.Values) { v.Del("done_" + items[0].ID); v.Set("done_"+items[1].ID, "on") }), nil, owner)
	if got := current(); resp.StatusCode != 303 || got[0].Done || !got[1].Done {
		t.Fatalf("untick: %d %v %v", resp.StatusCode, got[0].Done, got[1].Done)
	}
	for name, v := range map[string]url.Values{"no rows": {}, "an unknown row": {"item": {"ck_unknown"}, "done_ck_unknown": {"on"}}} {
		if resp := f.e.postForm(path, v, nil, owner); resp.StatusCode != 400 {
			t.Errorf("%s: %d", name, resp.StatusCode)
		}
	}
}
