import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '@talent/platform';
import { generateReferralCode } from './referral-code';
import { ReferralCodeRecord } from './referral-code.entity';

/** Attempts before giving up on drawing a free code (the event is then retried by the consumer). */
const MAX_ATTEMPTS = 8;

@Injectable()
export class CodesService {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'referral-codes' });
  }

  /**
   * Gives the member their code, once: a member who already has one keeps it. A drawn
   * code that is taken is drawn again. `ON CONFLICT DO NOTHING` rather than catching the
   * unique violation, which would abort the surrounding (inbox) transaction.
   */
  async issue(tx: EntityManager, userId: string, generate: () => string = generateReferralCode): Promise<string> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const code = generate();
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
  }

  async ownerOf(code: string, tx: EntityManager = this.dataSource.manager): Promise<string | null> {
    return (await tx.getRepository(ReferralCodeRecord).findOneBy({ code }))?.userId ?? null;
  }

  async codeOf(userId: string): Promise<string | null> {
    return (await this.dataSource.getRepository(ReferralCodeRecord).findOneBy({ userId }))?.code ?? null;
  }
}
