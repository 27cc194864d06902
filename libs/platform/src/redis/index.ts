export * from './redis.provider';
