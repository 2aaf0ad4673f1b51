package sim

import "github.com/geosim/geosim/sim/dist"

// HoldID is the reserved name of not acting. Since every channel decides
// between acting and not acting (docs/MODEL.md §5.2), hold is not an
// action of the catalogue; the name stays reserved so that old scenarios
// get a clear message.
const HoldID = "hold"

// Catalogue returns the built-in action catalogue. Scale values are
// Goldstein (1992) weights of the CAMEO event codes named, from the GDELT
// lookup table CAMEO.goldsteinscale.txt. Costs, status, security,
// credibility, trade-effect and rebuff values are modelling assumptions
// documented in docs/MODEL.md; a scenario may change any of them or add
// actions.
//
// Channels group alternatives: statement and criticism are two answers
// to "what do we say about the partner this month?", sanction and
// supply_cut two forms of economic pressure. Every other action is a
// separate decision, so that removing the payoff of one (military
// support after a ceasefire) does not move probability onto another (a
// summit).
func Catalogue() []Action {
	type spec struct {
		id, cameo, desc, channel, mode             string
		broadcast                                  bool
		scale, joint, cost, status, security, cred float64
		trade, rebuff                              float64
	}
	specs := []spec{
		{"summit", "036 / 046", "leaders' summit: proposed (intent to meet, +4.0), held when the partner proposes too or accepts (negotiate, +7.0 in all)", "summit", ModeJoint, false, 4.0, 3.0, 3.5, 1.0, 0, 0.8, 0, 3.0},
		{"visit", "042", "official visit below leader level", "visit", ModeChoice, false, 1.9, 0, 2.0, 0.3, 0, 1, 0, 0},
		{"deal", "061 / 071", "aid or trade deal", "deal", ModeChoice, false, 6.4, 0, 3.5, 0.2, 0, 1, 0.10, 0},
		{"statement", "051", "positive public statement, praise", "verbal", ModeChoice, false, 3.4, 0, 1.0, 0, 0, 0.5, 0, 0},
		{"criticism", "111", "criticise or denounce", "verbal", ModeChoice, false, -2.0, 0, 1.0, 0, 0, 0.5, 0, 0},
		{"sanction", "163", "impose sanctions or an embargo", "pressure", ModeChoice, false, -8.0, 0, 2.5, 0, 0.3, 1, -0.10, 0},
		{"supply_cut", "162", "reduce or stop material supplies (fuel, food, trade) without formal sanctions", "pressure", ModeChoice, false, -5.6, 0, 3.0, 0, 0, 1, -0.30, 0},
		{"threat", "138", "threaten to use force", "threat", ModeChoice, false, -7.0, 0, 2.5, 0, 0.5, 0.5, 0, 0},
		{"military_support", "072", "military aid or supply of munitions and troops", "military", ModeChoice, false, 8.3, 0, 3.0, 0, 0, 1, 0, 0},
		{"weapons_test", "15", "missile or weapons test, exercise or other show of force, aimed at the actor's adversaries", "force", ModeChoice, true, -7.2, 0, 2.0, 0.3, 1.0, 1, 0, 0},
		{"nuclear_test", "2042", "nuclear test, aimed at the actor's adversaries: a deliberate, rare decision with its own hazard", "nuclear", ModeHazard, true, -10.0, 0, 8.0, 0.5, 1.5, 1, 0, 0},
	}
	out := make([]Action, len(specs))
	for i, s := range specs {
		out[i] = Action{ID: s.id, CAMEO: s.cameo, Description: s.desc, Broadcast: s.broadcast, Channel: s.channel, Mode: s.mode,
			Params: map[string]dist.Dist{
				FieldScale:       dist.Fixed{Value: s.scale},
				FieldJointScale:  dist.Fixed{Value: s.joint},
				FieldCost:        dist.Fixed{Value: s.cost},
				FieldStatusValue: dist.Fixed{Value: s.status},
				FieldSecurityVal: dist.Fixed{Value: s.security},
				FieldCredibility: dist.Fixed{Value: s.cred},
				FieldTradeEffect: dist.Fixed{Value: s.trade},
				FieldRebuff:      dist.Fixed{Value: s.rebuff},
			}}
	}
	return out
}
