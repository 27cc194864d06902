import { GOVERNANCE_RESOLVERS } from './resolvers';

/** How the supergraph composition finds this subgraph (see tools/supergraph). */
export const SUBGRAPH = {
  name: 'governance',
  /** Local default; deployments override it in the gateway with SUBGRAPH_GOVERNANCE_URL. */
  url: 'http://127.0.0.1:4007/graphql',
  resolvers: GOVERNANCE_RESOLVERS,
  orphanedTypes: [],
};
