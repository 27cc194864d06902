import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ApplicationSubmitted, JobClosed, JobPosted, PayloadOf, RoleGranted, UserRegistered } from '@talent/events';
import { KnownApplicationRecord } from './known-application.entity';
import { KnownJobRecord } from './known-job.entity';
import { KnownUserRecord } from './known-user.entity';

/**
 * The projections referrals keeps of other services' data (users, jobs, applications), fed by their events only
 * (members: MembershipProjection of @talent/platform).
 * Every write is idempotent: a replayed event leaves the row as it was.
 */
@Injectable()
export class ProjectionsService {
  async recordUser(tx: EntityManager, p: PayloadOf<typeof UserRegistered>): Promise<void> {
    await tx
      .createQueryBuilder()
      .insert()
      .into(KnownUserRecord)
      .values({ id: p.userId, roles: [...new Set(p.roles)], registeredAt: new Date(p.registeredAt) })
      .orIgnore()
      .execute();
  }

  async recordRole(tx: EntityManager, p: PayloadOf<typeof RoleGranted>): Promise<void> {
    await tx.query(`UPDATE users SET roles = array_append(roles, $2) WHERE id = $1 AND NOT ($2 = ANY (roles))`, [p.userId, p.role]);
  }

  async recordJobPosted(tx: EntityManager, p: PayloadOf<typeof JobPosted>): Promise<void> {
    await tx
      .createQueryBuilder()
      .insert()
      .into(KnownJobRecord)
      .values({ id: p.jobId, clientId: p.clientId, status: 'OPEN', postedAt: new Date(p.postedAt), closedAt: null })
      .orIgnore()
      .execute();
  }

  /** Closes the job; a job first seen closed is recorded closed. */
  async recordJobClosed(tx: EntityManager, p: PayloadOf<typeof JobClosed>): Promise<void> {
    await tx.query(
      `INSERT INTO jobs (id, client_id, status, posted_at, closed_at) VALUES ($1, $2, $3, NULL, $4)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, closed_at = EXCLUDED.closed_at, updated_at = now()`,
      [p.jobId, p.clientId, p.status, p.closedAt],
    );
  }

  /** A talent applied to a job (one application per talent and job: a replay keeps the row as it was). */
  async recordApplication(tx: EntityManager, p: PayloadOf<typeof ApplicationSubmitted>): Promise<void> {
    await tx
      .createQueryBuilder()
      .insert()
      .into(KnownApplicationRecord)
      .values({ jobId: p.jobId, talentId: p.talentId, submittedAt: new Date(p.submittedAt) })
      .orIgnore()
      .execute();
  }

  /** Whether the talent is known to have applied to the job (as far as the projection has caught up). */
  hasApplied(tx: EntityManager, jobId: string, talentId: string): Promise<boolean> {
    return tx.getRepository(KnownApplicationRecord).existsBy({ jobId, talentId });
  }

  findUser(tx: EntityManager, id: string): Promise<KnownUserRecord | null> {
    return tx.getRepository(KnownUserRecord).findOneBy({ id });
  }

  findJob(tx: EntityManager, id: string): Promise<KnownJobRecord | null> {
    return tx.getRepository(KnownJobRecord).findOneBy({ id });
  }
}
