import type { GovernanceConfig } from '../config';
import { formatScaledTrimmed, parseScaled } from '@talent/platform';

/**
 * The network parameters governance may change (PARAMETER_CHANGE proposals), each with its type,
 * default, allowed range and the service that applies it. Governance validates a proposed value
 * here when the proposal is created; the applying service validates it again when it receives
 * ParameterChanged (it owns the rule), and refuses for good what it cannot apply.
 *
 * Keys match ParameterChanged's key pattern (`^[a-z][A-Za-z0-9.]{0,99}$`): reward policy keys with
 * an underscore are written in camelCase (`rating.five_star` -> `rewards.rating.fiveStar.*`).
 */

/**
 * - decimal: a plain decimal with at most `decimals` decimals (no sign, no exponent);
 * - integer: a whole number;
 * - seconds: a duration in whole seconds;
 * - btrst: a BTRST amount (at most 18 decimals).
 */
export type ParameterKind = 'decimal' | 'integer' | 'seconds' | 'btrst';
export type ParameterOwner = 'payments' | 'rewards' | 'matching' | 'governance';

export const PARAMETER_KEYS = [
  'platform.feeRate',
  'rewards.talent.screened.amount',
  'rewards.talent.screened.capPerBeneficiaryDay',
  'rewards.rating.fiveStar.amount',
  'rewards.rating.fiveStar.capPerBeneficiaryDay',
  'rewards.rating.fiveStar.capPerBeneficiaryMonth',
  'rewards.rating.fiveStar.minPaidUsd',
  'rewards.connector.referral.rate',
  'rewards.connector.referral.capPerGrant',
  'rewards.connector.referral.capPerSource',
  'rewards.connector.referral.capPerBeneficiaryMonth',
  'rewards.connector.referral.earningWindowDays',
  'rewards.connector.clientReferral.rate',
  'rewards.connector.clientReferral.capPerGrant',
  'rewards.connector.clientReferral.capPerSource',
  'rewards.connector.clientReferral.capPerBeneficiaryMonth',
  'rewards.connector.clientReferral.earningWindowDays',
  'jury.reward',
  'rewards.jury.reward.capPerBeneficiaryDay',
  'rewards.jury.reward.capPerBeneficiaryMonth',
  'matching.weights.skills',
  'matching.weights.rate',
  'matching.weights.experience',
  'matching.weights.reputation',
  'governance.quorumFraction',
  'governance.proposalThreshold',
  'governance.votingDelaySeconds',
  'governance.votingPeriodSeconds',
  'governance.timelockSeconds',
  'governance.lateQuorumExtensionSeconds',
  'governance.gracePeriodSeconds',
  'governance.jurySize',
  'jury.votingPeriodSeconds',
] as const;

export type ParameterKey = (typeof PARAMETER_KEYS)[number];

/** A parameter as declared; `default` and bounds may depend on the configuration. */
export interface ParameterSpec {
  key: ParameterKey;
  kind: ParameterKind;
  /** Most decimals accepted (decimal kind only; btrst: 18; integer and seconds: 0). */
  decimals?: number;
  /** The seed value (the first run, or a key added later); the table rules afterwards. */
  default: (config: GovernanceConfig) => string;
  /** The variable the default comes from, if any (named when it is out of range). */
  env?: keyof GovernanceConfig;
  min: string | ((config: GovernanceConfig) => string);
  /** True when `min` itself is not allowed (amounts must be positive). */
  minExclusive?: boolean;
  max: string;
  /** Only odd values (a jury never ties). */
  odd?: boolean;
  appliedBy: ParameterOwner;
  description: string;
}

/** A parameter with its bounds and default resolved against the configuration. */
export interface Parameter extends Omit<ParameterSpec, 'default' | 'min'> {
  default: string;
  min: string;
}

const DAY = 86_400;
const constant = (value: string) => (): string => value;
const fromConfig = (env: keyof GovernanceConfig) => ({ env, default: (c: GovernanceConfig): string => String(c[env]) });

/** Reward policy defaults, as rewards' migrations seed them (1732900000000, 1735200000000, 1736500000000). */
const reward = (
  key: ParameterKey,
  value: string,
  kind: 'btrst' | 'decimal' | 'integer',
  description: string,
  range: { min: string; max: string; minExclusive?: boolean; decimals?: number },
): ParameterSpec => ({ key, kind, default: constant(value), appliedBy: 'rewards', description, minExclusive: true, ...range });

const AMOUNT = { min: '0', max: '1000' };
const CAP = { min: '0', max: '1000000' };
const RATE = { min: '0', max: '1', decimals: 18 };
const WINDOW = { min: '1', max: '3650', minExclusive: false };
const WEIGHT = { min: '0', max: '1', decimals: 4 };

