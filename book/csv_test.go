package book

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseCSV(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		in   string
		want []Account
	}{
		{
			name: "Salesforce report export",
			in: "\ufeff\"Account ID\",\"Account Owner\",\"Account Name\",\"Type\",\"Annual Recurring Revenue\"," +
				"\"Contract End Date\",\"Health Status\",\"Last Activity\",\"Description\",\"New Owner\"\r\n" +
				"\"0015g00000AbCdE\",\"Jane Roe\",\"Acme, Inc.\",\"Enterprise\",\"$240,000\",\"3/15/2026\",\"At Risk\"," +
				"\"2/1/2026\",\"Champion left; \"\"exec sponsor\"\" is new\",\"Sam.Lee@Example.com\"\r\n" +
				"\"0015g00000FgHiJ\",\"Jane Roe\",\"Northwind   Traders\",\"Mid-Market\",\"USD 85,500.50\",\"12/31/2026\"," +
				"\"Green\",\"\",\"\",\"\"\r\n",
			want: []Account{
				{
					Name: "Acme, Inc.", ARR: f64(240000), Currency: "USD", RenewalDate: day(2026, time.March, 15), Segment: "Enterprise",
					CRMID: "0015g00000AbCdE", Successor: "sam.lee@example.com",
					CRM: CRMContext{Health: "At Risk", LastContact: day(2026, time.February, 1), Notes: `Champion left; "exec sponsor" is new`},
				},
				{
					Name: "Northwind Traders", ARR: f64(85500.5), Currency: "USD", RenewalDate: day(2026, time.December, 31), Segment: "Mid-Market",
					CRMID: "0015g00000FgHiJ", CRM: CRMContext{Health: "Green"},
				},
			},
		},
		{
			name: "European semicolon export",
			in: "Account Name;ARR;Renewal Date;Segment;Notes\n" +
				"Müller GmbH;1.200.000,00 €;15.03.2026;Enterprise;Zahlung, pünktlich\n" +
				"Société Générale;240.000 €;01.07.2026;Mid-Market;\n",
			want: []Account{
				{Name: "Müller GmbH", ARR: f64(1200000), Currency: "EUR", RenewalDate: day(2026, time.March, 15), Segment: "Enterprise", CRM: CRMContext{Notes: "Zahlung, pünktlich"}},
				{Name: "Société Générale", ARR: f64(240000), Currency: "EUR", RenewalDate: day(2026, time.July, 1), Segment: "Mid-Market"},
			},
		},
		{
			name: "HubSpot companies export",
			in: "Record ID,Company name,Company owner,Annual Revenue,Next Renewal Date,Customer Segment,Last Activity Date,Health Score,Upsell,New Owner Email\n" +
				"9876543210,Initech,Jane Roe,120000,2026-09-30,SMB,2026-01-20 14:02,72,Seats expansion,bob@example.com\n",
			want: []Account{{
				Name: "Initech", ARR: f64(120000), RenewalDate: day(2026, time.September, 30), Segment: "SMB", CRMID: "9876543210",
				Successor: "bob@example.com",
				CRM:       CRMContext{Health: "72", LastContact: day(2026, time.January, 20), OpenOpportunity: "Seats expansion"},
			}},
		},
		{
			name: "blank lines, empty rows and trailing empty columns are skipped",
			in:   "\n\nName,ARR,,\n\nAcme,100,,\n,,,\n   \nGlobex,,,\n\n",
			want: []Account{{Name: "Acme", ARR: f64(100)}, {Name: "Globex"}},
		},
		{
			name: "tab-separated with empty cells keeps columns aligned",
			in:   "Account\tARR\tRenewal\tTier\nAcme\t\t\tGold\nGlobex\t5k\t2026-01-31\t\n",
			want: []Account{{Name: "Acme", Segment: "Gold"}, {Name: "Globex", ARR: f64(5000), RenewalDate: day(2026, time.January, 31)}},
		},
		{
			name: "Excel sep directive, Salesforce object prefix, units in headers, placeholders",
			in:   "sep=;\nAccount: Account Name;ARR (USD);Renewal Date (MM/DD/YYYY);Successor\nAcme;N/A;-;Jane Doe <Jane@Example.com>\n",
			want: []Account{{Name: "Acme", Successor: "jane@example.com"}},
		},
		{
			name: "first of two name columns wins",
			in:   "Company,Account Name\nAcme Corp,ACME-1\n",
			want: []Account{{Name: "Acme Corp"}},
		},
		{
			name: "old Mac line ends",
			in:   "Name,ARR\rAcme,1\rGlobex,2\r",
			want: []Account{{Name: "Acme", ARR: f64(1)}, {Name: "Globex", ARR: f64(2)}},
		},
		{
			name: "Windows-1252 export",
			in:   "Name,Notes\nM\xfcller GmbH,\x93key\x94 account \x96 renew\n",
			want: []Account{{Name: "Müller GmbH", CRM: CRMContext{Notes: "“key” account – renew"}}},
		},
		{
			name: "UTF-16 export",
			in:   utf16LE("Name\tARR\r\nZürich Re\t1'000\r\n"),
			want: []Account{{Name: "Zürich Re", ARR: f64(1000)}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseCSV(strings.NewReader(tc.in))
			if err != nil {
				t.Fatalf("ParseCSV: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("ParseCSV mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseCSVErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		in     string
		line   int
		column string
		msg    string
	}{
		{"empty file", "", 1, "", "no accounts"},
		{"only blank lines", "\r\n\r\n  \r\n", 1, "", "no accounts"},
		{"header only", "Account Name,ARR\r\n", 1, "", "no accounts"},
		{"header and empty rows", "Account Name,ARR\n,\n\n", 1, "", "no accounts"},
		{"no name column", "Owner,ARR,Renewal\nJane,100,2026-01-01\n", 1, "", "no account name column"},
		{"bad ARR on line 4", "Account Name,ARR\nAcme,100\nGlobex,200\nInitech,$24O,000\n", 4, "ARR", `"$24O" is not an amount`},
		{"negative ARR", "Name,ARR\nAcme,(5000)\n", 2, "ARR", "negative"},
		{"bad renewal date", "Name,Renewal Date\nAcme,2026-02-30\n", 2, "Renewal Date", `"2026-02-30" is not a date`},
		{"bad last contact", "Name,Last Contact\nAcme,last week\n", 2, "Last Contact", "not a date"},
		{"successor without @", "Name,Successor\nAcme,Jane Doe\n", 2, "Successor", "not an e-mail address"},
		{"two successors", "Name,Successor\nAcme,\"a@x.com, b@x.com\"\n", 2, "Successor", "not an e-mail address"},
		{"duplicate names", "Account Name,ARR\nNorthwind,1\nAcme,2\n\n  northwind ,3\n", 5, "Account Name", `duplicate account "northwind" (first on line 2)`},
		{"empty name with data", "Name,ARR\nAcme,1\n,2000\n", 3, "Name", "account name is empty"},
		{"name too long", "Name\n" + strings.Repeat("x", 201) + "\n", 2, "Name", "longer than 200"},
		{"control character", "Name,Segment\nAcme,Gold\x07\n", 2, "Segment", "control character"},
		{"multi-line notes keep line numbers right", "Name,Notes,Renewal Date\nAcme,\"line one\nline two\nline three\",2026-01-01\nGlobex,,2026-02-30\n", 5, "Renewal Date", "not a date"},
		{"error inside a row after a multi-line field", "Name,Notes,ARR\nAcme,\"one\ntwo\",lots\n", 3, "ARR", "not an amount"},
		{"Excel workbook", "PK\x03\x04\x14\x00", 1, "", "Excel workbook"},
		{"binary", "Name\nAcme\x00\n", 2, "", "binary"},
		{"damaged UTF-8", "Name\nZürich\nM\xfcller\n", 3, "", "not valid UTF-8"},
		{"too many accounts", "Name\n" + numberedNames(maxAccounts+1), maxAccounts + 2, "", "more than 2000 accounts"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseCSV(strings.NewReader(tc.in))
			if err == nil {
				t.Fatalf("ParseCSV = %+v, want an error", got)
			}
			wantParseError(t, err, tc.line, tc.column, tc.msg)
		})
	}
}

func TestParseErrorMessage(t *testing.T) {
	t.Parallel()
	_, err := ParseCSV(strings.NewReader("Account Name,ARR\nAcme,100\nGlobex,200\nInitech,\"$24O,000\"\n"))
	if got, want := err.Error(), `line 4, column "ARR": "$24O,000" is not an amount`; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	_, err = ParseCSV(strings.NewReader("Owner,ARR\n"))
	if got := err.Error(); !strings.HasPrefix(got, "line 1: no account name column; expected one of: Account Name, Name, Company, Customer") {
		t.Fatalf("got %q", got)
	}
}

func TestParseCSVAllowsMaxAccounts(t *testing.T) {
	t.Parallel()
	got, err := ParseCSV(strings.NewReader("Name\n" + numberedNames(maxAccounts)))
	if err != nil || len(got) != maxAccounts {
		t.Fatalf("got %d accounts, %v; want %d", len(got), err, maxAccounts)
	}
}

func numberedNames(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "Account %d\n", i+1)
	}
	return b.String()
}

func utf16LE(s string) string {
	b := []byte{0xff, 0xfe}
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return string(b)
}
