package book

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// currencySymbols may stand before or after an amount, with the ISO 4217 code each names; "" for "kr",
// which Swedish, Norwegian and Danish kronor share. Longer ones come first so that "US$" is not read as
// "$" with "US" left over.
var currencySymbols = []struct{ sign, code string }{
	{"US$", "USD"}, {"CA$", "CAD"}, {"AU$", "AUD"}, {"NZ$", "NZD"}, {"HK$", "HKD"}, {"SG$", "SGD"}, {"R$", "BRL"},
	{"A$", "AUD"}, {"C$", "CAD"}, {"S$", "SGD"}, {"Fr.", "CHF"}, {"kr.", ""}, {"kr", ""}, {"zł", "PLN"}, {"Kč", "CZK"},
	{"Ft", "HUF"}, {"$", "USD"}, {"€", "EUR"}, {"£", "GBP"}, {"¥", "JPY"}, {"₹", "INR"}, {"₩", "KRW"}, {"₪", "ILS"},
	{"₺", "TRY"}, {"₽", "RUB"}, {"₱", "PHP"}, {"₫", "VND"}, {"฿", "THB"},
}

var isoCurrencies = map[string]bool{
	"USD": true, "EUR": true, "GBP": true, "CHF": true, "JPY": true, "CAD": true, "AUD": true, "NZD": true,
	"SEK": true, "NOK": true, "DKK": true, "PLN": true, "CZK": true, "HUF": true, "RON": true, "INR": true,
	"CNY": true, "RMB": true, "HKD": true, "SGD": true, "ZAR": true, "BRL": true, "MXN": true, "ILS": true,
	"AED": true, "SAR": true, "KRW": true, "TRY": true, "RUB": true, "ARS": true, "CLP": true, "COP": true,
}

// Money is an amount and the currency it was written in.
type Money struct {
	Amount float64
	// Currency is the ISO 4217 code the amount names ("EUR" for "€", "8.400 EUR" or "eur8400"), or "" when
	// it names none, or names only "kr".
	Currency string
	// Kronor says the amount was written in "kr" without saying whose: SEK, NOK and DKK all write it.
	Kronor bool
}

// ParseMoney parses an amount as ParseAmount does and says which currency it was written in.
func ParseMoney(s string) (Money, error) {
	bad := fmt.Errorf("%q is not an amount", s)
	t := strings.TrimSpace(s)
	neg := false
	if len(t) >= 2 && t[0] == '(' && t[len(t)-1] == ')' {
		neg, t = true, t[1:len(t)-1] // accounting notation
	}
	core, minus, mult, cur, ok := splitAmount(t)
	if !ok || (neg && minus) {
		return Money{}, bad
	}
	digits, ok := normaliseDigits(core, mult != "")
	if !ok {
		return Money{}, bad
	}
	switch strings.ToLower(mult) {
	case "k":
		digits += "e3"
	case "m", "mm":
		digits += "e6"
	}
	v, err := strconv.ParseFloat(digits, 64)
	if err != nil || math.IsInf(v, 0) {
		return Money{}, bad
	}
	if (neg || minus) && v != 0 {
		v = -v
	}
	m := Money{Amount: v}
	switch {
	case cur == "":
	case isoCurrencies[strings.ToUpper(cur)]:
		m.Currency = strings.ToUpper(cur)
		if m.Currency == "RMB" {
			m.Currency = "CNY" // the renminbi's ISO code
		}
	default:
		for _, c := range currencySymbols {
			if strings.EqualFold(c.sign, cur) {
				m.Currency, m.Kronor = c.code, c.code == ""
				break
			}
		}
	}
	return m, nil
}

// ParseAmount parses money like "240000", "$240,000", "240,000.50", "€1.200.000,00", "240k", "1.2M",
// "USD 240,000", " 240 000 ". Whether "." or "," is the decimal mark is decided by position, since exports
// use both conventions; a lone separator followed by exactly three digits groups thousands ("240.000" is
// 240000) unless it is a dot before a k/M multiplier ("1.250M"). Parentheses or a leading minus give a
// negative amount. ParseMoney says which currency the amount was written in as well.
func ParseAmount(s string) (float64, error) {
	m, err := ParseMoney(s)
	return m.Amount, err
}

