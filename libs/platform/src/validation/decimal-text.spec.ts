import { trimDecimal } from './decimal-text';

describe('trimDecimal', () => {
  it.each([
    ['10.500000000000000000', '10.5'],
    ['10.000000000000000000', '10'],
    ['0.000000000000000001', '0.000000000000000001'],
    ['1200', '1200'],
    ['-0.000', '0'],
    ['-3.250', '-3.25'],
  ])('%s -> %s', (input, expected) => {
    expect(trimDecimal(input)).toBe(expected);
  });
});
