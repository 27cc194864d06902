export * from './parameter-changed';
export * from './proposal-events';
export * from './dispute-events';
