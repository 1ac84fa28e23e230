package mention

import (
	"slices"
	"strings"
)

// Attribution says which account one sentence of an answer is about ("" for knowledge about no one
// account), and whether that is certain. An uncertain sentence is shown to the session's manager only,
// until the CSM says which account it is about.
type Attribution struct {
	AccountID string
	Uncertain bool
}

// Attribute decides, sentence by sentence, which account each sentence of one answer is about; question
// is the account the question was about ("" for a portfolio-wide question). It errs on the side of
// "uncertain": a sentence filed under the wrong account reaches the wrong successor, an uncertain one
// only waits for the CSM to say. Names said as a point of comparison ("unlike Hooli") count as named,
// but do not make the sentence about them.
//
//	the sentence names                          it is about                        certain
//	nothing, and nothing was named before       the question's account             yes
//	the question's account only                 the question's account             yes
//	another account, as its subject (first,     that account                       yes
//	  after a bullet or "as for", "at", "btw")
//	another account elsewhere in the sentence,  that account                       no
//	  or with "same", "similar", "too", "also",
//	  or with "them", "their" (most likely the
//	  account the answer is about)
//	one account, and another in a comparison    that account                       no
//	only accounts in comparisons                the account it would be without    no
//	two or more accounts                        the first one named                no
//	nothing, after a sentence about another     that other account                 yes if it goes on with a
//	  account ("He said the budget was cut.")                                        pronoun ("he", "they",
//	                                                                                 "their"), else no
//	nothing, with a return cue after one about  the question's account             yes ("anyway", "otherwise");
//	  another account                                                                no ("here", "this account")
//	nothing, after an uncertain sentence about  the question's account             yes, unless it goes on
//	  another account                                                                with a pronoun
//
// In answers to a portfolio-wide question every account named is the subject ("For Hooli I call Tom").
func (m *Matcher) Attribute(sentences []string, question string) []Attribution {
	out := make([]Attribution, len(sentences))
	// current is the account the answer is about so far; sure, whether it moved there without doubt.
	current, sure := question, true
	for i, s := range sentences {
		var named, compared []string
		var first Hit
		for _, h := range m.Find(s) {
			if h.Comparison {
				compared = append(compared, h.AccountID)
			} else {
				if len(named) == 0 {
					first = h
				}
				named = append(named, h.AccountID)
			}
		}
		var a Attribution
		switch {
		case len(named) == 0 && len(compared) == 0:
			back, surely := returnCue(s)
			switch {
			case current == question:
				a = Attribution{AccountID: question}
			case back:
				a = Attribution{AccountID: question, Uncertain: !surely}
				current, sure = question, true
			case sure && !bullet(s) && goesOn(s):
				a = Attribution{AccountID: current}
			case sure:
				a = Attribution{AccountID: current, Uncertain: true}
				sure = false
			case goesOn(s):
				a = Attribution{AccountID: question, Uncertain: true} // it may go on about either
			default:
				a = Attribution{AccountID: question}
				current, sure = question, true
			}
		case len(named) == 0:
			a = Attribution{AccountID: current, Uncertain: true}
		case len(named) == 1:
			subject := named[0] == question || question == "" || asSubject(s[:first.Start]) && !alike(s) && !pointsBack(s)
			a = Attribution{AccountID: named[0], Uncertain: len(compared) > 0 || !subject}
			current, sure = a.AccountID, !a.Uncertain
		default:
			a = Attribution{AccountID: named[0], Uncertain: true}
			current, sure = a.AccountID, false
		}
		out[i] = a
	}
	return out
}

// leadIns are the words that may stand before a name that is the sentence's subject.
var leadIns = wordSet(`and but also oh btw so ok okay now then as for at re regarding on over with about meanwhile honestly tbh
plus finally next lastly over well right anyway`)

// asSubject reports whether the words before a name leave it the sentence's subject: nothing but
// punctuation, a bullet and a few lead-in words ("As for Hooli", "- Globex:", "btw hooli").
func asSubject(before string) bool {
	toks := tokenize(before)
	if len(toks) > 3 {
		return false
	}
	for _, t := range toks {
		if !leadIns[t.lower] {
			return false
		}
	}
	return true
}

// alikeWords say that what a sentence tells of another account is like the question's account: the
// sentence is as much about the one as the other.
var alikeWords = wordSet(`same similar similarly likewise too also either neither both`)

func alike(sentence string) bool {
	return hasWord(sentence, alikeWords) || strings.Contains(strings.ToLower(sentence), "as well")
}

// pointsBackWords, in a sentence whose subject is another account, most likely point back at the account
// the answer was about ("Initech referred them to us", "Wayne poached their ops lead").
var pointsBackWords = wordSet(`them their theirs`)

func pointsBack(sentence string) bool {
	return hasWord(sentence, pointsBackWords)
}

// hasWord reports whether sentence holds a word of set.
func hasWord(sentence string, set map[string]bool) bool {
	return slices.ContainsFunc(words(sentence), func(w string) bool { return set[w] })
}

// goesOnWords start a sentence that goes on about what the sentence before was about.
var goesOnWords = wordSet(`he she they their theirs them his her hers its it there that this these those both`)

func goesOn(sentence string) bool {
	toks := tokenize(sentence)
	return len(toks) > 0 && goesOnWords[toks[0].lower]
}

// bullet reports whether a sentence is an item of a pasted list: each item stands on its own.
func bullet(sentence string) bool {
	s := strings.TrimSpace(sentence)
	if s == "" {
		return false
	}
	switch s[0] {
	case '-', '*', '+', '>':
		return true
	}
	if strings.HasPrefix(s, "•") || strings.HasPrefix(s, "–") || strings.HasPrefix(s, "—") {
		return true
	}
	k := 0
	for k < len(s) && s[k] >= '0' && s[k] <= '9' {
		k++
	}
	return k > 0 && k < len(s) && (s[k] == '.' || s[k] == ')')
}

// returnCues bring an answer back to the account the question was about after a digression; the weak
// ones ("here", "this account") might as well point at the digression, so they leave the sentence
// uncertain.
var (
	returnCues = []string{"anyway", "anyhow", "otherwise", "back to", "apart from that", "other than that", "that aside",
		"aside from that", "regardless", "in any case", "else", "the rest", "in general", "generally", "other accounts",
		"other customers", "all accounts", "all customers", "every account", "every customer", "all my accounts"}
	weakReturnCues = []string{"here", "this account", "this customer", "this client", "this one", "as for us", "on this side"}
)

// returnCue reports whether a sentence goes back to the question's account, and whether surely.
func returnCue(sentence string) (back, sure bool) {
	text := " " + strings.Join(words(sentence), " ") + " "
	for _, c := range weakReturnCues {
		if strings.Contains(text, " "+c+" ") {
			return true, false
		}
	}
	for _, c := range returnCues {
		if strings.Contains(text, " "+c+" ") {
			return true, true
		}
	}
	return false, false
}
