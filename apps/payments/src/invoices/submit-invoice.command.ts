import { BadUserInputError, charLength } from '@talent/platform';
import { formatHours, hourlySubtotal, parseAmount, parseCurrency, parseHours, toCents, type RateUnit } from '../money/money';

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

/** A validated invoice before the fee: its description, hours ("10.50", hourly only) and subtotal in cents. */
export interface InvoiceLines {
  description: string;
  hours: string | null;
  subtotal: bigint;
}

export const DESCRIPTION_LENGTH = [3, 1000] as const;

/**
 * Validates an invoice against its contract: HOURLY needs `hours` (and no `amount`):
 * subtotal = hours x rate, rounded half up to the cent; FIXED needs `amount` in the contract
 * currency (and no `hours`). BAD_USER_INPUT names the offending field.
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
    return { description, hours: formatHours(hundredths), subtotal: hourlySubtotal(toCents(contract.rate), hundredths) };
  }

  if (hasHours) throw new BadUserInputError('hours is for HOURLY contracts: give the amount of a FIXED contract', 'hours');
  if (!hasAmount) throw new BadUserInputError('amount is required on a FIXED contract', 'amount');
  const money = request.amount as { amount: string; currency: string };
  const cents = parseAmount(money.amount, 'amount.amount');
  const currency = parseCurrency(money.currency, 'amount.currency');
  if (currency !== contract.currency) throw new BadUserInputError(`amount must be in the contract currency ${contract.currency}`, 'amount.currency');
  return { description, hours: null, subtotal: cents };
}
