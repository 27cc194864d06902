import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { callerOf, inUseCaseTransaction, parseCommand, ROOT_LOGGER, type UseCase, type UseCaseContext } from '@talent/platform';
import { assertAdmin } from './admin-only';
import { partnerNodeIdSchema, PartnerNodesStore, type PartnerNodeRow } from './partner-nodes.store';

const SetPartnerNodeStatusCommand = z.object({ nodeId: partnerNodeIdSchema, status: z.enum(['ACTIVE', 'DISABLED']) });

/**
 * Use case: disable a node (ADMIN; nothing more is delivered, its pending deliveries are
 * dead-lettered when their turn comes) or enable it again (new events only: replay the gap).
 */
@Injectable()
export class SetPartnerNodeStatus implements UseCase<z.input<typeof SetPartnerNodeStatusCommand>, PartnerNodeRow> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly nodes: PartnerNodesStore,
    @Inject(ROOT_LOGGER) private readonly log: Logger,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof SetPartnerNodeStatusCommand>): Promise<PartnerNodeRow> {
    const caller = assertAdmin(callerOf(ctx));
    const { nodeId, status } = parseCommand(SetPartnerNodeStatusCommand, input);
    const node = await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      const { id } = await this.nodes.lock(tx, nodeId);
      const [[row]] = await tx.query(
        `UPDATE partner_nodes SET status = $2, disabled_at = CASE WHEN $2 = 'DISABLED' THEN COALESCE(disabled_at, now()) END WHERE id = $1 RETURNING *`,
        [id, status],
      );
      return row as PartnerNodeRow;
    });
    this.log.info({ nodeId: node.id, status, by: caller.id }, 'partner node status set');
    return node;
  }
}
