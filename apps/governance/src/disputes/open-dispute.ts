import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { DisputeOpened } from '@talent/events';
import {
  APP_CONFIG,
  awaitProjection,
  type BaseConfig,
  callerOf,
  ConflictError,
  EventPublisher,
  ForbiddenError,
  inUseCaseTransaction,
  isUniqueViolation,
  isUuid,
  NotFoundError,
  parseCommand,
  PreconditionFailedError,
  ROOT_LOGGER,
  type UseCase,
  type UseCaseContext,
} from '@talent/platform';
import { GovernanceParameters } from '../parameters/governance-parameters';
import { GovernanceClock } from '../shared/clock';
import { findDispute, type DisputeRecord } from './dispute.records';
import { JuryScheduler } from './jury.jobs';
import { newSeed } from './jury-draw';
import { JuryService } from './jury.service';

const REASON_MIN = 10;
const REASON_MAX = 2000;

const OpenDisputeCommand = z.object({
  contractId: z.string(),
  reason: z
    .string()
    .trim()
    .refine((reason) => reason.length >= REASON_MIN && reason.length <= REASON_MAX, `must be ${REASON_MIN} to ${REASON_MAX} characters`),
});

/**
 * Use case: a party of a contract (its talent or client) opens a dispute: one unresolved dispute per
 * contract; the jury is drawn in the same transaction (status VOTING), or nothing happens when
 * fewer members are eligible than the jury size (PRECONDITION_FAILED). Emits DisputeOpened
 * (payments holds the contract's unpaid invoices) and one JurorDrawn per seat. The reason
 * stays in governance: not in events, not in logs.
 */
@Injectable()
export class OpenDispute implements UseCase<z.input<typeof OpenDisputeCommand>, DisputeRecord> {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly jury: JuryService,
    private readonly parameters: GovernanceParameters,
    private readonly scheduler: JuryScheduler,
    private readonly clock: GovernanceClock,
    private readonly events: EventPublisher,
    @Inject(ROOT_LOGGER) logger: Logger,
    @Optional() @Inject(APP_CONFIG) private readonly config?: Pick<BaseConfig, 'PROJECTION_WAIT_MS'>,
  ) {
    this.log = logger.child({ component: 'disputes' });
  }

  async execute(ctx: UseCaseContext, input: z.input<typeof OpenDisputeCommand>): Promise<DisputeRecord> {
    const me = callerOf(ctx).id.toLowerCase();
    const command = parseCommand(OpenDisputeCommand, input);
    if (!isUuid(command.contractId)) throw new NotFoundError('Contract');
    const contractId = command.contractId.toLowerCase();
    const reason = command.reason;
    // A contract started a moment ago may not have reached governance yet: wait a bounded time, outside the transaction.
    await awaitProjection(async () => ((await this.dataSource.query(`SELECT 1 FROM contracts WHERE id = $1`, [contractId])) as unknown[]).length > 0, {
      timeoutMs: this.config?.PROJECTION_WAIT_MS ?? 0,
    });

    const now = this.clock.now();
    let opened: DisputeRecord;
    try {
      opened = await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
        // The contract's row lock orders concurrent disputes of one contract.
        const contracts: Array<{ talent_id: string; client_id: string }> = await tx.query(
          `SELECT talent_id, client_id FROM contracts WHERE id = $1 FOR UPDATE`,
          [contractId],
        );
        const contract = contracts[0];
        if (!contract) throw new NotFoundError('Contract');
        if (me !== contract.talent_id && me !== contract.client_id) throw new ForbiddenError("Only the contract's talent or client may open a dispute");
        const open: unknown[] = await tx.query(`SELECT 1 FROM disputes WHERE contract_id = $1 AND status <> 'RESOLVED'`, [contractId]);
        if (open.length) throw new ConflictError('This contract already has an open dispute');

        const jurySize = Number(await this.parameters.get(tx, 'governance.jurySize'));
        const id = randomUUID();
        await tx.query(
          `INSERT INTO disputes (id, contract_id, talent_id, client_id, opened_by, reason, status, seed, jury_size, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, 'OPEN', $7, $8, $9)`,
          [id, contractId, contract.talent_id, contract.client_id, me, reason, newSeed(), jurySize, now],
        );
        const dispute = (await findDispute(tx, id))!;
        await this.events.publish(
          tx,
          DisputeOpened,
          { disputeId: id, contractId, openedBy: me, talentId: contract.talent_id, clientId: contract.client_id, openedAt: now.toISOString() },
          { traceparent: ctx.traceparent },
        );
        const seats = Array.from({ length: jurySize }, (_, i) => ({ seat: i + 1, replaces: null }));
        const seated = await this.jury.seat(tx, dispute, 1, seats, now, ctx.traceparent);
        // Rolls the whole transaction back: no dispute, no event.
        if (!seated)
          throw new PreconditionFailedError(
            `Not enough eligible jurors: ${jurySize} members with voting power who are neither parties nor related to them are needed`,
          );
        await tx.query(`UPDATE disputes SET status = 'VOTING' WHERE id = $1`, [id]);
        return (await findDispute(tx, id))!;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'disputes_one_open_per_contract')) throw new ConflictError('This contract already has an open dispute');
      throw error;
    }
    this.log.info({ disputeId: opened.id, contractId, openedBy: me, jurySize: opened.jurySize }, 'dispute opened');
    const voteBy = await this.firstDeadline(ctx, opened.id);
    if (voteBy) await this.scheduler.deadline(opened.id, opened.round, voteBy);
    return opened;
  }

  private async firstDeadline(ctx: UseCaseContext, disputeId: string): Promise<Date | null> {
    const rows: Array<{ vote_by: Date | null }> = await (ctx.tx ?? this.dataSource.manager).query(
      `SELECT min(vote_by) AS vote_by FROM dispute_jurors WHERE dispute_id = $1 AND replaced_by IS NULL AND decision IS NULL`,
      [disputeId],
    );
    return rows[0]?.vote_by ? new Date(rows[0].vote_by) : null;
  }
}
