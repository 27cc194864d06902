import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TalentScreened } from '@talent/events';
import {
  BadUserInputError,
  ConflictError,
  EventPublisher,
  ForbiddenError,
  inTransaction,
  NotFoundError,
  PreconditionFailedError,
  type AuthUser,
} from '@talent/platform';
import { UserRecord } from '../users/user.entity';
import { TalentScreeningRecord } from './talent-screening.entity';

/**
 * Peer screening of talent by inspectors. Only members with the TALENT role are screened,
 * never by themselves. An approval is final (it earns the inspector a reward once);
 * a rejected talent may be screened again.
 */
@Injectable()
export class ScreeningService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  screen(
    inspector: AuthUser,
    talentId: string,
    decision: 'APPROVE' | 'REJECT',
    notesInput: string | null | undefined,
    traceparent?: string,
  ): Promise<UserRecord> {
    const notes = notesInput?.trim() || null;
    if (notes && notes.length > 2000) throw new BadUserInputError('notes must be at most 2000 characters', 'notes');
    if (talentId === inspector.id) throw new ForbiddenError('Inspectors do not screen themselves');
    return inTransaction(this.dataSource, async (tx) => {
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
        { traceparent },
      );
      return { ...talent, screeningStatus: status, updatedAt: now };
    });
  }
}
