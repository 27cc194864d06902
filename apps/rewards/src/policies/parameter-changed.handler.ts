import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { ParameterChanged, type EnvelopeOf } from '@talent/events';
import { BadUserInputError, OnEvent, ROOT_LOGGER } from '@talent/platform';
import { DecimalFormatError, fromUnits, MAX_UNITS, toUnits } from '../ledger/decimal';

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
    if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 36_500) throw new BadUserInputError(`${key} must be a whole number of days from 1 to 36500, got "${value}"`, 'value');
    return String(Number(value));
  }
  if (kind === 'usd') {
    if (!/^\d{1,18}(\.\d{1,2})?$/.test(value)) throw new BadUserInputError(`${key} must be a USD amount of at least 0 with at most 2 decimals, got "${value}"`, 'value');
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
 * Governance's ParameterChanged for the reward policies (`rewards.*`, `jury.reward`): grants
 * decided afterwards read the new amount, rate or cap from `reward_policies` (each grant reads its
 * policy in its own transaction); grants already decided keep what they paid. Applied only when
 * newer than the change in force for that key (`applied_parameters`), so a redelivered or reordered
 * older change never undoes a newer one. A value rewards cannot apply, or a policy it does not
 * have, is refused for good (dead letter, for ops).
 */
@Injectable()
export class PolicyParameterChangedHandler {
  private readonly log: Logger;

  constructor(@Inject(ROOT_LOGGER) logger: Logger) {
    this.log = logger.child({ component: 'policy-parameters' });
  }

  @OnEvent(ParameterChanged)
  async onParameterChanged(event: EnvelopeOf<typeof ParameterChanged>, tx: EntityManager): Promise<void> {
    const { key, value, effectiveAt, proposalId } = event.payload;
    if (!isRewardsParameter(key)) return;
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
    const newer: unknown[] = await tx.query(
      `INSERT INTO applied_parameters (key, value, effective_at, proposal_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, effective_at = EXCLUDED.effective_at, proposal_id = EXCLUDED.proposal_id, recorded_at = now()
         WHERE applied_parameters.effective_at < EXCLUDED.effective_at
       RETURNING key`,
      [key, change.value, effectiveAt, proposalId],
    );
    if (newer.length === 0) {
      this.log.info({ key, value: change.value, proposalId }, 'older parameter change ignored');
      return;
    }
    // `column` comes from FIELDS, never from the event.
    await tx.query(`UPDATE reward_policies SET ${change.column} = $2, updated_at = now() WHERE key = $1`, [change.policyKey, change.value]);
    this.log.info({ key, policy: change.policyKey, value: change.value, proposalId }, 'reward policy changed by governance');
  }
}
