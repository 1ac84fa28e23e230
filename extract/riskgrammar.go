package extract

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// The risk reader's grammar: what the lexicon's words mean together. Each rule is read off the
// sentence's words after the phrase matching in risk.go, with word lists from prompts/risk.txt.
//
// Words are first normalised, so that one form stands for many:
//
//	written                                  read as
//	abt, rcvd, champ, w/, tho, →             about, received, champion, with, though, to
//	non-renewal, non-trivial                 not renewal, not trivial
//	nine out of ten, 6 out of 10             9/10, 6/10
//	50-50, 50:50, fifty-fifty, 70-30         50/50, 70/30 (two numbers that make 100 are odds)
//	one in three, 1 in 4                     33 %, 25 %
//	risk level 4 of 5 (after a risk word)    risk level 4/5
//
// What the account will do (an outcome verb, [outcomes]: leave or stay) is read with the mood before
// it in its clause ([modality]) and the negations there (a doubt, [doubts], reaches the clause's end;
// two negations cancel):
//
//	outcome        certain    likely   possible   unlikely     example
//	leave          critical   high     medium     low          "they will be discontinuing the services"
//	not leave      low        low      medium     high         "no way they're leaving us"
//	stay           low        low      medium     high         "they will renew only"
//	not stay       critical   high     medium     low          "no chance they renew"
//
// A belief before it ([beliefs]: "I suspect", "I reckon") makes a certain mood likely, as a doubt does, and
// a critical signal after it in its clause high ("I think they will churn"); an uncertainty (a doubt
// whose value is "possible": "not sure they'll renew") makes the mood possible;
// a mood may also follow the outcome as a noun ("renewal is sure", "Churn: confirmed").
// An outcome needs a mood, a negation, the account right before a phrase of two words or more ("they
// cancel the contract from January"; "they leave a lot of tickets open" is no outcome) or the past tense
// after the account ("they renewed for 3 years":
// done; "needs the questionnaire renewed" is no outcome), a doubt
// makes a certain mood likely ("I don't think they'll renew" is high), is a noun after a preposition or
// a determiner ([noun markers]: "on maternity leave", "before renewal"), and is not the account's when
// its subject is a person ([subjects]: "I'm leaving", "the champion will leave"). Outcomes and acts are
// read only where the answer is about the risk (the churn-risk question, or a sentence naming risk).
//
// An act and its object ([acts] then [objects] within six words of its clause) tell what was done:
// "asked legal for our contract termination terms" (asked for an exit: high), "served written notice of
// termination" (an exit served: critical), "looking at two other vendors" (a rival evaluated: high). An
// object that is what a risk is of ("the risk of non-renewal given ...") is no act's.
//
// A measure of the account ([metrics]: usage, seats, sentiment; or one where more is worse: tickets,
// escalations) and a direction ([directions]: down, declined, halved; up, grew) within four words of each
// other in a clause are a trend:
//
//	trend                                   level    example
//	worse                                   medium   "a steady decline in weekly active users"
//	worse, by a lot                         high     "sentiment has deteriorated materially", "usage down 60%"
//	better                                  low      "usage is up", "logins grew"
//
// A negative number right after a measure is a direction too ("usage -55%"), and so is "from 500 to
// 120" (by a lot when it moves by 30% or more). By a lot is a [magnitudes] phrase or an intensifier ([modifiers] +1) beside the direction, or a
// percentage of 30 or more in the clause. A level word right before a measure describes it ("low
// adoption", "high usage") and is no verdict.
//
// A modifier ([modifiers]) right before a signal moves it: an intensifier lifts a medium one to high
// ("really upset"), a softener lowers a high one to medium ("a bit annoyed"); a low one stays low.