export const PARAMETERS: readonly ParameterSpec[] = [
  {
    key: 'platform.feeRate',
    kind: 'decimal',
    decimals: 4,
    ...fromConfig('PLATFORM_FEE_RATE'),
    min: '0',
    max: '0.3',
    appliedBy: 'payments',
    description: 'Platform fee charged to clients on top of each invoice (0.10 = 10%); the next invoice submitted uses it.',
  },
  reward('rewards.talent.screened.amount', '25', 'btrst', 'BTRST paid to the inspector for the first screening decision on a talent.', AMOUNT),
  reward('rewards.talent.screened.capPerBeneficiaryDay', '250', 'btrst', 'Most BTRST one inspector may earn from screenings per UTC day.', CAP),
  reward('rewards.rating.fiveStar.amount', '10', 'btrst', 'BTRST paid to each rated party of a contract rated 5 stars.', AMOUNT),
  reward('rewards.rating.fiveStar.capPerBeneficiaryDay', '50', 'btrst', 'Most BTRST one member may earn from 5-star ratings per UTC day.', CAP),
  reward('rewards.rating.fiveStar.capPerBeneficiaryMonth', '300', 'btrst', 'Most BTRST one member may earn from 5-star ratings per UTC month.', CAP),
  reward('rewards.rating.fiveStar.minPaidUsd', '400', 'decimal', 'Paid invoices (USD) a contract must reach before its 5-star rating pays.', {
    min: '0',
    max: '1000000',
    minExclusive: false,
    decimals: 2,
  }),
  reward('rewards.connector.referral.rate', '0.05', 'decimal', "BTRST per USD of the referred talent's paid invoices, paid to the connector.", RATE),
  reward('rewards.connector.referral.capPerGrant', '5000', 'btrst', 'Most BTRST one talent-referral grant may pay (a larger one is refused).', CAP),
  reward('rewards.connector.referral.capPerSource', '25000', 'btrst', 'Most BTRST one talent referral may earn in all.', CAP),
  reward('rewards.connector.referral.capPerBeneficiaryMonth', '50000', 'btrst', 'Most BTRST one connector may earn from talent referrals per UTC month.', CAP),
  reward(
    'rewards.connector.referral.earningWindowDays',
    '365',
    'integer',
    'Days after a talent referral qualified during which its paid invoices earn.',
    WINDOW,
  ),
  reward('rewards.connector.clientReferral.rate', '0.02', 'decimal', "BTRST per USD of the referred client's paid invoices, paid to the connector.", RATE),
  reward('rewards.connector.clientReferral.capPerGrant', '2000', 'btrst', 'Most BTRST one client-referral grant may pay (a larger one is refused).', CAP),
  reward('rewards.connector.clientReferral.capPerSource', '10000', 'btrst', 'Most BTRST one client referral may earn in all.', CAP),
  reward(
    'rewards.connector.clientReferral.capPerBeneficiaryMonth',
    '20000',
    'btrst',
    'Most BTRST one connector may earn from client referrals per UTC month.',
    CAP,
  ),
  reward(
    'rewards.connector.clientReferral.earningWindowDays',
    '365',
    'integer',
    'Days after a client referral qualified during which its paid invoices earn.',
    WINDOW,
  ),
  {
    key: 'jury.reward',
    kind: 'btrst',
    ...fromConfig('GOVERNANCE_JURY_REWARD'),
    min: '0',
    minExclusive: true,
    max: '1000',
    appliedBy: 'rewards',
    description: 'BTRST paid by rewards (policy jury.reward) to each juror who voted with the majority of a resolved dispute.',
  },
  reward('rewards.jury.reward.capPerBeneficiaryDay', '100', 'btrst', 'Most BTRST one juror may earn from jury rewards per UTC day.', CAP),
  reward('rewards.jury.reward.capPerBeneficiaryMonth', '400', 'btrst', 'Most BTRST one juror may earn from jury rewards per UTC month.', CAP),
  ...(['skills', 'rate', 'experience', 'reputation'] as const).map((part): ParameterSpec => ({
    key: `matching.weights.${part}`,
    kind: 'decimal',
    default: constant({ skills: '0.5', rate: '0.2', experience: '0.15', reputation: '0.15' }[part]),
    appliedBy: 'matching',
    description: `Weight of the ${part} part of the matching score. The score is divided by the sum of the four weights (still 0..1); the next ranking uses it.`,
    ...WEIGHT,
  })),
  {
    key: 'governance.quorumFraction',
    kind: 'decimal',
    decimals: 4,
    ...fromConfig('GOVERNANCE_QUORUM_FRACTION'),
    min: '0.01',
    max: '1',
    appliedBy: 'governance',
    description: "Share of the BTRST held by members at the proposal's snapshot that must vote (FOR, AGAINST or ABSTAIN) for it to pass.",
  },
  {
    key: 'governance.proposalThreshold',
    kind: 'btrst',
    ...fromConfig('GOVERNANCE_PROPOSAL_THRESHOLD'),
    min: '0',
    max: '1000000000',
    appliedBy: 'governance',
    description: 'Voting power (BTRST) a member needs to create a proposal.',
  },
  {
    key: 'governance.votingDelaySeconds',
    kind: 'seconds',
    ...fromConfig('GOVERNANCE_VOTING_DELAY_SECONDS'),
    min: '0',
    max: String(30 * DAY),
    appliedBy: 'governance',
    description: "Seconds between a proposal's creation (its voting-power snapshot) and the opening of its vote.",
  },
  {
    key: 'governance.votingPeriodSeconds',
    kind: 'seconds',
    ...fromConfig('GOVERNANCE_VOTING_PERIOD_SECONDS'),
    min: (c) => String(c.GOVERNANCE_MIN_VOTING_PERIOD_SECONDS),
    max: String(60 * DAY),
    appliedBy: 'governance',
    description: "Seconds a proposal's vote stays open (at least GOVERNANCE_MIN_VOTING_PERIOD_SECONDS).",
  },
  {
    key: 'governance.timelockSeconds',
    kind: 'seconds',
    ...fromConfig('GOVERNANCE_TIMELOCK_SECONDS'),
    min: '0',
    max: String(30 * DAY),
    appliedBy: 'governance',
    description: 'Seconds a succeeded proposal waits, queued, before it can be executed.',
  },
  {
    key: 'governance.lateQuorumExtensionSeconds',
    kind: 'seconds',
    ...fromConfig('GOVERNANCE_LATE_QUORUM_EXTENSION_SECONDS'),
    min: '0',
    max: String(14 * DAY),
    appliedBy: 'governance',
    description: 'When quorum is first reached this close to the end of the vote, the vote is extended to at least this long after that moment.',
  },
  {
    key: 'governance.gracePeriodSeconds',
    kind: 'seconds',
    ...fromConfig('GOVERNANCE_GRACE_PERIOD_SECONDS'),
    min: '60',
    max: String(90 * DAY),
    appliedBy: 'governance',
    description: 'Seconds a queued proposal stays executable after its timelock; it expires afterwards.',
  },
  {
    key: 'governance.jurySize',
    kind: 'integer',
    ...fromConfig('GOVERNANCE_JURY_SIZE'),
    min: '1',
    max: '21',
    odd: true,
    appliedBy: 'governance',
    description: 'Jurors drawn for a dispute (odd, so a jury never ties).',
  },
  {
    key: 'jury.votingPeriodSeconds',
    kind: 'seconds',
    ...fromConfig('GOVERNANCE_JURY_VOTING_PERIOD_SECONDS'),
    min: '60',
    max: String(30 * DAY),
    appliedBy: 'governance',
    description: 'Seconds a jury has to vote on a dispute.',
  },
];

