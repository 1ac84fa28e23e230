package mail

import (
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/exitinterview/exitinterview/mail/mailtest"
)

func TestSendsBothPartsThroughSMTP(t *testing.T) {
	t.Parallel()
	srv := mailtest.New(t)
	s, err := NewSMTP("smtp://user:secret@"+srv.Addr, "exitinterview <noreply@example.com>")
	if err != nil {
		t.Fatal(err)
	}
	m := Message{To: "Zoë Ångström <zoe@example.com>", Subject: "Accounts for Zoë\r\nBcc: evil@example.com", Text: "Hello Zoë,\nline two",
		HTML: "<p>Hello Zoë</p>", ID: "assigned-42"}
	if err := s.Send(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 || got[0].To != "zoe@example.com" || got[0].From != "noreply@example.com" {
		t.Fatalf("received %+v", got)
	}
	h := got[0].Message.Header
	subject, _ := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if subject != "Accounts for Zoë  Bcc: evil@example.com" || h.Get("Bcc") != "" {
		t.Fatalf("subject %q, bcc %q", subject, h.Get("Bcc"))
	}
	if !strings.HasPrefix(h.Get("Message-Id"), "<assigned-42@example.com>") {
		t.Fatalf("message id %q", h.Get("Message-Id"))
	}
	_, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(got[0].Message.Body, params["boundary"])
	var parts []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p) // multipart decodes quoted-printable
		parts = append(parts, p.Header.Get("Content-Type")+"|"+string(b))
	}
	if len(parts) != 2 || !strings.HasPrefix(parts[0], "text/plain") || !strings.Contains(parts[0], "Hello Zoë,\r\nline two") ||
		!strings.HasPrefix(parts[1], "text/html") || !strings.Contains(parts[1], "<p>Hello Zoë</p>") {
		t.Fatalf("parts %q", parts)
	}
}

func TestSendFailsWhenTheServerRefuses(t *testing.T) {
	t.Parallel()
	srv := mailtest.New(t)
	srv.FailNext(1)
	s, err := NewSMTP("smtp://"+srv.Addr, "noreply@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(t.Context(), Message{To: "a@example.com", Subject: "x", Text: "y"}); err == nil {
		t.Fatal("no error for a 451")
	}
	if err := s.Send(t.Context(), Message{To: "not an address", Subject: "x", Text: "y"}); err == nil {
		t.Fatal("no error for a bad recipient")
	}
	for _, bad := range []string{"http://x", "smtp://", "mail.example.com"} {
		if _, err := NewSMTP(bad, "noreply@example.com"); err == nil {
			t.Errorf("NewSMTP(%q) accepted", bad)
		}
	}
}
