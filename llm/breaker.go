package llm

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// ErrCircuitOpen is returned, without any request being sent, while the breaker skips the endpoint after
// consecutive failures.
var ErrCircuitOpen = errors.New("the model is skipped for a while after consecutive failures (circuit open)")

// The breaker's states, as State reports them.
const (
	BreakerClosed   = "closed"    // requests go through
	BreakerOpen     = "open"      // requests are skipped until the cool-down ends
	BreakerHalfOpen = "half-open" // one trial request goes through; its outcome closes or reopens
)

// The outcomes of model requests, as Calls counts them.
const (
	OutcomeOK      = "ok"      // the endpoint answered (a refused request, such as a 400, counts here too)
	OutcomeFailed  = "failed"  // timed out, broke off, or answered 429, 5xx or output that is not JSON
	OutcomeSkipped = "skipped" // not sent: the circuit was open
)

// Breaker stops calling an endpoint that keeps failing: after Threshold consecutive failed requests it
// opens, and requests fail at once with ErrCircuitOpen; after the cool-down one trial request is let
// through (half-open), and its outcome closes the breaker or opens it for another cool-down. It lives
// in the process, so each replica keeps its own. It is safe for concurrent use.
type Breaker struct {
	threshold int
	cooldown  time.Duration
	log       *slog.Logger
	now       func() time.Time

	mu       sync.Mutex
	state    string
	failures int       // consecutive, while closed
	until    time.Time // end of the cool-down, while open
	trial    bool      // a half-open trial request is in flight

	ok, failed, skipped atomic.Uint64
}

func newBreaker(threshold int, cooldown time.Duration, log *slog.Logger) *Breaker {
	return &Breaker{threshold: threshold, cooldown: cooldown, log: log, now: time.Now, state: BreakerClosed}
}

// State is closed, open or half-open. An open breaker whose cool-down has ended reads half-open: its next
// request is the trial.
func (b *Breaker) State() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state == BreakerOpen && !b.now().Before(b.until) {
		return BreakerHalfOpen
	}
	return b.state
}

// Calls counts the model requests since start by outcome: ok, failed and skipped.
func (b *Breaker) Calls() map[string]uint64 {
	return map[string]uint64{OutcomeOK: b.ok.Load(), OutcomeFailed: b.failed.Load(), OutcomeSkipped: b.skipped.Load()}
}

// allow reports whether a request may be sent now. A true answer must be followed by one done (or
// release).
func (b *Breaker) allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.state {
	case BreakerOpen:
		if b.now().Before(b.until) {
			b.skipped.Add(1)
			return false
		}
		b.setState(BreakerHalfOpen, "the cool-down is over: one trial request goes to the model")
		b.trial = true
		return true
	case BreakerHalfOpen:
		if b.trial {
			b.skipped.Add(1)
			return false
		}
		b.trial = true
		return true
	}
	return true
}

// done records the outcome of an allowed request.
func (b *Breaker) done(failed bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !failed {
		b.ok.Add(1)
		b.failures, b.trial = 0, false
		if b.state != BreakerClosed {
			b.setState(BreakerClosed, "the model answered: requests go to it again")
		}
		return
	}
	b.failed.Add(1)
	switch b.state {
	case BreakerHalfOpen:
		b.trial = false
		b.open("the trial request failed")
	case BreakerClosed:
		b.failures++
		if b.failures >= b.threshold {
			b.open("consecutive requests failed", "failures", b.failures)
		}
	}
}

// holdOff opens the breaker for at least d: the endpoint asked, with Retry-After, not to be called before
// then, and the caller could not wait that long.
func (b *Breaker) holdOff(d time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	until := b.now().Add(d)
	if b.state == BreakerOpen && !until.After(b.until) {
		return
	}
	b.until, b.failures, b.trial = until, 0, false
	if b.state == BreakerOpen {
		return // already said; only the cool-down is longer
	}
	b.setState(BreakerOpen, "the endpoint asked to wait (Retry-After) longer than the caller could: the model is skipped until then",
		"retry_after", d.String())
}

// release gives back an allowed request whose outcome says nothing about the endpoint (the caller gave
// up before it answered).
func (b *Breaker) release() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state == BreakerHalfOpen {
		b.trial = false
	}
}

func (b *Breaker) open(why string, attrs ...any) {
	b.until = b.now().Add(b.cooldown)
	b.failures = 0
	b.setState(BreakerOpen, why+": the model is skipped for the cool-down", append(attrs, "cooldown", b.cooldown.String())...)
}

func (b *Breaker) setState(state, msg string, attrs ...any) {
	prev := b.state
	b.state = state
	level := slog.LevelInfo
	if state == BreakerOpen {
		level = slog.LevelWarn
	}
	b.log.Log(context.Background(), level, "model circuit "+state+": "+msg, append([]any{"from", prev}, attrs...)...)
}
