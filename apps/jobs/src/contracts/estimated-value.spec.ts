import { estimatedValue } from './estimated-value';

describe('estimatedValue', () => {
  it('is rate x hoursPerWeek x durationWeeks for hourly work, exactly', () => {
    expect(estimatedValue('85.50', 'USD', 'HOURLY', 40, 12)).toBe('41040.00');
    // 0.1 x 3 is 0.30000000000000004 in floats; in cents it is exact.
    expect(estimatedValue('0.10', 'USD', 'HOURLY', 3, 1)).toBe('0.30');
    expect(estimatedValue('33.33', 'USD', 'HOURLY', 7, 3)).toBe('699.93');
    expect(estimatedValue('19.99', 'USD', 'HOURLY', 37, 13)).toBe('9615.19');
  });

  it('stays exact at the largest inputs (12 digits x 80 h x 104 weeks)', () => {
    expect(estimatedValue('999999999999.99', 'USD', 'HOURLY', 80, 104)).toBe('8319999999999916.80');
  });

  it("is in the rate's currency: yen without decimals, dinars with three", () => {
    expect(estimatedValue('1500', 'JPY', 'HOURLY', 40, 12)).toBe('720000');
    expect(estimatedValue('1500.00', 'JPY', 'FIXED', 40, 12)).toBe('1500'); // a NUMERIC read back with padding
    expect(estimatedValue('12.125', 'KWD', 'HOURLY', 40, 12)).toBe('5820.000');
  });

  it('is the rate itself for fixed-price work, whatever the hours', () => {
    expect(estimatedValue('5000', 'USD', 'FIXED', 40, 12)).toBe('5000.00');
    expect(estimatedValue('1234.56', 'USD', 'FIXED', 1, 1)).toBe('1234.56');
  });

  it('refuses impossible hours or weeks', () => {
    expect(() => estimatedValue('10', 'USD', 'HOURLY', 0, 4)).toThrow(RangeError);
    expect(() => estimatedValue('10', 'USD', 'HOURLY', 2.5, 4)).toThrow(RangeError);
  });
});
