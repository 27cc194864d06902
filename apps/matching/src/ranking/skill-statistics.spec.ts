import { reputationFloorOf } from './skill-statistics';

describe('reputationFloorOf', () => {
  // Half the rows at the neutral 0.5, the other half spread evenly over 0.6..1.0 (4 buckets).
  const floor = reputationFloorOf({ vals: ['0.5'], freqs: [0.5], histogram: [0.6, 0.7, 0.8, 0.9, 1] });

  it('is the score that about the given share of rows reach', () => {
    expect(floor(0.125)).toBeCloseTo(0.9, 12);
    expect(floor(0.25)).toBeCloseTo(0.8, 12);
    expect(floor(0.5)).toBeCloseTo(0.6, 12);
    expect(floor(0.0625)).toBeCloseTo(0.95, 12);
  });

  it('counts the most common values at their own score', () => {
    expect(floor(0.75)).toBe(0.5);
    expect(floor(0.9)).toBe(0.5);
  });

  it('is null without statistics or for every row', () => {
    expect(reputationFloorOf(undefined)(0.1)).toBeNull();
    expect(reputationFloorOf({ vals: null, freqs: null, histogram: null })(0.1)).toBeNull();
    expect(floor(1)).toBeNull();
    expect(floor(0)).toBeNull();
  });
});
