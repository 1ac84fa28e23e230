package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/exitinterview/exitinterview/config"
	"github.com/exitinterview/exitinterview/report"
	"github.com/exitinterview/exitinterview/store"
)

// runReport generates a new version of an interview's report in this process, as the report job does,
// stores it (the web pages serve it as the latest) and writes one rendering to --out, chosen by its
// extension: .pdf, .md, .json or .csv (the checklist).
func runReport(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "report", "report --interview ID --out FILE.pdf|.md|.json|.csv [--database-url URL]")
	interviewID := fs.String("interview", "", "the interview's id (from the session page or GET /api/v1/interviews)")
	out := fs.String("out", "", "file to write; its extension picks the format: .pdf, .md, .json or .csv (the checklist)")
	config.Flags(fs, "database-url")
	cfg, err := loadConfig(env, fs, args)
	if err != nil {
		return err
	}
	ext := strings.ToLower(filepath.Ext(*out))
	switch {
	case *interviewID == "":
		return errors.New("--interview is required")
	case *out == "":
		return errors.New("--out is required")
	case ext != ".pdf" && ext != ".md" && ext != ".json" && ext != ".csv":
		return fmt.Errorf("--out %s: the extension must be .pdf, .md, .json or .csv", *out)
	}
	log := newLogger(cfg, env.stderr)
	svc, err := openServices(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer svc.Close()

	var rec store.Report
	err = svc.store.Transact(ctx, func(tx *store.Store) error {
		var err error
		rec, _, err = tx.RequestReport(ctx, *interviewID, "", 0)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no interview %q", *interviewID)
	}
	if err != nil {
		return err
	}
	if err := svc.reports.Generate(ctx, rec.ID); err != nil {
		_ = svc.reports.Fail(context.WithoutCancel(ctx), rec.ID, err)
		return err
	}
	_, r, err := svc.reports.Current(ctx, *interviewID)
	if err != nil {
		return err
	}
	var body []byte
	switch ext {
	case ".pdf", ".md":
		kind := map[string]string{".pdf": "pdf", ".md": "markdown"}[ext]
		if body, _, err = svc.store.ReportFile(ctx, *interviewID, kind); err != nil {
			return err
		}
	case ".json":
		body, err = jsonIndent(r)
	case ".csv":
		body, err = report.ChecklistCSV(r)
	}
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, body, 0o600); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "report version %d of %s: %d accounts, %d checklist items, written to %s\n",
		r.Version, r.Interview.CSMName, len(r.Accounts), len(r.Checklist), *out)
	return nil
}

func jsonIndent(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
