export * from './domain-errors';
export * from './format-graphql-error';
