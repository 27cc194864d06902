jest.mock('jose', () => ({ createRemoteJWKSet: jest.fn(), jwtVerify: jest.fn() }));

import { DomainError } from '@talent/platform';
import { toInvoiceLines, type ContractTerms, type SubmitInvoiceRequest } from './submit-invoice.command';

const HOURLY: ContractTerms = { rate: '80.00', currency: 'USD', unit: 'HOURLY' };
const FIXED: ContractTerms = { rate: '2500.00', currency: 'EUR', unit: 'FIXED' };
const base: SubmitInvoiceRequest = { contractId: 'c', description: '  Week 1: API design  ' };

const fieldOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    expect((error as DomainError).code).toBe('BAD_USER_INPUT');
    return (error as DomainError).details.field;
  }
  throw new Error('expected BAD_USER_INPUT');
};

describe('toInvoiceLines', () => {
  it('prices an hourly invoice from hours x rate and trims the description', () => {
    expect(toInvoiceLines({ ...base, hours: 10.5 }, HOURLY)).toEqual({ description: 'Week 1: API design', hours: '10.50', subtotal: 84000n });
  });

  it('takes a fixed invoice at its amount, in the contract currency (case-insensitive)', () => {
    expect(toInvoiceLines({ ...base, amount: { amount: '1250.5', currency: 'eur' } }, FIXED)).toEqual({ description: 'Week 1: API design', hours: null, subtotal: 125050n });
  });

  it.each([
    ['a 2-character description', HOURLY, { description: ' ab ', hours: 1 }, 'description'],
    ['a 1001-character description', HOURLY, { description: 'x'.repeat(1001), hours: 1 }, 'description'],
    ['an amount on an HOURLY contract', HOURLY, { hours: 1, amount: { amount: '10', currency: 'USD' } }, 'amount'],
    ['no hours on an HOURLY contract', HOURLY, {}, 'hours'],
    ['zero hours', HOURLY, { hours: 0 }, 'hours'],
    ['negative hours', HOURLY, { hours: -2 }, 'hours'],
    ['more than 168 hours', HOURLY, { hours: 168.5 }, 'hours'],
    ['hours with 3 decimals', HOURLY, { hours: 1.125 }, 'hours'],
    ['hours on a FIXED contract', FIXED, { hours: 3, amount: { amount: '10', currency: 'EUR' } }, 'hours'],
    ['no amount on a FIXED contract', FIXED, {}, 'amount'],
    ['a negative amount', FIXED, { amount: { amount: '-10', currency: 'EUR' } }, 'amount.amount'],
    ['a zero amount', FIXED, { amount: { amount: '0.00', currency: 'EUR' } }, 'amount.amount'],
    ['an amount with 3 decimals', FIXED, { amount: { amount: '10.001', currency: 'EUR' } }, 'amount.amount'],
    ['another currency', FIXED, { amount: { amount: '10', currency: 'USD' } }, 'amount.currency'],
    ['an unknown currency', FIXED, { amount: { amount: '10', currency: 'QQQ' } }, 'amount.currency'],
  ])('refuses %s', (_label, contract, overrides, field) => {
    expect(fieldOf(() => toInvoiceLines({ ...base, ...(overrides as Partial<SubmitInvoiceRequest>) }, contract))).toBe(field);
  });
});
