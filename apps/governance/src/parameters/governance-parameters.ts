import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ParameterChanged } from '@talent/events';
import { APP_CONFIG, BadUserInputError, EventPublisher } from '@talent/platform';
import type { GovernanceConfig } from '../config';
import { canonicalValue, describeRange, resolveParameters, type Parameter, type ParameterKey } from './parameter-registry';

export { PARAMETERS, PARAMETER_KEYS, type Parameter, type ParameterKey, type ParameterSpec } from './parameter-registry';

/** One row of `governance_parameters`. */
export interface ParameterRow {
  key: ParameterKey;
  value: string;
  updatedAt: Date;
  /** The proposal that set it; null for the default. */
  proposalId: string | null;
}

/**
 * The governed parameters: the registry (what may be changed, within which range) and the
 * `governance_parameters` table (the value in force). The table is seeded from configuration on
 * the first run; executed PARAMETER_CHANGE proposals change it afterwards (`apply`), and the
 * services that apply a parameter learn it from ParameterChanged. Governance's own keys
 * (governance.*, jury.votingPeriodSeconds) are read here by governance itself.
 */
@Injectable()
export class GovernanceParameters implements OnApplicationBootstrap {
  private readonly registry: ReadonlyMap<string, Parameter>;

  constructor(
    @Inject(APP_CONFIG) config: GovernanceConfig,
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {
    this.registry = new Map(resolveParameters(config).map((p) => [p.key, p]));
  }

  /** A key added to the registry after the first run gets its seed row (existing rows are never overwritten). */
  async onApplicationBootstrap(): Promise<void> {
    await seedMissingParameters(this.dataSource.manager, [...this.registry.values()]);
  }

  /** Every parameter, as declared and resolved against the configuration (registry order). */
  list(): Parameter[] {
    return [...this.registry.values()];
  }

  /** The value in force (canonical decimal/integer string), read in the caller's transaction. */
  async get(tx: EntityManager, key: ParameterKey): Promise<string> {
    const spec = this.registry.get(key);
    if (!spec) throw new Error(`unknown governance parameter ${key}`);
    const rows: Array<{ value: string }> = await tx.query(`SELECT value FROM governance_parameters WHERE key = $1`, [key]);
    // Missing only between a deploy that adds the key and the bootstrap seeding it: the default is what it would read.
    return rows[0]?.value ?? spec.default;
  }

  /** Every parameter in force (registry order), for `governanceParameters` (a read of its own, in no transaction). */
  async rows(): Promise<ParameterRow[]> {
    const rows: Array<{ key: string; value: string; updated_at: Date; proposal_id: string | null }> = await this.dataSource.query(
      `SELECT key, value, updated_at, proposal_id FROM governance_parameters`,
    );
    const byKey = new Map(rows.map((r) => [r.key, r]));
    return this.list().map((p) => {
      const row = byKey.get(p.key);
      return row
        ? { key: p.key, value: row.value, updatedAt: new Date(row.updated_at), proposalId: row.proposal_id }
        : { key: p.key, value: p.default, updatedAt: new Date(0), proposalId: null };
    });
  }

  /** Validates a proposed change: known key and value in range, else BadUserInputError naming the key and the allowed range; returns the canonical value. */
  validate(key: string, value: string): string {
    const spec = this.registry.get(key);
    if (!spec) throw new BadUserInputError(`unknown governance parameter "${key.slice(0, 100)}"; known: ${[...this.registry.keys()].join(', ')}`, 'key');
    const canonical = typeof value === 'string' ? canonicalValue(spec, value) : null;
    if (canonical === null) throw new BadUserInputError(`${key} must be ${describeRange(spec)}, got "${String(value).slice(0, 50)}"`, 'value');
    return canonical;
  }

  /**
   * Applies an executed proposal's changes in the caller's transaction: updates the table (value,
   * updated_at = effectiveAt, proposal_id) and publishes one ParameterChanged per change (outbox),
   * previousValue included. Values are validated again (the range may have changed since the
   * proposal was created, e.g. the minimum voting period): an invalid one throws and nothing is applied.
   */
  async apply(tx: EntityManager, changes: Array<{ key: string; value: string }>, proposalId: string, effectiveAt: Date): Promise<void> {
    const validated = changes.map((c) => ({ key: c.key as ParameterKey, value: this.validate(c.key, c.value) }));
    for (const { key, value } of validated) {
      const previous: Array<{ value: string }> = await tx.query(`SELECT value FROM governance_parameters WHERE key = $1 FOR UPDATE`, [key]);
      await tx.query(
        `INSERT INTO governance_parameters (key, value, updated_at, proposal_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at, proposal_id = EXCLUDED.proposal_id`,
        [key, value, effectiveAt, proposalId],
      );
      await this.events.publish(tx, ParameterChanged, {
        proposalId,
        key,
        value,
        previousValue: previous[0]?.value ?? this.registry.get(key)?.default ?? null,
        effectiveAt: effectiveAt.toISOString(),
      });
    }
  }
}

/** Inserts the default of every parameter that has no row yet; never touches an existing row. */
export async function seedMissingParameters(
  q: { query: (sql: string, params?: unknown[]) => Promise<unknown> },
  parameters: ReadonlyArray<Pick<Parameter, 'key' | 'default'>>,
): Promise<void> {
  if (parameters.length === 0) return;
  await q.query(
    `INSERT INTO governance_parameters (key, value, updated_at, proposal_id)
     SELECT key, value, now(), NULL FROM unnest($1::text[], $2::text[]) AS seed (key, value)
     ON CONFLICT (key) DO NOTHING`,
    [parameters.map((p) => p.key), parameters.map((p) => p.default)],
  );
}
