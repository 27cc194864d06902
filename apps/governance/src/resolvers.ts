import { GovernanceUserResolver } from './delegation/governance-user.resolver';

/** Every resolver of the governance subgraph (also used to print its SDL for composition). */
export const GOVERNANCE_RESOLVERS = [GovernanceUserResolver];
