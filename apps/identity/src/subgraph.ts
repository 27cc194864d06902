import { IDENTITY_RESOLVERS } from './resolvers';

/** How the supergraph composition finds this subgraph (see tools/supergraph). */
export const SUBGRAPH = {
  name: 'identity',
  /** Local default; deployments override it in the gateway with SUBGRAPH_IDENTITY_URL. */
  url: 'http://127.0.0.1:4001/graphql',
  resolvers: IDENTITY_RESOLVERS,
  orphanedTypes: [],
};
