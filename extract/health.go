package extract

import (
	"strconv"
	"strings"
)

// Health bands of an account in the CRM, from best to worst.
const (
	HealthGreen = "green"
	HealthAmber = "amber"
	HealthRed   = "red"
)

var (
	healthScoreRE = compile(`^(\d{1,3}(?:\.\d+)?)\s*(?:%|/\s*100)?$`)
	redHealthRE   = compile(`(?i)\b(?:red|poor|bad|critical|at[- ]risk|high[- ]risk|churn\w*|unhealthy|danger)\b`)
	amberHealthRE = compile(`(?i)\b(?:yellow|amber|orange|medium|fair|neutral|watch|ok|okay|average)\b`)
	greenHealthRE = compile(`(?i)\b(?:green|healthy|good|great|strong|excellent|low[- ]risk|stable)\b`)
)

// HealthBand reads a CRM health value, however the CRM writes it, as one band; "" when it says none.
// The one reading every part of the product uses:
//
//	red    "red", "poor", "critical", "at risk", "churning", or a score under 50 ("45", "45%", "45/100")
//	amber  "yellow", "amber", "orange", "fair", "watch", or a score from 50 to 69
//	green  "green", "healthy", "good", "stable", or a score of 70 and more
//
// A score is out of 100. Words are looked for in that order, so "at risk (was green)" is red.
func HealthBand(health string) string {
	h := strings.TrimSpace(health)
	if m := healthScoreRE.FindStringSubmatch(h); m != nil {
		n, err := strconv.ParseFloat(m[1], 64)
		switch {
		case err != nil || n > 100:
			return ""
		case n < 50:
			return HealthRed
		case n < 70:
			return HealthAmber
		}
		return HealthGreen
	}
	switch {
	case redHealthRE.MatchString(h):
		return HealthRed
	case amberHealthRE.MatchString(h):
		return HealthAmber
	case greenHealthRE.MatchString(h):
		return HealthGreen
	}
	return ""
}
