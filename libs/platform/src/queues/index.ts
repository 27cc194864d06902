export * from './job-catalog';
export * from './job-queue';
export * from './job-queue.host';
