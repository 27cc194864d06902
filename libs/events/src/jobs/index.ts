export * from './job-posted';
export * from './job-closed';
export * from './application-submitted';
export * from './interview-recorded';
export * from './application-resolved';
export * from './contract-started';
export * from './contract-completed';
export * from './rating-submitted';
