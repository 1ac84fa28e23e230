package knowledge

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/exitinterview/exitinterview/facts"
	"github.com/exitinterview/exitinterview/store"
)

// Captures of one interview are written together. Each capture's transaction stores its chunks and
// findings, marks its answer captured and derives the interview's facts again from all its findings
// (facts.Refresh), so that an answer counts as captured only once its facts hold it; that refresh reads
// every finding of the interview and may move every fact, and two of one interview take turns on its fact
// lock. Captures of an interview that finish while another of its transactions is being written wait for
// that one and are then written in one transaction, with one refresh: when answers come faster than they
// are written (a burst, a CSM's pasted notes), the refresh is shared rather than repeated, and with none
// waiting a capture is written at once as before. A capture returns only once its own transaction has
// committed, so River retries it if that fails; if a transaction of several fails, each is written again
// on its own, so that one answer deleted meanwhile does not fail the others.
//
// Only captures in this process are gathered: workers of other processes take turns on the fact lock as
// before.
type batches struct {
	mu    sync.Mutex
	open  map[string]*batch // interview → the batch that still takes captures
	turns map[string]*turn  // interview → its turn to write, while any capture of it waits or writes
}

// batch is captures of one interview written together: what each saved, or its error, once done is closed.
type batch struct {
	captures []store.Capture
	saved    []store.Saved
	errs     []error
	done     chan struct{}
}

// turn is an interview's right to write: whoever holds a token in it writes.
type turn struct {
	token chan struct{}
	users int
}

// commit writes a capture of the interview, with the others of it that come while the interview's
// previous batch is being written, and says what it saved.
func (s *Service) commit(ctx context.Context, interviewID string, c store.Capture) (store.Saved, error) {
	bs := &s.batches
	bs.mu.Lock()
	if b := bs.open[interviewID]; b != nil {
		i := len(b.captures)
		b.captures = append(b.captures, c)
		bs.mu.Unlock()
		select {
		case <-b.done:
			return b.saved[i], b.errs[i]
		case <-ctx.Done():
			return store.Saved{}, ctx.Err() // it may still be written; River runs it again all the same
		}
	}
	if bs.open == nil {
		bs.open, bs.turns = map[string]*batch{}, map[string]*turn{}
	}
	b := &batch{captures: []store.Capture{c}, done: make(chan struct{})}
	bs.open[interviewID] = b
	t := bs.turns[interviewID]
	if t == nil {
		t = &turn{token: make(chan struct{}, 1)}
		bs.turns[interviewID] = t
	}
	t.users++
	bs.mu.Unlock()
	defer bs.leave(interviewID, t)

	err := take(ctx, t.token)
	if err == nil {
		defer func() { <-t.token }()
		// The interview's turn, then one of the process's writing slots (maxWriting): captures of other
		// interviews wait for a slot as this batch's do for their turn.
		if err = take(ctx, s.writing); err == nil {
			defer func() { <-s.writing }()
		}
	}
	captures := bs.close(interviewID, b)
	failed := func(err error) {
		b.saved, b.errs = make([]store.Saved, len(captures)), slices.Repeat([]error{err}, len(captures))
	}
	defer func() {
		if p := recover(); p != nil { // the others must not wait for a batch that will never be written
			failed(fmt.Errorf("write captures of %s: %v", interviewID, p))
			close(b.done)
			panic(p)
		}
	}()
	if err != nil {
		failed(err)
	} else {
		b.saved, b.errs = s.write(ctx, interviewID, captures)
	}
	close(b.done)
	return b.saved[0], b.errs[0]
}

// take puts a token in slots once there is room, or says why not.
func take(ctx context.Context, slots chan struct{}) error {
	select {
	case slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// close stops b taking captures (the next capture of the interview opens a new batch) and returns those
// it took.
func (bs *batches) close(interviewID string, b *batch) []store.Capture {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	if bs.open[interviewID] == b {
		delete(bs.open, interviewID)
	}
	return b.captures
}

// leave forgets the interview's turn once no capture of it waits or writes.
func (bs *batches) leave(interviewID string, t *turn) {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	if t.users--; t.users == 0 {
		delete(bs.turns, interviewID)
	}
}

// write stores captures of one interview in one transaction with one refresh of its facts; when that
// fails and there are several, each on its own.
func (s *Service) write(ctx context.Context, interviewID string, captures []store.Capture) ([]store.Saved, []error) {
	errs := make([]error, len(captures))
	saved, err := s.save(ctx, interviewID, captures)
	if err == nil {
		return saved, errs
	}
	if len(captures) == 1 {
		return []store.Saved{{}}, []error{err}
	}
	saved = make([]store.Saved, len(captures))
	for i, c := range captures {
		one, err := s.save(ctx, interviewID, []store.Capture{c})
		if errs[i] = err; err == nil {
			saved[i] = one[0]
		}
	}
	return saved, errs
}

// save is one transaction: the captures (in the order of their messages' ids, so that two transactions
// writing the same messages lock them in the same order) and the refresh of the interview's facts.
func (s *Service) save(ctx context.Context, interviewID string, captures []store.Capture) ([]store.Saved, error) {
	order := make([]int, len(captures))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(captures[a].MessageID, captures[b].MessageID) })
	sorted := make([]store.Capture, len(captures))
	for i, j := range order {
		sorted[i] = captures[j]
	}
	var saved []store.Saved
	err := s.store.Transact(ctx, func(tx *store.Store) error {
		var err error
		if saved, err = tx.SaveCaptures(ctx, sorted); err != nil {
			return err
		}
		return facts.Refresh(ctx, tx, interviewID, nil)
	})
	if err != nil {
		return nil, err
	}
	out := make([]store.Saved, len(captures))
	for i, j := range order {
		out[j] = saved[i]
	}
	return out, nil
}
