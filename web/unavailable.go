package web

import (
	"errors"
	"io"
	"net"
	"net/http"

	"github.com/jackc/pgx/v5/pgconn"
)

// retryAfterUnavailable is the Retry-After, in seconds, of a 503: the database is usually back within
// seconds (a failover, a restart) and the pool reconnects by itself.
const retryAfterUnavailable = "2"

var errUnavailable = newError(http.StatusServiceUnavailable, "unavailable",
	"The service cannot reach its database just now. Please try again in a moment.")

// dbUnavailable reports whether err means the database could not be reached, rather than that it refused
// the request: a failed connect, a connection lost or closed mid-query, a network error, SQLSTATE class 08
// (connection exception), or 57P01–57P03 (the server is shutting down or not yet accepting connections).
func dbUnavailable(err error) bool {
	if _, ok := errors.AsType[*pgconn.ConnectError](err); ok {
		return true
	}
	if pe, ok := errors.AsType[*pgconn.PgError](err); ok {
		switch {
		case len(pe.Code) == 5 && pe.Code[:2] == "08":
			return true
		case pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03":
			return true
		}
		return false
	}
	// pgconn's errors about the connection itself (send, receive, closed, timed out) say whether the
	// query may be retried; errors about the query do not.
	if _, ok := errors.AsType[interface {
		error
		SafeToRetry() bool
	}](err); ok {
		return true
	}
	if _, ok := errors.AsType[*net.OpError](err); ok {
		return true
	}
	// A connection cut mid-query reaches the caller as a bare unexpected EOF.
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed)
}
