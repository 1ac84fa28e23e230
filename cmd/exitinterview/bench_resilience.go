package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sashabaranov/go-openai"

	"github.com/exitinterview/exitinterview/auth"
	"github.com/exitinterview/exitinterview/config"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/llm"
	"github.com/exitinterview/exitinterview/outage"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/web"
)

// benchResilience measures what a failing model endpoint and a database outage cost, with the configured
// model timeout, turn budget and breaker (defaults unless set): one streamed turn against each misbehaviour
// of a fake endpoint on loopback, a turn once the breaker has opened, then the statuses clients get while
// the database is out of reach for downFor (the bench cuts a proxy in front of it) and how soon the same
// server answers once it is back.
func benchResilience(ctx context.Context, out io.Writer, cfg config.Config, downFor time.Duration) error {
	cfg.LogFormat, cfg.LogLevel = "text", slog.LevelError
	log := newLogger(cfg, io.Discard)
	scratch, drop, err := scratchDatabase(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer drop()
	cfg.DatabaseURL = scratch

	fake := &fakeModel{}
	fakeURL, stopFake, err := fake.start()
	if err != nil {
		return err
	}
	defer stopFake()
	cfg.Model = config.ModelConfig{BaseURL: fakeURL, APIKey: "bench", ChatModel: "bench-model", EmbedModel: config.OfflineEmbedder,
		Timeout: cfg.Model.Timeout, TurnBudget: cfg.Model.TurnBudget, BreakerFailures: cfg.Model.BreakerFailures,
		BreakerCooldown: cfg.Model.BreakerCooldown}
	fmt.Fprintf(out, "model_timeout_s %.0f\nmodel_turn_budget_s %.0f\nmodel_breaker_failures %d\n",
		cfg.Model.Timeout.Seconds(), cfg.Model.TurnBudget.Seconds(), cfg.Model.BreakerFailures)

	svc, err := openServices(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer svc.Close()
	manager, err := svc.auth.CreateUser(ctx, auth.NewUserInput{Email: "bench@example.com", Name: "Bench Manager", Role: store.RoleManager}, "", auth.Client{})
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: 5 * time.Minute}

	// Each misbehaviour meets a fresh client (a closed breaker) and a fresh interview whose first
	// question the model asked well.
	for _, mode := range []string{"hang", "drip", "429", "500", "malformed", "cut", "held"} {
		base, stop, ivs, llmClient, err := benchModelServer(ctx, cfg, svc, log)
		if err != nil {
			return err
		}
		tok, err := benchInterview(ctx, ivs, manager.ID, client, base, fake)
		if err != nil {
			stop()
			return err
		}
		fake.mode.Store(mode)
		d, last, err := benchStreamedTurn(client, base, tok, "r-"+mode)
		if err != nil {
			stop()
			return err
		}
		fmt.Fprintf(out, "model_%s_turn_s %.2f\nmodel_%s_turn_ends_with %s\n", mode, d.Seconds(), mode, last)
		if mode == "429" || mode == "500" {
			// The endpoint's Retry-After, or the failures of that turn, opened the breaker: the next turn
			// does not ask the model.
			state := llmClient.Breaker().State()
			before := fake.requests.Load()
			d, last, err := benchStreamedTurn(client, base, tok, "r-next")
			if err != nil {
				stop()
				return err
			}
			fmt.Fprintf(out, "model_%s_breaker_after_turn %s\nmodel_%s_next_turn_ms %.1f\nmodel_%s_next_turn_ends_with %s\nmodel_%s_next_turn_model_requests %d\n",
				mode, state, mode, float64(d.Microseconds())/1000, mode, last, mode, fake.requests.Load()-before)
		}
		stop()
	}
	return benchOutage(ctx, out, cfg, log, downFor)
}

// benchModelServer starts the HTTP server with an interview service of its own model client.
func benchModelServer(ctx context.Context, cfg config.Config, svc *services, log *slog.Logger) (string, func(), *interview.Service, *llm.Client, error) {
	client := llm.New(llm.Config{BaseURL: cfg.Model.BaseURL, APIKey: cfg.Model.APIKey, ChatModel: cfg.Model.ChatModel,
		Timeout: cfg.Model.Timeout, BreakerFailures: cfg.Model.BreakerFailures, BreakerCooldown: cfg.Model.BreakerCooldown, Log: log})
	ivs, err := newInterviews(cfg, client, svc.store, log)
	if err != nil {
		return "", nil, nil, nil, err
	}
	base, stop, err := serveLoopback(ctx, web.Deps{Config: cfg, Store: svc.store, Auth: svc.auth, Interviews: ivs, Search: svc.search,
		Embedder: svc.embedder, Log: log})
	if err != nil {
		return "", nil, nil, nil, err
	}
	return base, stop, ivs, client, nil
}

func benchInterview(ctx context.Context, ivs *interview.Service, managerID string, client *http.Client, base string, fake *fakeModel) (string, error) {
	fake.mode.Store("ok")
	c, err := ivs.Create(ctx, managerID, interview.CreateInput{CSMName: "Dana", DepartureDate: time.Now().AddDate(0, 1, 0).Format(time.DateOnly),
		Accounts: benchAccounts()})
	if err != nil {
		return "", err
	}
	return c.InviteToken, benchCall(client, http.MethodGet, base+"/api/v1/interview", c.InviteToken, nil)
}

// benchStreamedTurn sends one answer as the chat does and returns how long the turn took and its last
// event (question, or error).
func benchStreamedTurn(client *http.Client, base, token, clientID string) (time.Duration, string, error) {
	body := `{"content":"Priya Shah is the champion and runs support operations; Marco Rossi, the CFO, signs.","client_id":"` + clientID + `"}`
	req, err := http.NewRequest(http.MethodPost, base+"/api/v1/interview/messages", strings.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	began := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return time.Since(began), fmt.Sprintf("status_%d", resp.StatusCode), nil
	}
	last := "nothing"
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
			last = name
		}
	}
	return time.Since(began), last, nil
}

