package mention

import "strings"

// Attribution says which account one sentence of an answer is about ("" for knowledge about no one
// account), and whether that is certain. An uncertain sentence is shown to the session's manager only,
// until the CSM says which account it is about.
type Attribution struct {
	AccountID string
	Uncertain bool
}

// Attribute decides, sentence by sentence, which account each sentence of one answer is about; question
// is the account the question was about ("" for a portfolio-wide question). Names said as a point of
// comparison ("unlike Hooli") count as named, but do not make the sentence about them:
//
//	the sentence names                          it is about                        certain
//	nothing, and nothing was named before       the question's account             yes
//	one account (the question's or another)     that account                       yes
//	one account, and another in a comparison    that account                       no
//	only accounts in comparisons                the account it would be without    no
//	two or more accounts                        the first one named                no
//	nothing, after a sentence about another     that other account                 yes
//	  account ("He said the budget was cut.")
//	nothing, with a return cue after one about  the question's account             yes ("anyway", "otherwise");
//	  another account                                                                no ("here", "this account")
//	nothing, after an uncertain sentence about  the question's account             no
//	  another account
func (m *Matcher) Attribute(sentences []string, question string) []Attribution {
	out := make([]Attribution, len(sentences))
	// current is the account the answer is about so far; sure, whether it moved there without doubt.
	current, sure := question, true
	for i, s := range sentences {
		var named, compared []string
		for _, h := range m.Find(s) {
			if h.Comparison {
				compared = append(compared, h.AccountID)
			} else {
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
			case sure:
				a = Attribution{AccountID: current}
			default:
				a = Attribution{AccountID: question, Uncertain: true}
				current, sure = question, true
			}
		case len(named) == 0:
			a = Attribution{AccountID: current, Uncertain: true}
		case len(named) == 1:
			a = Attribution{AccountID: named[0], Uncertain: len(compared) > 0}
			current, sure = a.AccountID, !a.Uncertain
		default:
			a = Attribution{AccountID: named[0], Uncertain: true}
			current, sure = a.AccountID, false
		}
		out[i] = a
	}
	return out
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
	toks := tokenize(sentence)
	ws := make([]string, len(toks))
	for i, t := range toks {
		ws[i] = t.lower
	}
	text := " " + strings.Join(ws, " ") + " "
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
