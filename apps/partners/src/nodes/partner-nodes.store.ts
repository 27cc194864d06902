import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { isUuid, NotFoundError } from '@talent/platform';
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

/** A node's id in a command: any string; one that is not a UUID names no node (NOT_FOUND, like an unknown one). */
export const partnerNodeIdSchema = z.string().trim();

/** Reads and row locks of partner nodes. */
@Injectable()
export class PartnerNodesStore {
  async list(tx: EntityManager): Promise<PartnerNodeRow[]> {
    return tx.query(`SELECT * FROM partner_nodes ORDER BY created_at DESC, id`);
  }

  /** The node, or NOT_FOUND. */
  async get(tx: EntityManager, nodeId: string): Promise<PartnerNodeRow> {
    const [row] = isUuid(nodeId) ? await tx.query(`SELECT * FROM partner_nodes WHERE id = $1`, [nodeId.toLowerCase()]) : [];
    if (!row) throw new NotFoundError('Partner node');
    return row;
  }

  /** The node, locked until the transaction ends, or NOT_FOUND. */
  async lock(tx: EntityManager, nodeId: string): Promise<PartnerNodeRow> {
    const [row] = isUuid(nodeId) ? await tx.query(`SELECT * FROM partner_nodes WHERE id = $1 FOR UPDATE`, [nodeId.toLowerCase()]) : [];
    if (!row) throw new NotFoundError('Partner node');
    return row;
  }
}
