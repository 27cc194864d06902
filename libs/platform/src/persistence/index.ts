export * from './data-source-options';
export * from './transactions';
