package extract

import (
	"strconv"
	"strings"
)

// Money needs a currency or a magnitude ("$60k", "€1.2M", "60,000 euros", "worth 60,000"): a bare
// number in an answer is more often seats or users than money.
var (
	moneyRE   = compile(`(?i)(?:([$€£])\s?|\b(?:usd|eur|gbp|chf)\s?|\b(worth|valued at|value of|arr of|deal of|around|about|roughly)\s+[$€£]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:\s?(k|mm|m|bn|b|million|thousand|billion)\b)?|\b(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:\s?(k|mm|m|bn|million|thousand|billion)\b|\s(?:dollars|euros|pounds|usd|eur|gbp)\b)`)
	percentRE = compile(`(?i)\b(\d{1,3})(?:\.(\d+))?\s?(?:%|percent\b|per cent\b)`)
	// A percentage that is a price, a share of users or a change is not a probability.
	notChanceRE = compile(`(?i)^\s*(?:discount|off|of (?:the |their )?(?:users|seats|licen|price|budget|team)|uplift|increase|decrease|price|adoption|usage|growth|utili[sz]ation|cheaper|more|less|fewer)`)
	chanceWords = []struct {
		re *pattern
		p  string
	}{
		// "likely to churn" speaks of leaving, not of renewing.
		{compile(`(?i)\b(?:un)?likely to (?:churn|leave|cancel|switch|move|go)\b`), ""},
		{compile(`(?i)\b(?:very|highly|extremely) unlikely\b`), "0.15"},
		{compile(`(?i)\bunlikely\b`), "0.3"},
		{compile(`(?i)\b(?:very|highly|extremely) likely\b`), "0.85"},
		{compile(`(?i)\b(?:auto-?renew\w*|renews? automatically|automatic(?:ally)? renew\w*|evergreen)\b`), "0.9"},
		{compile(`(?i)\blikely\b`), "0.7"},
		{compile(`(?i)(?:\b50/50\b|\bfifty-fifty\b|\bcoin (?:flip|toss)\b)`), "0.5"},
	}
)

var scale = map[string]int{"k": 3, "thousand": 3, "m": 6, "mm": 6, "million": 6, "b": 9, "bn": 9, "billion": 9}

type amount struct {
	sp    span
	value string
}

// money finds the amounts inside sp.
func money(text string, sp span) []amount {
	s := text[sp.start:sp.end]
	var out []amount
	for _, m := range moneyRE.FindAllStringSubmatchIndex(s, -1) {
		g := func(k int) string {
			if m[2*k] < 0 {
				return ""
			}
			return strings.ToLower(s[m[2*k]:m[2*k+1]])
		}
		whole, frac, mag := g(3), g(4), g(5)
		if whole == "" {
			whole, frac, mag = g(6), g(7), g(8)
		}
		// "worth 40" with neither currency nor magnitude is not money.
		if g(1) == "" && g(2) != "" && mag == "" && !strings.Contains(whole, ",") && !strings.ContainsAny(s[m[0]:m[1]], "$€£") {
			continue
		}
		if v := decimal(strings.ReplaceAll(whole, ",", ""), frac, scale[mag]); v != "" {
			out = append(out, amount{span{sp.start + m[0], sp.start + m[1]}, v})
		}
	}
	return out
}

// decimal writes whole.frac × 10^exp as a plain number without floating point, so "1.2M" is exactly
// "1200000" and "1,234.50" is "1234.5".
func decimal(whole, frac string, exp int) string {
	digits := whole + frac
	point := len(whole) + exp
	for len(digits) < point {
		digits += "0"
	}
	intPart, fracPart := digits[:point], strings.TrimRight(digits[point:], "0")
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	if len(intPart) > 15 {
		return "" // not an amount anyone said on purpose
	}
	if fracPart == "" {
		return intPart
	}
	return intPart + "." + fracPart
}

// chance reads a likelihood from sp: a percentage that is not a price or share, else a word.
func chance(text string, sp span) string {
	s := text[sp.start:sp.end]
	for _, m := range percentRE.FindAllStringSubmatchIndex(s, -1) {
		if notChanceRE.MatchString(s[m[1]:]) {
			continue
		}
		n, err := strconv.Atoi(s[m[2]:m[3]])
		if err != nil || n > 100 {
			continue
		}
		frac := ""
		if m[4] >= 0 {
			frac = s[m[4]:m[5]]
		}
		return decimal(leftPad(strconv.Itoa(n)+frac, 2+len(frac)), "", -2-len(frac))
	}
	for _, w := range chanceWords {
		if w.re.MatchString(s) {
			return w.p
		}
	}
	return ""
}

func leftPad(s string, n int) string {
	for len(s) < n {
		s = "0" + s
	}
	return s
}