// normaliseRiskWords rewrites shorthand, number words and scores to one form: "rcvd" → "received",
// "w/" → "with", "nine out of ten" → "9/10", "50 - 50" → "50/50".
func normaliseRiskWords(l riskLexicon, ws []string) []string {
	out := respell(l, ws)
	for i, w := range out {
		if p, n := l.at("number words", out, i); n > 0 && i+2 < len(out) && out[i+1] == "out" && out[i+2] == "of" {
			out[i] = p.value // a number word only in a score: "one foot out the door" stays
		}
		if i >= 3 && out[i-1] == "of" && out[i-2] == "out" {
			if p, n := l.at("number words", out, i); n > 0 {
				out[i] = p.value
			}
		}
		_ = w
	}
	var res []string
	for i := 0; i < len(out); i++ {
		if i+3 < len(out) && isNumber(out[i]) && out[i+1] == "out" && out[i+2] == "of" && isNumber(out[i+3]) {
			res = append(res, out[i]+"/"+out[i+3])
			i += 3
			continue
		}
		if i+2 < len(out) && out[i+1] == "of" && isNumber(out[i]) && (out[i+2] == "5" || out[i+2] == "10") && scoredBefore(l, out, i) {
			res = append(res, out[i]+"/"+out[i+2]) // "risk level 4 of 5"
			i += 2
			continue
		}
		if i+2 < len(out) && out[i+1] == "in" {
			if n, d, ok := numberIn(l, out[i], out[i+2]); ok {
				res = append(res, strconv.Itoa(int(math.Round(100*n/d))), "%") // "one in three" is 33%
				i += 2
				continue
			}
		}
		if i+2 < len(out) && (out[i+1] == "-" || out[i+1] == hyphen || out[i+1] == ":") && oddsPair(out[i], out[i+2]) {
			res = append(res, out[i]+"/"+out[i+2])
			i += 2
			continue
		}
		res = append(res, out[i])
	}
	return res
}

// respell writes shorthand and common misspellings out ([spellings]): "abt" → "about", "champ" →
// "champion", "→" → "to". A "w" before "/" is "with".
func respell(l riskLexicon, ws []string) []string {
	var out []string
	for i := 0; i < len(ws); i++ {
		if ws[i] == "w" && i+1 < len(ws) && ws[i+1] == "/" {
			out = append(out, "with")
			i++
			continue
		}
		if p, n := l.at("spellings", ws, i); n > 0 {
			out = append(out, strings.Fields(p.value)...)
			i += n - 1
			continue
		}
		out = append(out, ws[i])
	}
	return out
}

// scoredBefore reports whether a risk or health word stands in the three words before i: a number there
// is a score ("risk level 4 of 5", "health 7 of 10"), not a count ("4 of 5 sites").
func scoredBefore(l riskLexicon, ws []string, i int) bool {
	for k := max(0, i-3); k < i; k++ {
		if _, n := l.riskWordAt(ws, k); n > 0 {
			return true
		}
		if _, n := l.at("health words", ws, k); n > 0 {
			return true
		}
	}
	return false
}

// numberIn reads "one in three", "1 in 4": a count in a whole of 2 to 10 or 100, the count smaller.
func numberIn(l riskLexicon, a, b string) (n, d float64, ok bool) {
	value := func(w string) (float64, bool) {
		if p, m := l.at("number words", []string{w}, 0); m > 0 {
			w = p.value
		}
		v, err := strconv.Atoi(w)
		return float64(v), err == nil
	}
	n, ok1 := value(a)
	d, ok2 := value(b)
	return n, d, ok1 && ok2 && n >= 1 && n < d && (d <= 10 || d == 100)
}

// oddsPair reports whether two words are numbers that make 100: "70" and "30" are odds.
func oddsPair(a, b string) bool {
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(b)
	return err1 == nil && err2 == nil && x > 0 && y > 0 && x+y == 100
}

// oddsChance reads odds "70/30" as the chance of the first side, 0.7. Even odds "50/50" are left to the
// lexicon, which reads them as they stand.
func oddsChance(w string) (float64, bool) {
	a, b, ok := strings.Cut(w, "/")
	if !ok || !oddsPair(a, b) || a == "50" {
		return 0, false
	}
	x, _ := strconv.Atoi(a)
	return float64(x) / 100, true
}

func isNumber(w string) bool {
	_, err := strconv.Atoi(w)
	return err == nil
}

