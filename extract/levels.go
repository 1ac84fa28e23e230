package extract

// RiskLevels are the churn-risk levels, lowest first: the one vocabulary the rules, the facts, the report
// and readiness rank by.
var RiskLevels = riskLevels

// RiskRank is a level's place in RiskLevels, -1 for none or a word that is no level.
func RiskRank(level string) int { return riskRank(level) }
