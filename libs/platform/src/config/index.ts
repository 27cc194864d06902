export * from './config';
export * from './trusted-proxies';
