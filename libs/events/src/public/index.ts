export * from './job-posted';
export * from './reward-granted';
