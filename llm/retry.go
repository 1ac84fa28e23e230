package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sashabaranov/go-openai"
)

const (
	maxBackoff    = 10 * time.Second
	maxRetryAfter = 30 * time.Second
)

// retry runs fn, each attempt under its own deadline, until it succeeds, fails for good, runs out of
// attempts, or ctx is done. A wait that would outlast ctx's deadline is not waited: the caller could not
// use the answer. Every attempt asks the breaker first and tells it how it went.
func (c *Client) retry(ctx context.Context, b *Breaker, fn func(ctx context.Context) error) error {
	var last error
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("before attempt %d: %w", attempt, err)
		}
		if !b.allow() {
			if last != nil {
				return fmt.Errorf("before attempt %d: %w (after: %v)", attempt, ErrCircuitOpen, last)
			}
			return fmt.Errorf("before attempt %d: %w", attempt, ErrCircuitOpen)
		}
		hdr := &lastResponse{}
		actx, cancel := context.WithTimeout(context.WithValue(ctx, lastResponseKey{}, hdr), c.cfg.Timeout)
		err := fn(actx)
		timedOut := errors.Is(actx.Err(), context.DeadlineExceeded) && ctx.Err() == nil
		cancel()
		record(ctx, b, err, timedOut)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			// The caller gave up: their error, not the attempt's, says why.
			return fmt.Errorf("attempt %d: %w (%v)", attempt, ctx.Err(), err)
		}
		if f, ok := errors.AsType[finalError](err); ok {
			err = f.err
			if timedOut {
				err = timeoutError{after: c.cfg.Timeout, err: err}
			}
			return fmt.Errorf("attempt %d: %w", attempt, err)
		}
		if timedOut {
			err = timeoutError{after: c.cfg.Timeout, err: err}
		}
		if !IsRetryable(err) || attempt >= c.cfg.MaxAttempts {
			return fmt.Errorf("attempt %d of %d: %w", attempt, c.cfg.MaxAttempts, err)
		}
		wait := c.backoff(attempt, err, hdr)
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) <= wait {
			if hinted(err, hdr) {
				b.holdOff(wait) // nobody else should call before then either
			}
			return fmt.Errorf("attempt %d of %d: %w (the next attempt would start after the caller's deadline, in %s)",
				attempt, c.cfg.MaxAttempts, err, wait.Round(time.Millisecond))
		}
		if err := c.sleep(ctx, wait); err != nil {
			return fmt.Errorf("waiting after attempt %d: %w", attempt, err)
		}
		last = err
	}
}

// record tells the breaker how an attempt went. An endpoint that answered, even with a refusal such as a
// 400, is up; one that timed out (on its own deadline or the caller's), broke off, or answered a
// retryable status or output that is not JSON failed. When the caller cancelled, or stopped a stream
// itself, the attempt says nothing about the endpoint.
func record(ctx context.Context, b *Breaker, err error, timedOut bool) {
	f, final := errors.AsType[finalError](err)
	switch {
	case err == nil:
		b.done(false)
	case errors.Is(ctx.Err(), context.Canceled) || final && f.caller:
		b.release()
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || timedOut || IsRetryable(err) || final && IsRetryable(f.err):
		b.done(true)
	default:
		b.done(false)
	}
}

// backoff is the wait after failed attempt n (1-based): the server's Retry-After when it sent one
// with a 429 or 503, else exponential with full jitter, so clients that failed together do not
// retry together.
func (c *Client) backoff(n int, err error, hdr *lastResponse) time.Duration {
	if s := statusCode(err); s == http.StatusTooManyRequests || s == http.StatusServiceUnavailable {
		if d, ok := hdr.retryAfter(time.Now()); ok {
			return min(d, maxRetryAfter)
		}
	}
	ceiling := c.cfg.BaseBackoff
	for i := 1; i < n && ceiling < maxBackoff; i++ {
		ceiling *= 2
	}
	return rand.N(min(ceiling, maxBackoff) + 1)
}

