package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/llm/llmtest"
)

// scriptedSecret is a password the scripted CSM mentions once: it must not reach chunks, findings,
// search, ask or a model.
const scriptedSecret = "Winter2024!"

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
		if turn == 0 {
			parts = append(parts, "The admin password for Acme's Salesforce is "+scriptedSecret+" and only I have it.")
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

var firstAnswer = regexp.MustCompile(`<answer n="(\d+)"`)

// modelSummary is the executive summary the fake model writes.
const modelSummary = "Priya Shah champions every account, and the weekly report lives in the shared drive."

var championQuote = regexp.MustCompile(`Priya Shah, the VP of support, is the champion`)

// checkCaptured waits until every answer of the finished interview is captured (chunks, findings and,
// with a model, the model's vectors), then checks that search and ask find a passage by a plain
// question and that the CSM's password is nowhere in the knowledge.
func checkCaptured(t *testing.T, dbURL, base, token string, model bool) {
	t.Helper()
	ctx := context.Background()
	db, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	count := func(sql string) int {
		var n int
		if err := db.QueryRow(ctx, sql).Scan(&n); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n
	}
	// An answer that says nothing ("no") is captured without a chunk: what says it was captured is its mark.
	const uncaptured = `SELECT count(*) FROM messages m WHERE m.role = 'csm' AND m.kind = 'answer' AND m.captured_at IS NULL`
	const unembedded = `SELECT count(*) FROM chunks c WHERE NOT EXISTS (SELECT 1 FROM chunk_embeddings e WHERE e.chunk_id = c.id)`
	// With a model, the offline embedder's record is retired and the configured model's is ready.
	oldModels := `SELECT 0`
	if model {
		oldModels = `SELECT count(*) FROM embedding_models WHERE NOT (model = 'text-embedding-3-small' AND state = 'ready')`
	}
	began := time.Now()
	for count(uncaptured)+count(unembedded)+count(oldModels) > 0 {
		// Two minutes: under a loaded CI machine a failed re-embedding slice is retried after River's backoff.
		if time.Since(began) > 2*time.Minute {
			var jobs string
			_ = db.QueryRow(ctx, `SELECT coalesce(string_agg(kind || ' ' || state || ' ' || attempt || ' ' || coalesce(errors::text, ''), '; '), '')
FROM river_job WHERE kind = 'reembed'`).Scan(&jobs)
			t.Fatalf("after two minutes %d answers are not captured, %d chunks have no vector and %d embedding models are not retired; re-embedding jobs: %s",
				count(uncaptured), count(unembedded), count(oldModels), jobs)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("every answer captured %.1f s after the interview ended", time.Since(began).Seconds())
	if n := count(`SELECT count(*) FROM findings WHERE type = 'stakeholder' AND fields->>'name' = 'Priya Shah'`); n == 0 {
		t.Error("no stakeholder finding for Priya Shah")
	}
	if n := count(`SELECT count(*) FROM findings WHERE type = 'credential_mentioned'`); n != 1 {
		t.Errorf("%d credential_mentioned findings; want 1", n)
	}
	secret := strings.TrimSuffix(scriptedSecret, "!")
	if n := count(`SELECT (SELECT count(*) FROM messages WHERE content LIKE '%` + secret + `%')
  + (SELECT count(*) FROM chunks WHERE text LIKE '%` + secret + `%' OR context LIKE '%` + secret + `%')
  + (SELECT count(*) FROM findings WHERE text LIKE '%` + secret + `%' OR fields::text LIKE '%` + secret + `%')`); n != 0 {
		t.Errorf("the password is stored in %d messages, chunks or findings", n)
	}
	if model {
		var models []string
		rows, _ := db.Query(ctx, `SELECT model || ' ' || state FROM embedding_models ORDER BY model`)
		if models, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil || !slices.Equal(models, []string{"text-embedding-3-small ready"}) {
			t.Errorf("embedding models %v, %v; want only the configured one, ready", models, err)
		}
	}

	code, body := apiCall(t, "GET", base+"/api/v1/search?q="+url.QueryEscape("where is the weekly report kept"), token, "")
	var found struct {
		Results []struct{ Text string }
	}
	if err := json.Unmarshal([]byte(body), &found); err != nil || code != 200 || len(found.Results) == 0 || !strings.Contains(found.Results[0].Text, "shared drive") {
		t.Fatalf("search: %d %s", code, body)
	}
	code, body = apiCall(t, "GET", base+"/api/v1/search?q="+url.QueryEscape("Salesforce admin password"), token, "")
	if code != 200 || strings.Contains(body, secret) || !strings.Contains(body, "[REDACTED password]") {
		t.Fatalf("search for the password: %d %s", code, body)
	}
	code, body = apiCall(t, "POST", base+"/api/v1/ask", token, `{"question":"where is the weekly report kept?"}`)
	var answer struct {
		Answer    string
		Grounded  bool
		Citations []struct{ Text string }
	}
	if err := json.Unmarshal([]byte(body), &answer); err != nil || code != 200 || !answer.Grounded || len(answer.Citations) == 0 ||
		!strings.Contains(answer.Answer, "shared drive") {
		t.Fatalf("ask: %d %s", code, body)
	}
}

// checkReport waits for the report the interview's end requested; with a model its executive summary is
// the model's, in the JSON and the PDF.
func checkReport(t *testing.T, base, token, id string, model bool) {
	t.Helper()
	var rep struct {
		Status, Engine, Summary string
	}
	for began := time.Now(); rep.Status != "ready"; time.Sleep(100 * time.Millisecond) {
		if time.Since(began) > time.Minute {
			t.Fatalf("no report a minute after the interview: %+v", rep)
		}
		_, body := apiCall(t, "GET", base+"/api/v1/interviews/"+id+"/report", token, "")
		if err := json.Unmarshal([]byte(body), &rep); err != nil {
			t.Fatal(err)
		}
	}
	wantEngine, wantSummary := "offline", "leaves on"
	if model {
		wantEngine, wantSummary = "gpt-4o-mini", modelSummary
	}
	if rep.Engine != wantEngine || !strings.Contains(rep.Summary, wantSummary) {
		t.Fatalf("report engine %q, summary %q", rep.Engine, rep.Summary)
	}
	_, pdf := apiCall(t, "GET", base+"/api/v1/interviews/"+id+"/report.pdf", token, "")
	if text := strings.Join(strings.Fields(pdfText(t, []byte(pdf))), " "); !strings.Contains(text, wantSummary) {
		t.Fatalf("the PDF lacks the summary %q", wantSummary)
	}
}

func TestScriptedCSMOverTheAPIWithBothEngines(t *testing.T) {
	t.Parallel()
	questionTopics := regexp.MustCompile(`topics: ([a-z_, ]+)\.`)
	for _, engine := range []string{"offline", "model"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			var env []string
			var requests func() []llmtest.Request
			if engine == "model" {
				fake := llmtest.New(t)
				var n atomic.Int32
				offline := embed.NewOffline()
				fake.Respond = func(r llmtest.Request) llmtest.Reply {
					if r.Embed != nil { // the embeddings model: the offline embedder's vectors under another name
						var vecs [][]float32
						for _, in := range r.Inputs() {
							vecs = append(vecs, offline.Vector(in))
						}
						return llmtest.Reply{Embeddings: vecs}
					}
					switch r.SchemaName() {
					case "findings": // extraction: the champion, quoted from the answer
						findings := []any{}
						if quote := championQuote.FindString(html.UnescapeString(r.LastUserMessage())); quote != "" {
							findings = append(findings, map[string]any{"type": "stakeholder", "quote": quote,
								"fields": []map[string]string{{"name": "name", "value": "Priya Shah"}, {"name": "relationship", "value": "champion"}}})
						}
						b, _ := json.Marshal(map[string]any{"findings": findings})
						return llmtest.Reply{Content: string(b)}
					case "grounded_answer":
						b, _ := json.Marshal(map[string]any{"grounded": true, "answer": "The weekly report is kept in the shared drive [1].", "citations": []int{1}})
						return llmtest.Reply{Content: string(b)}
					case "report_prose": // the executive summary, citing the first answer
						first := 0
						if m := firstAnswer.FindStringSubmatch(r.LastUserMessage()); m != nil {
							first, _ = strconv.Atoi(m[1])
						}
						b, _ := json.Marshal(map[string]any{"summary": map[string]any{"text": modelSummary, "message_numbers": []int{first}},
							"accounts": []any{}, "playbooks": []any{}})
						return llmtest.Reply{Content: string(b)}
					}
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
				env = []string{"OPENAI_BASE_URL=" + fake.URL, "OPENAI_API_KEY=test", "EXITINTERVIEW_MODEL_TIMEOUT=10s",
					"EXITINTERVIEW_EMBED_MODEL=text-embedding-3-small"}
				requests = fake.Requests
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
				ID          string `json:"id"`
				InviteToken string `json:"invite_token"`
			}
			if err := json.Unmarshal([]byte(body), &created); err != nil || code != 201 {
				t.Fatalf("create: %d %s", code, body)
			}
			asked, v := scriptedCSM(t, s.url, created.InviteToken)
			// Three accounts of fourteen topics each (the success plan, implementation, history, documents
			// and advocacy among them), and six portfolio topics.
			if len(v.Coverage.Items) != 3*14+6 {
				t.Fatalf("%d coverage items", len(v.Coverage.Items))
			}
			for _, item := range v.Coverage.Items {
				account := ""
				if item.Account != nil {
					account = *item.Account
				}
				// A pair an earlier answer covered (every answer here gives the renewal and the open
				// tickets) is not asked again.
				if !asked[account+"/"+item.Topic] && item.State != "covered" {
					t.Errorf("never asked about %s of %q, and it is %s", item.Topic, account, item.State)
				}
			}
			if !v.Done || v.Next != nil {
				t.Fatalf("done %v", v.Done)
			}
			checkCaptured(t, dbURL, s.url, manager, engine == "model")
			checkReport(t, s.url, manager, created.ID, engine == "model")
			if requests != nil {
				embedded := false
				for _, r := range requests() {
					body, _ := json.Marshal(r)
					if strings.Contains(string(body), strings.TrimSuffix(scriptedSecret, "!")) {
						t.Fatalf("a model request carries the CSM's password: %s", body)
					}
					embedded = embedded || slices.Contains(r.Inputs(), "where is the weekly report kept")
				}
				if !embedded {
					t.Error("the search query was not embedded by the configured embeddings model")
				}
			}
		})
	}
}
