export * from './domain-errors';
export * from './format-graphql-error';
export * from './domain-error.filter';
