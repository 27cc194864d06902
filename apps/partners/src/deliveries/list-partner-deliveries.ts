import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { callerOf, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';
import { assertAdmin } from '../nodes/admin-only';
import { partnerNodeIdSchema, PartnerNodesStore } from '../nodes/partner-nodes.store';
import { PartnerDeliveryStatusEnum, type PartnerDeliveryModel } from './partner-delivery.model';

const ListPartnerDeliveriesCommand = z.object({
  nodeId: partnerNodeIdSchema,
  status: z.enum(PartnerDeliveryStatusEnum).nullable(),
  first: z.number().int().min(1, 'must be 1 to 200').max(200, 'must be 1 to 200'),
});

/** Use case: a node's deliveries, newest first, optionally by status (ADMIN; NOT_FOUND for an unknown node). */
@Injectable()
export class ListPartnerDeliveries implements UseCase<z.input<typeof ListPartnerDeliveriesCommand>, PartnerDeliveryModel[]> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly nodes: PartnerNodesStore,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof ListPartnerDeliveriesCommand>): Promise<PartnerDeliveryModel[]> {
    assertAdmin(callerOf(ctx));
    const { nodeId, status, first } = parseCommand(ListPartnerDeliveriesCommand, input);
    const tx = ctx.tx ?? this.dataSource.manager;
    const { id } = await this.nodes.get(tx, nodeId);
    const rows = await tx.query(
      `SELECT d.*, e.type, e.occurred_at FROM partner_deliveries d JOIN public_events e ON e.id = d.event_id
        WHERE d.node_id = $1 AND ($2::text IS NULL OR d.status = $2)
        ORDER BY d.created_at DESC, e.occurred_at DESC, d.id LIMIT $3`,
      [id, status, first],
    );
    return rows.map((r: Record<string, never>) => ({
      id: r.id,
      nodeId: r.node_id,
      eventId: r.event_id,
      eventType: r.type,
      occurredAt: r.occurred_at,
      status: r.status as PartnerDeliveryStatusEnum,
      attempts: r.attempts,
      lastError: r.last_error,
      lastStatusCode: r.last_status_code,
      lastAttemptAt: r.last_attempt_at,
      deliveredAt: r.delivered_at,
      replay: r.replay_id !== null,
      createdAt: r.created_at,
    }));
  }
}
