package sim

import "github.com/geosim/geosim/sim/dist"

// HoldID is the action of doing nothing toward a partner (and, for the
// broadcast choice, of not testing). It is always available, sends no
// signal and has utility 0: every other payoff is relative to it.
const HoldID = "hold"

// Catalogue returns the built-in action catalogue. Scale values are
// Goldstein (1992) weights of the CAMEO event codes named, from the GDELT
// lookup table CAMEO.goldsteinscale.txt. Costs, status, security and
// credibility values are modelling assumptions documented in
// docs/MODEL.md; a scenario may change any of them or add actions.
func Catalogue() []Action {
	a := func(id, cameo, desc string, broadcast bool, scale, joint, cost, status, security, cred float64) Action {
		return Action{ID: id, CAMEO: cameo, Description: desc, Broadcast: broadcast, Params: map[string]dist.Dist{
			FieldScale:       dist.Fixed{Value: scale},
			FieldJointScale:  dist.Fixed{Value: joint},
			FieldCost:        dist.Fixed{Value: cost},
			FieldStatusValue: dist.Fixed{Value: status},
			FieldSecurityVal: dist.Fixed{Value: security},
			FieldCredibility: dist.Fixed{Value: cred},
		}}
	}
	return []Action{
		a(HoldID, "-", "no action toward the partner", false, 0, 0, 0, 0, 0, 1),
		a("summit", "036 / 046", "propose a leaders' summit (intent to meet, +4.0); held when both propose in the same month (negotiate, +7.0)", false, 4.0, 3.0, 2.0, 1.0, 0, 0.8),
		a("visit", "042", "official visit below leader level", false, 1.9, 0, 0.8, 0.3, 0, 1),
		a("deal", "061 / 071", "aid or trade deal", false, 6.4, 0, 1.5, 0.2, 0, 1),
		a("statement", "051", "positive public statement, praise", false, 3.4, 0, 0.2, 0, 0, 0.5),
		a("criticism", "111", "criticise or denounce", false, -2.0, 0, 0.3, 0, 0, 0.5),
		a("sanction", "163", "impose sanctions or an embargo", false, -8.0, 0, 2.0, 0, 0.3, 1),
		a("threat", "138", "threaten to use force", false, -7.0, 0, 1.5, 0, 0.5, 0.5),
		a("military_support", "072", "military aid or supply of munitions and troops", false, 8.3, 0, 3.0, 0, 0, 1),
		a("weapons_test", "15", "missile or weapons test, exercise or other show of force, aimed at the actor's adversaries", true, -7.2, 0, 2.0, 0.3, 1.0, 1),
		a("nuclear_test", "2042", "nuclear test, aimed at the actor's adversaries", true, -10.0, 0, 8.0, 0.5, 1.5, 1),
	}
}
