package book

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseText(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		in   string
		want []Account
	}{
		{
			name: "typed names only",
			in:   "Acme\n\n   Globex    Corporation  \r\nInitech, Inc.\n\"Umbrella, Ltd\"\n",
			want: []Account{{Name: "Acme"}, {Name: "Globex Corporation"}, {Name: "Initech, Inc."}, {Name: "Umbrella, Ltd"}},
		},
		{
			name: "spreadsheet paste with header",
			in: "Account Name\tARR\tRenewal Date\tSegment\tNotes\n" +
				"Acme, Inc.\t$240,000\t3/15/2026\tEnterprise\tExec sponsor: Dana\n" +
				"Globex\t\t2026-06-30\tSMB\t\n",
			want: []Account{
				{Name: "Acme, Inc.", ARR: f64(240000), Currency: "USD", RenewalDate: day(2026, time.March, 15), Segment: "Enterprise", CRM: CRMContext{Notes: "Exec sponsor: Dana"}},
				{Name: "Globex", RenewalDate: day(2026, time.June, 30), Segment: "SMB"},
			},
		},
		{
			name: "comma lines with thousands separators",
			in: "Acme, $240,000, 2026-03-15, Enterprise, 001A\n" +
				"Globex,1,200,000\n" +
				"Initech, 12,500.50 USD\n" +
				"Hooli, 100, 2026-01-01\n",
			want: []Account{
				{Name: "Acme", ARR: f64(240000), Currency: "USD", RenewalDate: day(2026, time.March, 15), Segment: "Enterprise", CRMID: "001A"},
				{Name: "Globex", ARR: f64(1200000)},
				{Name: "Initech", ARR: f64(12500.5), Currency: "USD"},
				{Name: "Hooli", ARR: f64(100), RenewalDate: day(2026, time.January, 1)},
			},
		},
		{
			name: "comma lines with a company suffix and a written-out date",
			in:   "Acme, Inc., 240k, March 15, 2026, Enterprise\n\"Wayne, Enterprises\", 1M\n",
			want: []Account{
				{Name: "Acme, Inc.", ARR: f64(240000), RenewalDate: day(2026, time.March, 15), Segment: "Enterprise"},
				{Name: "Wayne, Enterprises", ARR: f64(1000000)},
			},
		},
		{
			name: "pipe-separated lines",
			in:   "Acme | 240k | 2026-03-15 | Enterprise | 001A\nGlobex | 1.2M\nInitech | | | SMB\n",
			want: []Account{
				{Name: "Acme", ARR: f64(240000), RenewalDate: day(2026, time.March, 15), Segment: "Enterprise", CRMID: "001A"},
				{Name: "Globex", ARR: f64(1200000)},
				{Name: "Initech", Segment: "SMB"},
			},
		},
		{
			name: "semicolon lines in European format",
			in:   "Müller GmbH; 1.200.000,00 €; 15.03.2026\nSociété Générale;240.000 €\n",
			want: []Account{
				{Name: "Müller GmbH", ARR: f64(1200000), Currency: "EUR", RenewalDate: day(2026, time.March, 15)},
				{Name: "Société Générale", ARR: f64(240000), Currency: "EUR"},
			},
		},
		{
			name: "tab lines without header",
			in:   "Acme\t240000\t\tGold\nGlobex\t\t2026-01-31\n",
			want: []Account{{Name: "Acme", ARR: f64(240000), Segment: "Gold"}, {Name: "Globex", RenewalDate: day(2026, time.January, 31)}},
		},
		{
			name: "commas that separate fields are not mistaken for thousands",
			in:   "Acme 2,100\nGlobex,5000,2026-03-15,Tier 2,123\n",
			want: []Account{
				{Name: "Acme 2", ARR: f64(100)},
				{Name: "Globex", ARR: f64(5000), RenewalDate: day(2026, time.March, 15), Segment: "Tier 2", CRMID: "123"},
			},
		},
		{
			name: "Markdown table from a wiki",
			in:   "| Account | ARR | Renewal |\n|---|---:|---|\n| Acme | $240,000 | 2026-03-15 |\n",
			want: []Account{{Name: "Acme", ARR: f64(240000), Currency: "USD", RenewalDate: day(2026, time.March, 15)}},
		},
		{
			name: "comma header after blank lines",
			in:   "\n\nCompany,ARR\nAcme,\"$240,000\"\n",
			want: []Account{{Name: "Acme", ARR: f64(240000), Currency: "USD"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseText(tc.in)
			if err != nil {
				t.Fatalf("ParseText: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("ParseText mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseTextErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		in     string
		line   int
		column string
		msg    string
	}{
		{"empty", "", 1, "", "no accounts"},
		{"whitespace only", " \n\t\n", 1, "", "no accounts"},
		{"header only", "Account Name\tARR\n", 1, "", "no accounts"},
		{"bad ARR", "Acme\nGlobex, lots\n", 2, "ARR", `"lots" is not an amount`},
		{"name with unknown comma suffix", "Acme, Europe\n", 1, "ARR", `"Europe" is not an amount`},
		{"bad renewal date", "Acme | 1k | soon\n", 1, "renewal date", `"soon" is not a date`},
		{"too many fields", "Acme\tkey\t2026-01-01\tGold\t001\textra\n", 1, "", "6 fields"},
		{"duplicate", "Acme\n\nGlobex\nACME\n", 4, "name", `duplicate account "ACME" (first on line 1)`},
		{"empty name", "Acme\n | 240k\n", 2, "name", "account name is empty"},
		{"negative", "Acme, -5\n", 1, "ARR", "negative"},
		{"control character", "Acme\x1b[31m\n", 1, "name", "control character"},
		{"invalid UTF-8", "Acme\nGlob\xffex\n", 2, "", "not valid UTF-8"},
		{"table rows numbered from the first line", "\nName,ARR\nAcme,1\nGlobex,abc\n", 4, "ARR", "not an amount"},
		{"table without data", "\n\nCustomer\n\n", 3, "", "no accounts"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseText(tc.in)
			if err == nil {
				t.Fatalf("ParseText = %+v, want an error", got)
			}
			wantParseError(t, err, tc.line, tc.column, tc.msg)
		})
	}
}
