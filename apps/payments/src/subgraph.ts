import { PAYMENTS_RESOLVERS } from './resolvers';

/** How the supergraph composition finds this subgraph (see tools/supergraph). */
export const SUBGRAPH = {
  name: 'payments',
  /** Local default; deployments override it in the gateway with SUBGRAPH_PAYMENTS_URL. */
  url: 'http://127.0.0.1:4006/graphql',
  resolvers: PAYMENTS_RESOLVERS,
  orphanedTypes: [],
};