// modified moves a signal's level by a modifier right before it (one word may stand between) or inside
// its phrase (the n words from i: "gone very quiet"; but "not so good" is no stronger than "not good").
func modified(l riskLexicon, ws []string, i, n, lo, hi int) (int, int) {
	for k := max(0, i-3); k < i+n && k < len(ws); k++ {
		p, m := l.at("modifiers", ws, k)
		if m == 0 || k < i && (k+m < i-1 || k+m > i) {
			continue
		}
		if k > i && p.value == "+1" && (l.negators[ws[i]] || strings.HasSuffix(ws[i], "n't")) {
			continue // "not so good", "not very happy": inside a negation an intensifier softens
		}
		switch {
		case p.value == "+1" && lo == 1:
			return 2, max(hi, 2)
		case p.value == "-1" && lo == 2 && hi == 2:
			return 1, 1
		}
	}
	return lo, hi
}

// riskOf reports whether the words at i follow "of" after a risk word: "the risk of non-renewal",
// "a moderate likelihood of attrition" name what the risk is of, not what happened.
func riskOf(l riskLexicon, ws []string, i int) bool {
	if i >= 2 && ws[i-2] == "of" && l.negators[ws[i-1]] {
		i-- // "the risk of non-renewal"
	}
	if i == 0 || ws[i-1] != "of" {
		return false
	}
	for k := max(0, i-4); k < i-1; k++ {
		if _, n := l.riskWordAt(ws, k); n > 0 && k+n >= i-2 {
			return true
		}
	}
	return false
}

// outcomeLevels is the table in the comment above: by outcome, negated or not, and mood.
var outcomeLevels = map[string]map[string]int{
	"leave":     {"certain": 3, "likely": 2, "possible": 1, "unlikely": 0},
	"not leave": {"certain": 0, "likely": 0, "possible": 1, "unlikely": 2},
	"stay":      {"certain": 0, "likely": 0, "possible": 1, "unlikely": 2},
	"not stay":  {"certain": 3, "likely": 2, "possible": 1, "unlikely": 0},
}

// outcomes reads what the account will do, as signals. In an ironic sentence an outcome after "if" is
// read as certain, to be inverted with the rest.
func outcomes(l riskLexicon, ws []string, end int, taken []bool, live []int8, full, ironic bool) []riskEvidence {
	var ev []riskEvidence
	if !full {
		return nil // what the account will do counts only where the answer is about its risk
	}
	for i := 0; i < end; i++ {
		if live[i] < 0 {
			continue // a phrase read already may say more with its mood: "planning to move to another vendor"
		}
		p, n := l.at("outcomes", ws, i)
		if n == 0 {
			continue
		}
		if mood, ok := moodAfter(l, ws, i+n, end); ok {
			lv := outcomeLevels[p.value][mood] // "renewal is sure", "churn: confirmed", "renewal looks unlikely"
			ev = append(ev, riskEvidence{kind: "signal", lo: lv, hi: lv, strong: lv >= 2, key: p.value + " " + mood})
			i += n - 1
			continue
		}
		if _, m := l.at("noun markers", ws, max(0, i-1)); i > 0 && m == 1 {
			i += n - 1 // "on maternity leave", "before renewal": a noun, not what they will do
			continue
		}
		mood, negated, ok := outcomeMood(l, ws, i, towardsUs(p), len(p.words) >= 2)
		if !ok && ironic && slices.Contains(ws[max(0, i-3):i], "if") {
			mood, ok = "certain", true // "if they renew I'll eat my hat": what is denied, said as if it were so
		}
		if ok && !riskOf(l, ws, i) {
			what := p.value
			if negated {
				what = "not " + what
			}
			lv := outcomeLevels[what][mood]
			ev = append(ev, riskEvidence{kind: "signal", lo: lv, hi: lv, strong: lv >= 2, key: what + " " + mood})
		}
		i += n - 1
	}
	return ev
}

// moodAfter reads a mood said after an outcome word, at k: a joining word ([copulas]: "is", "looks",
// ":") and then a mood ([modality]) that ends its clause or comes before "to" or "in": "renewal is sure",
// "Churn: confirmed", "renewal looks unlikely".
func moodAfter(l riskLexicon, ws []string, k, end int) (string, bool) {
	_, c := l.at("copulas", ws, k)
	if c == 0 {
		return "", false
	}
	p, n := l.at("modality", ws, k+c)
	if n == 0 {
		return "", false
	}
	if next := k + c + n; next < end && !clauseEnds[ws[next]] && ws[next] != "," {
		return "", false // "renewal is likely to slip": a mood of something else
	}
	return p.value, true
}

