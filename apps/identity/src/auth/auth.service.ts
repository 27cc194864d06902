import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UserRegistered, type Role } from '@talent/events';
import { ConflictError, EventPublisher, ForbiddenError, inTransaction, isUniqueViolation, UnauthenticatedError } from '@talent/platform';
import { UserRecord } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { TokenService, type TokenPair } from './token.service';

const SELF_SERVICE_ROLES: ReadonlySet<Role> = new Set(['TALENT', 'CLIENT', 'CONNECTOR']);

export interface RegisterCommand {
  email: string;
  password: string;
  displayName: string;
  roles: Role[];
  referralCode?: string | null;
}

export interface Session extends TokenPair {
  user: UserRecord;
}

@Injectable()
export class AuthService {
  /** Verified against when the email is unknown, so a miss costs as much time as a hit. */
  private dummyHash: Promise<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottle,
    private readonly events: EventPublisher,
  ) {
    this.dummyHash = hasher.hash(randomUUID());
  }

  async register(command: RegisterCommand, traceparent?: string): Promise<Session> {
    const roles = [...new Set(command.roles)];
    const refused = roles.filter((r) => !SELF_SERVICE_ROLES.has(r));
    if (refused.length) throw new ForbiddenError(`${refused.join(', ')} cannot be chosen at registration; an admin grants it`);
    const email = command.email.trim().toLowerCase();
    const passwordHash = await this.hasher.hash(command.password);
    const referralCode = command.referralCode?.trim().toUpperCase() || null;
    try {
      return await inTransaction(this.dataSource, async (tx) => {
        const now = new Date();
        const user = tx.getRepository(UserRecord).create({
          id: randomUUID(),
          email,
          passwordHash,
          displayName: command.displayName.trim(),
          roles,
          kycStatus: 'NOT_STARTED',
          screeningStatus: 'NOT_SCREENED',
          referralCode,
          createdAt: now,
          updatedAt: now,
        });
        await tx.getRepository(UserRecord).insert(user);
        await this.events.publish(
          tx,
          UserRegistered,
          { userId: user.id, roles, referralCode, registeredAt: now.toISOString() },
          { traceparent },
        );
        return { user, ...(await this.tokens.issue(tx, user)) };
      });
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) throw new ConflictError('An account with this email already exists');
      throw error;
    }
  }

  async login(emailInput: string, password: string, clientIp: string): Promise<Session> {
    const email = emailInput.trim().toLowerCase();
    await this.throttle.assertAllowed(email, clientIp);
    const user = await this.dataSource.getRepository(UserRecord).findOneBy({ email });
    const ok = await this.hasher.verify(password, user?.passwordHash ?? (await this.dummyHash));
    if (!user || !ok) {
      await this.throttle.recordFailure(email, clientIp);
      throw new UnauthenticatedError('Invalid email or password');
    }
    await this.throttle.recordSuccess(email);
    return inTransaction(this.dataSource, async (tx) => {
      if (this.hasher.needsRehash(user.passwordHash)) {
        await tx.getRepository(UserRecord).update({ id: user.id }, { passwordHash: await this.hasher.hash(password) });
      }
      return { user, ...(await this.tokens.issue(tx, user)) };
    });
  }

  async refresh(refreshToken: string): Promise<Session> {
    const result = await inTransaction(this.dataSource, (tx) =>
      this.tokens.rotate(tx, refreshToken, (id) => this.users.findById(id, tx)),
    );
    // The family's revocation must commit before we refuse, hence outside the transaction.
    if ('reused' in result) throw new UnauthenticatedError('Refresh token was already used; every session of this login is revoked');
    return { user: result.user, ...result.tokens };
  }
}
