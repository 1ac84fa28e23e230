package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/auth"
	"github.com/exitinterview/exitinterview/filetext"
	"github.com/exitinterview/exitinterview/plural"
	"github.com/exitinterview/exitinterview/store"
)

// AttachmentQueue enqueues the reading of an attached file in the transaction that stores it.
type AttachmentQueue interface {
	EnqueueAttachment(ctx context.Context, tx *store.Store, attachmentID string) error
}

// attachmentsRoute is where a CSM uploads a file: its bodies may be as large as the attachment limit.
const attachmentsRoute = "/api/v1/interview/attachments"

// attachmentFormRoom is what the multipart form may add to the file (boundaries, headers, the account
// and message fields).
const attachmentFormRoom = 64 << 10

// attachmentJSON is an attachment as the API gives it.
type attachmentJSON struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Kind        string    `json:"kind"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	AccountID   *string   `json:"account_id"`
	Account     *string   `json:"account"`
	MessageID   *string   `json:"message_id"`
	State       string    `json:"state"`
	Reason      string    `json:"reason"`
	Units       int       `json:"units"`
	CreatedAt   time.Time `json:"created_at"`
	DownloadURL string    `json:"download_url"`
}

func attachmentDownloadPath(id string) string { return "/api/v1/attachments/" + id + "/file" }

func toAttachmentJSON(a store.Attachment) attachmentJSON {
	out := attachmentJSON{ID: a.ID, Name: a.Name, Kind: a.Kind, Size: a.Size, SHA256: a.SHA256, State: a.State, Reason: a.Reason,
		Units: a.Units, CreatedAt: a.CreatedAt, DownloadURL: attachmentDownloadPath(a.ID)}
	if a.AccountID != "" {
		out.AccountID, out.Account = &a.AccountID, &a.AccountName
	}
	if a.MessageID != "" {
		out.MessageID = &a.MessageID
	}
	return out
}

// byteSize writes a size for a CSM: "25 MiB", "30.2 MiB", "4 KiB".
func byteSize(n int64) string {
	unit, div := "MiB", float64(1<<20)
	if n < 1<<20 {
		unit, div = "KiB", 1<<10
	}
	s := fmt.Sprintf("%.1f", float64(n)/div)
	return strings.TrimSuffix(s, ".0") + " " + unit
}

// attachmentTooLarge is the 413 of a file over EXITINTERVIEW_ATTACHMENT_MAX_BYTES.
func (s *Server) attachmentTooLarge() error {
	return newError(http.StatusRequestEntityTooLarge, "attachment_too_large",
		fmt.Sprintf("The file is too large: files of at most %s can be attached.", byteSize(s.cfg.AttachmentMaxBytes)))
}

// maxFieldBytes bounds the form's account_id and message_id.
const maxFieldBytes = 200

// upload is what a CSM's multipart request holds.
type upload struct {
	name, accountID, messageID string
	accountGiven, tooLarge     bool
	data                       []byte
}

// readUpload reads the form's fields and at most one byte more than the limit of its file.
func (s *Server) readUpload(c echo.Context) (upload, error) {
	var u upload
	r, err := c.Request().MultipartReader()
	if err != nil {
		return u, newError(http.StatusBadRequest, "invalid_form", "Send the file as multipart/form-data, in a field named file.")
	}
	sawFile := false
	for {
		p, err := r.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return u, uploadError(err)
		}
		switch p.FormName() {
		case "file":
			if sawFile {
				return u, newError(http.StatusBadRequest, "invalid_form", "Send one file at a time.")
			}
			sawFile = true
			u.name = cleanFileName(p.FileName())
			u.data, err = io.ReadAll(io.LimitReader(p, s.cfg.AttachmentMaxBytes+1))
			if err != nil {
				return u, uploadError(err)
			}
			if int64(len(u.data)) > s.cfg.AttachmentMaxBytes {
				u.tooLarge, u.data = true, nil
				if _, err := io.Copy(io.Discard, p); err != nil {
					return u, uploadError(err)
				}
			}
		case "account_id", "message_id":
			b, err := io.ReadAll(io.LimitReader(p, maxFieldBytes+1))
			if err != nil {
				return u, uploadError(err)
			}
			if len(b) > maxFieldBytes || !utf8.Valid(b) {
				return u, newError(http.StatusBadRequest, "invalid_form", fmt.Sprintf("%s must be an id or a name of at most %d bytes of text.", p.FormName(), maxFieldBytes))
			}
			v := strings.TrimSpace(string(b))
			if p.FormName() == "account_id" {
				u.accountID, u.accountGiven = v, true
			} else {
				u.messageID = v
			}
		default:
			if _, err := io.Copy(io.Discard, p); err != nil {
				return u, uploadError(err)
			}
		}
	}
	if !sawFile {
		return u, newError(http.StatusBadRequest, "invalid_form", "Send the file in a form field named file.")
	}
	if u.name == "" {
		return u, newError(http.StatusBadRequest, "invalid_form", "The file has no name.")
	}
	return u, nil
}

func uploadError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return err // the body limit's 413 (see attachmentBodyError)
	}
	return newError(http.StatusBadRequest, "invalid_form", "The form could not be read: "+err.Error())
}

// cleanFileName keeps the last element of a name, without control or format characters, at most 255
// bytes; "" when nothing is left.
func cleanFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	// Control characters and format characters (a right-to-left override makes "report‮fdp.exe" show as
	// "reportexe.pdf") go; then the spaces around what is left.
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, name))
	if name == "." || name == ".." || name == "/" {
		return ""
	}
	for len(name) > 255 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return name
}

// csmUploadAttachment stores a file the CSM attaches, and enqueues its reading (see docs/attachments.md).
func (s *Server) csmUploadAttachment(c echo.Context) error {
	iv := csmInterview(c)
	ctx := c.Request().Context()
	if iv.Status == "handed_over" {
		return newError(http.StatusConflict, "handed_over", "This interview was handed over; nothing more can be attached.")
	}
	if s.attachmentQueue == nil {
		return newError(http.StatusServiceUnavailable, "attachments_unavailable", "Files cannot be attached on this server.")
	}
	u, err := s.readUpload(c)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return s.attachmentTooLarge()
		}
		return err
	}
	accountID, messageID, err := s.attachmentAccount(ctx, iv, u)
	if err != nil {
		return err
	}
	if u.tooLarge {
		return s.attachmentTooLarge()
	}
	sum := sha256.Sum256(u.data)
	digest := hex.EncodeToString(sum[:])
	if same, err := s.store.SameAttachment(ctx, iv.ID, accountID, digest); err == nil {
		return c.JSON(http.StatusOK, toAttachmentJSON(same))
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if n, err := s.store.CountAttachments(ctx, iv.ID); err != nil {
		return err
	} else if n >= s.cfg.AttachmentsMax {
		return s.tooManyAttachments()
	}
	typ, err := filetext.Sniff(u.name, u.data)
	if errors.Is(err, filetext.ErrUnsupported) {
		msg := strings.TrimSuffix(err.Error(), ": "+filetext.ErrUnsupported.Error())
		return newError(http.StatusUnsupportedMediaType, "unsupported_file", msg)
	}
	if err != nil {
		return err
	}
	var out store.Attachment
	created := false
	err = s.store.Transact(ctx, func(tx *store.Store) error {
		locked, err := tx.LockInterview(ctx, iv.ID)
		if err != nil {
			return err
		}
		if locked.Status == "handed_over" { // handed over since the request began
			return newError(http.StatusConflict, "handed_over", "This interview was handed over; nothing more can be attached.")
		}
		// The same file sent twice at once is the one attachment, even when it took the last place.
		if same, err := tx.SameAttachment(ctx, iv.ID, accountID, digest); err == nil {
			out = same
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		// Counted again under the interview's lock: two uploads at once cannot both take the last place.
		n, err := tx.CountAttachments(ctx, iv.ID)
		if err != nil {
			return err
		}
		if n >= s.cfg.AttachmentsMax {
			return s.tooManyAttachments()
		}
		out, created, err = tx.CreateAttachment(ctx, store.Attachment{InterviewID: iv.ID, AccountID: accountID, MessageID: messageID,
			Name: u.name, Kind: typ.Kind, MIME: typ.MIME, SHA256: digest, CreatedBy: iv.CSMName}, u.data)
		if err != nil || !created {
			return err
		}
		return s.attachmentQueue.EnqueueAttachment(ctx, tx, out.ID)
	})
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	return c.JSON(status, toAttachmentJSON(out))
}

func (s *Server) tooManyAttachments() error {
	return newError(http.StatusRequestEntityTooLarge, "too_many_attachments",
		fmt.Sprintf("This interview holds %d files already, the most it may hold. Remove one to attach another.", s.cfg.AttachmentsMax))
}

// attachmentAccount is the account a file is attached for: the one the CSM chose (an account of their
// interview, by its id or its name; "portfolio" for none), else the account of the question the answer replied to, else the
// account of the open question. The answer, when named, must be one of the CSM's in this interview.
func (s *Server) attachmentAccount(ctx context.Context, iv store.Interview, u upload) (accountID, messageID string, err error) {
	var answerAccount string
	if u.messageID != "" {
		if !store.ValidUUID(u.messageID) {
			return "", "", newError(http.StatusBadRequest, "invalid_message", "message_id is not a valid id.")
		}
		m, err := s.store.MessageByID(ctx, u.messageID)
		if errors.Is(err, store.ErrNotFound) || err == nil && (m.InterviewID != iv.ID || m.Role != "csm") {
			return "", "", newError(http.StatusNotFound, "message_not_found", "That answer is not in your interview.")
		}
		if err != nil {
			return "", "", err
		}
		messageID = m.ID
		if m.ReplyTo != "" {
			if q, err := s.store.MessageByID(ctx, m.ReplyTo); err == nil {
				answerAccount = q.AccountID
			}
		}
	}
	switch {
	case u.accountID == "portfolio":
		return "", messageID, nil
	case u.accountID != "":
		accounts, err := s.store.Accounts(ctx, iv.ID)
		if err != nil {
			return "", "", err
		}
		for _, a := range accounts {
			if a.ID == u.accountID || strings.EqualFold(a.Name, u.accountID) {
				return a.ID, messageID, nil
			}
		}
		return "", "", newError(http.StatusNotFound, "account_not_found", "That account is not in your interview.")
	case messageID != "":
		return answerAccount, messageID, nil
	}
	account, err := s.store.CurrentQuestionAccount(ctx, iv.ID)
	return account, messageID, err
}

// csmListAttachments lists the files of the CSM's interview.
func (s *Server) csmListAttachments(c echo.Context) error {
	list, err := s.store.Attachments(c.Request().Context(), csmInterview(c).ID)
	if err != nil {
		return err
	}
	out := make([]attachmentJSON, len(list))
	for i, a := range list {
		out[i] = toAttachmentJSON(a)
	}
	accounts, err := s.store.Accounts(c.Request().Context(), csmInterview(c).ID)
	if err != nil {
		return err
	}
	type accountJSON struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	accs := make([]accountJSON, len(accounts))
	for i, a := range accounts {
		accs[i] = accountJSON{ID: a.ID, Name: a.Name}
	}
	return c.JSON(http.StatusOK, map[string]any{"attachments": out, "accounts": accs, "max_bytes": s.cfg.AttachmentMaxBytes,
		"max_files": s.cfg.AttachmentsMax})
}

// csmDeleteAttachment removes one of the CSM's files: the original and its passages go, and the audit log
// says so.
func (s *Server) csmDeleteAttachment(c echo.Context) error {
	iv := csmInterview(c)
	ctx := c.Request().Context()
	err := s.store.Transact(ctx, func(tx *store.Store) error {
		a, err := tx.DeleteAttachment(ctx, iv.ID, c.Param("id"))
		if err != nil {
			return err
		}
		return tx.Audit(ctx, store.AuditEntry{Action: "attachment.removed", Subject: a.ID, IP: c.RealIP(),
			Details: map[string]any{"interview_id": iv.ID, "name": a.Name, "sha256": a.SHA256, "account_id": a.AccountID, "by": "csm"}})
	})
	if errors.Is(err, store.ErrNotFound) {
		return newError(http.StatusNotFound, "not_found", "There is no such file in your interview.")
	}
	if err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// downloadAttachment serves an original file to whoever may see its account's knowledge (the rule of its
// passages), and to the CSM who attached it; anyone else gets a 404, as for a file that is not there.
func (s *Server) downloadAttachment(c echo.Context) error {
	ctx := c.Request().Context()
	id := c.Param("id")
	notFound := newError(http.StatusNotFound, "not_found", "There is no such file.")
	a, err := s.store.AttachmentByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return notFound
	}
	if err != nil {
		return err
	}
	allowed, successor := false, false
	if u, ok := currentUser(c); ok {
		allowed, err = s.store.AttachmentVisible(ctx, store.Viewer{UserID: u.ID, Role: u.Role}, a.ID)
		if err != nil {
			return err
		}
		successor = u.Role == store.RoleSuccessor
	}
	if iv, ok := c.Get(ctxInterview).(store.Interview); ok && iv.ID == a.InterviewID {
		allowed, successor = true, false
	}
	if !allowed {
		return notFound
	}
	if successor && a.Withheld != "" {
		return newError(http.StatusForbidden, "original_withheld", originalWithheld(a))
	}
	h := c.Response().Header()
	etag := `"` + a.SHA256 + `"`
	h.Set("ETag", etag)
	h.Set("Cache-Control", "private, no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Disposition", contentDisposition(a.Name))
	if match := c.Request().Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		return c.NoContent(http.StatusNotModified)
	}
	data, err := s.store.AttachmentContent(ctx, a.ID)
	if errors.Is(err, store.ErrNotFound) {
		return notFound
	}
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, a.MIME, data)
}

// originalWithheld tells a successor why they read a file's passages but not the file itself.
func originalWithheld(a store.Attachment) string {
	return "The original of " + a.Name + " holds " + a.Withheld + ", removed from what successors read: its passages are in search; ask your manager for the file itself."
}

// requireReaderOrCSM lets through a signed-in successor, manager or admin, or the holder of a CSM's
// invite; the handler decides what each may see.
func requireReaderOrCSM(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, ok := currentUser(c); ok {
			return next(c)
		}
		if _, ok := c.Get(ctxInterview).(store.Interview); ok {
			return next(c)
		}
		if _, ok := c.Get(ctxInviteErr).(error); ok {
			return requireCSM(next)(c) // says why the invite no longer opens anything
		}
		return auth.ErrUnauthenticated
	}
}

// contentDisposition is an attachment header whose filename* holds the name in UTF-8, percent-encoded
// but for the characters RFC 8187 lets through as they are, and a plain ASCII filename for old clients.
func contentDisposition(name string) string {
	const attrChars = "!#$&+-.^_`|~"
	var enc, plain strings.Builder
	for _, b := range []byte(name) {
		switch {
		case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9', strings.IndexByte(attrChars, b) >= 0:
			enc.WriteByte(b)
		default:
			fmt.Fprintf(&enc, "%%%02X", b)
		}
	}
	for _, r := range name {
		if r >= 0x20 && r < 0x7f && r != '"' && r != '\\' {
			plain.WriteRune(r)
		} else {
			plain.WriteByte('_')
		}
	}
	return `attachment; filename="` + plain.String() + `"; filename*=UTF-8''` + enc.String()
}

// attachmentState says where an attachment is, for a page: "read: 3 pages", "being read", "could not be
// read: the PDF is encrypted".
func attachmentState(a store.Attachment) string {
	switch a.State {
	case store.AttachmentReady:
		unit := map[string][2]string{filetext.PDF: {"page", "pages"}, filetext.XLSX: {"sheet", "sheets"}, filetext.PPTX: {"slide", "slides"}}[a.Kind]
		if a.Units > 0 && unit[0] != "" {
			return "read: " + plural.Count(a.Units, unit[0], unit[1])
		}
		return "read"
	case store.AttachmentUnreadable:
		return "could not be read: " + a.Reason
	}
	return "being read"
}
