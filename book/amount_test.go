package book

import (
	"strconv"
	"strings"
	"testing"
)

func TestParseAmount(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		in   string
		want float64
	}{
		{"plain", "240000", 240000},
		{"dollar with thousands", "$240,000", 240000},
		{"cents", "240,000.50", 240000.5},
		{"euro European", "€1.200.000,00", 1200000},
		{"euro after, European", "1.200.000,00 €", 1200000},
		{"k suffix", "240k", 240000},
		{"K suffix with space", "240 K", 240000},
		{"M suffix", "1.2M", 1200000},
		{"MM suffix", "$1.2MM", 1200000},
		{"mm lower", "3mm", 3000000},
		{"ISO code before", "USD 240,000", 240000},
		{"ISO code after", "240,000 USD", 240000},
		{"ISO code lower, glued", "eur240000", 240000},
		{"spaces as thousands", " 240 000 ", 240000},
		{"no-break space thousands", "240\u00a0000", 240000},
		{"narrow no-break space, French decimal", "1\u202f234\u202f567,89 €", 1234567.89},
		{"Swiss apostrophes", "CHF 1'234'567.80", 1234567.8},
		{"decimal comma", "1,5", 1.5},
		{"European thousands dot", "240.000", 240000},
		{"decimal dot", "1.25", 1.25},
		{"leading zero stays decimal", "0.125", 0.125},
		{"four digits after dot is decimal", "1.2345", 1.2345},
		{"first group too long for thousands", "2400.000", 2400},
		{"millions with commas", "1,200,000", 1200000},
		{"millions with dots", "1.200.000", 1200000},
		{"comma thousands with k", "1,500k", 1500000},
		{"dot before M is decimal", "1.250M", 1250000},
		{"leading decimal mark", "$.5M", 500000},
		{"pound", "£85,000", 85000},
		{"yen", "¥12,000,000", 12000000},
		{"US dollar sign", "US$ 99,999.99", 99999.99},
		{"Swedish kronor", "240 000 kr", 240000},
		{"zero", "0", 0},
		{"plus sign", "+1,000", 1000},
		{"minus", "-1,000", -1000},
		{"unicode minus", "−500", -500},
		{"minus before currency", "-$5,000", -5000},
		{"minus after currency", "$-5,000", -5000},
		{"accounting parentheses", "(1,200)", -1200},
		{"parentheses with currency", "($1,200.50)", -1200.5},
		{"negative zero is zero", "-0", 0},
		{"surrounding whitespace", "\t 42 \n", 42},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseAmount(tc.in)
			if err != nil {
				t.Fatalf("ParseAmount(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Fatalf("ParseAmount(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseAmountRejects(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, in string }{
		{"empty", ""},
		{"blank", "   "},
		{"letter O for zero", "$24O,000"},
		{"words", "about 200k"},
		{"two decimal points", "1.2.3"},
		{"two decimal marks mixed", "1.200,000.50"},
		{"decimal then thousands", "1,200.000,00"},
		{"doubled separator", "1,,000"},
		{"trailing separator", "240,"},
		{"bad grouping", "12,34,567"},
		{"mixed grouping", "1.200 000,00"},
		{"currency only", "$"},
		{"multiplier only", "k"},
		{"two currencies", "$€100"},
		{"two signs", "--100"},
		{"parentheses and minus", "(-100)"},
		{"scientific notation", "1e5"},
		{"hex", "0x10"},
		{"unknown code", "XYZ 100"},
		{"percent", "50%"},
		{"dash placeholder", "-"},
		{"N/A", "N/A"},
		{"overflow", "9" + strings.Repeat("9", 400)},
		{"overflow with multiplier", "1" + strings.Repeat("0", 305) + "M"},
		{"date", "2026-03-15"},
		{"MRR unit", "20k/mo"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseAmount(tc.in)
			if err == nil {
				t.Fatalf("ParseAmount(%q) = %v, want an error", tc.in, got)
			}
			if !strings.Contains(err.Error(), strconv.Quote(tc.in)) {
				t.Fatalf("error %q does not quote the input %q", err, tc.in)
			}
		})
	}
}

// TestParseMoney: an amount keeps the currency it was written in, however it was written, and European
// number formats read as the amounts they are.
func TestParseMoney(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in       string
		amount   float64
		currency string
		kronor   bool
	}{
		{"8.400 €", 8400, "EUR", false},
		{"8 400 €", 8400, "EUR", false},
		{"8\u00a0400 €", 8400, "EUR", false},
		{"8.400,50 €", 8400.5, "EUR", false},
		{"€8,400", 8400, "EUR", false},
		{"EUR 8.400", 8400, "EUR", false},
		{"8400 eur", 8400, "EUR", false},
		{"£85,000", 85000, "GBP", false},
		{"85.000 GBP", 85000, "GBP", false},
		{"$8,400", 8400, "USD", false},
		{"USD 8,400.50", 8400.5, "USD", false},
		{"US$ 99,999.99", 99999.99, "USD", false},
		{"CHF 1'234'567.80", 1234567.8, "CHF", false},
		{"Fr. 8'400", 8400, "CHF", false},
		{"240 000 kr", 240000, "", true},
		{"kr 240.000", 240000, "", true},
		{"240 000 SEK", 240000, "SEK", false},
		{"NOK 1.200.000,00", 1200000, "NOK", false},
		{"12.500 DKK", 12500, "DKK", false},
		{"RMB 10,000", 10000, "CNY", false},
		{"C$ 5,000", 5000, "CAD", false},
		{"1.2M €", 1200000, "EUR", false},
		{"240000", 240000, "", false},
		{"8.400", 8400, "", false},
	}
	for _, tc := range cases {
		got, err := ParseMoney(tc.in)
		if err != nil {
			t.Errorf("ParseMoney(%q): %v", tc.in, err)
			continue
		}
		if got.Amount != tc.amount || got.Currency != tc.currency || got.Kronor != tc.kronor {
			t.Errorf("ParseMoney(%q) = %+v, want %v %q kronor=%v", tc.in, got, tc.amount, tc.currency, tc.kronor)
		}
	}
	for _, bad := range []string{"8.400 € €", "€ 8.400 $", "8,400.50,00 €", "EUR"} {
		if m, err := ParseMoney(bad); err == nil {
			t.Errorf("ParseMoney(%q) = %+v, want an error", bad, m)
		}
	}
}

// TestCurrencyIn: an account's ARR is in the currency its amount named, else the session's; "kr" alone is
// taken as the session's currency only when that is a krona.
func TestCurrencyIn(t *testing.T) {
	t.Parallel()
	cases := []struct {
		account Account
		def     string
		want    string
		fails   bool
	}{
		{Account{Currency: "EUR"}, "USD", "EUR", false},
		{Account{}, "GBP", "GBP", false},
		{Account{Kronor: true}, "SEK", "SEK", false},
		{Account{Kronor: true}, "DKK", "DKK", false},
		{Account{Kronor: true}, "USD", "", true},
	}
	for _, tc := range cases {
		got, err := tc.account.CurrencyIn(tc.def)
		if (err != nil) != tc.fails || got != tc.want {
			t.Errorf("%+v in %s: %q, %v", tc.account, tc.def, got, err)
		}
	}
}

// TestImportKeepsEachAccountsCurrency: a file mixing currencies keeps each row's.
func TestImportKeepsEachAccountsCurrency(t *testing.T) {
	t.Parallel()
	accounts, err := ParseCSV(strings.NewReader("Account Name;ARR\nMüller GmbH;8.400 €\nAcme;\"$8,400\"\nTesco;£85.000\nVolvo;240 000 kr\nPlain;1000\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Money{"Müller GmbH": {8400, "EUR", false}, "Acme": {8400, "USD", false}, "Tesco": {85000, "GBP", false},
		"Volvo": {240000, "", true}, "Plain": {1000, "", false}}
	for _, a := range accounts {
		if w := want[a.Name]; a.ARR == nil || *a.ARR != w.Amount || a.Currency != w.Currency || a.Kronor != w.Kronor {
			t.Errorf("%s: %v %q kronor=%v, want %+v", a.Name, a.ARR, a.Currency, a.Kronor, w)
		}
	}
}

// TestMergeKeepsTheCurrencyOfTheAmountItTakes: an account typed without ARR takes the file's amount
// with the file's currency; one typed with an amount keeps its own.
func TestMergeKeepsTheCurrencyOfTheAmountItTakes(t *testing.T) {
	t.Parallel()
	typed := []Account{{Name: "Müller GmbH"}, {Name: "Acme", ARR: f64(100), Currency: "GBP"}}
	file := []Account{{Name: "müller gmbh", ARR: f64(8400), Currency: "EUR"}, {Name: "Acme", ARR: f64(200), Currency: "USD"},
		{Name: "Volvo", ARR: f64(240000), Kronor: true}}
	got, _ := Merge(typed, file)
	if got[0].Currency != "EUR" || *got[0].ARR != 8400 || got[1].Currency != "GBP" || *got[1].ARR != 100 || !got[2].Kronor {
		t.Fatalf("merged: %+v", got)
	}
}
