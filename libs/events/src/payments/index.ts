export * from './invoice-submitted';
export * from './invoice-paid';
export * from './payment-failed';
export * from './fees-converted';
