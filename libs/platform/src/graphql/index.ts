export * from './request-context';
export * from './shared-types';
export * from './cursor';
export * from './subgraph-graphql.module';
export * from './batch-loader';
