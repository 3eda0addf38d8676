package digest

import "flywheel/store"

// Colleague is who a win shared without its author's name is said to come
// from, on every surface: "a colleague in Sales" when the win's ShownTeam
// was recorded (its team was big enough, wins.anonymous_min_team, when it
// was shared), else "a colleague". Plain words, not yet escaped.
func Colleague(w store.Win) string {
	if w.ShownTeam != "" {
		return "a colleague in " + w.ShownTeam
	}
	return "a colleague"
}

// Credited says whether a win names its author on surfaces other than the
// author's own: false for a win shared without a name. Lists of people
// (champions, new adopters, the people a win inspired) leave such a win's
// author out, while its numbers count as every win's do.
func Credited(w store.Win) bool { return !w.Anonymous() }

// ShownTo says whether a win's words may be shown on a surface for team
// ("" for the whole company): a team-only win's words stay in its team.
func ShownTo(w store.Win, team string) bool {
	return !w.TeamOnly() || (team != "" && team == w.Team)
}

// named is a listed author in mrkdwn: a mention, or the escaped words for
// the author of a win shared without a name (colleague, from Colleague).
func named(user, colleague string) string {
	if colleague != "" {
		return escape(colleague)
	}
	return mention(user)
}
