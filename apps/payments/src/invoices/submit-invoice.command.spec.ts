import { DomainError } from '@talent/platform';
import { toInvoiceLines, type ContractTerms, type SubmitInvoiceRequest } from './submit-invoice.command';

const HOURLY: ContractTerms = { rate: '80.00', currency: 'USD', unit: 'HOURLY' };
const FIXED: ContractTerms = { rate: '2500.00', currency: 'EUR', unit: 'FIXED' };
const YEN_HOURLY: ContractTerms = { rate: '1999', currency: 'JPY', unit: 'HOURLY' };
const YEN_FIXED: ContractTerms = { rate: '150000', currency: 'JPY', unit: 'FIXED' };
const DINAR_HOURLY: ContractTerms = { rate: '12.125', currency: 'KWD', unit: 'HOURLY' };
const DINAR_FIXED: ContractTerms = { rate: '500.000', currency: 'KWD', unit: 'FIXED' };
const base: SubmitInvoiceRequest = { contractId: 'c', description: '  Week 1: API design  ' };

const refusal = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (error) {
    expect((error as DomainError).code).toBe('BAD_USER_INPUT');
    return error as DomainError;
  }
  throw new Error('expected BAD_USER_INPUT');
};
const fieldOf = (fn: () => unknown): unknown => refusal(fn).details.field;

describe('toInvoiceLines', () => {
  it('prices an hourly invoice from hours x rate and trims the description', () => {
    expect(toInvoiceLines({ ...base, hours: 10.5 }, HOURLY)).toEqual({ description: 'Week 1: API design', hours: '10.50', subtotal: 84000n });
  });

  it('takes a fixed invoice at its amount, in the contract currency (case-insensitive)', () => {
    expect(toInvoiceLines({ ...base, amount: { amount: '1250.5', currency: 'eur' } }, FIXED)).toEqual({
      description: 'Week 1: API design',
      hours: null,
      subtotal: 125050n,
    });
  });

  it("prices in the contract currency's minor units, half even (JPY: yen, KWD: fils)", () => {
    expect(toInvoiceLines({ ...base, hours: 10.5 }, YEN_HOURLY).subtotal).toBe(20_990n); // ¥20989.5 -> ¥20990
    expect(toInvoiceLines({ ...base, hours: 10.5 }, { ...YEN_HOURLY, rate: '1997' }).subtotal).toBe(20_968n); // ¥20968.5 -> ¥20968
    expect(toInvoiceLines({ ...base, hours: 1.5 }, DINAR_HOURLY).subtotal).toBe(18_188n); // 18.1875 -> 18.188
    // A rate stored with padding zeros (NUMERIC read back, or from before the columns widened) reads the same.
    expect(toInvoiceLines({ ...base, hours: 10.5 }, { ...YEN_HOURLY, rate: '1999.00' }).subtotal).toBe(20_990n);
  });

  it("takes fixed amounts with up to the currency's decimals", () => {
    expect(toInvoiceLines({ ...base, amount: { amount: '1500', currency: 'JPY' } }, YEN_FIXED).subtotal).toBe(1500n);
    expect(toInvoiceLines({ ...base, amount: { amount: '12.125', currency: 'KWD' } }, DINAR_FIXED).subtotal).toBe(12_125n);
    expect(toInvoiceLines({ ...base, amount: { amount: '12.5', currency: 'KWD' } }, DINAR_FIXED).subtotal).toBe(12_500n);
  });

  it("refuses a yen amount with decimals, naming the field and the currency's decimals", () => {
    const error = refusal(() => toInvoiceLines({ ...base, amount: { amount: '1500.5', currency: 'JPY' } }, YEN_FIXED));
    expect(error.details.field).toBe('amount.amount');
    expect(error.message).toContain('at most 0 decimals for JPY');
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
    ['a yen amount with decimals', YEN_FIXED, { amount: { amount: '1500.50', currency: 'JPY' } }, 'amount.amount'],
    ['a dinar amount with 4 decimals', DINAR_FIXED, { amount: { amount: '12.1255', currency: 'KWD' } }, 'amount.amount'],
    ['hours x rate below one yen', { ...YEN_HOURLY, rate: '40' }, { hours: 0.01 }, 'hours'], // ¥0.4 -> ¥0
    ['hours x rate below one cent', { ...HOURLY, rate: '0.40' }, { hours: 0.01 }, 'hours'], // 0.004 -> 0.00
  ])('refuses %s', (_label, contract, overrides, field) => {
    expect(fieldOf(() => toInvoiceLines({ ...base, ...(overrides as Partial<SubmitInvoiceRequest>) }, contract))).toBe(field);
  });
});
