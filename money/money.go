// Package money writes amounts for people to read, in the currency they were given in.
//
// One convention everywhere: the currency first, then the number with a comma between thousands and a
// point before cents ("€8,400", "$1,200,000.50", "CHF 8,400"). The pages are in English, and amounts in a
// column must compare at a glance: "8.400 €" beside "$8,400" reads as eight euros forty. A symbol is used
// only where it names one currency unmistakably ($ for US dollars, €, £, ¥ for yen, ₹); every other
// currency is written by its ISO 4217 code, since "kr", "Fr." or "C$" mean different things to different
// readers.
package money

import (
	"math"
	"sort"
	"strconv"
	"strings"
)

// Default is the currency of an amount whose import named none.
const Default = "USD"

// symbols are the currencies written with a sign rather than their code.
var symbols = map[string]string{"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}

// Valid reports whether code looks like an ISO 4217 code: three capital letters A–Z.
func Valid(code string) bool {
	if len(code) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if code[i] < 'A' || code[i] > 'Z' {
			return false
		}
	}
	return true
}

// Format writes v in currency code ("EUR" → "€8,400"). Cents are shown only when there are any. An
// empty or malformed code is written as the default currency's, so nothing is shown without one.
func Format(v float64, code string) string {
	if !Valid(code) {
		code = Default
	}
	n := Number(math.Abs(v))
	return withCurrency(n, v < 0 && n != "0", code)
}

// Number writes the figure alone ("1,200,000", "8,400.50"), for an amount whose currency nobody kept.
func Number(v float64) string {
	cents := int64(math.Round(math.Abs(v) * 100))
	s := group(strconv.FormatInt(cents/100, 10))
	if c := cents % 100; c != 0 {
		s += "." + strconv.FormatInt(100+c, 10)[1:]
	}
	if v < 0 && cents != 0 {
		s = "-" + s
	}
	return s
}

// Ptr is Format for an amount that may be unknown, which it writes as "".
func Ptr(v *float64, code string) string {
	if v == nil {
		return ""
	}
	return Format(*v, code)
}

// Short writes v the way people say it, rounded: "$240k", "€1.2M", "CHF 950".
func Short(v float64, code string) string {
	if !Valid(code) {
		code = Default
	}
	var n string
	switch a := math.Abs(v); {
	case a >= 1e6:
		n = strings.TrimSuffix(strings.TrimSuffix(strconv.FormatFloat(a/1e6, 'f', 1, 64), "0"), ".") + "M"
	case a >= 1e3:
		n = strconv.FormatFloat(a/1e3, 'f', 0, 64) + "k"
	default:
		n = strconv.FormatFloat(a, 'f', 0, 64)
	}
	return withCurrency(n, v < 0 && n != "0", code)
}

// withCurrency puts the currency before a number: its sign, or its code and a no-break space, which keeps
// "CHF" on the line of its number.
func withCurrency(n string, negative bool, code string) string {
	cur := code + "\u00a0"
	if sym, ok := symbols[code]; ok {
		cur = sym
	}
	if negative {
		return "-" + cur + n
	}
	return cur + n
}

// group puts a comma between thousands of a string of digits.
func group(digits string) string {
	var b strings.Builder
	for i := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(digits[i])
	}
	return b.String()
}

// Sum adds amounts per currency: amounts in different currencies cannot be added without a rate of
// exchange, which nobody here gave, so a sum over them is one total per currency.
type Sum map[string]float64

// Add adds v in currency code (the default currency when code is empty or malformed).
func (s Sum) Add(v float64, code string) {
	if !Valid(code) {
		code = Default
	}
	s[code] += v
}

// Total is one currency's share of a Sum.
type Total struct {
	Currency string
	Amount   float64
}

// Totals lists the sum's currencies in the order of their codes: ordering them by size would need a rate
// too.
func (s Sum) Totals() []Total {
	out := make([]Total, 0, len(s))
	for c, v := range s {
		out = append(out, Total{Currency: c, Amount: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Currency < out[j].Currency })
	return out
}

// String writes the sum as "€8,400 + $12,000", or "" when nothing was added.
func (s Sum) String() string {
	parts := make([]string, 0, len(s))
	for _, t := range s.Totals() {
		parts = append(parts, Format(t.Amount, t.Currency))
	}
	return strings.Join(parts, " + ")
}
