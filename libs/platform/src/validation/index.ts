export * from './countries';
export * from './ids';
export * from './decimal-text';
export * from './command';
