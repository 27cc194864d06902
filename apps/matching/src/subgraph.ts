import { MATCHING_RESOLVERS } from './resolvers';

/** How the supergraph composition finds this subgraph (see tools/supergraph). */
export const SUBGRAPH = {
  name: 'matching',
  /** Local default; deployments override it in the gateway with SUBGRAPH_MATCHING_URL. */
  url: 'http://127.0.0.1:4003/graphql',
  resolvers: MATCHING_RESOLVERS,
  orphanedTypes: [],
};
