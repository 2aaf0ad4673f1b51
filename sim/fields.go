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
)

// Action parameter names.
const (
	FieldScale       = "scale"
	FieldJointScale  = "joint_scale"
	FieldCost        = "cost"
	FieldStatusValue = "status"
	FieldSecurityVal = "security"
	FieldCredibility = "credibility"
)

// Global parameter names.
const (
	FieldLeverage    = "leverage"
	FieldRecipMemory = "reciprocity_memory"
	FieldSpillover   = "broadcast_spillover"
)

const (
	numActorFields    = 9
	numActionFields   = 6
	numModelFields    = 3
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
}

// ActionFields are the parameters of every action.
var ActionFields = [numActionFields]Field{
	{FieldScale, 0, -goldsteinMax, goldsteinMax, "Goldstein scale", "intensity g of the signal the action sends, -10 (war) to +10 (alliance)"},
	{FieldJointScale, 0, -goldsteinMax, goldsteinMax, "Goldstein scale", "extra intensity each side receives when both choose the action toward each other in the same month (a proposed summit that takes place)"},
	{FieldCost, 0, 0, utilityBound, "utility", "cost C of taking the action, whatever its target"},
	{FieldStatusValue, 0, -goldsteinMax, goldsteinMax, "status units", "status value σ of the action (multiplied by the target's power; by 1 for broadcast actions)"},
	{FieldSecurityVal, 0, -goldsteinMax, goldsteinMax, "security units", "security value ψ of the action (multiplied by the threat the target poses; for broadcast actions the largest threat)"},
	{FieldCredibility, 1, 0, 1, "fraction", "credibility c: the weight receivers give the action's signal (cheap talk < 1, deeds 1)"},
}

// ModelFields are global parameters.
var ModelFields = [numModelFields]Field{
	{FieldLeverage, 1, 0, 10, "factor", "leverage amplification η: a signal from j moves i's stance by the factor 1 + η·max(0, T_ij − T_ji)"},
	{FieldRecipMemory, 1, 0.1, maxHalfLifeMonths, "months", "half-life of the reciprocity memory of recent signals"},
	{FieldSpillover, 0.25, 0, 1, "fraction", "share ω of a broadcast action's intensity that partners other than the actor's adversaries receive"},
}

// Ranges of tie and other parameters (see docs/MODEL.md).
var (
	TradeField    = Field{"trade", 0, 0, 1, "share", "share T_ij of i's external trade that is with j"}
	StanceField   = Field{"stance", 0, -goldsteinMax, goldsteinMax, "Goldstein scale", "baseline stance b_ij of i toward j, to which the stance decays"}
	IncentiveFld  = Field{"incentive", 0, -utilityBound, utilityBound, "utility", "extra payoff V for a particular choice"}
	LinkWeightFld = Field{"weight", 0, -5, 5, "factor", "third-party link weight w"}
	HazardField   = Field{"hazard", 0, 0, 1, "probability per month", "monthly probability that a shock fires, given it has not"}
	ShockMonthFld = Field{"month", 0, 0, 10 * MaxSteps, "months", "months after the start at which a shock fires"}
	MultiplyField = Field{"multiply", 1, 0, 1000, "factor", "factor a shock applies to a parameter"}
	AddField      = Field{"add", 0, -1000, 1000, "parameter units", "increment a shock applies to a parameter"}
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