// towardsUs reports whether an outcome phrase names us or the account as its object ("leave us", "lose
// them"): whoever its subject is ("the director wants to leave us", "we lose them"), it is the account's.
func towardsUs(p phrase) bool {
	last := p.words[len(p.words)-1]
	return last == "us" || last == "them"
}

// outcomeMood reads the clause before an outcome verb at i, nearest word first, up to its subject: its
// mood (certain when only a negation is there), whether it is negated, and whether it is the account's
// at all. Before the subject only negations count ("no way they're leaving", "I doubt they'll leave").
func outcomeMood(l riskLexicon, ws []string, i int, anySubject, whole bool) (mood string, negated, ok bool) {
	negations, doubted, believed, uncertain := 0, false, false, false
	adjacent := false // the account is the subject right before the verb: "they cancel the contract"
	subject := false
	inDoubt := -1 // words from here up to the verb are inside a doubt already counted
	negAt := i    // the first word of the last negation counted
	for k := i - 1; k >= 0; k-- {
		w := ws[k]
		if clauseEnds[w] || negationStops[w] {
			break
		}
		for j := max(0, k-3); j <= k; j++ {
			if p, n := l.at("doubts", ws, j); n > 0 && j+n > k && j+n <= i && (inDoubt < 0 || j < inDoubt) {
				if p.value == "possible" {
					uncertain = true // "not sure they'll renew": neither way
				} else {
					negations++
					doubted = true
				}
				inDoubt = j
				subject = true // "I" before "wouldn't bet money on them leaving" is the doubter
			}
		}
		if inDoubt >= 0 && k >= inDoubt {
			continue
		}
		if _, n := l.at("beliefs", ws, k); n > 0 && k+n <= i {
			believed = true // "I suspect they'll jump ship"
		}
		if k < i-6 {
			continue // past the verb's reach: only a doubt counts there
		}
		if _, n := l.at("negators", ws, k); n > 0 && k+n <= negAt {
			negations++ // "no chance they renew": before the subject too
			negAt = k   // "absolutely no" is one negation with the "no" in it
		}
		if subject {
			if p, n := l.at("modality", ws, k); n > 0 && k+n <= i && mood == "" && p.words[len(p.words)-1] == "chance" {
				mood = p.value // "slim chance they renew": a chance stands before its subject
			}
			continue
		}
		if p, n := l.at("modality", ws, k); n > 0 && k+n <= i && mood == "" {
			mood = p.value
		}
		if p, n := l.at("subjects", ws, k); n > 0 && k+n <= i {
			subject = true
			if p.value == "person" && !anySubject {
				return "", false, false
			}
			adjacent = whole && k+n == i && p.value == "account"
		}
	}
	if uncertain {
		return "possible", negations%2 == 1, true
	}
	if mood == "" && negations == 0 && !(subject && strings.HasSuffix(ws[i], "ed")) && !adjacent {
		return "", false, false
	}
	if mood == "" {
		mood = "certain" // "they renewed for 3 years", "not renewing"
	}
	if (doubted || believed) && mood == "certain" {
		mood = "likely" // "I don't think they'll renew", "I suspect they'll leave": a belief is no certainty
	}
	return mood, negations%2 == 1, true
}

// acts reads an act and its object, in either order: "asked for the termination terms", "looking at
// other vendors", "notice of cancellation received". A negated act is a sign of staying: "no notice of
// termination has been received" is low.
func acts(l riskLexicon, ws []string, end int, taken []bool, live []int8, full bool) []riskEvidence {
	var ev []riskEvidence
	if !full {
		return nil
	}
	for i := 0; i < end; i++ {
		if taken[i] || live[i] < 0 {
			continue
		}
		p, n := l.at("acts", ws, i)
		if n == 0 {
			continue
		}
		value, class, _ := strings.Cut(p.value, "@")
		if from, ok := objectNear(l, ws, i, n, end, class); ok && !riskOf(l, ws, from) {
			lo, hi, _ := levelRange(value)
			e := riskEvidence{kind: "signal", lo: lo, hi: hi, strong: strings.HasSuffix(value, "!"), key: class + " " + strings.Join(ws[i:i+n], " ")}
			if negatedBefore(l, ws, min(from, i)) {
				e = riskEvidence{kind: "signal", key: "no " + e.key}
			}
			ev = append(ev, e)
		}
		i += n - 1
	}
	return ev
}