// hinted reports whether the endpoint said, with its 429 or 503, when to call again.
func hinted(err error, hdr *lastResponse) bool {
	s := statusCode(err)
	if s != http.StatusTooManyRequests && s != http.StatusServiceUnavailable {
		return false
	}
	_, ok := hdr.retryAfter(time.Now())
	return ok
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// IsRetryable reports whether err is worth retrying: HTTP 408, 409, 429 and 5xx, an attempt that timed
// out (but not the caller's own deadline or cancellation), a broken connection, a body that is not JSON,
// ErrInvalidOutput.
// Other 4xx (400, 401, 403, 404, 422) would fail the same way again.
func IsRetryable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrInvalidOutput) {
		return true
	}
	if _, ok := errors.AsType[timeoutError](err); ok {
		return true
	}
	if _, ok := errors.AsType[finalError](err); ok {
		return false
	}
	if s := statusCode(err); s != 0 {
		return s == http.StatusRequestTimeout || s == http.StatusConflict || s == http.StatusTooManyRequests || s >= 500
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if apiErr, ok := errors.AsType[*openai.APIError](err); ok {
		// An error event inside a 200 stream has no status; servers send it when they fail mid-answer.
		return apiErr.HTTPStatusCode == 0
	}
	if errors.Is(err, openai.ErrTooManyEmptyStreamMessages) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	if _, ok := errors.AsType[*json.SyntaxError](err); ok {
		return true // a 200 whose body is not JSON: a proxy's page, a server that broke off
	}
	if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
		return true
	}
	if _, ok := errors.AsType[*net.OpError](err); ok {
		return true
	}
	// go-openai returns the http.Client's error as is: a *url.Error for anything that went wrong on the
	// way (refused, reset, closed idle connection). A URL that does not parse is a config error.
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return ue.Op != "parse"
	}
	return false
}

// statusCode is the HTTP status carried by go-openai's errors, or 0.
func statusCode(err error) int {
	if e, ok := errors.AsType[*openai.APIError](err); ok && e.HTTPStatusCode != 0 {
		return e.HTTPStatusCode
	}
	if e, ok := errors.AsType[*openai.RequestError](err); ok {
		return e.HTTPStatusCode
	}
	return 0
}

// timeoutError marks an attempt that ran out of its own time, as opposed to the caller's.
type timeoutError struct {
	after time.Duration
	err   error
}

func (e timeoutError) Error() string { return fmt.Sprintf("timed out after %s: %v", e.after, e.err) }
func (e timeoutError) Unwrap() error { return e.err }
func (e timeoutError) Timeout() bool { return true }

// finalError stops the retries: a stream that already delivered deltas cannot be taken back. caller marks
// the error of the caller's own onDelta, which says nothing about the endpoint.
type finalError struct {
	err    error
	caller bool
}

func (e finalError) Error() string { return e.err.Error() }
func (e finalError) Unwrap() error { return e.err }

// lastResponse holds the retry hints of an attempt's last HTTP response. go-openai's errors carry the
// status but not the headers, so headerRecorder, the HTTP client it is given, stores them here,
// found through the request's context.
type lastResponse struct {
	mu           sync.Mutex
	retryAfterMS string
	retryAfterS  string
}

type lastResponseKey struct{}

type headerRecorder struct{ c *http.Client }

func (h headerRecorder) Do(req *http.Request) (*http.Response, error) {
	resp, err := h.c.Do(req)
	if resp != nil {
		if lr, ok := req.Context().Value(lastResponseKey{}).(*lastResponse); ok {
			lr.mu.Lock()
			lr.retryAfterMS = resp.Header.Get("Retry-After-Ms")
			lr.retryAfterS = resp.Header.Get("Retry-After")
			lr.mu.Unlock()
		}
	}
	return resp, err
}

// retryAfter reads the server's hint: Azure and OpenAI's retry-after-ms first (finer), then
// Retry-After in seconds or as an HTTP date.
func (lr *lastResponse) retryAfter(now time.Time) (time.Duration, bool) {
	lr.mu.Lock()
	ms, s := lr.retryAfterMS, lr.retryAfterS
	lr.mu.Unlock()
	// The bounds also reject NaN and infinities.
	if n, err := strconv.ParseFloat(strings.TrimSpace(ms), 64); err == nil && n >= 0 && n <= 1e9 {
		return time.Duration(n * float64(time.Millisecond)), true
	}
	return parseRetryAfter(s, now)
}

// parseRetryAfter reads a Retry-After value: whole seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(min(n, int(maxRetryAfter/time.Second))) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, t.Sub(now)), true
	}
	return 0, false
}

// redact keeps the API key out of error text, should a server or proxy echo it back.
func (c *Client) redact(err error) error {
	if err == nil || len(c.cfg.APIKey) < 4 || !strings.Contains(err.Error(), c.cfg.APIKey) {
		return err
	}
	return redactedError{msg: strings.ReplaceAll(err.Error(), c.cfg.APIKey, "[redacted]"), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }
