export * from './metrics';
export * from './metrics.controller';
export * from './bounded-label';
export * from './graphql-metrics';
