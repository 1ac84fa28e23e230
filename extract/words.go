package extract

import (
	"strings"
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[strings.ToLower(w)] = true
	}
	return m
}

// Words that make a phrase a job title or a team, so an apposition can be told from any other aside.
var (
	roleWordRE = compile(`(?i)\b(?:c[efotimrd]o|ciso|vp|svp|evp|head|director|dir|manager|mgr|lead|owner|admin\w*|engineer|analyst|architect|coordinator|specialist|consultant|founder|president|officer|controller|chief|principal|counsel|assistant|rep|representative|executive|partner|supervisor|ea|pa|temp|deputy|replacement|interim|cover|stand-in)\b`)
	teamRE     = compile(`(?i:\b(?:finance|legal|security|marketing|sales|support|operations|ops|hr|procurement|engineering|product|data|purchasing|accounting|compliance|devops|r&d|qa|customer success)\b)|\bIT\b|\bBI\b`)
	// A relationship word stands for how the person relates to the deal, not for a job title.
	relationshipRE = []cue{
		{compile(`(?i)\b(?:champions?|champs?|co-champions?|advocates?|big fan|biggest fan)\b`), "champion"},
		{compile(`(?i)\b(?:decides|will decide|decision[- ]?makers?|economic buyer|budget holder|signs(?: off)?|sign-off|final (?:say|word|call)|makes the (?:final )?(?:call|decision)|holds the budget|owns the budget)\b`), "decision_maker"},
		{compile(`(?i)\b(?:exec(?:utive)? sponsor|sponsors?)\b`), "sponsor"},
		{compile(`(?i)\b(?:detractors?|blockers?|against us|wants to replace us|hates (?:us|the product|the tool))\b`), "detractor"},
		{compile(`(?i)\b(?:admins?|administrators?)\b`), "admin"},
		{compile(`(?i)\b(?:procurement|purchasing|sourcing|vendor management)\b`), "procurement"},
		{compile(`(?i)\b(?:end[- ]users?|power users?|key users?|daily users?|(?:is|as) (?:an? |the )?users?)\b`), "user"},
	}
	sentimentRE = []cue{
		{compile(`(?i)\b(?:not (?:happy|a fan|keen|convinced|supportive)|sceptical|skeptical|unhappy|frustrated|critical|hostile|negative|annoyed|angry|difficult|dislikes|(?:doesn't|does not|don't) like|disengaged|dismissive|cold|worried|concerned|disappointed|detractors?)\b`), "negative"},
		{compile(`(?i)\b(?:neutral|indifferent|lukewarm|on the fence|hands-off|undecided)\b`), "neutral"},
		{compile(`(?i)\b(?:happy|big fan|loves|likes (?:us|the product|it)|supportive|enthusiastic|positive|great relationship|good relationship|(?:is|are|'s) (?:really |very )?great|friendly|ally|keen|pleased|satisfied|champions?|advocates?)\b`), "positive"},
	}
	// Ways to reach a person, in the words the report shows.
	channelRE = []cue{
		{compile(`(?i)\bslack\b`), "slack"},
		{compile(`(?i)\b(?:e-?mails?|mail)\b`), "email"},
		{compile(`\bTeams\b|(?i:\bms teams\b)`), "teams"},
		{compile(`(?i)\b(?:phone|by calling|rings?)\b`), "phone"},
		{compile(`(?i)\bwhats-?app\b`), "whatsapp"},
		{compile(`(?i)\b(?:sms|texts?|texting)\b`), "sms"},
		{compile(`(?i)\blinked-?in\b`), "linkedin"},
		{compile(`(?i)\bzoom\b`), "zoom"},
		{compile(`(?i)\b(?:in person|face[- ]to[- ]face|on-?site)\b`), "in person"},
	}
	// Tools a process or a shadow system runs in; written as the answer spells them.
	toolRE = compile(`\b(?:Salesforce|HubSpot|Hubspot|Gainsight|ChurnZero|Totango|Planhat|Vitally|Jira|Confluence|Notion|Slack|Excel|Google Sheets?|Google Docs?|Zendesk|Outlook|Gmail|Looker|Tableau|Asana|Trello|Gong|Zoom|Intercom|Freshdesk|PagerDuty|Airtable|Power BI|Metabase|Clari|OneNote|Evernote|SharePoint|Monday\.com|Teams|Calendly)\b|(?i:\bthe crm\b)`)
)

// cue maps words found in an answer to the value a field takes.
type cue struct {
	re  *pattern
	val string
}

// firstOf returns the value of the first list entry whose pattern matches s.
func firstOf(s string, list []cue) string {
	for _, e := range list {
		if e.re.MatchString(s) {
			return e.val
		}
	}
	return ""
}
