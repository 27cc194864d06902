import { REWARDS_ORPHANED_TYPES, REWARDS_RESOLVERS } from './resolvers';

/** How the supergraph composition finds this subgraph (see tools/supergraph). */
export const SUBGRAPH = {
  name: 'rewards',
  /** Local default; deployments override it in the gateway with SUBGRAPH_REWARDS_URL. */
  url: 'http://127.0.0.1:4005/graphql',
  resolvers: REWARDS_RESOLVERS,
  orphanedTypes: REWARDS_ORPHANED_TYPES,
};
