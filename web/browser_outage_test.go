package web

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/exitinterview/exitinterview/store"
)

// TestBrowserChatReconnectsAfterADatabaseOutage: the CSM sends an answer while the database is out of
// reach; the chat says it is reconnecting and keeps the answer, and once the database is back the answer
// goes through (stored once), the next question comes and the notice goes.
func TestBrowserChatReconnectsAfterADatabaseOutage(t *testing.T) {
	t.Parallel()
	e, proxy := outageEnv(t)
	e.user(store.RoleManager, "maria@example.com")
	c := e.createSession(e.token("maria@example.com"))
	ctx := browser(t)
	must(t, chromedp.Do(ctx,
		chromedp.Navigate(e.ts.URL+"/i/"+c.InviteToken),
		chromedp.Click(`button[type="submit"]`),
		chromedp.WaitVisible(`#chat[data-ready="true"] #answer`),
	))
	before := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(".msg-interviewer").length`))

	proxy.Cut()
	const answer = "Stark routes support tickets for 140 agents; Priya Shah is the champion."
	must(t, chromedp.Do(ctx, chromedp.SendKeys("#answer", answer), chromedp.KeyEvent("\r")))
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`!document.getElementById("reconnecting").hidden && document.querySelector(".msg-pending") !== null`,
		chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		t.Fatalf("the chat did not say it is reconnecting: %v", err)
	}

	proxy.restore()
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("reconnecting").hidden && !document.querySelector(".msg-pending") && `+
		`document.querySelectorAll(".msg-interviewer:not(.msg-streaming)").length > `+strconv.Itoa(before), chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		t.Fatalf("the answer did not go through once the database was back: %v", err)
	}
	msgs, err := e.store.Messages(context.Background(), c.ID)
	must(t, err)
	stored := 0
	for _, m := range msgs {
		if m.Role == "csm" && strings.TrimSpace(m.Content) == answer {
			stored++
		}
	}
	if stored != 1 || msgs[len(msgs)-1].Role != "interviewer" {
		t.Fatalf("the answer is stored %d times; the last message is the %s's", stored, msgs[len(msgs)-1].Role)
	}
}
