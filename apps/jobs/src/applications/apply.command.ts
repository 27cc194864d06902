import { BadUserInputError, charLength, parseMoney, type MoneyValue } from '@talent/platform';

export interface ApplyRequest {
  jobId: string;
  coverLetter: string;
  proposedRate: { amount: string; currency: string };
  /** BTRST as a decimal string (the Decimal scalar already checked its format). */
  stake?: string | null;
}

export interface ApplyCommand {
  jobId: string;
  coverLetter: string;
  proposedRate: MoneyValue;
  stake: string | null;
}

export const COVER_LETTER_LIMITS = [1, 5000] as const;

/** A stake must be a positive amount; null or absent means no stake. */
export function parseStake(stake: string | null | undefined): string | null {
  if (stake === null || stake === undefined) return null;
  if (!/^\d+(\.\d+)?$/.test(stake) || !/[1-9]/.test(stake)) throw new BadUserInputError('stake must be a positive BTRST amount', 'stake');
  return stake;
}

/** Validates an application's input; the first problem found is a BAD_USER_INPUT naming its field. */
export function toApplyCommand(input: ApplyRequest): ApplyCommand {
  const coverLetter = input.coverLetter.trim();
  const [min, max] = COVER_LETTER_LIMITS;
  if (charLength(coverLetter) < min || charLength(coverLetter) > max) {
    throw new BadUserInputError(`coverLetter must be ${min} to ${max} characters`, 'coverLetter');
  }
  const { amount, currency } = parseMoney(input.proposedRate, 'proposedRate');
  return { jobId: input.jobId, coverLetter, proposedRate: { amount, currency }, stake: parseStake(input.stake) };
}
