export * from './auth-user';
export * from './token-verifier';
export * from './verified-token-cache';
export * from './current-user';
export * from './revocation-list';
export * from './redis-revocation-list';
