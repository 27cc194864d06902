import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { JobClosed } from '@talent/events';
import { assertSystem, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';

const RecordJobClosedCommand = JobClosed.schema.pick({ jobId: true, status: true, closedAt: true });

/** Use case (the system's, on JobClosed): a closed or filled job is no longer re-ranked; its matches stay as they were. */
@Injectable()
export class RecordJobClosed implements UseCase<z.input<typeof RecordJobClosedCommand>, void> {
  constructor(private readonly dataSource: DataSource) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof RecordJobClosedCommand>): Promise<void> {
    assertSystem(ctx, 'RecordJobClosed');
    const { jobId, status, closedAt } = parseCommand(RecordJobClosedCommand, input);
    await inUseCaseTransaction(ctx, this.dataSource, (tx) =>
      tx.query(`UPDATE jobs SET status = $2, closed_at = $3 WHERE id = $1 AND status = 'OPEN'`, [jobId, status, closedAt]),
    );
  }
}
