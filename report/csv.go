package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
)

// ChecklistCSV is the handover checklist as CSV, in the report's order (per account, then
// portfolio-wide), for a spreadsheet or a task tracker. sources holds the transcript numbers ("#12 #15").
// A cell that a spreadsheet would take for a formula (starting with =, +, -, @, a tab or a carriage
// return) gets a leading apostrophe.
func ChecklistCSV(r *Report) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write([]string{"id", "account", "kind", "title", "owner", "due_date", "done", "sources"}); err != nil {
		return nil, fmt.Errorf("checklist csv: %w", err)
	}
	for _, it := range checklistOrder(r) {
		src := strings.Trim(citation(r, it.MessageIDs, " "), "[]")
		row := []string{it.ID, it.Account, it.Kind, it.Title, it.Owner, it.DueDate, strconv.FormatBool(it.Done), src}
		for i := range row {
			row[i] = csvSafe(row[i])
		}
		if err := w.Write(row); err != nil {
			return nil, fmt.Errorf("checklist csv: %w", err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("checklist csv: %w", err)
	}
	return buf.Bytes(), nil
}

// csvSafe defuses formula injection: spreadsheets evaluate a cell that starts with one of these.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
