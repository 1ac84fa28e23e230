package web

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/exitinterview/exitinterview/store"
)

// chatGeometry is where the open question and what is around it sit in the window.
type chatGeometry struct {
	Current, Resume, Composer, Done rect
	Height                          float64
	Jump                            bool // the "Jump to the current question" link shows
	ResumeText                      string
}

type rect struct {
	Top, Bottom float64
	Found       bool
}

const chatGeometryJS = `(() => {
  const at = (el) => el && !el.hidden && el.getClientRects().length ? {top: el.getBoundingClientRect().top, bottom: el.getBoundingClientRect().bottom, found: true} : {top: 0, bottom: 0, found: false};
  const f = document.getElementById("composer");
  return {current: at(document.getElementById("current")), resume: at(document.getElementById("resume")), composer: at(f),
    done: at(document.getElementById("done")), height: window.innerHeight,
    jump: !document.getElementById("jump").parentElement.hidden, resumeText: document.getElementById("resume")?.textContent || ""};
})()`

func geometry(t *testing.T, ctx context.Context) chatGeometry {
	t.Helper()
	return run(t, ctx, chromedp.Evaluate[chatGeometry](chatGeometryJS))
}

// clear says whether the open question is in the window, whole, and not under the composer.
func (g chatGeometry) clear() bool {
	return g.Current.Found && g.Current.Top >= 0 && g.Current.Bottom <= g.Composer.Top && g.Current.Bottom <= g.Height
}

// viewportShot keeps what the window shows (not the whole page) when EXITINTERVIEW_SCREENSHOTS names a
// folder: what the CSM sees when the page opens.
func viewportShot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("EXITINTERVIEW_SCREENSHOTS")
	if dir == "" {
		return
	}
	must(t, os.WriteFile(dir+"/"+name+".png", run(t, ctx, chromedp.CaptureScreenshot()), 0o644))
}

