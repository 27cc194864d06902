import { JOBS_RESOLVERS } from './resolvers';

/** How the supergraph composition finds this subgraph (see tools/supergraph). */
export const SUBGRAPH = {
  name: 'jobs',
  /** Local default; deployments override it in the gateway with SUBGRAPH_JOBS_URL. */
  url: 'http://127.0.0.1:4002/graphql',
  resolvers: JOBS_RESOLVERS,
  orphanedTypes: [],
};
