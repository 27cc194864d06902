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
 * Creates the bootstrap administrator from ADMIN_EMAIL / ADMIN_PASSWORD at start, or
 * grants ADMIN to an existing account with that email. The password of an existing
 * account is left alone: the environment is not a password-reset channel.
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
      if (existing?.roles.includes('ADMIN')) return;
      const now = new Date();
      let userId = existing?.id;
      if (!existing) {
        userId = randomUUID();
        await repo.insert({
          id: userId,
          email,
          passwordHash,
          displayName: 'Administrator',
          roles: ['ADMIN'],
          kycStatus: 'NOT_STARTED',
          screeningStatus: 'NOT_SCREENED',
          referralCode: null,
          createdAt: now,
          updatedAt: now,
        });
        await this.events.publish(tx, UserRegistered, { userId, roles: ['ADMIN'], referralCode: null, registeredAt: now.toISOString() });
      } else {
        await repo.update({ id: existing.id }, { roles: [...existing.roles, 'ADMIN'], updatedAt: now });
      }
      await this.events.publish(tx, RoleGranted, { userId: userId!, role: 'ADMIN', grantedBy: null });
      this.logger.info({ userId }, existing ? 'bootstrap admin role granted' : 'bootstrap admin created');
    });
  }
}