// TestBrowserChatResumesAtTheCurrentQuestion: a CSM with 36 and more messages behind them comes back
// and the chat opens at the open question, with where they left off above it and the composer below it,
// at 1280 and 390 px; scrolled away, a link brings them back; an answer with a password is stored
// without it and the interviewer says so; new messages never end under the composer; at the end the
// closing card points to the review.
func TestBrowserChatResumesAtTheCurrentQuestion(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	e.user(store.RoleManager, "maria@example.com")
	c := e.createSession(e.token("maria@example.com"))
	csm := withBearer(c.InviteToken)
	ctx := browser(t)

	// The first visit opens at the introduction.
	must(t, chromedp.Do(ctx, chromedp.Navigate(e.ts.URL+"/i/"+c.InviteToken), chromedp.Click(`button[type="submit"]`),
		chromedp.WaitVisible(`#chat[data-ready="true"] #answer`)))
	if g, y := geometry(t, ctx), run(t, ctx, chromedp.Evaluate[float64](`window.scrollY`)); g.Resume.Found || y != 0 {
		t.Fatalf("the first visit does not open at the top: scrolled %v, %+v", y, g)
	}
	checkLayout(t, ctx, "chat-start")

	// Many answers later (given over the API)...
	answers := []string{
		"They route support tickets for 140 agents across three regions; adoption is good and they track CSAT weekly.",
		"Priya Shah, the VP of support, is the champion; Marco Rossi, the CFO, signs. Slack for Priya, e-mail for Marco.",
		"Renewal is likely; the blocker is a price increase they have not agreed to yet.",
		"Nothing more to add on that.",
	}
	v := decodeInto[csmInterviewJSON](t, e.do(http.MethodGet, "/api/v1/interview", nil, csm))
	for i := 0; len(v.Messages) < 38; i++ {
		if i > 60 || v.NextQuestion == nil {
			t.Fatalf("the interview ended after %d messages", len(v.Messages))
		}
		body := fmt.Sprintf(`{"content":%q,"client_id":"a-%d","question_id":%q}`, answers[i%len(answers)], i, v.NextQuestion.ID)
		if r := e.postJSON("/api/v1/interview/messages", body, csm); r.StatusCode != 201 {
			t.Fatalf("answer %d: %d %s", i, r.StatusCode, readBody(t, r))
		}
		v = decodeInto[csmInterviewJSON](t, e.do(http.MethodGet, "/api/v1/interview", nil, csm))
	}
	// ... the invite link brings the CSM back to the open question, at each width.
	must(t, chromedp.Do(ctx, chromedp.Navigate(e.ts.URL+"/i/"+c.InviteToken), chromedp.Click(`button[type="submit"]`),
		chromedp.WaitVisible(`#chat[data-ready="true"] #answer`)))
	for _, w := range layoutWidths {
		must(t, chromedp.Do(ctx, chromedp.EmulateViewport(w, 844), chromedp.Reload(), chromedp.WaitVisible(`#chat[data-ready="true"] #answer`)))
		g := geometry(t, ctx)
		if !g.clear() || !g.Resume.Found || g.Resume.Top < 0 || g.Jump || !strings.HasPrefix(g.ResumeText, "Welcome back — you left off at ") {
			t.Errorf("at %d px the resumed chat does not open at the open question: %+v", w, g)
		}
		viewportShot(t, ctx, fmt.Sprintf("chat-resumed-window-%d", w))
	}
	if cur := run(t, ctx, chromedp.Evaluate[string](`document.getElementById("current").dataset.id`)); cur != v.NextQuestion.ID {
		t.Fatalf("the page marks %s as the open question, not %s", cur, v.NextQuestion.ID)
	}
	checkLayout(t, ctx, "chat-resumed")

	// Scrolled up to the start, the link shows and brings the question back.
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible(`#chat[data-ready="true"] #answer`)))
	run(t, ctx, chromedp.Evaluate[bool](`window.scrollTo(0, 0); true`))
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`!document.getElementById("jump").parentElement.hidden`, chromedp.WithPollingTimeout(5*time.Second)))
	must(t, err)
	must(t, chromedp.Do(ctx, chromedp.Click("#jump")))
	if g := geometry(t, ctx); !g.clear() || g.Jump {
		t.Fatalf("after the link the open question is not in view: %+v", g)
	}
	if focused := run(t, ctx, chromedp.Evaluate[string](`document.activeElement.id`)); focused != "current" {
		t.Errorf("after the link the focus is on %q", focused)
	}

	// An answer typed here: the password is kept out and the interviewer says so; the next question
	// arrives clear of the composer.
	before := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(".msg-interviewer").length`))
	must(t, chromedp.Do(ctx, chromedp.SendKeys("#answer", "Their Salesforce admin password is Winter2024! and only I know it."), chromedp.KeyEvent("\r")))
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(`document.querySelectorAll(".msg-interviewer:not(.msg-streaming)").length > %d && !document.querySelector(".msg-pending")`, before),
		chromedp.WithPollingTimeout(20*time.Second)))
	must(t, err)
	note := run(t, ctx, chromedp.Evaluate[string](`(() => { const n = document.querySelector(".msg-note"); return n ? n.previousElementSibling.textContent + " | " + n.textContent : ""; })()`))
	if !strings.Contains(note, "[REDACTED password]") || strings.Contains(note, "Winter2024") ||
		!strings.Contains(note, "I kept the Salesforce password out of the notes — please move it to the vault.") {
		t.Errorf("the answer and the interviewer's note: %q", note)
	}
	if last := run(t, ctx, chromedp.Evaluate[bool](`document.getElementById("current") === [...document.querySelectorAll(".msg-interviewer")].pop()`)); !last {
		t.Error("the new question is not marked as the open one")
	}
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`(`+chatGeometryJS+`).current.bottom <= (`+chatGeometryJS+`).composer.top`, chromedp.WithPollingTimeout(5*time.Second)))
	if err != nil {
		t.Errorf("the new question ends under the composer: %+v", geometry(t, ctx))
	}
	screenshots(t, ctx, "chat-after-answer", "")
	checkLayout(t, ctx, "chat-after-answer")

	// At the end: the closing card, in view, pointing to the review.
	if r := e.do(http.MethodPost, "/api/v1/interview/finish", nil, csm); r.StatusCode != 200 {
		t.Fatalf("finish: %d", r.StatusCode)
	}
	for _, w := range layoutWidths {
		must(t, chromedp.Do(ctx, chromedp.EmulateViewport(w, 844), chromedp.Reload(), chromedp.WaitVisible(`#chat[data-ready="true"] #done`)))
		if g := geometry(t, ctx); !g.Done.Found || g.Done.Top < 0 || g.Done.Bottom > g.Height || g.Current.Found || g.Resume.Found {
			t.Errorf("at %d px the finished chat does not open at the closing card: %+v", w, g)
		}
		viewportShot(t, ctx, fmt.Sprintf("chat-end-window-%d", w))
	}
	if href := run(t, ctx, chromedp.Evaluate[string](`document.querySelector("#done a.button")?.getAttribute("href") || ""`)); href != "/interview/review" {
		t.Errorf("the closing card's link: %q", href)
	}
	checkLayout(t, ctx, "chat-end")
}
