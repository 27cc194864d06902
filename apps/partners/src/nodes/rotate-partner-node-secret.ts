import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { APP_CONFIG, callerOf, inUseCaseTransaction, parseCommand, ROOT_LOGGER, type UseCase, type UseCaseContext } from '@talent/platform';
import type { PartnersConfig } from '../config';
import { newSigningSecret, SigningSecrets } from '../shared/signing-secrets';
import { assertAdmin } from './admin-only';
import { partnerNodeIdSchema, PartnerNodesStore, type PartnerNodeRow } from './partner-nodes.store';

const RotatePartnerNodeSecretCommand = z.object({ nodeId: partnerNodeIdSchema });

/**
 * Use case: a node gets a new signing secret (ADMIN), shown once. The old one keeps signing
 * beside it for PARTNER_SECRET_ROTATION_GRACE_HOURS (Standard Webhooks allows several signatures).
 */
@Injectable()
export class RotatePartnerNodeSecret implements UseCase<z.input<typeof RotatePartnerNodeSecretCommand>, { node: PartnerNodeRow; signingSecret: string }> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly nodes: PartnerNodesStore,
    private readonly secrets: SigningSecrets,
    @Inject(APP_CONFIG) private readonly config: PartnersConfig,
    @Inject(ROOT_LOGGER) private readonly log: Logger,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof RotatePartnerNodeSecretCommand>): Promise<{ node: PartnerNodeRow; signingSecret: string }> {
    const caller = assertAdmin(callerOf(ctx));
    const { nodeId } = parseCommand(RotatePartnerNodeSecretCommand, input);
    const signingSecret = newSigningSecret();
    const graceMs = this.config.PARTNER_SECRET_ROTATION_GRACE_HOURS * 3_600_000;
    const node = await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      const { id } = await this.nodes.lock(tx, nodeId);
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
}
