import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { ParameterChanged, type EnvelopeOf, type PayloadOf } from '@talent/events';
import { ROOT_LOGGER } from '../../logging/root-logger';
import { OnEvent } from '../../messaging/on-event.decorator';

export type ParameterChange = PayloadOf<typeof ParameterChanged>;

export const PARAMETER_OWNER = Symbol('talent:parameter-owner');

/** What a service does with the parameters it owns. */
export interface ParameterOwner {
  /** Whether the key is one of this service's parameters; the others are not its business. */
  owns(key: string): boolean;
  /**
   * The value as the service stores it (canonical), read in the consumer's transaction; throws a
   * DomainError to refuse a change the service cannot apply (dead letter, for ops).
   */
  canonical(tx: EntityManager, key: string, value: string): Promise<string> | string;
  /** Applies a change recorded as the one in force (e.g. to a table the service reads), same transaction. */
  apply?(tx: EntityManager, key: string, value: string): Promise<void>;
}

/**
 * The `governed_parameters` projection of governance's ParameterChanged: per key, the value in
 * force and when it took effect. A change is recorded only when newer than the one in force, so a
 * redelivered or reordered older change never undoes a newer one.
 */
@Injectable()
export class GovernedParameters {
  /** Records the change when newer than the value in force; false when an older (or the same) change is ignored. */
  async recordIfNewer(tx: EntityManager, change: ParameterChange, value: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO governed_parameters (key, value, effective_at, proposal_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, effective_at = EXCLUDED.effective_at, proposal_id = EXCLUDED.proposal_id, recorded_at = now()
         WHERE governed_parameters.effective_at < EXCLUDED.effective_at
       RETURNING key`,
      [change.key, value, change.effectiveAt, change.proposalId],
    );
    return rows.length > 0;
  }

  /** The value in force, in the caller's transaction; null for a key never seeded nor changed. */
  async valueOf(tx: EntityManager, key: string): Promise<string | null> {
    const [row] = (await tx.query(`SELECT value FROM governed_parameters WHERE key = $1`, [key])) as Array<{ value: string }>;
    return row?.value ?? null;
  }
}

/** Governance's ParameterChanged for the parameters this service owns (see ParameterOwner). */
@Injectable()
export class ParameterChangedHandler {
  private readonly log: Logger;

  constructor(
    private readonly parameters: GovernedParameters,
    @Inject(PARAMETER_OWNER) private readonly owner: ParameterOwner,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'governed-parameters' });
  }

  @OnEvent(ParameterChanged)
  async onParameterChanged(event: EnvelopeOf<typeof ParameterChanged>, tx: EntityManager): Promise<void> {
    const { key, proposalId } = event.payload;
    if (!this.owner.owns(key)) return;
    const value = await this.owner.canonical(tx, key, event.payload.value);
    if (!(await this.parameters.recordIfNewer(tx, event.payload, value))) {
      this.log.info({ key, value, proposalId }, 'older parameter change ignored');
      return;
    }
    await this.owner.apply?.(tx, key, value);
    this.log.info({ key, value, proposalId }, 'parameter changed by governance');
  }
}