// splitAmount peels a sign and a currency off the front and a currency and a k/M multiplier off the back,
// each at most once and in either order ("-$240k", "$-240k", "240K USD", "USD 1.2MM"); cur is the
// currency as written.
func splitAmount(t string) (core string, minus bool, mult, cur string, ok bool) {
	seenSign, seenCur := false, false
	for {
		t = strings.TrimLeftFunc(t, unicode.IsSpace)
		r, n := utf8.DecodeRuneInString(t)
		if !seenSign && (r == '-' || r == '−' || r == '+') {
			seenSign, minus, t = true, r != '+', t[n:]
			continue
		}
		if !seenCur {
			if n := currencyPrefix(t); n > 0 {
				seenCur, cur, t = true, t[:n], t[n:]
				continue
			}
		}
		break
	}
	for {
		t = strings.TrimRightFunc(t, unicode.IsSpace)
		if !seenCur {
			if n := currencySuffix(t); n > 0 {
				seenCur, cur, t = true, t[len(t)-n:], t[:len(t)-n]
				continue
			}
		}
		if mult == "" {
			if m := multiplierSuffix(t); m != "" {
				mult, t = m, t[:len(t)-len(m)]
				continue
			}
		}
		break
	}
	return t, minus, mult, cur, t != ""
}

func currencyPrefix(t string) int {
	for _, c := range currencySymbols {
		if len(t) >= len(c.sign) && strings.EqualFold(t[:len(c.sign)], c.sign) {
			return len(c.sign)
		}
	}
	if len(t) >= 3 && isoCurrencies[strings.ToUpper(t[:3])] && (len(t) == 3 || !isLetter(t[3])) {
		return 3
	}
	return 0
}

func currencySuffix(t string) int {
	for _, c := range currencySymbols {
		if len(t) >= len(c.sign) && strings.EqualFold(t[len(t)-len(c.sign):], c.sign) {
			return len(c.sign)
		}
	}
	n := len(t)
	if n >= 3 && isoCurrencies[strings.ToUpper(t[n-3:])] && (n == 3 || !isLetter(t[n-4])) {
		return 3
	}
	return 0
}

func multiplierSuffix(t string) string {
	for _, m := range []string{"mm", "m", "k"} {
		if len(t) > len(m) && strings.EqualFold(t[len(t)-len(m):], m) {
			return t[len(t)-len(m):]
		}
	}
	return ""
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// normaliseDigits turns the numeric core ("1.200.000,00") into strconv form ("1200000.00"), or reports
// that it is not a well-formed number: only digits and separators, thousands groups of exactly three
// digits, one decimal mark.
func normaliseDigits(core string, scaled bool) (string, bool) {
	if core[0] == '.' || core[0] == ',' { // ".5M"
		rest := core[1:]
		return "0." + rest, rest != "" && strings.TrimFunc(rest, isASCIIDigit) == ""
	}
	var groups []string
	var seps []rune
	start, afterSep := 0, true
	for i, r := range core {
		switch {
		case isASCIIDigit(r):
			afterSep = false
		case isGroupSep(r) || r == '.' || r == ',':
			if afterSep {
				return "", false
			}
			groups, seps = append(groups, core[start:i]), append(seps, r)
			start, afterSep = i+utf8.RuneLen(r), true
		default:
			return "", false
		}
	}
	if afterSep {
		return "", false
	}
	groups = append(groups, core[start:])

	n := len(seps)
	intEnd := n // seps[:intEnd] group thousands; seps[intEnd], if any, is the decimal mark
	if n > 0 && (seps[n-1] == '.' || seps[n-1] == ',') {
		last := seps[n-1]
		sameCount, other, spaced := 0, false, false
		for _, s := range seps {
			switch {
			case s == last:
				sameCount++
			case isGroupSep(s):
				spaced = true
			default:
				other = true
			}
		}
		switch {
		case other: // "1.200.000,00", "240,000.50": the last mark is the decimal one
			if sameCount > 1 {
				return "", false
			}
			intEnd = n - 1
		case sameCount > 1: // "1,200,000", "1.200.000"
		case spaced: // "1 234,56", "1'234.5"
			intEnd = n - 1
		case len(groups[n]) == 3 && len(groups[0]) <= 3 && groups[0] != "0" && !(scaled && last == '.'):
			// "240,000", "240.000", "1,500k"; but "1.250M" reads as 1.25 million
		default: // "1,5", "1.25", "0.125"
			intEnd = n - 1
		}
	}
	if intEnd > 0 {
		if len(groups[0]) > 3 {
			return "", false
		}
		for i := 0; i < intEnd; i++ {
			if sepClass(seps[i]) != sepClass(seps[0]) || len(groups[i+1]) != 3 {
				return "", false
			}
		}
	}
	digits := strings.Join(groups[:intEnd+1], "")
	if intEnd < n {
		digits += "." + groups[n]
	}
	return digits, true
}

// isGroupSep reports separators that only ever group thousands: spaces (including the no-break and thin
// spaces French and Swiss formats use) and apostrophes.
func isGroupSep(r rune) bool {
	switch r {
	case ' ', '\u00a0', '\u202f', '\u2009', '\'', '’':
		return true
	}
	return false
}

func sepClass(r rune) rune {
	if isGroupSep(r) {
		return ' '
	}
	return r
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }
