export * from './job-posted';
export * from './reward-granted';
export * from './invoice-paid';
export * from './proposal-decided';
