package jobs

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/knowledge"
	"github.com/exitinterview/exitinterview/store"
)

// flakyReader fails the first reading of one attachment, as a database or model failing would, then
// reads as the service does.
type flakyReader struct {
	next   AttachmentReader
	mu     sync.Mutex
	failID string
	failed int
}

func (f *flakyReader) CaptureAttachment(ctx context.Context, id string) error {
	f.mu.Lock()
	fail := id == f.failID && f.failed == 0
	if fail {
		f.failed++
	}
	f.mu.Unlock()
	if fail {
		return errors.New("the database went away")
	}
	return f.next.CaptureAttachment(ctx, id)
}

// TestAttachmentIsReadInTheBackground: storing an attachment enqueues its reading in the same
// transaction; the worker makes a readable file's text passages (redacted, embedded, citing the file)
// and marks it ready; a file that cannot be read is kept and marked unreadable with the reason; a reading
// that fails is tried again by River, and the stored file is untouched meanwhile.
func TestAttachmentIsReadInTheBackground(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newJobsEnv(t, "http://x")
	st, log := env.store, env.log
	reader := &flakyReader{next: knowledge.New(st, knowledge.NewVectors(st, embed.NewOffline(), nil, log), nil, log)}
	client, err := NewClient(env.pool, Deps{Store: st, Log: log, SessionIdleTimeout: time.Hour, Attachments: reader}, true)
	if err != nil {
		t.Fatal(err)
	}
	q := NewQueue(client)
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer cancel()
	c, err := env.ivs.Create(ctx, env.manager.ID, interview.CreateInput{CSMName: "Dana", DepartureDate: time.Now().AddDate(0, 1, 0).Format("2006-01-02"),
		Accounts: []book.Account{{Name: "Northwind"}, {Name: "Globex"}}})
	if err != nil {
		t.Fatal(err)
	}
	northwind := c.Accounts[0]
	attach := func(name, kind, mime string, content []byte) store.Attachment {
		t.Helper()
		sum := sha256.Sum256(content)
		var a store.Attachment
		err := st.Transact(ctx, func(tx *store.Store) error {
			var err error
			a, _, err = tx.CreateAttachment(ctx, store.Attachment{InterviewID: c.Interview.ID, AccountID: northwind.ID, Name: name, Kind: kind, MIME: mime,
				SHA256: hex.EncodeToString(sum[:]), CreatedBy: "Dana"}, content)
			if err != nil {
				return err
			}
			return q.EnqueueAttachment(ctx, tx, a.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	secret := "Winter2024!xq"
	notes := []byte("Northwind QBR notes.\nThe admin password for their Salesforce sandbox is " + secret + ".\nPriya Shah wants quarterly reviews of adoption.\n")
	readable := attach("qbr notes.txt", "txt", "text/plain; charset=utf-8", notes)
	// A PDF that is not one: the reader says why (damaged, or not a format it reads) and the file stays.
	broken := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >>\ntruncated")
	unreadable := attach("deck.pdf", "pdf", "application/pdf", broken)
	flaky := []byte("Northwind's procurement needs a purchase order number on every invoice.")
	reader.failID = attach("procurement.md", "md", "text/markdown; charset=utf-8", flaky).ID

	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer client.Stop(ctx) //nolint:errcheck
	completed, failures := 0, 0
	deadline := time.After(3 * time.Minute) // the PDF reader starts slowly the first time
	for completed < 3 {
		select {
		case ev := <-events:
			if ev.Job.Kind != "attachment" {
				continue
			}
			if ev.Kind == river.EventKindJobFailed {
				failures++
				// The failed reading left the stored file as it was, still waiting to be read.
				a, err := st.AttachmentByID(ctx, reader.failID)
				if err != nil {
					t.Fatal(err)
				}
				content, err := st.AttachmentContent(ctx, reader.failID)
				if err != nil || !bytes.Equal(content, flaky) || a.State != store.AttachmentReading {
					t.Fatalf("after a failed reading: %+v, content %q (%v)", a, content, err)
				}
				continue
			}
			completed++
		case <-deadline:
			t.Fatalf("%d readings completed, %d failed", completed, failures)
		}
	}
	if failures != 1 {
		t.Errorf("%d failed readings, want 1", failures)
	}

	a, err := st.AttachmentByID(ctx, readable.ID)
	if err != nil || a.State != store.AttachmentReady {
		t.Fatalf("readable file: %+v (%v)", a, err)
	}
	chunks, err := st.AttachmentChunks(ctx, readable.ID)
	if err != nil || len(chunks) == 0 {
		t.Fatalf("chunks: %+v (%v)", chunks, err)
	}
	for _, ch := range chunks {
		if ch.AttachmentID != readable.ID || ch.MessageID != "" || ch.AccountID != northwind.ID || strings.Contains(ch.Text, secret) ||
			!strings.Contains(ch.Context, "qbr notes.txt") {
			t.Fatalf("chunk %+v", ch)
		}
	}
	var embedded, leaks int
	if err := env.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM chunk_embeddings e JOIN chunks c ON c.id = e.chunk_id WHERE c.attachment_id = $1),
    (SELECT count(*) FROM chunks WHERE text LIKE '%' || $2 || '%')`, readable.ID, secret).Scan(&embedded, &leaks); err != nil ||
		embedded != len(chunks) || leaks != 0 {
		t.Fatalf("%d vectors for %d passages, the secret in %d (%v)", embedded, len(chunks), leaks, err)
	}

	u, err := st.AttachmentByID(ctx, unreadable.ID)
	if err != nil || u.State != store.AttachmentUnreadable || u.Reason == "" || strings.Contains(u.Reason, "unreadable file") {
		t.Fatalf("unreadable file: %+v (%v)", u, err)
	}
	if content, err := st.AttachmentContent(ctx, unreadable.ID); err != nil || !bytes.Equal(content, broken) {
		t.Fatalf("the unreadable file was not kept: %q (%v)", content, err)
	}
	f, err := st.AttachmentByID(ctx, reader.failID)
	if err != nil || f.State != store.AttachmentReady {
		t.Fatalf("the file whose first reading failed: %+v (%v)", f, err)
	}
}
