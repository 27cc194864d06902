import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { TalentScreened } from '@talent/events';
import {
  callerOf,
  ConflictError,
  EventPublisher,
  ForbiddenError,
  inUseCaseTransaction,
  isUuid,
  NotFoundError,
  parseCommand,
  PreconditionFailedError,
  type UseCase,
  type UseCaseContext,
  requireRole,
} from '@talent/platform';
import { UserRecord } from '../users/user.entity';
import { TalentScreeningRecord } from './talent-screening.entity';

const ScreenTalentCommand = z.object({
  talentId: z.string(),
  decision: z.enum(['APPROVE', 'REJECT']),
  notes: z
    .string()
    .trim()
    .max(2000, 'must be at most 2000 characters')
    .nullish()
    .transform((notes) => notes || null),
});

/**
 * Use case: an INSPECTOR or ADMIN records the peer screening of a talent. Only members (KYC
 * approved) with the TALENT role are screened, never by themselves. An approval is final (it
 * earns the inspector a reward once); a rejected talent may be screened again.
 */
@Injectable()
export class ScreenTalent implements UseCase<z.input<typeof ScreenTalentCommand>, UserRecord> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof ScreenTalentCommand>): Promise<UserRecord> {
    const inspector = requireRole(callerOf(ctx), 'INSPECTOR', 'ADMIN');
    const { talentId: rawTalentId, decision, notes } = parseCommand(ScreenTalentCommand, input);
    if (!isUuid(rawTalentId)) throw new NotFoundError('User');
    const talentId = rawTalentId.toLowerCase();
    if (talentId === inspector.id) throw new ForbiddenError('Inspectors do not screen themselves');
    return inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      const talent = await tx.getRepository(UserRecord).findOne({ where: { id: talentId }, lock: { mode: 'pessimistic_write' } });
      if (!talent) throw new NotFoundError('User');
      if (!talent.roles.includes('TALENT')) throw new PreconditionFailedError('Only users with the TALENT role are screened');
      if (talent.kycStatus !== 'APPROVED') throw new PreconditionFailedError('Talent must pass KYC before screening');
      if (talent.screeningStatus === 'APPROVED') throw new ConflictError('This talent is already screened and approved');
      const now = new Date();
      const status = decision === 'APPROVE' ? 'APPROVED' : 'REJECTED';
      const screening = { id: randomUUID(), talentId, inspectorId: inspector.id, decision: status, notes, createdAt: now } as const;
      await tx.getRepository(TalentScreeningRecord).insert(screening);
      await tx.getRepository(UserRecord).update({ id: talentId }, { screeningStatus: status, updatedAt: now });
      await this.events.publish(
        tx,
        TalentScreened,
        { screeningId: screening.id, talentId, inspectorId: inspector.id, decision: status, screenedAt: now.toISOString() },
        { traceparent: ctx.traceparent },
      );
      return { ...talent, screeningStatus: status, updatedAt: now };
    });
  }
}
