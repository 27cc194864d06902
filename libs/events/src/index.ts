export * from './envelope';
export * from './topics';
export * from './common';
export * from './catalog';
export * from './identity';
export * from './jobs';
export * from './matching';
