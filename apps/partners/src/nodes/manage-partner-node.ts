import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, inTransaction, isUuid, NotFoundError, ROOT_LOGGER, type AuthUser } from '@talent/platform';
import type { Logger } from 'pino';
import type { PartnersConfig } from '../config';
import { newSigningSecret, SigningSecrets } from '../shared/signing-secrets';
import { assertAdmin } from './admin-only';
import { PartnerNodesStore, type PartnerNodeRow } from './partner-nodes.store';

/**
 * Use cases on an existing node (ADMIN): rotate its signing secret (the new one shown once; the
 * old one keeps signing beside it for PARTNER_SECRET_ROTATION_GRACE_HOURS), disable it (nothing
 * more is delivered; pending deliveries are dead-lettered when their turn comes), enable it again.
 */
@Injectable()
export class ManagePartnerNode {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: PartnerNodesStore,
    private readonly secrets: SigningSecrets,
    @Inject(APP_CONFIG) private readonly config: PartnersConfig,
    @Inject(ROOT_LOGGER) private readonly log: Logger,
  ) {}

  async rotateSecret(caller: AuthUser, nodeId: string): Promise<{ node: PartnerNodeRow; signingSecret: string }> {
    assertAdmin(caller);
    const signingSecret = newSigningSecret();
    const node = await this.change(nodeId, async (tx, id) => {
      const graceMs = this.config.PARTNER_SECRET_ROTATION_GRACE_HOURS * 3_600_000;
      const [[row]] = await tx.query(
        `UPDATE partner_nodes
            SET previous_signing_secret = CASE WHEN $3::bigint > 0 THEN signing_secret END,
                previous_secret_expires_at = CASE WHEN $3::bigint > 0 THEN now() + make_interval(secs => $3::bigint / 1000.0) END,
                signing_secret = $2, secret_rotated_at = now()
          WHERE id = $1 RETURNING *`,
        [id, this.secrets.seal(id, signingSecret), graceMs],
      );
      return row as PartnerNodeRow;
    });
    // The previous secret was sealed for this same node id, so it still opens after the swap.
    this.log.info({ nodeId: node.id, by: caller.id }, 'partner node signing secret rotated');
    return { node, signingSecret };
  }

  async setStatus(caller: AuthUser, nodeId: string, status: 'ACTIVE' | 'DISABLED'): Promise<PartnerNodeRow> {
    assertAdmin(caller);
    const node = await this.change(nodeId, async (tx, id) => {
      const [[row]] = await tx.query(
        `UPDATE partner_nodes SET status = $2, disabled_at = CASE WHEN $2 = 'DISABLED' THEN COALESCE(disabled_at, now()) END WHERE id = $1 RETURNING *`,
        [id, status],
      );
      return row as PartnerNodeRow;
    });
    this.log.info({ nodeId: node.id, status, by: caller.id }, 'partner node status set');
    return node;
  }

  private async change(nodeId: string, work: (tx: EntityManager, id: string) => Promise<PartnerNodeRow>): Promise<PartnerNodeRow> {
    if (!isUuid(nodeId)) throw new NotFoundError('Partner node');
    const id = nodeId.toLowerCase();
    return inTransaction(this.dataSource, async (tx) => {
      if (!(await this.store.lock(tx, id))) throw new NotFoundError('Partner node');
      return work(tx, id);
    });
  }
}
