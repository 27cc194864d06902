export * from './fixed-point';
export * from './money';
export * from './tokens';
