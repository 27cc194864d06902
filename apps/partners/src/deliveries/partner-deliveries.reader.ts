import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid, NotFoundError, type AuthUser } from '@talent/platform';
import { assertAdmin } from '../nodes/admin-only';
import { PartnerDeliveryStatusEnum, type PartnerDeliveryModel } from './partner-delivery.model';

/** A node's deliveries, newest first (ADMIN). */
@Injectable()
export class PartnerDeliveriesReader {
  constructor(private readonly dataSource: DataSource) {}

  async list(caller: AuthUser, nodeId: string, status: PartnerDeliveryStatusEnum | null, first: number): Promise<PartnerDeliveryModel[]> {
    assertAdmin(caller);
    if (!isUuid(nodeId)) throw new NotFoundError('Partner node');
    const id = nodeId.toLowerCase();
    const [node] = await this.dataSource.query(`SELECT 1 FROM partner_nodes WHERE id = $1`, [id]);
    if (!node) throw new NotFoundError('Partner node');
    const rows = await this.dataSource.query(
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
