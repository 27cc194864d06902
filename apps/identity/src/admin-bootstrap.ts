import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { RoleGranted, UserRegistered } from '@talent/events';
import { APP_CONFIG, EventPublisher, inTransaction, ROOT_LOGGER } from '@talent/platform';
import { PasswordHasher } from './auth/password-hasher';
import type { IdentityConfig } from './config';
import { UserRecord } from './users/user.entity';

/**
 * Creates the bootstrap administrator from ADMIN_EMAIL / ADMIN_PASSWORD at start, when no
 * account has that email. An existing account is never promoted: whoever registered the
 * address first (perhaps before ops chose it) would become ADMIN at the next restart. It is
 * left as it is, with a warning; an existing admin grants ADMIN, or ops picks another email.
 * Neither is the environment a password-reset channel: an existing account's password is left alone.
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: IdentityConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly events: EventPublisher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_EMAIL, ADMIN_PASSWORD } = this.config;
    if (!ADMIN_EMAIL || !ADMIN_PASSWORD) return;
    const email = ADMIN_EMAIL.trim().toLowerCase();
    const passwordHash = await this.hasher.hash(ADMIN_PASSWORD);
    await inTransaction(this.dataSource, async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(7305002)'); // replicas starting together create one admin
      const repo = tx.getRepository(UserRecord);
      const existing = await repo.findOneBy({ email });
      if (existing) {
        if (!existing.roles.includes('ADMIN')) {
          // The user id, never the email: logs carry no PII.
          this.logger.warn(
            { userId: existing.id },
            'ADMIN_EMAIL belongs to an existing account that is not an admin: it was NOT made admin. Have an admin grant ADMIN, or set ADMIN_EMAIL to an unused address',
          );
        }
        return;
      }
      const now = new Date();
      const userId = randomUUID();
      await repo.insert({
        id: userId,
        email,
        passwordHash,
        displayName: 'Administrator',
        roles: ['ADMIN'],
        kycStatus: 'NOT_STARTED',
        screeningStatus: 'NOT_SCREENED',
        referralCode: null,
        disabledAt: null,
        createdAt: now,
        updatedAt: now,
      });
      await this.events.publish(tx, UserRegistered, { userId, roles: ['ADMIN'], referralCode: null, registeredAt: now.toISOString() });
      await this.events.publish(tx, RoleGranted, { userId, role: 'ADMIN', grantedBy: null });
      this.logger.info({ userId }, 'bootstrap admin created');
    });
  }
}
