// Package migrations holds the numbered SQL migrations of exitinterview's own schema, embedded in the
// binary and applied by goose (see store.Migrate). Files are never edited after they land; each starts
// with a comment saying why it exists.
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS
