export * from './parameter-changed';
