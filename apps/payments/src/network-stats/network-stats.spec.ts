import { averageProjectSize } from './network-stats';

describe('averageProjectSize', () => {
  it('divides the gross value by the contracts, half even to the cent', () => {
    expect(averageProjectSize('100.00', 3)).toBe('33.33');
    expect(averageProjectSize('200.00', 3)).toBe('66.67');
    // 2.5 cents -> 2 (even), 3.5 cents -> 4 (even).
    expect(averageProjectSize('0.05', 2)).toBe('0.02');
    expect(averageProjectSize('0.07', 2)).toBe('0.04');
    expect(averageProjectSize('1234.5', 1)).toBe('1234.50');
  });

  it('is null without a contract', () => {
    expect(averageProjectSize('0', 0)).toBeNull();
  });
});
