package jobs

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/store/dbtest"
)

// jobsEnv is a fresh database with a manager, and an interview service on it with the offline engine.
type jobsEnv struct {
	pool    *pgxpool.Pool
	store   *store.Store
	log     *slog.Logger
	manager store.User
	ivs     *interview.Service
}

func newJobsEnv(t *testing.T, baseURL string) jobsEnv {
	t.Helper()
	pool := dbtest.New(t)
	st := store.New(pool)
	log := slog.New(slog.DiscardHandler)
	manager, err := st.CreateUser(context.Background(), store.NewUser{Email: "maria@example.com", Name: "Maria Keller", Role: store.RoleManager})
	if err != nil {
		t.Fatal(err)
	}
	offline, err := interview.NewOffline()
	if err != nil {
		t.Fatal(err)
	}
	ivs := interview.NewService(st, offline, offline, interview.Config{BaseURL: baseURL, InviteGrace: time.Hour}, log)
	return jobsEnv{pool: pool, store: st, log: log, manager: manager, ivs: ivs}
}
