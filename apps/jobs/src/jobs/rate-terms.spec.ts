import { describeTerms, rateCeiling, rateTermsOf, rateVerdict, type RateTerms, type RateVerdict } from './rate-terms';

// NUMERIC columns come back with their scale: "60.00".
const terms = (overrides: Partial<RateTerms> = {}): RateTerms => ({
  min: '60.00',
  max: '90.00',
  currency: 'USD',
  unit: 'HOURLY',
  tolerancePercent: 0,
  ...overrides,
});
const usd = (amount: string) => ({ amount, currency: 'USD' });

describe('rateVerdict', () => {
  it.each<[string, string, RateVerdict]>([
    ['inside the budget', '75.00', 'WITHIN'],
    ['at the min', '60.00', 'WITHIN'],
    ['at the max', '90.00', 'WITHIN'],
    ['a cent above the max', '90.01', 'ABOVE_MAX'],
    ['far above the max (the attack: 5,000,000 an hour)', '5000000.00', 'ABOVE_MAX'],
    ['a cent below the min', '59.99', 'BELOW_MIN'],
    ['far below the min', '0.01', 'BELOW_MIN'],
  ])('without tolerance: %s (%s) is %s', (_, amount, verdict) => {
    expect(rateVerdict(terms(), usd(amount))).toBe(verdict);
  });

  it.each<[string, string, RateVerdict]>([
    ['above the max, within the tolerance', '95.00', 'WITHIN'],
    ['exactly max x 1.10', '99.00', 'WITHIN'],
    ['a cent above max x 1.10', '99.01', 'ABOVE_MAX'],
    ['below the min: the tolerance only raises the max', '59.99', 'BELOW_MIN'],
    ['at the min', '60.00', 'WITHIN'],
  ])('with 10%% tolerance: %s (%s) is %s', (_, amount, verdict) => {
    expect(rateVerdict(terms({ tolerancePercent: 10 }), usd(amount))).toBe(verdict);
  });

  it('rounds the ceiling down to the cent, exactly (no floats)', () => {
    // 33.33 x 1.07 = 35.6631: 35.66 is in, 35.67 is not.
    const odd = terms({ min: '1.00', max: '33.33', tolerancePercent: 7 });
    expect(rateCeiling(odd)).toBe('35.66');
    expect(rateVerdict(odd, usd('35.66'))).toBe('WITHIN');
    expect(rateVerdict(odd, usd('35.67'))).toBe('ABOVE_MAX');
    // 0.10 x 1.15 = 0.115 in floats is 0.11499999999999999; in cents, 11.5 -> 11.
    expect(rateCeiling(terms({ min: '0.01', max: '0.10', tolerancePercent: 15 }))).toBe('0.11');
    // Big amounts stay exact: 999,999,999,999.99 x 1.5.
    expect(rateCeiling(terms({ max: '999999999999.99', tolerancePercent: 50 }))).toBe('1499999999999.98');
  });

  it('50% tolerance: at most 1.5 x max', () => {
    expect(rateVerdict(terms({ tolerancePercent: 50 }), usd('135.00'))).toBe('WITHIN');
    expect(rateVerdict(terms({ tolerancePercent: 50 }), usd('135.01'))).toBe('ABOVE_MAX');
  });

  it('refuses a rate in another currency, whatever its amount', () => {
    expect(rateVerdict(terms(), { amount: '75.00', currency: 'EUR' })).toBe('OTHER_CURRENCY');
    expect(rateVerdict(terms({ tolerancePercent: 50 }), { amount: '60.00', currency: 'GBP' })).toBe('OTHER_CURRENCY');
  });

  it('reads amounts at any scale, as NUMERIC columns hand them back', () => {
    expect(rateVerdict(terms({ min: '60', max: '90.5' }), usd('90.50'))).toBe('WITHIN');
    expect(rateVerdict(terms({ min: '60', max: '90.5' }), usd('90.51'))).toBe('ABOVE_MAX');
  });

  it("works in the job currency's minor unit: yen ceilings round down to the yen, dinars to the fils", () => {
    const yen = terms({ min: '1000', max: '1555', currency: 'JPY', tolerancePercent: 10 });
    expect(rateCeiling(yen)).toBe('1710'); // 1710.5 -> 1710
    expect(rateVerdict(yen, { amount: '1710', currency: 'JPY' })).toBe('WITHIN');
    expect(rateVerdict(yen, { amount: '1711', currency: 'JPY' })).toBe('ABOVE_MAX');
    const dinars = terms({ min: '10.000', max: '12.125', currency: 'KWD', tolerancePercent: 10 });
    expect(rateCeiling(dinars)).toBe('13.337'); // 13.3375 -> 13.337
    expect(rateVerdict(dinars, { amount: '13.337', currency: 'KWD' })).toBe('WITHIN');
    expect(rateVerdict(dinars, { amount: '13.338', currency: 'KWD' })).toBe('ABOVE_MAX');
    expect(rateVerdict(dinars, { amount: '9.999', currency: 'KWD' })).toBe('BELOW_MIN');
  });

  it('refuses a tolerance that is not a whole non-negative percent', () => {
    expect(() => rateVerdict(terms({ tolerancePercent: 2.5 }), usd('75'))).toThrow(RangeError);
    expect(() => rateVerdict(terms({ tolerancePercent: -1 }), usd('75'))).toThrow(RangeError);
  });
});

describe('describeTerms', () => {
  it('names the budget, and the tolerance ceiling when there is one', () => {
    expect(describeTerms(terms())).toBe('60.00 to 90.00 USD per hour');
    expect(describeTerms(terms({ tolerancePercent: 10 }))).toBe("60.00 to 90.00 USD per hour, or up to 99.00 USD with the client's 10% tolerance");
    expect(describeTerms(terms({ min: '500', max: '900', unit: 'FIXED' }))).toBe('500.00 to 900.00 USD (fixed price)');
    expect(describeTerms(terms({ min: '1000.00', max: '1500', currency: 'JPY', tolerancePercent: 10 }))).toBe(
      "1000 to 1500 JPY per hour, or up to 1650 JPY with the client's 10% tolerance",
    );
    expect(describeTerms(terms({ min: '10', max: '12.125', currency: 'KWD' }))).toBe('10.000 to 12.125 KWD per hour');
  });
});

describe('rateTermsOf', () => {
  it("takes a job's budget, currency, unit and tolerance", () => {
    expect(rateTermsOf({ budgetMin: '60.00', budgetMax: '90.00', currency: 'USD', rateUnit: 'HOURLY', rateTolerancePercent: 5 })).toEqual({
      min: '60.00',
      max: '90.00',
      currency: 'USD',
      unit: 'HOURLY',
      tolerancePercent: 5,
    });
  });
});
