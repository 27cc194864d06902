import { DomainError, formatMinor, toMinor } from '@talent/platform';
import { parseFeeRate } from '../parameters/fee-rate';
import { hourlySubtotal, parseHours, priceInvoice } from './invoice-pricing';

function badInput(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('BAD_USER_INPUT');
    return error as DomainError;
  }
  throw new Error('expected BAD_USER_INPUT');
}

const rate = (value: string) => parseFeeRate(value);

/** An hourly subtotal as the invoice shows it: hours x rate in the rate's currency. */
const subtotalOf = (currency: string, hourlyRate: string, hours: number): string =>
  formatMinor(hourlySubtotal(toMinor(hourlyRate, currency), parseHours(hours, 'hours')), currency);

describe('invoice arithmetic (minor units of the currency, half even)', () => {
  it('prices 10.5 h x 80.00 USD at 10%: 840.00 + 84.00 = 924.00', () => {
    const subtotal = hourlySubtotal(toMinor('80.00', 'USD'), parseHours(10.5, 'hours'));
    const priced = priceInvoice(subtotal, rate('0.10'));
    expect([priced.subtotal, priced.platformFee, priced.total].map((m) => formatMinor(m, 'USD'))).toEqual(['840.00', '84.00', '924.00']);
  });

  it('prices in yen without decimals and in dinars with three', () => {
    const yen = priceInvoice(hourlySubtotal(toMinor('1500', 'JPY'), parseHours(8, 'hours')), rate('0.10'));
    expect([yen.subtotal, yen.platformFee, yen.total].map((m) => formatMinor(m, 'JPY'))).toEqual(['12000', '1200', '13200']);
    const dinars = priceInvoice(hourlySubtotal(toMinor('12.125', 'KWD'), parseHours(8, 'hours')), rate('0.10'));
    expect([dinars.subtotal, dinars.platformFee, dinars.total].map((m) => formatMinor(m, 'KWD'))).toEqual(['97.000', '9.700', '106.700']);
  });

  it.each([
    // currency, rate, hours, expected subtotal
    ['USD', '0.50', 0.01, '0.00'], // 0.005: a half, to the even 0.00 (was 0.01 under half up)
    ['USD', '1.50', 0.01, '0.02'], // 0.015: a half, to the even 0.02
    ['USD', '33.33', 1.5, '50.00'], // 49.995: a half, to the even 50.00
    ['USD', '0.49', 0.01, '0.00'], // 0.0049
    ['USD', '0.51', 0.01, '0.01'], // 0.0051
    ['USD', '99.99', 0.33, '33.00'], // 32.9967
    ['USD', '12.34', 168, '2073.12'],
    ['USD', '0.10', 0.1, '0.01'], // 0.01 exactly
    ['JPY', '1999', 10.5, '20990'], // 20989.5: a half, to the even 20990
    ['JPY', '1997', 10.5, '20968'], // 20968.5: a half, to the even 20968
    ['JPY', '1500', 0.01, '15'],
    ['JPY', '1234', 0.33, '407'], // 407.22
    ['KWD', '12.125', 1.5, '18.188'], // 18.1875: a half, to the even 18.188
    ['KWD', '12.125', 2.5, '30.312'], // 30.3125: a half, to the even 30.312
    ['KWD', '0.5', 0.01, '0.005'], // exact in fils (would be a half cent in a 2-decimal currency)
  ])('%s %s x %p h = %s', (currency, r, hours, expected) => {
    expect(subtotalOf(currency, r, hours)).toBe(expected);
  });

  it('never goes through binary floating point (0.1 + 0.2 style inputs stay exact)', () => {
    expect(parseHours(0.29, 'hours')).toBe(29n); // 0.29 * 100 = 28.999999999999996 in floats
    expect(subtotalOf('USD', '1.15', 1.15)).toBe('1.32'); // 1.3225
  });

  it.each([
    // currency, subtotal, fee rate, fee, total
    ['USD', '1.25', '0.10', '0.12', '1.37'], // 0.125: a half, to the even 0.12
    ['USD', '1.35', '0.10', '0.14', '1.49'], // 0.135: a half, to the even 0.14
    ['USD', '0.05', '0.10', '0.00', '0.05'], // 0.005: a half, to the even 0.00 (was 0.01 under half up)
    ['USD', '100.12', '0.10', '10.01', '110.13'], // 10.012
    ['USD', '0.04', '0.10', '0.00', '0.04'], // 0.004
    ['USD', '1000.00', '0.125', '125.00', '1125.00'],
    ['USD', '19.99', '0.0725', '1.45', '21.44'], // 1.449275
    ['USD', '50.00', '0', '0.00', '50.00'],
    ['USD', '50.00', '1', '50.00', '100.00'],
    ['JPY', '20990', '0.10', '2099', '23089'],
    ['JPY', '25', '0.10', '2', '27'], // ¥2.5: a half, to the even ¥2
    ['JPY', '35', '0.10', '4', '39'], // ¥3.5: a half, to the even ¥4
    ['JPY', '19999', '0.0725', '1450', '21449'], // ¥1449.9275
    ['KWD', '12.500', '0.10', '1.250', '13.750'],
    ['KWD', '0.125', '0.10', '0.012', '0.137'], // 0.0125: a half, to the even 0.012
    ['KWD', '0.135', '0.10', '0.014', '0.149'], // 0.0135: a half, to the even 0.014
  ])('%s: fee on %s at %s = %s, total %s (talent keeps the subtotal)', (currency, subtotal, r, fee, total) => {
    const priced = priceInvoice(toMinor(subtotal, currency), rate(r));
    expect(formatMinor(priced.subtotal, currency)).toBe(subtotal);
    expect(formatMinor(priced.platformFee, currency)).toBe(fee);
    expect(formatMinor(priced.total, currency)).toBe(total);
  });

  it('over many exact halves the fees neither drift up nor down', () => {
    // USD subtotals 0.05, 0.15, ..., 9.95 at 10%: every fee is an exact half cent (0.005, 0.015, ...).
    let exact = 0n; // in tenths of a cent
    let charged = 0n;
    for (let cents = 5n; cents < 1000n; cents += 10n) {
      exact += cents;
      charged += priceInvoice(cents, rate('0.10')).platformFee * 10n;
    }
    expect(charged).toBe(exact); // half up would charge 100 half cents (0.50) too much
  });
});

describe('input parsing', () => {
  it.each([
    [10.5, 1050n],
    [168, 16800n],
    [0.01, 1n],
    [7.25, 725n],
  ])('hours %p = %p hundredths', (hours, hundredths) => expect(parseHours(hours, 'hours')).toBe(hundredths));

  it.each([0, -1, 168.01, 169, 10.123, Number.NaN, Number.POSITIVE_INFINITY, 1e-7])('refuses %p hours', (hours) => {
    expect(badInput(() => parseHours(hours, 'hours')).details.field).toBe('hours');
  });
});
