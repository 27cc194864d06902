import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { IsoDateTimeSchema } from '@talent/events';
import { assertSystem, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';

const RecordReferralRelationCommand = z.object({
  /** The referral (signup) or job referral it comes from: recorded once. */
  sourceId: z.uuid(),
  kind: z.enum(['SIGNUP', 'JOB']),
  connectorId: z.uuid(),
  referredId: z.uuid(),
  referredAt: IsoDateTimeSchema,
});

/**
 * Use case (the system's, on referrals' events): records who referred whom, a signup attributed
 * to a connector (ReferralAttributed) or a talent referred to a job (JobReferralCreated). A
 * relation is kept even when referrals later invalidates the referral (self-referral, ring): it
 * pays nothing, but it still says the two know each other, which is what matters for a jury.
 * "Related by referral" (see JuryService): one referred the other, or both were referred by the
 * same connector.
 */
@Injectable()
export class RecordReferralRelation implements UseCase<z.input<typeof RecordReferralRelationCommand>, void> {
  constructor(private readonly dataSource: DataSource) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof RecordReferralRelationCommand>): Promise<void> {
    assertSystem(ctx, 'RecordReferralRelation');
    const r = parseCommand(RecordReferralRelationCommand, input);
    await inUseCaseTransaction(ctx, this.dataSource, (tx) =>
      tx.query(
        `INSERT INTO referral_relations (source_id, kind, connector_id, referred_id, referred_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (source_id) DO NOTHING`,
        [r.sourceId.toLowerCase(), r.kind, r.connectorId.toLowerCase(), r.referredId.toLowerCase(), r.referredAt],
      ),
    );
  }
}
