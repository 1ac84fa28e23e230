package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/exitinterview/exitinterview/llm/llmtest"
)

// worker is a running `exitinterview worker`.
type worker struct {
	cmd  *exec.Cmd
	done chan error
	mu   sync.Mutex
	log  bytes.Buffer
}

func (w *worker) logs() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.log.String()
}

// startWorker starts `exitinterview worker` and waits until its workers run.
func startWorker(t *testing.T, dbURL string, env ...string) *worker {
	t.Helper()
	cmd := exec.Command(binary, "worker")
	cmd.Env = append(append(os.Environ(), "DATABASE_URL="+dbURL, "EXITINTERVIEW_LOG_FORMAT=json"), env...)
	pr, pw := io.Pipe()
	cmd.Stderr = pw
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := &worker{cmd: cmd, done: make(chan error, 1)}
	started := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		once := sync.Once{}
		for sc.Scan() {
			w.mu.Lock()
			w.log.WriteString(sc.Text() + "\n")
			w.mu.Unlock()
			if strings.Contains(sc.Text(), `"msg":"worker started"`) {
				once.Do(func() { close(started) })
			}
		}
	}()
	go func() { w.done <- cmd.Wait(); pw.Close() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	select {
	case <-started:
	case err := <-w.done:
		t.Fatalf("worker exited: %v\n%s", err, w.logs())
	case <-time.After(60 * time.Second):
		t.Fatalf("worker did not start\n%s", w.logs())
	}
	return w
}

