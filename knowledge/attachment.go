package knowledge

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/exitinterview/exitinterview/about"
	"github.com/exitinterview/exitinterview/filetext"
	"github.com/exitinterview/exitinterview/mention"
	"github.com/exitinterview/exitinterview/personal"
	"github.com/exitinterview/exitinterview/redact"
	"github.com/exitinterview/exitinterview/store"
)

// CaptureAttachment reads a file the CSM attached and makes its text searchable: each page, sheet or
// slide is redacted like an answer (credentials and personal remarks out), split into passages as an
// answer is, tagged with the topics it covers, embedded and stored citing its place in the file; the
// attachment is then ready. A file whose text cannot be read is kept and marked unreadable, with the
// reason. Any other failure is returned, for the job to try again: the stored file is never touched.
// Reading it again replaces the passages with the same ones. An attachment removed meanwhile gives
// store.ErrNotFound.
func (s *Service) CaptureAttachment(ctx context.Context, attachmentID string) error {
	a, err := s.store.AttachmentByID(ctx, attachmentID)
	if err != nil {
		return err
	}
	data, err := s.store.AttachmentContent(ctx, attachmentID)
	if err != nil {
		return err
	}
	var doc filetext.Document
	var chunks []store.Chunk
	var withheld string
	err = func() error {
		select {
		case s.reading <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		defer func() { <-s.reading }() // released however reading ends, a panic included
		doc, err = filetext.Read(ctx, filetext.Type{Kind: a.Kind, MIME: a.MIME}, data, filetext.DefaultLimits())
		if err == nil {
			var inputs []string
			chunks, inputs, withheld = AttachmentChunks(a, doc)
			s.embed(ctx, "attachment "+a.ID, chunks, inputs)
		}
		return err
	}()
	if errors.Is(err, filetext.ErrUnreadable) || errors.Is(err, filetext.ErrUnsupported) {
		return s.store.MarkAttachmentUnreadable(ctx, a.ID, Reason(err))
	}
	if err != nil {
		return fmt.Errorf("read attachment %s: %w", a.ID, err)
	}
	if len(chunks) == 0 {
		return s.store.MarkAttachmentUnreadable(ctx, a.ID, "the file holds no text")
	}
	return s.store.SaveAttachmentChunks(ctx, a.ID, chunks, doc.Pages, withheld)
}

// Reason is what a CSM is told of a file that could not be read: filetext's message without the
// sentinel's words.
func Reason(err error) string {
	msg := err.Error()
	for _, sentinel := range []error{filetext.ErrUnreadable, filetext.ErrUnsupported} {
		msg = strings.TrimSuffix(msg, ": "+sentinel.Error())
	}
	return msg
}

// AttachmentChunks splits the parts of a read file into passages of the attachment's account (what the
// text says is about the account it was attached for, whatever other account it names), each with its
// place in the file, and returns what each is embedded from. The text is redacted first, as an answer's.
//
// withheld says what the redaction removed ("credentials", "personal remarks", both, or ""): what the
// original still holds and its passages do not.
func AttachmentChunks(a store.Attachment, doc filetext.Document) (chunks []store.Chunk, inputs []string, withheld string) {
	var credentials, remarks bool
	var book []mention.Account
	if a.AccountID != "" {
		book = []mention.Account{{ID: a.AccountID, Name: a.AccountName}}
	}
	reader := about.NewReader(book)
	none := mention.NewMatcher(nil) // no attribution: the CSM chose the account
	for _, part := range doc.Parts {
		text, found := redact.Text(part.Text)
		text, removed := personal.Remove(text)
		credentials, remarks = credentials || len(found) > 0, remarks || removed > 0
		location := part.Cite()
		ctxText := attachmentContext(a, location)
		for _, p := range split(text, a.AccountID, none, nil, nil) {
			if strings.TrimSpace(p.text) == "" {
				continue
			}
			var topics []string
			for _, c := range about.Covers(reader.Read(p.text, about.Question{AccountID: a.AccountID})) {
				if !slices.Contains(topics, c.Topic) {
					topics = append(topics, c.Topic)
				}
			}
			chunks = append(chunks, store.Chunk{InterviewID: a.InterviewID, AccountID: a.AccountID, AttachmentID: a.ID, Location: location,
				Position: len(chunks), Topics: topics, Text: p.text, Context: ctxText})
			inputs = append(inputs, embedInput(ctxText, p.text))
		}
	}
	switch {
	case credentials && remarks:
		withheld = "credentials and personal remarks"
	case credentials:
		withheld = "credentials"
	case remarks:
		withheld = "personal remarks"
	}
	return chunks, inputs, withheld
}

// attachmentContext says where a passage of a file comes from: the account, the file and its place.
func attachmentContext(a store.Attachment, location string) string {
	parts := []string{}
	if a.AccountName != "" {
		parts = append(parts, a.AccountName)
	}
	where, _ := redact.Text(a.Name) // a name can hold what a text may not ("vpn password Hunter2.txt")
	if location != "" {
		where += ", " + location
	}
	return strings.Join(append(parts, where), ": ")
}
