// Package store is exitinterview's access to PostgreSQL: the connection pool, the one transaction helper,
// migrations and the SQL behind every stored thing. SQL is written as SQL, in constants beside the
// function that runs it.
package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	pgxvec "github.com/pgvector/pgvector-go/pgx"
)

// ErrNotFound is returned when the requested row does not exist (or is not visible to the caller).
var ErrNotFound = errors.New("not found")

// querier is what a pool and a transaction have in common.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Begin(ctx context.Context) (pgx.Tx, error)
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// Store runs queries on a pool, or inside a transaction when it came from Transact.
type Store struct {
	pool *pgxpool.Pool
	q    querier
}

// New returns a Store on pool.
func New(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool, q: pool}
}

// Pool returns the underlying pool (for River and health checks).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Open connects to databaseURL. The schema must already be migrated: pgvector's types are registered on
// every new connection, which needs the extension to exist.
func Open(ctx context.Context, databaseURL string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		return pgxvec.RegisterTypes(ctx, conn)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return pool, nil
}

// Transact runs fn in a transaction and commits it when fn returns nil. It rolls back on error, on panic
// and when ctx is cancelled (the rollback itself runs on a fresh context so it is not skipped). Inside a
// transaction it opens a savepoint.
func (s *Store) Transact(ctx context.Context, fn func(tx *Store) error) (err error) {
	tx, err := s.q.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	if err = fn(&Store{pool: s.pool, q: tx}); err != nil {
		return err
	}
	if err = tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit transaction: %w", err)
	}
	return nil
}

// InTransaction runs fn in s's transaction, or in a transaction of its own (Transact) when s runs in
// none: a write that must be atomic needs no savepoint (two round trips more) inside a caller's
// transaction when an error of fn fails the caller's transaction too.
func (s *Store) InTransaction(ctx context.Context, fn func(tx *Store) error) error {
	if s.Tx() != nil {
		return fn(s)
	}
	return s.Transact(ctx, fn)
}

// Tx returns the transaction s runs in, or nil outside one (River's InsertTx needs it).
func (s *Store) Tx() pgx.Tx {
	tx, _ := s.q.(pgx.Tx)
	return tx
}

func isUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" && (constraint == "" || pgErr.ConstraintName == constraint)
}

func notFound(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// ValidUUID reports whether s is a UUID in its canonical text form. Ids from URLs are checked with it
// before they reach SQL, so queries compare uuid columns directly (and use their indexes) and a malformed
// id is simply not found.
func ValidUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
		default:
			return false
		}
	}
	return true
}
