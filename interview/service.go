package interview

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/exitinterview/exitinterview/llm"
	"github.com/exitinterview/exitinterview/secret"
	"github.com/exitinterview/exitinterview/store"
)

// Errors the HTTP layer maps to responses.
var (
	ErrFinished      = errors.New("this interview has ended")
	ErrInviteExpired = errors.New("this invite link has expired")
	ErrInviteRevoked = errors.New("this invite link was replaced or withdrawn")
	ErrBusy          = errors.New("the interview is busy; try again")
	// ErrQuestionChanged: the answer was for a question that is no longer open (another tab moved on).
	ErrQuestionChanged = errors.New("the question changed")
)

// InvitePrefix starts every invite token.
const InvitePrefix = "eiv_"

// Config holds the service's settings.
type Config struct {
	BaseURL     string        // public URL, for invite links
	InviteGrace time.Duration // invites stay valid this long after the departure date
	// KeepSecrets keeps credentials in the stored answer (the operator's choice); they are redacted from
	// everything captured from it either way.
	KeepSecrets bool
	// ModelBudget bounds how long a turn waits on the model, retries included (default 20s). The model's
	// part ends a little before it (a tenth of it, at most half a second), so the offline engine's question
	// and the write still fit within it.
	ModelBudget time.Duration
}

const (
	defaultModelBudget = 20 * time.Second
	// writeTimeout bounds the reads and writes of a turn's reply, each on a context of its own.
	writeTimeout = 15 * time.Second
)

// detached returns a context for a turn's own reads and writes: it keeps ctx's values but neither its
// deadline nor its cancellation, so a model that used up the turn's time (or a browser that left) cannot
// leave an answer without its reply.
func detached(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
}

// CaptureQueue enqueues the capture (redaction, chunks, findings, embeddings) of a stored answer, in the
// transaction that stores it.
type CaptureQueue interface {
	EnqueueCapture(ctx context.Context, tx *store.Store, messageID string) error
}

// Service runs interviews: it creates them from a book of business and takes the CSM's turns.
type Service struct {
	store    *store.Store
	engine   Engine
	offline  *Offline
	cfg      Config
	queue    CaptureQueue
	reports  ReportQueue
	notifier Notifier
	events   Events
	log      *slog.Logger
	now      func() time.Time
	read     *readCache // answers as the offline rules read them, kept across turns
	facts    FactRefresher
}

// SetCaptureQueue makes every stored answer enqueue its capture. Without one, answers are only stored.
// SetClock makes the service read the day and time from now instead of the system clock: plans,
// validation of the departure date and read-backs then happen on that day. `bench --only fidelity` replays
// interviews recorded on another day with it; nothing else calls it.
func (s *Service) SetClock(now func() time.Time) {
	s.now = now
	if s.offline != nil {
		s.offline.now = now
	}
}

func (s *Service) SetCaptureQueue(q CaptureQueue) { s.queue = q }

// ReportQueue enqueues the generation of an interview's report, in the transaction that ends it.
type ReportQueue interface {
	EnqueueReport(ctx context.Context, tx *store.Store, interviewID, requestedBy string) (store.Report, error)
}

// Notifier queues e-mails in the transaction of the event that causes them.
type Notifier interface {
	Invite(ctx context.Context, tx *store.Store, iv store.Interview, managerName, inviteURL string) error
	Assigned(ctx context.Context, tx *store.Store, iv store.Interview, successor store.User, accounts []string) error
}

// SetNotifier makes new sessions and invite links e-mail the CSM, and successors named at creation hear
// of their accounts.
func (s *Service) SetNotifier(n Notifier) { s.notifier = n }

// Events are told what happens to interviews, in the transaction where it happens (the webhooks).
type Events interface {
	SessionCreated(ctx context.Context, tx *store.Store, iv store.Interview, accounts int) error
	InterviewStarted(ctx context.Context, tx *store.Store, iv store.Interview) error
	InterviewCompleted(ctx context.Context, tx *store.Store, iv store.Interview) error
	QuestionAnswered(ctx context.Context, tx *store.Store, iv store.Interview, questionID string) error
}

