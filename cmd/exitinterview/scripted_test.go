package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/llm/llmtest"
)

type nextQuestion struct {
	ID      string   `json:"id"`
	Text    string   `json:"text"`
	Topics  []string `json:"topics"`
	Account *string  `json:"account"`
	Kind    string   `json:"kind"`
}

type csmView struct {
	Next     *nextQuestion `json:"next_question"`
	Done     bool          `json:"done"`
	Coverage struct {
		Percent int `json:"percent"`
		Items   []struct {
			Account *string
			Topic   string
			State   string
		}
	}
}

// scriptedCSM answers every question over the API, reading next_question's topics and account, until
// done, and returns the (account, topic) pairs it was asked about.
func scriptedCSM(t *testing.T, base, invite string) (map[string]bool, csmView) {
	t.Helper()
	code, body := apiCall(t, "GET", base+"/api/v1/interview", invite, "")
	var v csmView
	if err := json.Unmarshal([]byte(body), &v); err != nil || code != 200 {
		t.Fatalf("view: %d %s", code, body)
	}
	asked := map[string]bool{}
	for turn := 0; !v.Done; turn++ {
		if turn > 80 || v.Next == nil {
			t.Fatalf("turn %d: no question and not done", turn)
		}
		account := ""
		if v.Next.Account != nil {
			account = *v.Next.Account
		}
		var parts []string
		for _, topic := range v.Next.Topics {
			asked[account+"/"+topic] = true
			parts = append(parts, fmt.Sprintf("About %s at %s: Priya Shah, the VP of support, is the champion; it renews on 31 January and is likely; "+
				"no open tickets; we keep a weekly report in the shared drive because reporting is slow.", topic, account))
		}
		if len(parts) == 0 {
			parts = []string{"Nothing more to add."}
		}
		content, _ := json.Marshal(strings.Join(parts, " "))
		code, body := apiCall(t, "POST", base+"/api/v1/interview/messages", invite, fmt.Sprintf(`{"content":%s,"client_id":"s-%d"}`, content, turn))
		if code != 201 {
			t.Fatalf("turn %d: %d %s", turn, code, body)
		}
		v = csmView{}
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatal(err)
		}
	}
	return asked, v
}

func TestScriptedCSMOverTheAPIWithBothEngines(t *testing.T) {
	t.Parallel()
	questionTopics := regexp.MustCompile(`topics: ([a-z_, ]+)\.`)
	for _, engine := range []string{"offline", "model"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			var env []string
			if engine == "model" {
				fake := llmtest.New(t)
				var n atomic.Int32
				fake.Respond = func(r llmtest.Request) llmtest.Reply {
					assessment := []map[string]string{}
					if m := questionTopics.FindStringSubmatch(r.LastUserMessage()); m != nil && strings.Contains(r.LastUserMessage(), "<answer>") {
						for _, topic := range strings.Split(m[1], ", ") {
							assessment = append(assessment, map[string]string{"topic": topic, "state": "covered"})
						}
					}
					b, _ := json.Marshal(map[string]any{"assessment": assessment, "follow_up_topic": nil,
						"question": fmt.Sprintf("Question %d from the model?", n.Add(1))})
					return llmtest.Reply{Content: string(b)}
				}
				env = []string{"OPENAI_BASE_URL=" + fake.URL, "OPENAI_API_KEY=test", "EXITINTERVIEW_MODEL_TIMEOUT=10s"}
			}
			dbURL := emptyDatabase(t)
			if r := runCmd(t, dbURL, "a long enough password\n", "users", "create", "--email", "m@example.com", "--name", "M", "--role", "manager", "--password-stdin"); r.code != 0 {
				t.Fatal(r.stderr)
			}
			manager := strings.TrimSpace(runCmd(t, dbURL, "", "tokens", "create", "--email", "m@example.com").stdout)
			s := startServer(t, dbURL, env...)
			defer s.stop(t)
			code, body := apiCall(t, "POST", s.url+"/api/v1/interviews", manager, fmt.Sprintf(`{"csm":{"name":"Dana"},"departure_date":%q,`+
				`"accounts":[{"name":"Acme","arr":240000},{"name":"Globex","arr":90000,"renewal_date":"2027-02-01"},{"name":"Initech","arr":20000}]}`,
				time.Now().AddDate(0, 1, 0).Format("2006-01-02")))
			var created struct {
				InviteToken string `json:"invite_token"`
			}
			if err := json.Unmarshal([]byte(body), &created); err != nil || code != 201 {
				t.Fatalf("create: %d %s", code, body)
			}
			asked, v := scriptedCSM(t, s.url, created.InviteToken)
			if len(v.Coverage.Items) != 3*9+6 {
				t.Fatalf("%d coverage items", len(v.Coverage.Items))
			}
			for _, item := range v.Coverage.Items {
				account := ""
				if item.Account != nil {
					account = *item.Account
				}
				if !asked[account+"/"+item.Topic] {
					t.Errorf("never asked about %s of %q", item.Topic, account)
				}
			}
			if !v.Done || v.Next != nil {
				t.Fatalf("done %v", v.Done)
			}
		})
	}
}
