export * from './trace-context';
export * from './logger.module';
export * from './root-logger';
export * from './redaction';
export * from './nest-logger';
