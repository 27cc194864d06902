import { formatMinor, toMinor, type MoneyValue, type RateUnit } from '@talent/platform';
import type { JobRecord } from './job.entity';

/**
 * The rates a job accepts: its budget [min, max] in its currency, and the tolerance its client
 * allows above the max. A rate is within the terms when it is in the job's currency and
 * min <= rate <= max x (1 + tolerancePercent / 100). Exact: integer minor units of the
 * currency (cents, yen, fils), no floats.
 *
 * Why it matters: a contract is valued by its accepted rate, and nothing a client and a talent
 * can declare between themselves without money moving may be worth more than the job's terms.
 */
export interface RateTerms {
  /** Decimal strings (NUMERIC as read from the database, or canonical). */
  min: string;
  max: string;
  currency: string;
  unit: RateUnit;
  /** Whole percent, 0..50 (see post-job.ts). */
  tolerancePercent: number;
}

export type RateVerdict = 'WITHIN' | 'OTHER_CURRENCY' | 'BELOW_MIN' | 'ABOVE_MAX';

export const rateTermsOf = (job: Pick<JobRecord, 'budgetMin' | 'budgetMax' | 'currency' | 'rateUnit' | 'rateTolerancePercent'>): RateTerms => ({
  min: job.budgetMin,
  max: job.budgetMax,
  currency: job.currency,
  unit: job.rateUnit,
  tolerancePercent: job.rateTolerancePercent,
});

/**
 * The highest rate the terms accept, in minor units: max x (100 + tolerance) / 100, rounded down.
 * For an integer number of minor units r, r <= max x (1 + t/100) exactly when r <= this ceiling.
 */
function ceilingMinor(terms: RateTerms): bigint {
  const t = terms.tolerancePercent;
  if (!Number.isInteger(t) || t < 0) throw new RangeError(`tolerancePercent must be a non-negative integer (got ${t})`);
  return (toMinor(terms.max, terms.currency) * BigInt(100 + t)) / 100n;
}

/** The highest rate the terms accept ("99.00" for a max of 90 USD with 10%, "1650" for ¥1500). */
export const rateCeiling = (terms: RateTerms): string => formatMinor(ceilingMinor(terms), terms.currency);

/** Where a rate stands against a job's terms. */
export function rateVerdict(terms: RateTerms, rate: MoneyValue): RateVerdict {
  if (rate.currency !== terms.currency) return 'OTHER_CURRENCY';
  const minor = toMinor(rate.amount, terms.currency);
  if (minor < toMinor(terms.min, terms.currency)) return 'BELOW_MIN';
  if (minor > ceilingMinor(terms)) return 'ABOVE_MAX';
  return 'WITHIN';
}

/** The terms in words, for error messages: "60.00 to 90.00 USD per hour, or up to 99.00 USD with the client's 10% tolerance". */
export function describeTerms(terms: RateTerms): string {
  const per = terms.unit === 'HOURLY' ? ' per hour' : ' (fixed price)';
  const money = (minor: bigint): string => formatMinor(minor, terms.currency);
  const max = toMinor(terms.max, terms.currency);
  const budget = `${money(toMinor(terms.min, terms.currency))} to ${money(max)} ${terms.currency}${per}`;
  const ceiling = ceilingMinor(terms);
  return ceiling > max ? `${budget}, or up to ${money(ceiling)} ${terms.currency} with the client's ${terms.tolerancePercent}% tolerance` : budget;
}
