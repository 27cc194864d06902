import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PartnerNodeStatusEnum, type PartnerNodeModel } from './partner-node.model';

/** A partner node as stored (its secrets sealed, see SigningSecrets). */
export interface PartnerNodeRow {
  id: string;
  name: string;
  webhook_url: string;
  event_types: string[];
  status: 'ACTIVE' | 'DISABLED';
  signing_secret: string;
  previous_signing_secret: string | null;
  previous_secret_expires_at: Date | null;
  secret_rotated_at: Date | null;
  created_at: Date;
}

export const toPartnerNodeModel = (row: PartnerNodeRow): PartnerNodeModel => ({
  id: row.id,
  name: row.name,
  webhookUrl: row.webhook_url,
  eventTypes: row.event_types,
  createdAt: row.created_at,
  status: row.status as PartnerNodeStatusEnum,
  secretRotatedAt: row.secret_rotated_at,
});

/** Reads and row locks of partner nodes. */
@Injectable()
export class PartnerNodesStore {
  constructor(private readonly dataSource: DataSource) {}

  async list(): Promise<PartnerNodeRow[]> {
    return this.dataSource.query(`SELECT * FROM partner_nodes ORDER BY created_at DESC, id`);
  }

  async byId(id: string, tx: EntityManager = this.dataSource.manager): Promise<PartnerNodeRow | null> {
    const [row] = await tx.query(`SELECT * FROM partner_nodes WHERE id = $1`, [id]);
    return row ?? null;
  }

  async lock(tx: EntityManager, id: string): Promise<PartnerNodeRow | null> {
    const [row] = await tx.query(`SELECT * FROM partner_nodes WHERE id = $1 FOR UPDATE`, [id]);
    return row ?? null;
  }
}