// objectNear finds an object of a class within six words after the act at i (n words long), or within
// four before it, in its clause; it returns where the object starts.
func objectNear(l riskLexicon, ws []string, i, n, end int, class string) (int, bool) {
	for k := i + n; k < min(end, i+n+6); k++ {
		if clauseEnds[ws[k]] || ws[k] == "," {
			break
		}
		if q, m := l.at("objects", ws, k); m > 0 && q.value == class {
			return k, true
		}
	}
	for k := i - 1; k >= max(0, i-4); k-- {
		if clauseEnds[ws[k]] || ws[k] == "," {
			break
		}
		if q, m := l.at("objects", ws, k); m > 0 && q.value == class && k+m <= i {
			return k, true
		}
	}
	return 0, false
}

// negatedBefore reports whether a negator stands in the three words before i, in its clause.
func negatedBefore(l riskLexicon, ws []string, i int) bool {
	for k := i - 1; k >= max(0, i-3); k-- {
		if negationStops[ws[k]] {
			return false
		}
		if _, n := l.at("negators", ws, k); n > 0 {
			return true
		}
	}
	return false
}

// scoreFraction reads a score "6/10", "34/100", "3/5", "4.8/5" as a fraction of its scale; a scale of
// five runs from 1 ("2/5" is 0.25, "3/5" 0.5).
func scoreFraction(w string) (float64, bool) {
	a, b, ok := strings.Cut(w, "/")
	if !ok {
		return 0, false
	}
	n, err1 := strconv.ParseFloat(a, 64)
	d, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || (d != 5 && d != 10 && d != 100) || n > float64(d) || n < 0 {
		return 0, false
	}
	if d == 5 {
		return max(0, n-1) / 4, true // a scale from 1 to 5: 1 is the bottom, 3 the middle
	}
	return n / float64(d), true
}

// fractionLevel maps a risk score, as a fraction of its scale: up to 0.3 low, up to 0.6 medium, up to
// 0.85 high, else critical ("2/10" low, "6/10" medium, "8/10" high, "9/10" critical).
func fractionLevel(f float64) int {
	switch {
	case f <= 0.3:
		return 0
	case f <= 0.6:
		return 1
	case f <= 0.85:
		return 2
	}
	return 3
}

// healthScoreAt reads a score within three words from k as a health score: the higher, the safer.
func healthScoreAt(l riskLexicon, ws []string, k int) (riskEvidence, bool) {
	for j := k; j < min(len(ws), k+4); j++ {
		if clauseEnds[ws[j]] {
			break
		}
		if f, ok := scoreFraction(ws[j]); ok {
			lv := fractionLevel(1 - f)
			return riskEvidence{kind: "signal", lo: lv, hi: lv, key: "health " + ws[j]}, true
		}
	}
	return riskEvidence{}, false
}

// healthBefore reports whether a health word stands in the three words before i: its score is
// inverted ("NPS 3/10", "health: 8/10").
func healthBefore(l riskLexicon, ws []string, i int) bool {
	for k := max(0, i-3); k < i; k++ {
		if _, n := l.at("health words", ws, k); n > 0 {
			return true
		}
	}
	return false
}

