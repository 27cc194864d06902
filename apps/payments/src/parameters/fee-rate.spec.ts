import { isFeeRate, parseFeeRate } from './fee-rate';

describe('fee rates', () => {
  it.each(['0', '0.1', '0.10', '0.1000', '0.0725', '1', '1.0', '1.0000'])('accepts %s', (value) => expect(isFeeRate(value)).toBe(true));
  it.each(['', '-0.1', '1.0001', '2', '0.12345', '.1', '0,1', 'abc', '1e-1'])('refuses %p', (value) => expect(isFeeRate(value)).toBe(false));

  it('canonicalises for display with at least 2 decimals', () => {
    expect(parseFeeRate('0.1000').text).toBe('0.10');
    expect(parseFeeRate('0.125').text).toBe('0.125');
    expect(parseFeeRate('1').text).toBe('1.00');
    expect(() => parseFeeRate('1.5')).toThrow(RangeError);
  });
});