// fakeModel is an OpenAI-compatible endpoint that answers well ("ok") or misbehaves as mode says.
type fakeModel struct {
	mode     atomic.Value // string
	requests atomic.Int64
}

const fakeTurn = `{"assessment":[],"follow_up_topic":null,"question":"What does this account use us for, and who depends on it?"}`

func (f *fakeModel) start() (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(f.serve), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String() + "/v1", func() { _ = srv.Close() }, nil
}

func (f *fakeModel) serve(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	var req openai.ChatCompletionRequest
	_ = json.NewDecoder(r.Body).Decode(&req)
	mode, _ := f.mode.Load().(string)
	completion, _ := json.Marshal(openai.ChatCompletionResponse{ID: "bench", Object: "chat.completion", Model: req.Model,
		Choices: []openai.ChatCompletionChoice{{Message: openai.ChatCompletionMessage{Role: "assistant", Content: fakeTurn}, FinishReason: "stop"}}})
	flush := func() { _ = http.NewResponseController(w).Flush() }
	chunk := func(content string, finish openai.FinishReason) {
		b, _ := json.Marshal(openai.ChatCompletionStreamResponse{ID: "bench", Object: "chat.completion.chunk", Model: req.Model,
			Choices: []openai.ChatCompletionStreamChoice{{Delta: openai.ChatCompletionStreamChoiceDelta{Content: content}, FinishReason: finish}}})
		fmt.Fprintf(w, "data: %s\n\n", b)
		flush()
	}
	apiError := func(status int) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"error":{"message":"%s","type":"server_error","code":null}}`, http.StatusText(status))
	}
	switch mode {
	case "hang":
		<-r.Context().Done()
	case "429":
		w.Header().Set("Retry-After", "20")
		apiError(http.StatusTooManyRequests)
	case "500":
		apiError(http.StatusInternalServerError)
	case "malformed":
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(completion[:len(completion)/2])
		_, _ = w.Write([]byte(`"}}`))
	case "drip", "held":
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		for i := range completion {
			if mode == "held" && i == len(completion)/2 {
				<-r.Context().Done()
				return
			}
			_, _ = w.Write(completion[i : i+1])
			flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(500 * time.Millisecond):
			}
		}
	case "cut":
		if !req.Stream {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(completion[:len(completion)/2])
		} else {
			w.Header().Set("Content-Type", "text/event-stream")
			for _, c := range []string{`{"assessment":[],`, `"follow_up_topic":null,`, `"question":"What does`} {
				chunk(c, "")
			}
		}
		flush()
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			_ = conn.Close()
		}
	default:
		if !req.Stream {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(completion)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		for i := 0; i < len(fakeTurn); i += 8 {
			chunk(fakeTurn[i:min(i+8, len(fakeTurn))], "")
		}
		chunk("", openai.FinishReasonStop)
		fmt.Fprint(w, "data: [DONE]\n\n")
		flush()
	}
}

