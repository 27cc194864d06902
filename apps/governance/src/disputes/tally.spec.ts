import type { DisputeDecision } from './dispute.records';
import { tally } from './tally';

const seats = (...decisions: Array<DisputeDecision | null>) => decisions.map((decision, i) => ({ jurorId: `juror-${i + 1}`, decision }));

describe('tally', () => {
  it('waits while no decision has a majority of the jury size and seats are still to vote', () => {
    expect(tally(seats(null, null, null), 3, false)).toBeNull();
    expect(tally(seats('FOR_CLIENT', null, null), 3, false)).toBeNull();
    expect(tally(seats('FOR_CLIENT', 'FOR_TALENT', null), 3, false)).toBeNull();
    expect(tally(seats('FOR_CLIENT', 'FOR_CLIENT', null, null, null), 5, false)).toBeNull();
  });

  it('decides as soon as a majority of the jury size agrees; the majority is who voted that way', () => {
    expect(tally(seats('FOR_CLIENT', null, 'FOR_CLIENT'), 3, false)).toEqual({ decision: 'FOR_CLIENT', majorityJurorIds: ['juror-1', 'juror-3'] });
    expect(tally(seats('FOR_TALENT', 'FOR_CLIENT', 'FOR_TALENT'), 3, false)).toEqual({ decision: 'FOR_TALENT', majorityJurorIds: ['juror-1', 'juror-3'] });
    expect(tally(seats('FOR_TALENT', 'FOR_TALENT', 'FOR_TALENT', null, null), 5, false)).toEqual({
      decision: 'FOR_TALENT',
      majorityJurorIds: ['juror-1', 'juror-2', 'juror-3'],
    });
  });

  it('at the last deadline, the votes cast decide; a tie or no vote leaves the invoices as they were (FOR_TALENT) and rewards nobody', () => {
    expect(tally(seats('FOR_CLIENT', null, null), 3, true)).toEqual({ decision: 'FOR_CLIENT', majorityJurorIds: ['juror-1'] });
    expect(tally(seats('FOR_CLIENT', 'FOR_TALENT', null), 3, true)).toEqual({ decision: 'FOR_TALENT', majorityJurorIds: [] });
    expect(tally(seats(null, null, null), 3, true)).toEqual({ decision: 'FOR_TALENT', majorityJurorIds: [] });
  });

  it('decides when every seat voted, even without a majority of the size (an even jury that split)', () => {
    expect(tally(seats('FOR_CLIENT', 'FOR_TALENT'), 2, false)).toEqual({ decision: 'FOR_TALENT', majorityJurorIds: [] });
  });
});