// SetEvents makes new sessions, first answers, ends of interviews and answered questions events.
func (s *Service) SetEvents(e Events) { s.events = e }

// SetReportQueue makes the end of every interview start its report.
func (s *Service) SetReportQueue(q ReportQueue) { s.reports = q }

// NewService returns a Service deciding turns with engine; offline is the fallback when engine fails (the
// same engine when no model is configured).
func NewService(st *store.Store, engine Engine, offline *Offline, cfg Config, log *slog.Logger) *Service {
	if cfg.ModelBudget <= 0 {
		cfg.ModelBudget = defaultModelBudget
	}
	return &Service{store: st, engine: engine, offline: offline, cfg: cfg, log: log, now: time.Now, read: &readCache{}}
}

// View is what the CSM sees: the transcript, the open question, the coverage and whether it is over.
type View struct {
	Interview store.Interview
	Accounts  []store.Account
	Messages  []store.Message
	Next      *store.Message
	Coverage  []store.CoverageItem
	Done      bool
	// Card is what the open read-back shows (nil unless Next is a read-back).
	Card []store.Fact
}

// Reply is the result of a CSM's turn: their stored message and the view after the interviewer's reply.
type Reply struct {
	Message store.Message
	View
}

func (s *Service) load(ctx context.Context, id string) (*State, error) {
	iv, accounts, cov, msgs, asked, err := s.store.SnapshotWithAsked(ctx, id)
	if err != nil {
		return nil, err
	}
	return &State{Interview: iv, Accounts: accounts, Coverage: cov, Messages: msgs, Asked: asked, read: s.read}, nil
}

func viewOf(st *State) View {
	return View{Interview: st.Interview, Accounts: st.Accounts, Messages: st.Messages, Next: st.OpenQuestion(),
		Coverage: st.Coverage, Done: st.Done()}
}

// View returns the CSM's view, first producing the interviewer's pending turn if there is one: the
// introduction on the first visit, or the reply to an answer whose turn was cut short (a crash, a restart).
func (s *Service) View(ctx context.Context, interviewID string, emit func(string)) (View, error) {
	v, err := s.resolve(ctx, interviewID, emit)
	if err != nil {
		return v, err
	}
	return s.cardOf(ctx, v)
}

// resolve brings the transcript to a state where the interviewer has spoken: it decides on a snapshot read
// without locks (the model may take seconds), then writes only if nothing happened meanwhile, retrying on a
// fresh snapshot otherwise. Two tabs answering at once thus get one reply each answer, never two.
//
// The model has (a little less than) ModelBudget for the whole of it, retries included; the offline engine
// answers when it fails or runs out of time, and every read and write runs on a context of its own.
func (s *Service) resolve(ctx context.Context, id string, emit func(string)) (View, error) {
	mctx, cancel := context.WithDeadline(ctx, s.modelDeadline(ctx))
	defer cancel()
	// Each retry follows another answer written meanwhile, so a CSM with several tabs open gets as many
	// tries as a busy moment needs before "the interview is busy".
	for attempt := 0; attempt < resolveAttempts; attempt++ {
		st, err := s.loadDetached(ctx, id)
		if err != nil {
			return View{}, err
		}
		if st.OpenQuestion() != nil || (st.Done() && len(st.Asked) == 0) {
			return viewOf(st), nil
		}
		var d Decision
		_, answer := st.pending()
		switch {
		case len(st.Asked) > 0 && len(st.Messages) > 0 && answer == nil:
			// Between plan questions (or after the farewell): a question someone asked is next.
			d = s.pose(st, st.Coverage, emit)
		case answer == nil && st.answeredAsked() && st.saidFarewell():
			// The CSM had finished; the questions asked since are answered: it ends again.
			if d, err = s.offline.Farewell(st); err != nil {
				return View{}, err
			}
		default:
			if d, err = s.engine.Decide(mctx, st, emit); err != nil {
				level := slog.LevelWarn
				if errors.Is(err, llm.ErrCircuitOpen) {
					level = slog.LevelDebug // the breaker said so when it opened
				}
				s.log.Log(ctx, level, "interviewer engine failed; using the offline engine for this turn", "interview_id", id, "error", err)
				if d, err = s.offline.Decide(ctx, st, emit); err != nil {
					return View{}, err
				}
			}
			d = s.withAsked(st, d)
			d = s.withReadback(ctx, st, d)
		}
		after, err := s.applyDetached(ctx, st, d)
		if err != nil && engineOf(d) != "offline" && engineOf(d) != "asked" {
			// What the model wrote could not be stored: this turn is the offline engine's.
			s.log.Warn("storing the model's turn failed; using the offline engine for this turn", "interview_id", id, "error", err)
			if d, err = s.offline.Decide(ctx, st, emit); err == nil {
				after, err = s.applyDetached(ctx, st, s.withAsked(st, d))
			}
		}
		if err != nil {
			return View{}, err
		}
		if after != nil {
			return viewOf(after), nil
		}
	}
	return View{}, ErrBusy
}

