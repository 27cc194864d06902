export * from './use-case';
