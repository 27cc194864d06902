import { PARTNERS_RESOLVERS } from './resolvers';

/** How the supergraph composition finds this subgraph (see tools/supergraph). */
export const SUBGRAPH = {
  name: 'partners',
  /** Local default; deployments override it in the gateway with SUBGRAPH_PARTNERS_URL. */
  url: 'http://127.0.0.1:4008/graphql',
  resolvers: PARTNERS_RESOLVERS,
  orphanedTypes: [],
};
