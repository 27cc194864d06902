import { JobMatchesResolver, MatchesResolver } from './matches/matches.resolver';
import { ProfilesResolver, TalentUserResolver } from './profiles/profiles.resolver';
import { StatsResolver } from './stats/stats.resolver';

/** Every resolver of the matching subgraph (also used to print its SDL for composition). */
export const MATCHING_RESOLVERS = [ProfilesResolver, TalentUserResolver, MatchesResolver, JobMatchesResolver, StatsResolver];