// trends reads measures of the account going up or down (the table in the comment above), as signals.
func trends(l riskLexicon, ws []string, end int, live []int8, full bool) []riskEvidence {
	if !full {
		return nil
	}
	var ev []riskEvidence
	for i := 0; i < end; i++ {
		if live[i] < 0 {
			continue
		}
		d, n := l.at("directions", ws, i)
		if v, err := strconv.ParseFloat(ws[i], 64); err == nil && v < 0 && n == 0 && isMetricEnd(l, ws, i) {
			d, n = phrase{value: "down"}, 1 // "usage -40%"
		}
		big := false
		if from, to, ok := fromTo(ws, i); ok && n == 0 {
			d, n = phrase{value: "up"}, 4 // "seats went from 500 to 120"
			if to < from {
				d.value = "down"
			}
			big = math.Abs(to-from) >= 0.3*math.Abs(from)
		}
		if n == 0 {
			continue
		}
		metric, ok := metricNear(l, ws, i, n, end)
		if !ok {
			i += n - 1
			continue
		}
		worse := (d.value == "down") == (metric == "good")
		lv := 0
		if worse {
			lv = 1
			if big || bigChange(l, ws, i, n, end) {
				lv = 2
			}
		}
		ev = append(ev, riskEvidence{kind: "signal", lo: lv, hi: lv, key: "trend " + metric + " " + d.value})
		i += n - 1
	}
	return ev
}

// metricNear finds a measure within four words of a direction at i (n words long), in its clause, and
// returns whether more of it is "good" or "bad".
func metricNear(l riskLexicon, ws []string, i, n, end int) (string, bool) {
	for k := i + n; k < min(end, i+n+4); k++ {
		if clauseEnds[ws[k]] || ws[k] == "," {
			break
		}
		if p, m := l.at("metrics", ws, k); m > 0 {
			return p.value, true
		}
	}
	for k := i - 1; k >= max(0, i-4); k-- {
		if clauseEnds[ws[k]] || ws[k] == "," {
			break
		}
		if p, m := l.at("metrics", ws, k); m > 0 && k+m <= i {
			return p.value, true
		}
	}
	return "", false
}

// bigChange reports whether a change at i (n words long) is a big one: a magnitude or an intensifier
// within two words of it, or a percentage of 30 or more in its clause.
func bigChange(l riskLexicon, ws []string, i, n, end int) bool {
	for k := max(0, i-2); k < min(end, i+n+2); k++ {
		if _, m := l.at("magnitudes", ws, k); m > 0 {
			return true
		}
		if p, m := l.at("modifiers", ws, k); m > 0 && p.value == "+1" {
			return true
		}
	}
	from, to := i, i
	for from > 0 && !clauseEnds[ws[from-1]] && ws[from-1] != "," {
		from--
	}
	for to < end && !clauseEnds[ws[to]] && ws[to] != "," {
		to++
	}
	for k := from; k+1 < to; k++ {
		if ws[k+1] != "%" && ws[k+1] != "percent" || k > 0 && (ws[k-1] == "to" || ws[k-1] == "at") {
			continue // "dropped to 60%" says where it is, not how far it fell
		}
		if p, err := strconv.ParseFloat(ws[k], 64); err == nil && (p >= 30 || p <= -30) {
			return true
		}
	}
	return false
}

// fromTo reads "from 500 to 120" at i.
func fromTo(ws []string, i int) (from, to float64, ok bool) {
	if i+3 >= len(ws) || ws[i] != "from" || ws[i+2] != "to" {
		return 0, 0, false
	}
	a, err1 := strconv.ParseFloat(ws[i+1], 64)
	b, err2 := strconv.ParseFloat(ws[i+3], 64)
	return a, b, err1 == nil && err2 == nil && a != b
}

// isMetricEnd reports whether a measure ends right before word i ("weekly active users -30%").
func isMetricEnd(l riskLexicon, ws []string, i int) bool {
	for k := max(0, i-3); k < i; k++ {
		if _, m := l.at("metrics", ws, k); m > 0 && k+m == i {
			return true
		}
	}
	return false
}

// metricBefore reports whether a measure stands in the three words before i, in its clause: a level word
// after it says how the measure is ("usage is low at the moment").
func metricBefore(l riskLexicon, ws []string, i int) bool {
	for k := i - 1; k >= max(0, i-3); k-- {
		if clauseEnds[ws[k]] || ws[k] == "," {
			return false
		}
		if _, m := l.at("metrics", ws, k); m > 0 && k+m <= i {
			return true
		}
	}
	return false
}

