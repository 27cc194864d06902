export * from './gateway-signature';
export * from './gateway-signature.middleware';
