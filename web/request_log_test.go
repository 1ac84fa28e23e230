package web

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"testing"
)

// lockedBuffer is a log destination the server's goroutines may write to at once.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestRequestLogSaysTheStatusAnswered: a request answered with an error is logged with the status the
// caller got, not the 200 the response held before the error was written.
func TestRequestLogSaysTheStatusAnswered(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	var out lockedBuffer
	e.srv.log = slog.New(slog.NewJSONHandler(&out, nil))
	for path, want := range map[string]int{"/api/v1/me": http.StatusUnauthorized, "/login": http.StatusOK} {
		r := e.do(http.MethodGet, path, nil)
		r.Body.Close()
		if r.StatusCode != want {
			t.Fatalf("GET %s: %d, want %d", path, r.StatusCode, want)
		}
	}
	logged := map[string]int{}
	for _, line := range bytes.Split([]byte(out.String()), []byte("\n")) {
		var rec struct {
			Msg    string `json:"msg"`
			Route  string `json:"route"`
			Status int    `json:"status"`
		}
		if json.Unmarshal(line, &rec) == nil && rec.Msg == "request" {
			logged[rec.Route] = rec.Status
		}
	}
	if logged["/api/v1/me"] != http.StatusUnauthorized || logged["/login"] != http.StatusOK {
		t.Errorf("logged statuses %v; want 401 for /api/v1/me and 200 for /login", logged)
	}
}
