export * from './referral-attributed';
export * from './job-referral-created';
export * from './referral-qualified';
export * from './referral-invalidated';
