import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { APP_CONFIG, ConflictError, defineJob, ProcessesJob } from '@talent/platform';
import type { PaymentsConfig } from '../config';

/** Deletes idempotency keys older than IDEMPOTENCY_KEY_RETENTION_HOURS (hourly). */
export const PurgeIdempotencyKeys = defineJob({ name: 'idempotency-keys.purge', schema: z.object({}), attempts: 3 });

export interface KeyedRequest {
  /** Who sent it: keys are scoped per client, like Stripe's per account. */
  clientId: string;
  key: string;
  operation: string;
  /** The request's parameters in a canonical form: the same key must always come with the same ones. */
  fingerprint: string;
  invoiceId: string;
}

/**
 * Idempotency keys the Stripe way: the first request with a key binds the key to that
 * request's parameters; a retry with the same key and parameters gets the same outcome, and the
 * same key with other parameters is refused (CONFLICT). Keys are kept at least 24 hours.
 */
@Injectable()
export class IdempotencyKeys {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: Pick<PaymentsConfig, 'IDEMPOTENCY_KEY_RETENTION_HOURS'>,
  ) {}

  /**
   * Binds the key to the request in the caller's transaction, or checks that it was bound to the
   * same one. A concurrent first use of the same key waits on the primary key until the other
   * transaction ends, then compares: two retries racing bind once.
   */
  async bind(tx: EntityManager, request: KeyedRequest): Promise<void> {
    const inserted: unknown[] = await tx.query(
      `INSERT INTO idempotency_keys (client_id, key, operation, fingerprint, invoice_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (client_id, key) DO NOTHING RETURNING key`,
      [request.clientId, request.key, request.operation, request.fingerprint, request.invoiceId],
    );
    if (inserted.length > 0) return;
    const [bound]: Array<{ operation: string; fingerprint: string }> = await tx.query(
      `SELECT operation, fingerprint FROM idempotency_keys WHERE client_id = $1 AND key = $2`,
      [request.clientId, request.key],
    );
    if (bound && (bound.operation !== request.operation || bound.fingerprint !== request.fingerprint)) {
      throw new ConflictError(
        `This idempotencyKey was already used for a different request (${bound.operation} with other parameters): use a new key for a new request`,
      );
    }
  }

  @ProcessesJob(PurgeIdempotencyKeys)
  async purge(): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`, [
      this.config.IDEMPOTENCY_KEY_RETENTION_HOURS,
    ]);
  }
}