/** The most decimals a kind accepts. */
export const decimalsOf = (p: Pick<ParameterSpec, 'kind' | 'decimals'>): number => (p.kind === 'btrst' ? 18 : p.kind === 'decimal' ? (p.decimals ?? 18) : 0);

/** A non-negative decimal string as units of 10^-decimals, or null when it is not one (signs refused) or has more decimals. */
function unsignedUnits(value: string, decimals: number): bigint | null {
  return value.startsWith('-') ? null : parseScaled(value, decimals);
}

/** The allowed range, as an error message shows it. */
export function describeRange(p: Parameter): string {
  const unit = p.kind === 'seconds' ? ' seconds' : p.kind === 'btrst' ? ' BTRST' : '';
  const what = p.kind === 'integer' || p.kind === 'seconds' ? 'a whole number' : `a decimal with at most ${decimalsOf(p)} decimals`;
  return `${what} ${p.minExclusive ? 'greater than' : 'from'} ${p.min} ${p.minExclusive ? 'and at most' : 'to'} ${p.max}${unit}${p.odd ? ', odd' : ''}`;
}

/**
 * The canonical form of `value` for `p`, or null when it is not allowed. Accepts surrounding
 * whitespace and redundant zeros ("0.10" -> "0.1", "007" -> "7"); refuses signs, exponents,
 * more decimals than the kind has, and anything out of range.
 */
export function canonicalValue(p: Parameter, value: string): string | null {
  const decimals = decimalsOf(p);
  const units = unsignedUnits(value.trim(), decimals);
  if (units === null) return null;
  const min = unsignedUnits(p.min, decimals);
  const max = unsignedUnits(p.max, decimals);
  if (min === null || max === null) throw new Error(`parameter ${p.key} has bounds that are not ${p.kind} values`);
  if (p.minExclusive ? units <= min : units < min) return null;
  if (units > max) return null;
  if (p.odd && units % 2n === 0n) return null;
  return formatScaledTrimmed(units, decimals);
}

/**
 * The registry resolved against the configuration; throws when a configured default is not an
 * allowed value (the service then refuses to start, naming the variable's key).
 */
export function resolveParameters(config: GovernanceConfig): Parameter[] {
  return PARAMETERS.map((spec) => {
    const p: Parameter = { ...spec, default: spec.default(config), min: typeof spec.min === 'function' ? spec.min(config) : spec.min };
    const canonical = canonicalValue(p, p.default);
    if (canonical === null) {
      const source = spec.env ? `${spec.env} ("${p.default}"), the default of ${p.key},` : `the default of ${p.key} ("${p.default}")`;
      throw new Error(`${source} must be ${describeRange(p)}`);
    }
    return { ...p, default: canonical };
  });
}