// describesMetric reports whether a measure starts at i: a level word before it describes it.
func describesMetric(l riskLexicon, ws []string, i int) bool {
	_, n := l.at("metrics", ws, i)
	return n > 0
}

// healthNumbers reads a bare number given for a health word ([health words]) as a health reading: after
// the word or a word that joins them (":", "is", "at", "to", ...), the last in its clause ("NPS went
// from 40 to -5" is -5). A number up to 10 is a rating out of 10 ("NPS 9", "health 4"), read like
// "health 4/10"; above it an NPS ([nps words]) runs from -100 to 100: 30 and up is low risk, 11 to 29
// medium, below 0 high; another score is out of 100.
func healthNumbers(l riskLexicon, ws []string, end int, full bool) []riskEvidence {
	if !full {
		return nil
	}
	var ev []riskEvidence
	for i := 0; i < end; i++ {
		_, n := l.at("health words", ws, i)
		if n == 0 {
			continue
		}
		_, nps := l.at("nps words", ws, i)
		last, found := 0.0, false
		for k := i + n; k < min(end, i+n+7); k++ {
			if clauseEnds[ws[k]] && ws[k] != "-" || ws[k] == "," {
				break
			}
			if _, ok := scoreFraction(ws[k]); ok {
				found = false // a score on a scale, read where it stands
				break
			}
			v, err := strconv.ParseFloat(ws[k], 64)
			if err != nil || !(k == i+n || numberGlue[ws[k-1]]) {
				continue
			}
			last, found = v, true
		}
		if !found {
			continue
		}
		lv, ok := 0, true
		switch {
		case last >= 0 && last <= 10:
			lv = fractionLevel(1 - last/10) // one answer's rating out of 10: "NPS 9"
		case nps > 0 && last >= 30:
		case nps > 0 && last >= 0:
			lv = 1
		case nps > 0:
			lv = 2
		case last > 10 && last <= 100:
			lv = fractionLevel(1 - last/100)
		default:
			ok = false
		}
		if ok {
			ev = append(ev, riskEvidence{kind: "signal", lo: lv, hi: lv, key: "health number"})
		}
		i += n - 1
	}
	return ev
}

// numberGlue are the words that may stand between a health word and its number.
var numberGlue = wordSet(`: = is at of to now around about ~ currently sits sitting`)

// answeredQuestion reads a question the CSM asked themselves and answered in the next sentence
// ([answers]):
//
//	answer  the question's evidence                                   example
//	yes     read as said, every level word in it a verdict              "is it critical? yes" is critical
//	no      a risk word in it or its high verdict only denied, low      "would I call them at risk? not really"
//	        alone; other evidence negated; a question naming risk       "churn? not a chance" is low
//	        with no evidence a "no risk"
//
// Any other next sentence leaves the question as it is ("risk? lowish").
func answeredQuestion(l riskLexicon, question, next string, inTopic bool, ev []riskEvidence) []riskEvidence {
	qs := riskWords(question)
	if len(qs) == 0 || qs[len(qs)-1] != "?" {
		return ev
	}
	p, n := l.at("answers", riskWords(next), 0)
	if n == 0 {
		return ev
	}
	if p.value == "yes" {
		asserted, _, _, _ := readSentenceRisk(l, question, inTopic, true)
		return asserted
	}
	var out []riskEvidence
	for _, e := range ev {
		switch {
		case e.kind == "no risk":
			continue
		case e.kind == "verdict" || e.kind == "level" || e.kind == "score":
			if e.lo >= 2 && !e.negated {
				out = append(out, riskEvidence{kind: "level", lo: 2, hi: 2, negated: true, denial: true, key: "denial"})
				continue
			}
		}
		e.negated = !e.negated
		out = append(out, e)
	}
	if len(out) == 0 && namesRisk(l, qs) {
		out = append(out, riskEvidence{kind: "no risk", key: "answered no"})
	}
	return out
}

// namesRisk reports whether a risk word stands in the words.
func namesRisk(l riskLexicon, ws []string) bool {
	for i := range ws {
		if _, n := l.riskWordAt(ws, i); n > 0 {
			return true
		}
	}
	return false
}
