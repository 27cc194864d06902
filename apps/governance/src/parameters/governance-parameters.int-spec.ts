/**
 * The governed parameters on a real PostgreSQL: seeded from configuration once (a restart with
 * another configuration changes nothing, a missing key is added), read in the caller's
 * transaction, changed by an executed proposal with one ParameterChanged each, and listed by
 * `governanceParameters` with the proposal that set them.
 */
import { randomUUID } from 'node:crypto';
import { DomainError, EventPublisher, inTransaction } from '@talent/platform';
import { openGovernance, type GovernanceHarness } from '../../test/harness';
import { GovernanceConfigSchema } from '../config';
import { GovernanceParametersResolver } from './governance-parameters.resolver';
import { GovernanceParameters } from './governance-parameters';

let h: GovernanceHarness;

const config = (env: Record<string, string> = {}) =>
  GovernanceConfigSchema.parse({ DATABASE_URL: 'postgres://localhost/governance', KAFKA_BROKERS: '127.0.0.1:9092', ...env });
const open = async (env?: Record<string, string>) => {
  const parameters = new GovernanceParameters(config(env), h.dataSource, new EventPublisher());
  await parameters.onApplicationBootstrap();
  return parameters;
};
const changes = async () =>
  (await h.sql(`SELECT topic, message_key, envelope FROM outbox WHERE type = 'ParameterChanged' ORDER BY seq`)).map((r) => ({
    topic: r.topic,
    key: r.message_key,
    payload: r.envelope.payload,
    source: r.envelope.source,
  }));

/** The service's own start is the first: it seeds the table from this configuration. */
const FIRST_START = { GOVERNANCE_QUORUM_FRACTION: '0.2', GOVERNANCE_VOTING_PERIOD_SECONDS: '20', GOVERNANCE_MIN_VOTING_PERIOD_SECONDS: '10' };

beforeAll(async () => {
  h = await openGovernance('parameters', { env: FIRST_START });
});

afterAll(async () => {
  await h?.close();
});

describe('governed parameters', () => {
  it('are seeded from the configuration on the first start, and a later start with another configuration changes nothing', async () => {
    const first = await open(FIRST_START);
    expect(await inTransaction(h.dataSource, (tx) => first.get(tx, 'governance.quorumFraction'))).toBe('0.2');
    expect(await inTransaction(h.dataSource, (tx) => first.get(tx, 'governance.votingPeriodSeconds'))).toBe('20');

    const restarted = await open({ GOVERNANCE_QUORUM_FRACTION: '0.5' });
    expect(await inTransaction(h.dataSource, (tx) => restarted.get(tx, 'governance.quorumFraction'))).toBe('0.2');
    const rows = await restarted.rows();
    expect(rows.map((r) => r.key)).toEqual(first.list().map((p) => p.key));
    expect(rows.every((r) => r.proposalId === null)).toBe(true);
  });

  it('seeds a key added later (no row yet), leaving the others alone', async () => {
    await h.sql(`DELETE FROM governance_parameters WHERE key = 'governance.jurySize'`);
    const p = await open({ GOVERNANCE_JURY_SIZE: '3' });
    expect(await h.sql(`SELECT value, proposal_id FROM governance_parameters WHERE key = 'governance.jurySize'`)).toEqual([{ value: '3', proposal_id: null }]);
    expect(await inTransaction(h.dataSource, (tx) => p.get(tx, 'governance.quorumFraction'))).toBe('0.2');
  });

  it("apply an executed proposal's changes: table, updated time, proposal, and one ParameterChanged each with the previous value", async () => {
    const p = await open();
    const proposalId = randomUUID();
    const effectiveAt = new Date('2026-01-02T03:04:05.000Z');
    await inTransaction(h.dataSource, (tx) =>
      p.apply(
        tx,
        [
          { key: 'platform.feeRate', value: '0.080' },
          { key: 'matching.weights.rate', value: '0.3' },
        ],
        proposalId,
        effectiveAt,
      ),
    );
    expect(await changes()).toEqual([
      {
        topic: 'governance.events.v1',
        key: 'platform.feeRate',
        source: 'governance',
        payload: { proposalId, key: 'platform.feeRate', value: '0.08', previousValue: '0.1', effectiveAt: effectiveAt.toISOString() },
      },
      {
        topic: 'governance.events.v1',
        key: 'matching.weights.rate',
        source: 'governance',
        payload: { proposalId, key: 'matching.weights.rate', value: '0.3', previousValue: '0.2', effectiveAt: effectiveAt.toISOString() },
      },
    ]);

    const listed = await new GovernanceParametersResolver(p).governanceParameters();
    expect(listed.find((r) => r.key === 'platform.feeRate')).toMatchObject({ value: '0.08', updatedAt: effectiveAt, proposalId });
    expect(listed.find((r) => r.key === 'governance.timelockSeconds')).toMatchObject({ value: '172800', proposalId: null });
  });

  it("apply nothing when one change is invalid (the whole proposal's changes are one transaction)", async () => {
    const p = await open();
    const before = await h.sql(`SELECT key, value FROM governance_parameters ORDER BY key`);
    const outboxBefore = (await changes()).length;
    const error = await inTransaction(h.dataSource, (tx) =>
      p.apply(
        tx,
        [
          { key: 'governance.timelockSeconds', value: '60' },
          { key: 'platform.feeRate', value: '0.9' },
        ],
        randomUUID(),
        new Date(),
      ),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('platform.feeRate') });
    expect(await h.sql(`SELECT key, value FROM governance_parameters ORDER BY key`)).toEqual(before);
    expect(await changes()).toHaveLength(outboxBefore);
  });
});
