package facts

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Describe says a fact in one short line, the way the read-back card and its transcript text show it:
//
//	risk        "high: they are halfway out the door" (the level and the driver)
//	renewal     "30 April 2027, 50% likely, Karen Liu decides"
//	person      "Karen Liu (VP Operations, decision maker, on leave, do not contact)"
//	commitment  "the connector fix, to Karen Liu, due 8 January 2027"
//	other       the CSM's words
func Describe(f Fact) string {
	v := f.Fields
	switch f.Type {
	case Risk:
		if v["level"] == "" {
			return "not sure"
		}
		if d := firstOf(v["driver"]); d != "" {
			return v["level"] + ": " + d
		}
		return v["level"]
	case Renewal:
		return joinNonEmpty(", ", Date(v["date"]), percent(v["probability"]), decides(v["decider"]))
	case Person:
		var notes []string
		notes = append(notes, v["role"], strings.ReplaceAll(v["relationship"], "_", " "))
		switch v["status"] {
		case "left":
			notes = append(notes, "has left")
		case "on_leave":
			notes = append(notes, "on leave")
		case "new":
			notes = append(notes, "new")
		}
		if yes(v["do_not_contact"]) {
			notes = append(notes, "do not contact")
		}
		if n := joinNonEmpty(", ", notes...); n != "" {
			return v["name"] + " (" + n + ")"
		}
		return v["name"]
	case Commitment:
		what := v["what"]
		if what == "" {
			what = f.Text
		}
		to := ""
		if v["to_whom"] != "" {
			to = "to " + v["to_whom"]
		}
		due := "no due date yet"
		if v["due_date"] != "" {
			due = "due " + Date(v["due_date"])
		}
		return joinNonEmpty(", ", what, to, due)
	}
	return f.Text
}

// Date writes a YYYY-MM-DD date as "8 January 2027" ("" stays "").
func Date(s string) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return d.Format("2 January 2006")
}

func percent(p string) string {
	v, err := strconv.ParseFloat(p, 64)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%.0f%% likely", v*100)
}

func decides(name string) string {
	if name == "" {
		return ""
	}
	return name + " decides"
}

func firstOf(list string) string {
	first, _, _ := strings.Cut(list, "; ")
	return first
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
