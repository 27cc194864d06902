export * from './countries';
export * from './ids';
export * from './command';
export * from './idempotency-key';