// benchOutage runs the server on a pool whose connections pass through a proxy, has clients call it all
// along, cuts the proxy for downFor and counts the statuses they got meanwhile, then how soon the same
// server answers once the proxy is back.
func benchOutage(ctx context.Context, out io.Writer, cfg config.Config, log *slog.Logger, downFor time.Duration) error {
	u, err := url.Parse(cfg.DatabaseURL)
	if err != nil {
		return err
	}
	proxy, err := outage.Start(u.Host)
	if err != nil {
		return err
	}
	defer proxy.Cut()
	u.Host = proxy.Addr()
	cfg.DatabaseURL = u.String()
	cfg.Model = config.ModelConfig{}
	svc, err := openServices(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer svc.Close()
	base, stop, err := serveLoopback(ctx, web.Deps{Config: cfg, Store: svc.store, Auth: svc.auth, Interviews: svc.interviews,
		Search: svc.search, Embedder: svc.embedder, Log: log})
	if err != nil {
		return err
	}
	defer stop()
	if _, err := svc.auth.CreateUser(ctx, auth.NewUserInput{Email: "outage@example.com", Name: "Bench", Role: store.RoleManager}, "", auth.Client{}); err != nil {
		return err
	}
	token, _, err := svc.auth.CreateAPIToken(ctx, "outage@example.com", "bench")
	if err != nil {
		return err
	}

	var during atomic.Bool
	var mu sync.Mutex
	statuses := map[int]int{}
	withRetryAfter := 0
	var wg sync.WaitGroup
	quit := make(chan struct{})
	client := &http.Client{Timeout: time.Minute}
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-quit:
					return
				case <-time.After(20 * time.Millisecond):
				}
				req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/me", nil)
				req.Header.Set("Authorization", "Bearer "+token)
				began := during.Load()
				resp, err := client.Do(req)
				if err != nil {
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if began && during.Load() { // sent and answered while the database was out of reach
					mu.Lock()
					statuses[resp.StatusCode]++
					if resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != "" {
						withRetryAfter++
					}
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(time.Second)
	during.Store(true)
	proxy.Cut()
	time.Sleep(downFor)
	during.Store(false)
	if err := proxy.Restore(); err != nil {
		return err
	}
	back := time.Now()
	recovered := time.Duration(-1)
	for time.Since(back) < time.Minute {
		if benchCall(client, http.MethodGet, base+"/api/v1/me", token, nil) == nil {
			recovered = time.Since(back)
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(quit)
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	fmt.Fprintf(out, "db_outage_s %.0f\ndb_outage_responses_500 %d\ndb_outage_responses_503 %d\ndb_outage_503_with_retry_after %d\n",
		downFor.Seconds(), statuses[500], statuses[503], withRetryAfter)
	codes := slices.Sorted(maps.Keys(statuses))
	for _, code := range codes {
		if code != 500 && code != 503 {
			fmt.Fprintf(out, "db_outage_responses_%d %d\n", code, statuses[code])
		}
	}
	fmt.Fprintf(out, "db_recovery_ms %.1f\n", float64(recovered.Microseconds())/1000)
	return nil
}
