package book

import (
	"bytes"
	"math"
	"testing"
	"time"
)

var tableSeeds = []string{
	"",
	"Account Name,ARR,Renewal Date\nAcme,\"$240,000\",3/15/2026\n",
	"\ufeff\"Account ID\",\"Account Name\",\"ARR\"\r\n\"001\",\"Acme, Inc.\",\"1.2M\"\r\n",
	"Account Name;ARR;Renewal Date\nMüller GmbH;1.200.000,00 €;15.03.2026\n",
	"Name\tARR\tTier\nAcme\t\tGold\n",
	"sep=;\nName;Notes\nAcme;\"multi\nline\"\nGlobex;x\n",
	"Name,Notes,Successor\nAcme,\"a \"\"quoted\"\" note\",Jane <jane@example.com>\n",
	"Owner,ARR\nJane,1\n",
	"Name\n\"unterminated\n",
}

func FuzzParseCSV(f *testing.F) {
	for _, s := range tableSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(utf16LE("Name\r\nZürich\r\n")))
	f.Add([]byte("Name\nM\xfcller\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		accounts, err := ParseCSV(bytes.NewReader(data))
		checkResult(t, accounts, err)
	})
}

func FuzzParseText(f *testing.F) {
	for _, s := range tableSeeds {
		f.Add(s)
	}
	for _, s := range []string{
		"Acme\nGlobex\n",
		"Acme, $240,000, March 15, 2026, Enterprise, 001A\n",
		"Acme, Inc. | 240k | 2026-03-15\n",
		"Müller GmbH; 1.200.000,00 €; 15.03.2026\n",
		"Acme\tx\ty\tz\tw\tv\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		accounts, err := ParseText(s)
		checkResult(t, accounts, err)
	})
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"240000", "$240,000", "€1.200.000,00", "1.2M", "(1,200)", "USD 240,000", " 240 000 ", ".5k", "1,5", "$24O,000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseAmount(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("ParseAmount(%q) = %v", s, v)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-03-15", "2026-03-15T10:00:00+01:00", "15 March 2026", "March 15, 2026", "15-Mar-26", "15.03.2026", "3/15/2026", "15/03/2026", "2026-02-30"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
			t.Fatalf("ParseDate(%q) = %v, not UTC midnight", s, d)
		}
		again, err := ParseDate(d.Format("2006-01-02"))
		if err != nil || !again.Equal(d) {
			t.Fatalf("ParseDate(%q) = %v does not round-trip: %v, %v", s, d, again, err)
		}
	})
}
