package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/exitinterview/exitinterview/auth"
	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/config"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/secret"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/web"
)

// serveLoopback runs the real HTTP server of deps on a free loopback port until stop is called, and
// returns its base URL.
func serveLoopback(ctx context.Context, deps web.Deps) (base string, stop func(), err error) {
	srv, err := web.New(deps)
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	serveCtx, cancel := context.WithCancel(ctx)
	go func() { _ = srv.ListenAndServe(serveCtx, ln) }()
	return "http://" + ln.Addr().String(), cancel, nil
}

// runBench prints the performance figures that exist so far, measured on a scratch database
// created on the same server (and dropped afterwards), through the real HTTP server on loopback.
func runBench(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "bench", "bench [--database-url URL] [--interviews N] [--turns N] [--think D] [--chunks N] [--queries N] [--outage D] [--misses] [--duration D] [--keep] [--scratch URL] [--only turns|search|pdf|login|redaction|resilience|fidelity|capture|searchable]")
	interviews := fs.Int("interviews", 50, "interviews answered at once")
	turns := fs.Int("turns", 20, "answers sent per interview")
	chunks := fs.Int("chunks", 100000, "synthetic chunks for the search figures")
	keep := fs.Bool("keep", false, "keep the scratch database (and print its URL) to look at it or measure it again with --scratch")
	reuse := fs.String("scratch", "", "measure on this scratch database, kept by an earlier --keep run, instead of a new one (search reuses its chunks when they are as many as --chunks)")
	queries := fs.Int("queries", 200, "searches measured")
	only := fs.String("only", "", "measure only \"turns\", \"search\", \"pdf\", \"login\", \"redaction\", \"resilience\" (a failing model endpoint, a database outage) \"fidelity\" (how well the personas of the fidelity corpus are understood), \"capture\" (answers captured a second, with --interviews sessions of a persona's answers enqueued at once) or \"searchable\" (how soon an answer is searchable while --interviews sessions each answer about every --think for --duration); the last four are not part of a full run")
	misses := fs.Bool("misses", false, "with --only fidelity: write what each persona's run got wrong to stderr (pairs missed and added, questions already answered, pairs never answered, commitment dates)")
	outage := fs.Duration("outage", 8*time.Second, "how long the database is out of reach in the resilience figures")
	duration := fs.Duration("duration", 30*time.Second, "with --only searchable: how long the sessions answer")
	think := fs.Duration("think", time.Second, "mean time a CSM takes between answers (uniform from half to one and a half times it); 0 measures capacity only")
	config.Flags(fs, "database-url")
	cfg, err := loadConfig(env, fs, args)
	if err != nil {
		return err
	}
	if *only == "" || *only == "pdf" {
		if err := benchPDF(env.stdout); err != nil {
			return err
		}
		if *only == "pdf" {
			return nil
		}
	}
	if *only == "" || *only == "redaction" {
		if err := benchRedaction(env.stdout); err != nil {
			return err
		}
		if *only == "redaction" {
			return nil
		}
	}
	if *only == "resilience" {
		return benchResilience(ctx, env.stdout, cfg, *outage)
	}
	cfg.Model = config.ModelConfig{} // the offline engine is what the performance targets measure
	cfg.LogFormat, cfg.LogLevel = "text", slog.LevelError
	log := newLogger(cfg, env.stderr)

	scratch, drop, err := *reuse, func() {}, error(nil)
	if scratch == "" {
		scratch, drop, err = scratchDatabase(ctx, cfg.DatabaseURL)
	}
	if err != nil {
		return err
	}
	if *keep || *reuse != "" {
		fmt.Fprintf(env.stderr, "bench: the scratch database is kept: %s\n", scratch)
	} else {
		defer drop()
	}
	cfg.DatabaseURL = scratch
	svc, err := openServices(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer svc.Close()

	// As in `serve`: answers enqueue their capture, and workers in the same process run it.
	riverClient, err := svc.river(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	if err := riverClient.Start(ctx); err != nil {
		return err
	}
	defer riverClient.Stop(context.Background()) //nolint:errcheck
	if *only == "search" {
		return benchSearch(ctx, env.stdout, svc, *chunks, *queries)
	}
	if *only == "capture" {
		return benchCapture(ctx, env.stdout, svc, *interviews)
	}
	if *only == "searchable" {
		return benchSearchable(ctx, env.stdout, svc, *interviews, *think, *duration)
	}
	base, stop, err := serveLoopback(ctx, web.Deps{Config: cfg, Store: svc.store, Auth: svc.auth, Interviews: svc.interviews,
		Search: svc.search, Embedder: svc.embedder, Reports: svc.reports, ReportQueue: svc.queue, Log: log})
	if err != nil {
		return err
	}
	defer stop()
	if *only == "fidelity" {
		var why io.Writer
		if *misses {
			why = env.stderr
		}
		return benchFidelity(ctx, env.stdout, why, svc, base)
	}
	if *only == "" || *only == "login" {
		if err := benchLogins(env.stdout, base); err != nil {
			return err
		}
		if *only == "login" {
			return nil
		}
	}

	manager, err := svc.auth.CreateUser(ctx, auth.NewUserInput{Email: "bench@example.com", Name: "Bench Manager", Role: store.RoleManager}, "", auth.Client{})
	if err != nil {
		return err
	}
	tokens := make([]string, *interviews)
	for i := range tokens {
		c, err := svc.interviews.Create(ctx, manager.ID, interview.CreateInput{CSMName: fmt.Sprintf("CSM %d", i),
			DepartureDate: time.Now().AddDate(0, 1, 0).Format(time.DateOnly), Accounts: benchAccounts()})
		if err != nil {
			return err
		}
		tokens[i] = c.InviteToken
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *interviews}, Timeout: time.Minute}
	for _, tok := range tokens { // open each interview once, as a CSM would, before measuring turns
		if err := benchCall(client, http.MethodGet, base+"/api/v1/interview", tok, nil); err != nil {
			return err
		}
	}

	// With think time: the latency of a turn while all interviews are under way. Without: how many turns a
	// second the server can take at most (then latency is only queueing, by Little's law).
	if *think > 0 {
		lat, _, err := benchTurns(client, base, tokens, *turns, "t", *think)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "turn_interviews %d\nturn_count %d\nturn_think_ms %d\nturn_p50_ms %.1f\nturn_p95_ms %.1f\nturn_p99_ms %.1f\n",
			len(tokens), len(lat), think.Milliseconds(), percentile(lat, 0.50), percentile(lat, 0.95), percentile(lat, 0.99))
	}
	lat, elapsed, err := benchTurns(client, base, tokens, *turns/2+1, "c", 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "turn_capacity_per_s %.0f\nturn_saturated_p95_ms %.1f\n", float64(len(lat))/elapsed.Seconds(), percentile(lat, 0.95))
	if *only == "turns" {
		return nil
	}
	// The turns queued captures and reports; search is measured once they are done, not against them.
	if err := waitForJobs(ctx, svc, 3*time.Minute); err != nil {
		return err
	}
	if err := benchCaptureLag(ctx, env.stdout, svc); err != nil {
		return err
	}
	return benchSearch(ctx, env.stdout, svc, *chunks, *queries)
}