// TestAKilledWorkersJobsAreRescuedAndDoneOnce kills a worker (SIGKILL) while it is inside a capture job,
// waiting on the model. Another worker, with a short rescue window, takes the job up again: the answer
// becomes searchable, the report waiting for it is generated, and nothing is stored twice. Then a worker
// is killed while a model writes a report: Regenerate replaces that version rather than returning it,
// and the next worker generates the new one and finishes the rescued job without a second ready copy.
func TestAKilledWorkersJobsAreRescuedAndDoneOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake := llmtest.New(t)
	fake.Respond = func(llmtest.Request) llmtest.Reply { return llmtest.Reply{Delay: 10 * time.Minute} } // the model hangs
	dbURL := emptyDatabase(t)

	if r := runCmd(t, dbURL, "a long enough password\n", "users", "create", "--email", "m@example.com", "--name", "M", "--role", "manager", "--password-stdin"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	manager := strings.TrimSpace(runCmd(t, dbURL, "", "tokens", "create", "--email", "m@example.com").stdout)
	// The server runs no jobs: they are the workers'. Its rescue window is what Regenerate judges by.
	s := startServer(t, dbURL, "EXITINTERVIEW_WORKERS=false", "EXITINTERVIEW_JOB_RESCUE_AFTER=2s")
	code, body := apiCall(t, "POST", s.url+"/api/v1/interviews", manager,
		fmt.Sprintf(`{"csm":{"name":"Dana"},"departure_date":%q,"accounts":[{"name":"Acme"}]}`, time.Now().AddDate(0, 1, 0).Format("2006-01-02")))
	var created struct {
		ID          string `json:"id"`
		InviteToken string `json:"invite_token"`
	}
	if err := json.Unmarshal([]byte(body), &created); err != nil || code != 201 {
		t.Fatalf("create: %d %s", code, body)
	}
	if code, body := apiCall(t, "GET", s.url+"/api/v1/interview", created.InviteToken, ""); code != 200 {
		t.Fatalf("first question: %d %s", code, body)
	}
	answer := "Acme routes support tickets for 140 agents through Zendesk; Priya Shah is the champion and renewal is in March."
	if code, body := apiCall(t, "POST", s.url+"/api/v1/interview/messages", created.InviteToken, `{"content":"`+answer+`","client_id":"a1"}`); code != 201 {
		t.Fatalf("answer: %d %s", code, body)
	}

	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var messageID string
	if err := pool.QueryRow(ctx, `SELECT id FROM messages WHERE interview_id = $1 AND role = 'csm' AND kind = 'answer'`, created.ID).Scan(&messageID); err != nil {
		t.Fatal(err)
	}

	// A worker with a model takes the capture and waits on the model's extraction; the report asked for
	// meanwhile waits for that capture.
	w1 := startWorker(t, dbURL, "OPENAI_BASE_URL="+fake.URL, "OPENAI_API_KEY=test", "EXITINTERVIEW_MODEL_TIMEOUT=10m")
	deadline := time.Now().Add(60 * time.Second)
	for len(fake.Requests()) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the worker never asked the model\n%s", w1.logs())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code, body := apiCall(t, "POST", s.url+"/api/v1/interviews/"+created.ID+"/report", manager, ""); code != 202 {
		t.Fatalf("report: %d %s", code, body)
	}
	captureState := func() (state string, attempt int) {
		t.Helper()
		if err := pool.QueryRow(ctx, `SELECT state, attempt FROM river_job WHERE kind = 'capture' AND args->>'message_id' = $1`, messageID).Scan(&state, &attempt); err != nil {
			t.Fatal(err)
		}
		return state, attempt
	}
	if state, _ := captureState(); state != "running" {
		t.Fatalf("capture job is %s while the model is asked", state)
	}
	if err := w1.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-w1.done
	if state, _ := captureState(); state != "running" {
		t.Fatalf("after the kill the capture job is %s; the test needs it left running", state)
	}

	// Another worker, offline, with a rescue window of seconds.
	killed := time.Now()
	w2 := startWorker(t, dbURL, "EXITINTERVIEW_JOB_RESCUE_AFTER=2s")
	var reportStatus string
	deadline = time.Now().Add(3 * time.Minute)
	for {
		state, _ := captureState()
		if err := pool.QueryRow(ctx, `SELECT status FROM reports WHERE interview_id = $1 ORDER BY version DESC LIMIT 1`, created.ID).Scan(&reportStatus); err != nil {
			t.Fatal(err)
		}
		if state == "completed" && reportStatus == "ready" {
			t.Logf("capture and report done %s after the kill", time.Since(killed).Round(time.Second))
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("capture %s, report %s after the rescue window\n%s", state, reportStatus, w2.logs())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, attempt := captureState(); attempt != 2 {
		t.Errorf("the capture ran %d times; want 2 (the killed one and the rescued one)", attempt)
	}

	var chunks, positions, findings, distinctFindings int
	if err := pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT position) FROM chunks WHERE message_id = $1`, messageID).Scan(&chunks, &positions); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT (type, text)) FROM findings WHERE message_id = $1`, messageID).Scan(&findings, &distinctFindings); err != nil {
		t.Fatal(err)
	}
	if chunks == 0 || chunks != positions {
		t.Errorf("chunks of the answer: %d, at %d distinct positions", chunks, positions)
	}
	if findings == 0 || findings != distinctFindings {
		t.Errorf("findings of the answer: %d, of which %d distinct", findings, distinctFindings)
	}
	var versions int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM reports WHERE interview_id = $1`, created.ID).Scan(&versions); err != nil {
		t.Fatal(err)
	}
	if versions != 1 {
		t.Errorf("%d report versions; want the one requested", versions)
	}
	code, body = apiCall(t, "GET", s.url+"/api/v1/search?q=Zendesk", manager, "")
	if code != 200 || !strings.Contains(body, "Zendesk") {
		t.Errorf("the rescued capture is not searchable: %d %s", code, body)
	}

	// Now a report job: a worker with a model is killed while the model writes version 2's prose.
	if err := w2.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-w2.done
	asked := len(fake.Requests())
	if code, body := apiCall(t, "POST", s.url+"/api/v1/interviews/"+created.ID+"/report", manager, ""); code != 202 || !strings.Contains(body, `"version":2`) {
		t.Fatalf("regenerate: %d %s", code, body)
	}
	w3 := startWorker(t, dbURL, "OPENAI_BASE_URL="+fake.URL, "OPENAI_API_KEY=test", "EXITINTERVIEW_MODEL_TIMEOUT=10m")
	deadline = time.Now().Add(60 * time.Second)
	for len(fake.Requests()) == asked {
		if time.Now().After(deadline) {
			t.Fatalf("the worker never asked the model for the report\n%s", w3.logs())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := w3.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-w3.done
	var jobState string
	if err := pool.QueryRow(ctx, `SELECT j.state FROM river_job j JOIN reports r ON j.args->>'report_id' = r.id::text
WHERE r.interview_id = $1 AND r.version = 2`, created.ID).Scan(&jobState); err != nil || jobState != "running" {
		t.Fatalf("version 2's job after the kill: %q, %v", jobState, err)
	}
	// Regenerate does not hand back the version whose worker died: once its job has run past the rescue
	// window, a new version replaces it.
	time.Sleep(2500 * time.Millisecond)
	if code, body := apiCall(t, "POST", s.url+"/api/v1/interviews/"+created.ID+"/report", manager, ""); code != 202 || !strings.Contains(body, `"version":3`) {
		t.Fatalf("regenerate after the worker died: %d %s; want version 3", code, body)
	}
	w4 := startWorker(t, dbURL, "EXITINTERVIEW_JOB_RESCUE_AFTER=2s")
	deadline = time.Now().Add(3 * time.Minute)
	for {
		var states string
		if err := pool.QueryRow(ctx, `SELECT string_agg(status, ',' ORDER BY version) FROM reports WHERE interview_id = $1`, created.ID).Scan(&states); err != nil {
			t.Fatal(err)
		}
		var unfinished int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'report' AND finalized_at IS NULL`).Scan(&unfinished); err != nil {
			t.Fatal(err)
		}
		if states == "ready,failed,ready" && unfinished == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("report versions %s, %d report jobs unfinished\n%s", states, unfinished, w4.logs())
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.stop(t)
}
