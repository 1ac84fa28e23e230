package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/llm/llmtest"
)

func apiCall(t *testing.T, method, u, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := noRedirect.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestKillingTheServerMidTurnLosesNothing kills the server (SIGKILL) while it waits on the model for the
// reply to a CSM's answer. After a restart the answer is in the transcript and the reply is produced.
func TestKillingTheServerMidTurnLosesNothing(t *testing.T) {
	t.Parallel()
	fake := llmtest.New(t)
	fake.Enqueue(llmtest.Reply{Content: `{"assessment":[],"follow_up_topic":null,"question":"What does Acme use us for?"}`})
	fake.Respond = func(llmtest.Request) llmtest.Reply { return llmtest.Reply{Delay: time.Minute} }
	dbURL := emptyDatabase(t)
	model := []string{"OPENAI_BASE_URL=" + fake.URL, "OPENAI_API_KEY=test", "EXITINTERVIEW_MODEL_TIMEOUT=2m"}

	if r := runCmd(t, dbURL, "a long enough password\n", "users", "create", "--email", "m@example.com", "--name", "M", "--role", "manager", "--password-stdin"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	manager := strings.TrimSpace(runCmd(t, dbURL, "", "tokens", "create", "--email", "m@example.com").stdout)
	s := startServer(t, dbURL, model...)
	code, body := apiCall(t, "POST", s.url+"/api/v1/interviews", manager,
		fmt.Sprintf(`{"csm":{"name":"Dana"},"departure_date":%q,"accounts":[{"name":"Acme"}]}`, time.Now().AddDate(0, 1, 0).Format("2006-01-02")))
	var created struct {
		InviteToken string `json:"invite_token"`
	}
	if err := json.Unmarshal([]byte(body), &created); err != nil || code != 201 {
		t.Fatalf("create: %d %s", code, body)
	}
	if code, body := apiCall(t, "GET", s.url+"/api/v1/interview", created.InviteToken, ""); code != 200 || !strings.Contains(body, "What does Acme use us for?") {
		t.Fatalf("first question: %d %s", code, body)
	}

	answer := "Acme routes support tickets for 140 agents; Priya Shah is the champion."
	go apiCall(t, "POST", s.url+"/api/v1/interview/messages", created.InviteToken, `{"content":"`+answer+`","client_id":"before-crash"}`)
	// The model is asked only after the answer was committed: once it is asked, kill the server.
	deadline := time.Now().Add(30 * time.Second)
	for len(fake.Requests()) < 2 {
		if time.Now().After(deadline) {
			t.Fatal("the model was never asked for the reply")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := s.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-s.done

	s = startServer(t, dbURL) // offline this time
	code, body = apiCall(t, "GET", s.url+"/api/v1/interview", created.InviteToken, "")
	var view struct {
		Messages []struct{ Role, Content string }
		Next     *struct{ Text string } `json:"next_question"`
	}
	if err := json.Unmarshal([]byte(body), &view); err != nil || code != 200 {
		t.Fatalf("after restart: %d %s", code, body)
	}
	found := false
	for _, m := range view.Messages {
		found = found || (m.Role == "csm" && m.Content == answer)
	}
	if !found || view.Next == nil || view.Messages[len(view.Messages)-1].Role != "interviewer" {
		t.Fatalf("after restart the answer is stored: %v, and a question follows it: %v\n%s", found, view.Next != nil, body)
	}
	// Resending the same answer (the browser's retry) stores nothing twice.
	code, _ = apiCall(t, "POST", s.url+"/api/v1/interview/messages", created.InviteToken, `{"content":"`+answer+`","client_id":"before-crash"}`)
	_, body = apiCall(t, "GET", s.url+"/api/v1/interview", created.InviteToken, "")
	if code != 201 || strings.Count(body, answer) != 1 {
		t.Fatalf("resend after restart: %d, answer stored %d times", code, strings.Count(body, answer))
	}
	s.stop(t)
}
