import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { createEvent, ParameterChanged } from '@talent/events';
import { createTestDatabase, type TestDatabase } from '@talent/testing';
import { BadUserInputError } from '../../errors';
import { dataSourceOptions } from '../../persistence/data-source-options';
import { ensureGovernedParametersTable, GovernedParameters, ParameterChangedHandler, type ParameterOwner } from '.';

describe('governed parameters projection (real PostgreSQL)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const parameters = new GovernedParameters();
  const applied: Array<[string, string]> = [];
  const owner: ParameterOwner = {
    owns: (key) => key.startsWith('test.'),
    canonical: (_tx, key, value) => {
      if (!/^\d+$/.test(value)) throw new BadUserInputError(`${key} must be a whole number`, 'value');
      return String(Number(value));
    },
    apply: async (_tx, key, value) => void applied.push([key, value]),
  };
  const handler = new ParameterChangedHandler(parameters, owner, pino({ level: 'silent' }));
  const T0 = Date.parse('2026-11-30T10:00:00Z');
  const change = (key: string, value: string, offsetMs: number) =>
    dataSource.transaction((tx: EntityManager) =>
      handler.onParameterChanged(
        createEvent(ParameterChanged, { proposalId: randomUUID(), key, value, previousValue: null, effectiveAt: new Date(T0 + offsetMs).toISOString() }),
        tx,
      ),
    );
  const valueOf = (key: string) => parameters.valueOf(dataSource.manager, key);

  beforeAll(async () => {
    db = await createTestDatabase('governed_parameters');
    dataSource = await new DataSource(dataSourceOptions({ url: db.url, entities: [], migrations: [] })).initialize();
    const q = dataSource.createQueryRunner();
    const options = { seeds: { 'test.limit': '10' }, checks: { governed_parameters_test_check: `key <> 'test.limit' OR value::int <= 1000` } };
    await ensureGovernedParametersTable(q, options);
    await ensureGovernedParametersTable(q, { ...options, seeds: { 'test.limit': '99' } });
    await q.release();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('starts from the seed, which a later run of the fragment leaves as it is', async () => {
    expect(await valueOf('test.limit')).toBe('10');
    expect(await valueOf('test.unknown')).toBeNull();
  });

  it('applies a newer change in canonical form, and ignores an older or equally old one arriving late', async () => {
    await change('test.limit', '0020', 0);
    expect(await valueOf('test.limit')).toBe('20');
    await change('test.limit', '30', -1);
    await change('test.limit', '40', 0);
    expect(await valueOf('test.limit')).toBe('20');
    expect(applied).toEqual([['test.limit', '20']]);
  });

  it('records a key first seen in a change; ignores keys it does not own; refuses what it cannot apply, changing nothing', async () => {
    await change('test.window', '7', 0);
    expect(await valueOf('test.window')).toBe('7');
    await change('other.limit', 'x', 1_000);
    expect(await valueOf('other.limit')).toBeNull();
    await expect(change('test.limit', 'lots', 1_000)).rejects.toBeInstanceOf(BadUserInputError);
    await expect(change('test.limit', '5000', 2_000)).rejects.toThrow(/governed_parameters_test_check/);
    expect(await valueOf('test.limit')).toBe('20');
  });
});
