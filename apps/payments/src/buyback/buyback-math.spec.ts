import { parseUsdcRates } from './buyback-config';
import { canonicalDecimal } from '@talent/platform';
import { btrstFor, canonicalUsdc, usdcFor } from './buyback-math';

describe('usdcFor: fiat minor units -> USDC (6 decimals, half even)', () => {
  it.each([
    ['100.00', 'EUR', '1.08', '108.000000'],
    ['84.00', 'USD', '1', '84.000000'],
    // 0-decimal and 3-decimal currencies, from their ISO 4217 minor units.
    ['1500', 'JPY', '0.0067', '10.050000'],
    ['12.125', 'KWD', '3.25', '39.406250'],
    ['0.01', 'GBP', '1.27', '0.012700'],
  ])('%s %s at %s USDC/unit = %s USDC', (amount, currency, rate, usdc) => {
    expect(usdcFor(amount, currency, rate)).toBe(usdc);
  });

  it('rounds a half micro-USDC to the even neighbour', () => {
    // 0.01 USD x 0.00005 = 0.0000005: half of the last unit, even 0 stays; 0.0000015 -> 0.000002; 0.0000025 -> 0.000002.
    expect(usdcFor('0.01', 'USD', '0.00005')).toBe('0.000000');
    expect(usdcFor('0.01', 'USD', '0.00015')).toBe('0.000002');
    expect(usdcFor('0.01', 'USD', '0.00025')).toBe('0.000002');
    expect(usdcFor('0.01', 'USD', '0.00026')).toBe('0.000003');
  });

  it('refuses an amount with more decimals than its currency (never rounded silently)', () => {
    expect(() => usdcFor('1500.5', 'JPY', '0.0067')).toThrow(RangeError);
  });
});

describe('btrstFor: USDC / price, rounded DOWN to 18 decimals', () => {
  it.each([
    ['108.000000', '0.25', '432'],
    ['10.000000', '0.3', '33.333333333333333333'],
    // 0.2 / 0.3 = 0.666...: down, never up to ...667 (the treasury never gets more than was bought).
    ['0.200000', '0.3', '0.666666666666666666'],
    ['0.000001', '3', '0.000000333333333333'],
    ['1.000000', '0.000000000000000001', '1000000000000000000'],
    ['0.000000', '0.25', '0'],
  ])('%s USDC at %s USDC/BTRST = %s BTRST', (usdc, price, btrst) => {
    expect(btrstFor(usdc, price)).toBe(btrst);
  });

  it('refuses a zero price', () => {
    expect(() => btrstFor('1.000000', '0')).toThrow('positive');
  });
});

describe('canonical forms', () => {
  it('writes USDC with exactly 6 decimals and refuses a 7th', () => {
    expect(canonicalUsdc('108')).toBe('108.000000');
    expect(canonicalUsdc('0.1234560')).toBe('0.123456');
    expect(() => canonicalUsdc('0.1234567')).toThrow(RangeError);
  });

  it('drops insignificant zeros of a price', () => {
    expect(canonicalDecimal('0.250000000000000000')).toBe('0.25');
    expect(canonicalDecimal('25.000')).toBe('25');
    expect(canonicalDecimal('0')).toBe('0');
  });
});

describe('parseUsdcRates (BUYBACK_USDC_RATES)', () => {
  it('reads CURRENCY=USDC_PER_UNIT pairs', () => {
    expect([...parseUsdcRates(' USD=1, EUR=1.08,JPY=0.0067 ')]).toEqual([
      ['USD', '1'],
      ['EUR', '1.08'],
      ['JPY', '0.0067'],
    ]);
    expect(parseUsdcRates('').size).toBe(0);
  });

  it.each([['EUR=0'], ['eur=1.08'], ['EUR=1,08'], ['EUR'], ['EUR=1.08=2'], ['EUR=-1']])('refuses %p', (text) => {
    expect(() => parseUsdcRates(text)).toThrow('is not CURRENCY=USDC_PER_UNIT');
  });

  it('refuses a currency given twice', () => {
    expect(() => parseUsdcRates('EUR=1.08,EUR=1.09')).toThrow('EUR is given twice');
  });
});