// resolveAttempts is how many fresh snapshots a turn decides on before it gives up as busy.
const resolveAttempts = 8

type modelDeadlineKey struct{}

// withModelDeadline fixes the model's deadline for a turn that may resolve the transcript more than once
// (an answer sent before the interview was opened, a skip): the budget is the turn's, not each step's.
func (s *Service) withModelDeadline(ctx context.Context) context.Context {
	return context.WithValue(ctx, modelDeadlineKey{}, s.modelDeadline(ctx))
}

// modelDeadline is when the model must have answered: a little before the turn's budget ends.
func (s *Service) modelDeadline(ctx context.Context) time.Time {
	if d, ok := ctx.Value(modelDeadlineKey{}).(time.Time); ok {
		return d
	}
	return time.Now().Add(s.cfg.ModelBudget - min(s.cfg.ModelBudget/10, 500*time.Millisecond))
}

func (s *Service) loadDetached(ctx context.Context, id string) (*State, error) {
	ctx, cancel := detached(ctx)
	defer cancel()
	return s.load(ctx, id)
}

func (s *Service) applyDetached(ctx context.Context, st *State, d Decision) (*State, error) {
	ctx, cancel := detached(ctx)
	defer cancel()
	return s.apply(ctx, st, d)
}

func engineOf(d Decision) string {
	if len(d.Messages) == 0 {
		return ""
	}
	return d.Messages[len(d.Messages)-1].Engine
}

