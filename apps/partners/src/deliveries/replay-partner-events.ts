import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import {
  APP_CONFIG,
  callerOf,
  inUseCaseTransaction,
  parseCommand,
  PreconditionFailedError,
  ROOT_LOGGER,
  type UseCase,
  type UseCaseContext,
} from '@talent/platform';
import type { PartnersConfig } from '../config';
import { assertAdmin } from '../nodes/admin-only';
import { partnerNodeIdSchema, PartnerNodesStore } from '../nodes/partner-nodes.store';
import { DeliveryQueue } from './delivery-queue';
import type { PartnerReplayModel } from './partner-delivery.model';

const ReplayPartnerEventsCommand = z.object({
  nodeId: partnerNodeIdSchema,
  since: z.date('must be a date-time').refine((since) => since <= new Date(), 'must not be in the future'),
});

/**
 * Use case: send a node again every kept public event of its types that occurred at or after
 * `since`, oldest first (ADMIN; the node must be ACTIVE). Each is a new delivery with the
 * event's own id as webhook-id, so a receiver that already has it ignores it. At most
 * PARTNER_REPLAY_MAX_EVENTS per call; `continueFrom` says where to go on.
 */
@Injectable()
export class ReplayPartnerEvents implements UseCase<z.input<typeof ReplayPartnerEventsCommand>, PartnerReplayModel> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly nodes: PartnerNodesStore,
    private readonly queue: DeliveryQueue,
    @Inject(APP_CONFIG) private readonly config: PartnersConfig,
    @Inject(ROOT_LOGGER) private readonly log: Logger,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof ReplayPartnerEventsCommand>): Promise<PartnerReplayModel> {
    const caller = assertAdmin(callerOf(ctx));
    const { nodeId, since } = parseCommand(ReplayPartnerEventsCommand, input);
    const replayId = randomUUID();
    const limit = this.config.PARTNER_REPLAY_MAX_EVENTS;
    const { id, ...result } = await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      const node = await this.nodes.lock(tx, nodeId);
      if (node.status !== 'ACTIVE') throw new PreconditionFailedError('Enable the partner node before replaying to it');
      // One more than the limit, only to learn whether more remain.
      const events: Array<{ id: string; occurred_at: Date }> = await tx.query(
        `SELECT id, occurred_at FROM public_events WHERE occurred_at >= $1 AND type = ANY ($2) ORDER BY occurred_at, id LIMIT $3`,
        [since, node.event_types, limit + 1],
      );
      const chosen = events.slice(0, limit);
      const rows: Array<{ id: string }> = chosen.length
        ? await tx.query(
            `INSERT INTO partner_deliveries (id, node_id, event_id, replay_id)
             SELECT gen_random_uuid(), $1, event_id, $2 FROM unnest($3::uuid[]) WITH ORDINALITY AS e (event_id, n) ORDER BY n
             RETURNING id`,
            [node.id, replayId, chosen.map((e) => e.id)],
          )
        : [];
      this.queue.scheduleAfterCommit(
        tx,
        rows.map((r) => r.id),
      );
      return { id: node.id, scheduled: rows.length, continueFrom: events.length > limit ? events[limit].occurred_at : null };
    });
    this.log.info({ nodeId: id, replayId, since, scheduled: result.scheduled, by: caller.id }, 'partner events replayed');
    return { replayId, nodeId: id, since, ...result };
  }
}
