export * from './auth-user';
export * from './token-verifier';
export * from './current-user';
