import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { callerOf, decodeCursor, encodeCursor, parseCommand, type UseCase, type UseCaseContext, requireRole } from '@talent/platform';
import { KycCaseRecord } from './kyc-case.entity';

const ListKycQueueCommand = z.object({ first: z.number().int().min(1), after: z.string().nullish() });

export interface KycQueuePage {
  edges: Array<{ cursor: string; node: KycCaseRecord }>;
  hasNextPage: boolean;
}

/** Use case: open KYC cases, oldest first, without the reviewer's own (INSPECTOR or ADMIN). Keyset pagination on (submittedAt, id). */
@Injectable()
export class ListKycQueue implements UseCase<z.input<typeof ListKycQueueCommand>, KycQueuePage> {
  constructor(private readonly dataSource: DataSource) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof ListKycQueueCommand>): Promise<KycQueuePage> {
    const reviewer = requireRole(callerOf(ctx), 'INSPECTOR', 'ADMIN');
    const { first, after } = parseCommand(ListKycQueueCommand, input);
    const qb = (ctx.tx ?? this.dataSource.manager)
      .getRepository(KycCaseRecord)
      .createQueryBuilder('c')
      .where(`c.status = 'PENDING'`)
      .andWhere('c.user_id <> :reviewer', { reviewer: reviewer.id })
      .orderBy('c.submitted_at', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .take(first + 1);
    if (after) {
      const [submittedAt, id] = decodeCursor(after, 2);
      qb.andWhere('(c.submitted_at, c.id) > (:submittedAt, :id)', { submittedAt, id });
    }
    const rows = await qb.getMany();
    return {
      edges: rows.slice(0, first).map((node) => ({ cursor: encodeCursor([node.submittedAt.toISOString(), node.id]), node })),
      hasNextPage: rows.length > first,
    };
  }
}
