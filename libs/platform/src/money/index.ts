export * from './money';
export * from './currency';
