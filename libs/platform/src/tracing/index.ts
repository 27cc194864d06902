export { tracingEnabled, tracingStarted } from './enablement';
export * from './spans';
