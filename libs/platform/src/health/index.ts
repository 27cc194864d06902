export * from './health.controller';
export * from './dependency-monitor';
export * from './service-dependencies';
