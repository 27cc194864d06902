import { DomainError, parseCommand } from '@talent/platform';
import type { z } from 'zod';
import { ApplyToJobCommand } from './apply-to-job';

const toApplyCommand = (input: z.input<typeof ApplyToJobCommand>) => parseCommand(ApplyToJobCommand, input);

const fieldOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    expect((error as DomainError).code).toBe('BAD_USER_INPUT');
    return (error as DomainError).details.field;
  }
  throw new Error('expected BAD_USER_INPUT');
};

describe('ApplyToJobCommand', () => {
  const base = { jobId: 'j', coverLetter: ' I have built three of these. ', proposedRate: { amount: '95.5', currency: 'usd' } };

  it('trims the cover letter and canonicalises the rate', () => {
    expect(toApplyCommand(base)).toEqual({
      jobId: 'j',
      coverLetter: 'I have built three of these.',
      proposedRate: { amount: '95.50', currency: 'USD' },
      stake: null,
    });
  });

  it.each([
    ['an empty cover letter', { coverLetter: '   ' }, 'coverLetter'],
    ['a 5001-character cover letter', { coverLetter: 'x'.repeat(5001) }, 'coverLetter'],
    ['a zero rate', { proposedRate: { amount: '0', currency: 'USD' } }, 'proposedRate.amount'],
    ['a negative rate', { proposedRate: { amount: '-5', currency: 'USD' } }, 'proposedRate.amount'],
    ['an unknown currency', { proposedRate: { amount: '5', currency: 'QQQ' } }, 'proposedRate.currency'],
    ['a yen rate with decimals', { proposedRate: { amount: '1500.5', currency: 'JPY' } }, 'proposedRate.amount'],
    ['a zero stake', { stake: '0.000' }, 'stake'],
    ['a negative stake', { stake: '-1' }, 'stake'],
  ])('refuses %s', (_, overrides, field) => {
    expect(fieldOf(() => toApplyCommand({ ...base, ...overrides }))).toBe(field);
  });

  it('keeps a positive stake (the use case decides whether staking is available)', () => {
    const stakeOf = (stake: string | null | undefined) => toApplyCommand({ ...base, stake }).stake;
    expect(stakeOf('12.5')).toBe('12.5');
    expect(stakeOf('0.000000000000000001')).toBe('0.000000000000000001');
    expect(stakeOf(null)).toBeNull();
    expect(stakeOf(undefined)).toBeNull();
  });
});
