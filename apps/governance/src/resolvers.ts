import { GovernanceUserResolver } from './delegation/governance-user.resolver';
import { DisputesResolver } from './disputes/disputes.resolver';
import { GovernanceParametersResolver } from './parameters/governance-parameters.resolver';
import { ParameterProposalResolver } from './proposals/parameter-proposal.resolver';
import { ProposalsResolver } from './proposals/proposals.resolver';
import { VotesResolver } from './votes/votes.resolver';

/** Every resolver of the governance subgraph (also used to print its SDL for composition). */
export const GOVERNANCE_RESOLVERS = [
  GovernanceUserResolver,
  GovernanceParametersResolver,
  DisputesResolver,
  ProposalsResolver,
  VotesResolver,
  ParameterProposalResolver,
];
