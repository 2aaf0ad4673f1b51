package sim

// Field describes one named numeric parameter: its meaning, unit, the
// range a value (every value of its distribution) must lie in, and its
// default. The tables below are the reference for docs/MODEL.md.
type Field struct {
	Name    string
	Default float64
	Min     float64
	Max     float64
	Unit    string
	Meaning string
}

// Actor parameter names.
const (
	FieldRationality = "rationality"
	FieldEconomic    = "economic_weight"
	FieldAffinity    = "affinity_weight"
	FieldReciprocity = "reciprocity_weight"
	FieldStatus      = "status_weight"
	FieldSecurity    = "security_weight"
	FieldPower       = "power"
	FieldResponsive  = "responsiveness"
	FieldMemory      = "memory"
	FieldLossAvers   = "loss_aversion"
)

// Action parameter names.
const (
	FieldScale       = "scale"
	FieldJointScale  = "joint_scale"
	FieldCost        = "cost"
	FieldStatusValue = "status"
	FieldSecurityVal = "security"
	FieldCredibility = "credibility"
	FieldTradeEffect = "trade_effect"
	FieldRebuff      = "rebuff"
)

// Global parameter names.
const (
	FieldLeverage    = "leverage"
	FieldRecipMemory = "reciprocity_memory"
	FieldSpillover   = "broadcast_spillover"
	FieldTradeMemory = "trade_memory"
)

const (
	numActorFields    = 10
	numActionFields   = 8
	numModelFields    = 4
	goldsteinMax      = 10.0 // ends of the Goldstein scale
	utilityBound      = 50.0 // largest weight or payoff a scenario may set
	maxHalfLifeMonths = 1200.0
)

// ActorFields are the parameters of every actor, in the order of the
// actor's slots in the parameter vector.
var ActorFields = [numActorFields]Field{
	{FieldRationality, 2, 0, 100, "1/utility", "logit precision λ: 0 chooses uniformly at random, large values approach the best response"},
	{FieldEconomic, 2, 0, utilityBound, "utility", "weight E of trade dependence: payoff of fully cooperative action toward a partner that is all of one's trade"},
	{FieldAffinity, 1, 0, utilityBound, "utility", "weight A of one's own stance: payoff of fully cooperative action toward a partner one holds at +10"},
	{FieldReciprocity, 1, 0, utilityBound, "utility", "weight R of reciprocity: payoff of answering the partner's recent signals in kind, per 10 Goldstein points"},
	{FieldStatus, 1, 0, utilityBound, "utility", "weight S of status: payoff of an action of status value 1 toward a partner of power 1"},
	{FieldSecurity, 1, 0, utilityBound, "utility", "weight Q of security: payoff of an action of security value 1 when facing a maximally hostile partner of power 1"},
	{FieldPower, 0.5, 0, 1, "index", "power and prestige P of the actor (strongest = 1): what engaging it is worth in status, how much its hostility threatens"},
	{FieldResponsive, 0.15, 0, 5, "stance points per Goldstein point", "responsiveness κ: how far one credible signal of intensity 1 moves the actor's stance toward its sender"},
	{FieldMemory, 6, 0.1, maxHalfLifeMonths, "months", "half-life h of stance deviations from the baseline: how fast signals are forgotten"},
	{FieldLossAvers, 2.25, 0, 10, "factor", "loss aversion ρ: how much more restoring lost trade is worth than keeping existing trade (1: the same)"},
}

// ActionFields are the parameters of every action.
var ActionFields = [numActionFields]Field{
	{FieldScale, 0, -goldsteinMax, goldsteinMax, "Goldstein scale", "intensity g of the signal the action sends, -10 (war) to +10 (alliance)"},
	{FieldJointScale, 0, -goldsteinMax, goldsteinMax, "Goldstein scale", "extra intensity each side receives when both choose the action toward each other in the same month (a proposed summit that takes place)"},
	{FieldCost, 0, 0, utilityBound, "utility", "cost C of taking the action, whatever its target"},
	{FieldStatusValue, 0, -goldsteinMax, goldsteinMax, "status units", "status value σ of the action (multiplied by the target's power; by 1 for broadcast actions)"},
	{FieldSecurityVal, 0, -goldsteinMax, goldsteinMax, "security units", "security value ψ of the action (multiplied by the threat the target poses; for broadcast actions the largest threat)"},
	{FieldCredibility, 1, 0, 1, "fraction", "credibility c: the weight receivers give the action's signal (cheap talk < 1, deeds 1)"},
	{FieldTradeEffect, 0, -1, 1, "fraction", "trade effect e: relative change of the dyad's trade flow in the month the action is taken (−0.3: a 30% supply cut)"},
	{FieldRebuff, 0, 0, utilityBound, "utility", "rebuff cost D of a joint action: what proposing it costs the proposer if the partner declines"},
}

// ModelFields are global parameters.
var ModelFields = [numModelFields]Field{
	{FieldLeverage, 1, 0, 10, "factor", "leverage amplification η: a signal from j moves i's stance by the factor 1 + η·max(0, T_ij − T_ji)"},
	{FieldRecipMemory, 1, 0.1, maxHalfLifeMonths, "months", "half-life of the reciprocity memory of recent signals"},
	{FieldSpillover, 0.25, 0, 1, "fraction", "share ω of a broadcast action's intensity that partners other than the actor's adversaries receive"},
	{FieldTradeMemory, 12, 0.1, maxHalfLifeMonths, "months", "half-life h_T of deviations of trade flows from their normal level"},
}

// Ranges of tie and other parameters (see docs/MODEL.md).
var (
	TradeField     = Field{"trade", 0, 0, 1, "share", "share T_ij of i's external trade that is with j"}
	StanceField    = Field{"stance", 0, -goldsteinMax, goldsteinMax, "Goldstein scale", "baseline stance b_ij of i toward j, to which the stance decays"}
	StakeField     = Field{"stake", 0, -utilityBound, utilityBound, "utility", "strategic stake B_ij of i in j (a patron's interest in a buffer state): payoff of fully cooperative action toward j"}
	RateField      = Field{"rate", 0, 0, 1, "probability per month", "monthly probability of a hazard-mode action when every covariate is 0"}
	CovariateFld   = Field{"covariate", 0, -10, 10, "log hazard ratio per unit", "effect β of a state variable on a hazard: the hazard is multiplied by e^β per unit of the variable"}
	OccasionIncFld = Field{"incentive", 0, -utilityBound, utilityBound, "utility", "payoff an occasion adds to its action while it lasts"}
	HazardRatioFld = Field{"hazard_ratio", 1, 0, 1000, "factor", "factor an occasion applies to a hazard-mode action's hazard while it lasts"}
	IncentiveFld   = Field{"incentive", 0, -utilityBound, utilityBound, "utility", "extra payoff V for a particular choice"}
	LinkWeightFld  = Field{"weight", 0, -5, 5, "factor", "third-party link weight w"}
	HazardField    = Field{"hazard", 0, 0, 1, "probability per month", "monthly probability that a shock fires, given it has not"}
	ShockMonthFld  = Field{"month", 0, 0, 10 * MaxSteps, "months", "months after the start at which a shock fires"}
	MultiplyField  = Field{"multiply", 1, 0, 1000, "factor", "factor a shock applies to a parameter"}
	AddField       = Field{"add", 0, -1000, 1000, "parameter units", "increment a shock applies to a parameter"}
)

func fieldIndex(fields []Field, name string) int {
	for i, f := range fields {
		if f.Name == name {
			return i
		}
	}
	return -1
}

func fieldNames(fields []Field) []string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	return names
}
