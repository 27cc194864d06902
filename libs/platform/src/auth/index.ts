export * from './auth-user';
export * from './token-verifier';
export * from './current-user';
export * from './revocation-list';
export * from './redis-revocation-list';
