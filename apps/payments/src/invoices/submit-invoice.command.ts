import { BadUserInputError, charLength, parseAmountIn, parseCurrency, toMinor, type RateUnit } from '@talent/platform';
import { formatHours, hourlySubtotal, parseHours } from './invoice-pricing';

/** What submitInvoice receives (the GraphQL input's shape). */
export interface SubmitInvoiceRequest {
  contractId: string;
  description: string;
  hours?: number | null;
  amount?: { amount: string; currency: string } | null;
}

/** The contract terms an invoice is priced on (from the contracts projection). */
export interface ContractTerms {
  rate: string;
  currency: string;
  unit: RateUnit;
}

/** A validated invoice before the fee: its description, hours ("10.50", hourly only) and subtotal in minor units of the contract currency. */
export interface InvoiceLines {
  description: string;
  hours: string | null;
  subtotal: bigint;
}

export const DESCRIPTION_LENGTH = [3, 1000] as const;

/**
 * Validates an invoice against its contract: HOURLY needs `hours` (and no `amount`):
 * subtotal = hours x rate, rounded half even to the currency's minor unit; FIXED needs `amount`
 * in the contract currency with at most its decimals (none for JPY, 3 for KWD), and no `hours`.
 * BAD_USER_INPUT names the offending field.
 */
export function toInvoiceLines(request: SubmitInvoiceRequest, contract: ContractTerms): InvoiceLines {
  const description = request.description.trim();
  const [min, max] = DESCRIPTION_LENGTH;
  const length = charLength(description);
  if (length < min || length > max) throw new BadUserInputError(`description must be ${min} to ${max} characters`, 'description');
  const hasHours = request.hours !== null && request.hours !== undefined;
  const hasAmount = request.amount !== null && request.amount !== undefined;

  if (contract.unit === 'HOURLY') {
    if (hasAmount) throw new BadUserInputError('amount is for FIXED contracts: give the hours worked on an HOURLY contract', 'amount');
    if (!hasHours) throw new BadUserInputError('hours is required on an HOURLY contract', 'hours');
    const hundredths = parseHours(request.hours as number, 'hours');
    const subtotal = hourlySubtotal(toMinor(contract.rate, contract.currency), hundredths);
    // 0.01 h at ¥40 is ¥0.4: rounded to the yen there is nothing to invoice (and nothing to charge).
    if (subtotal === 0n) throw new BadUserInputError(`hours x rate is less than the smallest unit of ${contract.currency}: nothing to invoice`, 'hours');
    return { description, hours: formatHours(hundredths), subtotal };
  }

  if (hasHours) throw new BadUserInputError('hours is for HOURLY contracts: give the amount of a FIXED contract', 'hours');
  if (!hasAmount) throw new BadUserInputError('amount is required on a FIXED contract', 'amount');
  const money = request.amount as { amount: string; currency: string };
  // The currency first: it decides how many decimals the amount may have.
  const currency = parseCurrency(money.currency, 'amount.currency');
  if (currency !== contract.currency) throw new BadUserInputError(`amount must be in the contract currency ${contract.currency}`, 'amount.currency');
  return { description, hours: null, subtotal: parseAmountIn(money.amount, currency, 'amount.amount') };
}
