import type { DataSource } from 'typeorm';
import { DomainError, type EventPublisher } from '@talent/platform';
import { GovernanceConfigSchema, type GovernanceConfig } from '../config';
import { GovernanceParameters, PARAMETER_KEYS, PARAMETERS } from './governance-parameters';
import { resolveParameters } from './parameter-registry';

const config = (env: Record<string, string> = {}): GovernanceConfig =>
  GovernanceConfigSchema.parse({ DATABASE_URL: 'postgres://localhost/governance', KAFKA_BROKERS: '127.0.0.1:9092', ...env });
const parameters = (env?: Record<string, string>) => new GovernanceParameters(config(env), {} as DataSource, {} as EventPublisher);

/** The refusal `validate` throws, as the API would show it. */
function refusal(p: GovernanceParameters, key: string, value: string) {
  try {
    p.validate(key, value);
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, field: error.details.field, message: error.message };
    throw error;
  }
  throw new Error(`${key}=${value} was accepted`);
}

describe('GovernanceParameters.validate', () => {
  const p = parameters();

  it('returns the canonical value of an allowed one', () => {
    expect(p.validate('platform.feeRate', '0.08')).toBe('0.08');
    expect(p.validate('platform.feeRate', '0.10')).toBe('0.1');
    expect(p.validate('platform.feeRate', ' 0.3 ')).toBe('0.3');
    expect(p.validate('platform.feeRate', '0')).toBe('0');
    expect(p.validate('governance.votingPeriodSeconds', '0432000')).toBe('432000');
    expect(p.validate('governance.quorumFraction', '0.0400')).toBe('0.04');
    expect(p.validate('rewards.talent.screened.amount', '30.000000000000000001')).toBe('30.000000000000000001');
    expect(p.validate('rewards.connector.referral.rate', '0.07')).toBe('0.07');
    expect(p.validate('rewards.rating.fiveStar.minPaidUsd', '0')).toBe('0');
    expect(p.validate('matching.weights.skills', '1.0')).toBe('1');
    expect(p.validate('governance.jurySize', '7')).toBe('7');
    expect(p.validate('jury.reward', '15')).toBe('15');
  });

  it('refuses a value out of range, naming the key and the range (BAD_USER_INPUT on `value`)', () => {
    expect(refusal(p, 'platform.feeRate', '0.31')).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'value',
      message: 'platform.feeRate must be a decimal with at most 4 decimals from 0 to 0.3, got "0.31"',
    });
    expect(refusal(p, 'governance.votingPeriodSeconds', '3600').message).toBe(
      'governance.votingPeriodSeconds must be a whole number from 86400 to 5184000 seconds, got "3600"',
    );
    expect(refusal(p, 'rewards.talent.screened.amount', '0').message).toBe(
      'rewards.talent.screened.amount must be a decimal with at most 18 decimals greater than 0 and at most 1000 BTRST, got "0"',
    );
    expect(refusal(p, 'governance.jurySize', '4').message).toContain('odd');
    expect(refusal(p, 'governance.quorumFraction', '0.001').message).toContain('from 0.01 to 1');
    expect(refusal(p, 'matching.weights.rate', '1.0001').field).toBe('value');
    expect(refusal(p, 'governance.gracePeriodSeconds', '59').field).toBe('value');
    expect(refusal(p, 'rewards.connector.referral.earningWindowDays', '0').field).toBe('value');
  });

  it('refuses what is not a plain number of the kind: signs, exponents, too many decimals, fractions of seconds, text', () => {
    for (const [key, value] of [
      ['platform.feeRate', '-0.1'],
      ['platform.feeRate', '+0.1'],
      ['platform.feeRate', '1e-1'],
      ['platform.feeRate', '0.12345'],
      ['platform.feeRate', '.1'],
      ['platform.feeRate', ''],
      ['governance.timelockSeconds', '10.5'],
      ['governance.timelockSeconds', 'NaN'],
      ['governance.proposalThreshold', '1.0000000000000000001'],
      ['governance.jurySize', '0x3'],
    ]) {
      expect(refusal(p, key, value)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'value' });
    }
  });

  it('refuses an unknown key (BAD_USER_INPUT on `key`)', () => {
    expect(refusal(p, 'platform.feerate', '0.1')).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'key',
      message: expect.stringContaining('unknown governance parameter "platform.feerate"'),
    });
    expect(refusal(p, 'rewards.talent.screened.description', '1').field).toBe('key');
    expect(refusal(p, '__proto__', '1').field).toBe('key');
  });

  it('takes the minimum voting period from the configuration', () => {
    const dev = parameters({ GOVERNANCE_MIN_VOTING_PERIOD_SECONDS: '10', GOVERNANCE_VOTING_PERIOD_SECONDS: '20' });
    expect(dev.validate('governance.votingPeriodSeconds', '10')).toBe('10');
    expect(refusal(dev, 'governance.votingPeriodSeconds', '9').message).toContain('from 10 to');
  });
});

describe('the parameter registry', () => {
  it("declares every key once, each matching ParameterChanged's key pattern, with an applier and a description", () => {
    expect(PARAMETERS.map((s) => s.key)).toEqual([...PARAMETER_KEYS]);
    for (const spec of PARAMETERS) {
      expect(spec.key).toMatch(/^[a-z][A-Za-z0-9.]{0,99}$/);
      expect(spec.description.length).toBeGreaterThan(10);
    }
  });

  it('seeds production defaults from the configuration (days, 4% quorum), canonical', () => {
    const defaults = Object.fromEntries(resolveParameters(config()).map((s) => [s.key, s.default]));
    expect(defaults).toMatchObject({
      'platform.feeRate': '0.1',
      'governance.quorumFraction': '0.04',
      'governance.proposalThreshold': '1000',
      'governance.votingDelaySeconds': '86400',
      'governance.votingPeriodSeconds': '432000',
      'governance.timelockSeconds': '172800',
      'governance.lateQuorumExtensionSeconds': '86400',
      'governance.gracePeriodSeconds': '1209600',
      'governance.jurySize': '5',
      'jury.votingPeriodSeconds': '259200',
      // Rewards' and matching's seeds, as their migrations write them.
      'rewards.talent.screened.amount': '25',
      'rewards.connector.clientReferral.rate': '0.02',
      'matching.weights.skills': '0.5',
    });
  });

  it('refuses to start with a configured default out of range, naming the parameter', () => {
    expect(() => parameters({ GOVERNANCE_VOTING_PERIOD_SECONDS: '3600' })).toThrow(/governance\.votingPeriodSeconds/);
    expect(() => parameters({ GOVERNANCE_JURY_SIZE: '4' })).toThrow(/governance\.jurySize/);
    expect(() => parameters({ GOVERNANCE_QUORUM_FRACTION: '4%' })).toThrow(/governance\.quorumFraction/);
  });
});
