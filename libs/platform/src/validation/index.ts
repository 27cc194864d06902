export * from './countries';
export * from './ids';
