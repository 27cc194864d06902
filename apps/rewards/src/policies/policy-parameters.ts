import type { EntityManager } from 'typeorm';
import { BadUserInputError, DecimalFormatError, fromUnits, MAX_UNITS, toUnits, type ParameterOwner } from '@talent/platform';

/** The policy fields governance may change, with the column each one sets and how its value is read. */
const FIELDS = {
  amount: { column: 'amount', kind: 'btrst' },
  rate: { column: 'rate', kind: 'btrst' },
  capPerGrant: { column: 'cap_per_grant', kind: 'btrst' },
  capPerBeneficiaryDay: { column: 'cap_per_beneficiary_day', kind: 'btrst' },
  capPerBeneficiaryMonth: { column: 'cap_per_beneficiary_month', kind: 'btrst' },
  capPerSource: { column: 'cap_per_source', kind: 'btrst' },
  earningWindowDays: { column: 'earning_window_days', kind: 'days' },
  minPaidUsd: { column: 'min_paid_usd', kind: 'usd' },
} as const;

type Field = keyof typeof FIELDS;

export interface PolicyParameter {
  policyKey: string;
  field: Field;
  column: (typeof FIELDS)[Field]['column'];
  /** The value as the column stores it (canonical). */
  value: string;
}

/** `rating.fiveStar` -> `rating.five_star` (parameter keys cannot hold an underscore). */
const snake = (segment: string): string => segment.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Whether rewards applies this key: `rewards.<policy>.<field>`, and `jury.reward` (the amount of the policy of that name). */
export const isRewardsParameter = (key: string): boolean => key === 'jury.reward' || key.startsWith('rewards.');

/**
 * Reads a rewards parameter change: `rewards.connector.clientReferral.capPerGrant` sets
 * `cap_per_grant` of policy `connector.client_referral`; `jury.reward` sets the amount of policy
 * `jury.reward`. An unknown field or a value the column cannot hold is refused (BadUserInputError).
 */
export function parsePolicyParameter(key: string, value: string): PolicyParameter {
  const segments = key === 'jury.reward' ? ['jury', 'reward', 'amount'] : key.split('.').slice(1);
  const field = segments.pop() as Field;
  if (segments.length === 0 || !Object.hasOwn(FIELDS, field)) {
    throw new BadUserInputError(`${key} is not a reward policy parameter: expected rewards.<policy>.<${Object.keys(FIELDS).join('|')}>`, 'key');
  }
  const { column, kind } = FIELDS[field];
  return { policyKey: segments.map(snake).join('.'), field, column, value: canonical(key, kind, value) };
}

function canonical(key: string, kind: 'btrst' | 'days' | 'usd', value: string): string {
  if (kind === 'days') {
    if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 36_500)
      throw new BadUserInputError(`${key} must be a whole number of days from 1 to 36500, got "${value}"`, 'value');
    return String(Number(value));
  }
  if (kind === 'usd') {
    if (!/^\d{1,18}(\.\d{1,2})?$/.test(value))
      throw new BadUserInputError(`${key} must be a USD amount of at least 0 with at most 2 decimals, got "${value}"`, 'value');
    return fromUnits(toUnits(value));
  }
  let units: bigint;
  try {
    units = toUnits(value);
  } catch (error) {
    if (error instanceof DecimalFormatError) throw new BadUserInputError(`${key} must be a positive BTRST amount: ${error.message}`, 'value');
    throw error;
  }
  if (units <= 0n || units > MAX_UNITS) throw new BadUserInputError(`${key} must be a positive BTRST amount below 10^18, got "${value}"`, 'value');
  return fromUnits(units);
}

/**
 * The reward policies' governed parameters (`rewards.*`, `jury.reward`, see ParameterChangedHandler):
 * grants decided afterwards read the new amount, rate or cap from `reward_policies` (each grant
 * reads its policy in its own transaction); grants already decided keep what they paid. A value
 * rewards cannot apply, or a policy it does not have, is refused for good (dead letter, for ops).
 */
export const rewardPolicyParameters: ParameterOwner = {
  owns: isRewardsParameter,

  async canonical(tx: EntityManager, key: string, value: string): Promise<string> {
    const change = parsePolicyParameter(key, value);
    // The policy's row lock orders concurrent changes of one policy (and a grant reading it waits for the commit).
    const policies: Array<{ fixed: boolean }> = await tx.query(`SELECT amount IS NOT NULL AS fixed FROM reward_policies WHERE key = $1 FOR UPDATE`, [
      change.policyKey,
    ]);
    if (policies.length === 0) throw new BadUserInputError(`${key}: rewards has no reward policy ${change.policyKey}`, 'key');
    const fixed = policies[0].fixed;
    if ((change.field === 'amount' && !fixed) || (change.field === 'rate' && fixed)) {
      throw new BadUserInputError(`${key}: policy ${change.policyKey} pays ${fixed ? 'a fixed amount' : 'at a rate'}, it has no ${change.field}`, 'key');
    }
    return change.value;
  },

  async apply(tx: EntityManager, key: string, value: string): Promise<void> {
    const change = parsePolicyParameter(key, value);
    // `column` comes from FIELDS, never from the event.
    await tx.query(`UPDATE reward_policies SET ${change.column} = $2, updated_at = now() WHERE key = $1`, [change.policyKey, change.value]);
  },
};
