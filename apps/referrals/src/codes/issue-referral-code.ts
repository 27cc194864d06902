import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { z } from 'zod';
import { assertSystem, inUseCaseTransaction, parseCommand, ROOT_LOGGER, type UseCase, type UseCaseContext } from '@talent/platform';
import { generateReferralCode } from './referral-code';
import { ReferralCodeRecord } from './referral-code.entity';

/** Attempts before giving up on drawing a free code (the event is then retried by the consumer). */
const MAX_ATTEMPTS = 8;

const IssueReferralCodeCommand = z.object({ userId: z.uuid() });

/**
 * Use case (the system's, on KycApproved): every member may be a connector, so a member gets
 * their code, once: a member who already has one keeps it. A drawn code that is taken is drawn
 * again. `ON CONFLICT DO NOTHING` rather than catching the unique violation, which would abort
 * the surrounding (inbox) transaction. Returns the member's code.
 */
@Injectable()
export class IssueReferralCode implements UseCase<z.input<typeof IssueReferralCodeCommand>, string> {
  private readonly log: Logger;
  /** Draws a candidate code (replaced in tests to force collisions). */
  protected drawCode: () => string = generateReferralCode;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'referral-codes' });
  }

  async execute(ctx: UseCaseContext, input: z.input<typeof IssueReferralCodeCommand>): Promise<string> {
    assertSystem(ctx, 'IssueReferralCode');
    const { userId } = parseCommand(IssueReferralCodeCommand, input);
    return inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const code = this.drawCode();
        const inserted: unknown[] = await tx.query(
          `INSERT INTO referral_codes (user_id, code, created_at) VALUES ($1, $2, now()) ON CONFLICT DO NOTHING RETURNING code`,
          [userId, code],
        );
        if (inserted.length > 0) return code;
        const existing = await tx.getRepository(ReferralCodeRecord).findOneBy({ userId });
        if (existing) return existing.code;
        this.log.warn({ attempt }, 'drawn referral code already taken; drawing another');
      }
      throw new Error(`could not draw a free referral code in ${MAX_ATTEMPTS} attempts`);
    });
  }
}