// apply writes a decision if the transcript still ends where the snapshot ended, and returns the state
// after it (nil when something happened meanwhile). Only the coverage items that changed are written.
func (s *Service) apply(ctx context.Context, st *State, d Decision) (*State, error) {
	lastSeq := 0
	if m := st.last(); m != nil {
		lastSeq = m.Seq
	}
	before := map[[2]string]store.CoverageItem{}
	for _, c := range st.Coverage {
		before[[2]string{c.AccountID, c.Topic}] = c
	}
	var changed []store.CoverageItem
	for _, c := range d.Coverage {
		if before[[2]string{c.AccountID, c.Topic}] != c {
			changed = append(changed, c)
		}
	}
	var after *State
	err := s.store.Transact(ctx, func(tx *store.Store) error {
		iv, err := tx.LockInterview(ctx, st.Interview.ID)
		if err != nil {
			return err
		}
		seq, err := tx.LastSeq(ctx, st.Interview.ID)
		if err != nil || seq != lastSeq {
			return err
		}
		next := &State{Interview: iv, Accounts: st.Accounts, Coverage: d.Coverage, Messages: st.Messages[:len(st.Messages):len(st.Messages)],
			read: s.read}
		for _, m := range d.Messages {
			stored, err := tx.InsertMessage(ctx, store.Message{
				InterviewID: st.Interview.ID, Role: "interviewer", Content: m.Text, Kind: m.Kind, AccountID: m.AccountID,
				Topics: m.Topics, Engine: m.Engine, Model: m.Model, PromptVersion: m.PromptVersion,
				AskedQuestionID: m.AskedQuestionID, AskedFrom: m.AskedFrom, Choices: m.Choices,
			})
			if err != nil {
				return err
			}
			if m.AskedQuestionID != "" {
				if err := tx.MarkQuestionPosed(ctx, m.AskedQuestionID, stored.ID); err != nil {
					return err
				}
			}
			next.Messages = append(next.Messages, stored)
		}
		if err := tx.SaveCoverage(ctx, st.Interview.ID, changed); err != nil {
			return err
		}
		if d.Done {
			if err := tx.SetInterviewStatus(ctx, st.Interview.ID, "completed"); err != nil {
				return err
			}
			next.Interview.Status = "completed"
			if s.events != nil {
				if err := s.events.InterviewCompleted(ctx, tx, next.Interview); err != nil {
					return err
				}
			}
			if s.reports != nil {
				if _, err := s.reports.EnqueueReport(ctx, tx, st.Interview.ID, ""); err != nil {
					return err
				}
			}
		} else if iv.Status == "completed" {
			// A question asked after the end reopens the interview.
			if err := tx.SetInterviewStatus(ctx, st.Interview.ID, "in_progress"); err != nil {
				return err
			}
			next.Interview.Status = "in_progress"
		}
		after = next
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("save interviewer turn: %w", err)
	}
	return after, nil
}

// InterviewByInvite returns the interview an invite token opens, or ErrInviteExpired, ErrInviteRevoked or
// store.ErrNotFound.
func (s *Service) InterviewByInvite(ctx context.Context, token string) (store.Interview, error) {
	iv, status, err := s.store.InterviewByInvite(ctx, secret.Hash(token))
	if err != nil {
		return store.Interview{}, err
	}
	switch status {
	case store.InviteExpired:
		return iv, ErrInviteExpired
	case store.InviteRevoked:
		return iv, ErrInviteRevoked
	}
	return iv, nil
}

// NewInvite replaces an interview's invite links with a new one and returns its token and URL.
func (s *Service) NewInvite(ctx context.Context, iv store.Interview) (token, url string, err error) {
	token = secret.New(InvitePrefix)
	err = s.store.Transact(ctx, func(tx *store.Store) error {
		if _, err := tx.RevokeInvites(ctx, iv.ID); err != nil {
			return err
		}
		if err := tx.CreateInvite(ctx, iv.ID, secret.Hash(token), s.inviteExpiry(iv.DepartureDate)); err != nil {
			return err
		}
		return s.notifyInvite(ctx, tx, iv, s.InviteURL(token))
	})
	if err != nil {
		return "", "", err
	}
	return token, s.InviteURL(token), nil
}

// InviteURL is the link the CSM opens.
func (s *Service) InviteURL(token string) string { return s.cfg.BaseURL + "/i/" + token }

// inviteExpiry is the end of the departure day (UTC) plus the grace period.
func (s *Service) inviteExpiry(departure time.Time) time.Time {
	return departure.UTC().Truncate(24 * time.Hour).Add(24*time.Hour + s.cfg.InviteGrace)
}

// notifyInvite e-mails the invite link to the CSM, when e-mail is configured.
func (s *Service) notifyInvite(ctx context.Context, tx *store.Store, iv store.Interview, url string) error {
	if s.notifier == nil {
		return nil
	}
	manager, err := tx.UserByID(ctx, iv.ManagerID)
	if err != nil {
		return err
	}
	return s.notifier.Invite(ctx, tx, iv, manager.Name, url)
}
