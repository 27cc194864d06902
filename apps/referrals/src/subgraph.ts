import { REFERRALS_RESOLVERS } from './resolvers';

/** How the supergraph composition finds this subgraph (see tools/supergraph). */
export const SUBGRAPH = {
  name: 'referrals',
  /** Local default; deployments override it in the gateway with SUBGRAPH_REFERRALS_URL. */
  url: 'http://127.0.0.1:4004/graphql',
  resolvers: REFERRALS_RESOLVERS,
  orphanedTypes: [],
};
