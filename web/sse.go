package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// sse frames server-sent events: no caching, no proxy buffering, a flush per event and a keep-alive
// comment every 15 seconds while the domain works. The domain produces the tokens; this only frames them.
type sse struct {
	mu     sync.Mutex
	w      *echo.Response
	closed bool
	stop   chan struct{}
}

func startSSE(c echo.Context, status int) *sse {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	c.Response().WriteHeader(status)
	c.Response().Flush()
	s := &sse{w: c.Response(), stop: make(chan struct{})}
	go s.keepAlive(15 * time.Second)
	return s
}

func (s *sse) keepAlive(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.mu.Lock()
			if !s.closed {
				_, _ = fmt.Fprint(s.w, ": keep-alive\n\n")
				s.w.Flush()
			}
			s.mu.Unlock()
		}
	}
}

// send writes one event with a JSON payload. Writing to a browser that went away is not an error for the
// turn: the answer is stored and the reply is waiting on the next load.
func (s *sse) send(event string, payload any) {
	b, err := json.Marshal(payload)
	if err != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	_, _ = fmt.Fprintf(s.w, "event: %s\ndata: %s\n\n", event, b)
	s.w.Flush()
}

func (s *sse) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		close(s.stop)
	}
}

func wantsStream(c echo.Context) bool {
	return c.Request().Header.Get(echo.HeaderAccept) == "text/event-stream"
}

var _ http.Flusher = (*echo.Response)(nil)