// benchCaptureLag prints how long the turns' answers took to become searchable (stored → first capture),
// and how many were still not captured when the jobs were waited for.
func benchCaptureLag(ctx context.Context, w io.Writer, svc *services) error {
	var p50, p95 float64
	var uncaptured int
	err := svc.pool.QueryRow(ctx, `SELECT
    coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM captured_at - created_at)) FILTER (WHERE captured_at IS NOT NULL), 0) * 1000,
    coalesce(percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM captured_at - created_at)) FILTER (WHERE captured_at IS NOT NULL), 0) * 1000,
    count(*) FILTER (WHERE captured_at IS NULL)
FROM messages WHERE role = 'csm' AND kind = 'answer'`).Scan(&p50, &p95, &uncaptured)
	if err != nil {
		return fmt.Errorf("capture lag: %w", err)
	}
	fmt.Fprintf(w, "capture_lag_p50_ms %.0f\ncapture_lag_p95_ms %.0f\ncapture_uncaptured %d\n", p50, p95, uncaptured)
	return nil
}

// waitForJobs waits until no background job is queued or running, or until limit has passed.
func waitForJobs(ctx context.Context, svc *services, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		var n int
		if err := svc.pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE state IN ('available', 'running', 'retryable')
AND kind IN ('capture', 'report', 'reembed')`).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return nil
}

// benchTurns has every interview answer turns times, each CSM pausing for a random think time around
// think before each answer, and returns the turns' latencies and the time it all took.
func benchTurns(client *http.Client, base string, tokens []string, turns int, key string, think time.Duration) ([]time.Duration, time.Duration, error) {
	var mu sync.Mutex
	var latencies []time.Duration
	var wg sync.WaitGroup
	errs := make(chan error, len(tokens))
	start := time.Now()
	for i, tok := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range turns {
				if think > 0 {
					time.Sleep(think/2 + rand.N(think))
				}
				body, _ := json.Marshal(map[string]string{"client_id": fmt.Sprintf("%s%d-%d", key, i, t),
					"content": "Priya Shah is the champion and runs support operations; Marco Rossi, the CFO, signs the renewal on 31 January, likely if reporting is fixed."})
				began := time.Now()
				if err := benchCall(client, http.MethodPost, base+"/api/v1/interview/messages", tok, body); err != nil {
					errs <- err
					return
				}
				mu.Lock()
				latencies = append(latencies, time.Since(began))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	if err := <-errs; err != nil {
		return nil, 0, err
	}
	slices.Sort(latencies)
	return latencies, elapsed, nil
}

func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return float64(sorted[int(p*float64(len(sorted)-1))].Microseconds()) / 1000
}

func benchCall(client *http.Client, method, url, token string, body []byte) error {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: status %d", method, url, resp.StatusCode)
	}
	return nil
}

func benchAccounts() []book.Account {
	names := []string{"Northwind Traders", "Globex", "Initech", "Umbrella Health", "Stark Logistics", "Wayne Retail"}
	out := make([]book.Account, len(names))
	for i, n := range names {
		arr := float64(30000 * (i + 1))
		out[i] = book.Account{Name: n, ARR: &arr}
	}
	return out
}

// scratchDatabase creates an empty database beside the one databaseURL names and returns its URL and a
// function that drops it.
func scratchDatabase(ctx context.Context, databaseURL string) (string, func(), error) {
	conn, err := pgx.Connect(ctx, databaseURL)
	if err != nil {
		return "", nil, fmt.Errorf("connect: %w", err)
	}
	name := "exitinterview_bench_" + secret.New("")[:10]
	name = sanitizeIdent(name)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		conn.Close(ctx)
		return "", nil, fmt.Errorf("create a scratch database (the bench needs the right to create databases): %w", err)
	}
	u, err := url.Parse(databaseURL)
	if err != nil {
		return "", nil, err
	}
	u.Path = "/" + name
	drop := func() {
		ctx := context.Background()
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil && !errors.Is(err, context.Canceled) {
			fmt.Println("could not drop", name, err)
		}
		conn.Close(ctx)
	}
	return u.String(), drop, nil
}

// sanitizeIdent keeps lower-case letters, digits and underscores.
func sanitizeIdent(s string) string {
	b := []byte(s)
	out := b[:0]
	for _, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_':
			out = append(out, c)
		case c >= 'A' && c <= 'Z':
			out = append(out, c+'a'-'A')
		}
	}
	return string(out)
}
