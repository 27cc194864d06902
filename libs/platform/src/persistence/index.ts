export * from './data-source-options';
export * from './transactions';
export * from './typeorm-logger';
export * from './transaction-hooks';
