import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import {
  type AuthUser,
  BadUserInputError,
  ConflictError,
  decodeCursor,
  encodeCursor,
  EventPublisher,
  ForbiddenError,
  inTransaction,
  isUuid,
  MembershipProjection,
  NotFoundError,
} from '@talent/platform';
import { ApplicationsService } from '../applications/applications.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { JobRecord, type JobStatus } from './job.entity';
import { publishJobClosed, publishJobPosted } from './job-events';
import { normalizeSkills, toPostJobCommand, type PostJobRequest } from './post-job.command';

export interface JobListFilter {
  status?: JobStatus | null;
  skills?: string[] | null;
  text?: string | null;
  clientId?: string | null;
}

export interface JobPage {
  edges: Array<{ cursor: string; node: JobRecord }>;
  hasNextPage: boolean;
  totalCount: number;
}

const MAX_SEARCH_TEXT = 200;

@Injectable()
export class JobsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly membership: MembershipProjection,
    private readonly applications: ApplicationsService,
    private readonly organizations: OrganizationsService,
  ) {}

  /**
   * A member client posts a job (the CLIENT role is checked by the resolver, from the token),
   * under an organization only if they are one of its members. Refused posts create nothing.
   */
  async post(caller: AuthUser, input: PostJobRequest, traceparent?: string): Promise<JobRecord> {
    const command = toPostJobCommand(input);
    // Projections a moment behind (membership, organization) are waited for, before the transaction.
    await Promise.all([
      this.membership.waitUntilMember(caller.id),
      command.organizationId ? this.organizations.waitUntilKnown(command.organizationId) : undefined,
    ]);
    return inTransaction(this.dataSource, async (tx) => {
      await this.membership.requireMember(tx, caller.id, 'post jobs');
      if (command.organizationId) await this.organizations.requirePoster(tx, command.organizationId, caller.id);
      // Milliseconds, like the column (timestamptz(3)): what is returned is what is stored.
      const now = new Date();
      const job = tx.getRepository(JobRecord).create({
        id: randomUUID(),
        clientId: caller.id,
        organizationId: command.organizationId,
        title: command.title,
        description: command.description,
        skills: command.skills,
        minYearsExperience: command.minYearsExperience,
        countries: command.countries,
        budgetMin: command.budget.min,
        budgetMax: command.budget.max,
        currency: command.budget.currency,
        rateUnit: command.budget.unit,
        rateTolerancePercent: command.rateTolerancePercent,
        hoursPerWeek: command.hoursPerWeek,
        durationWeeks: command.durationWeeks,
        status: 'OPEN',
        createdAt: now,
        closedAt: null,
      });
      await tx.getRepository(JobRecord).insert(job);
      await publishJobPosted(this.events, tx, job, now, traceparent);
      return job;
    });
  }

  /** The job's client closes an open job: its open applications are declined (JOB_CLOSED). */
  close(caller: AuthUser, jobId: string, traceparent?: string): Promise<JobRecord> {
    if (!isUuid(jobId)) throw new NotFoundError('Job');
    return inTransaction(this.dataSource, async (tx) => {
      const job = await tx.getRepository(JobRecord).findOne({ where: { id: jobId }, lock: { mode: 'pessimistic_write' } });
      if (!job) throw new NotFoundError('Job');
      if (job.clientId !== caller.id) throw new ForbiddenError("Only the job's client may close it");
      if (job.status !== 'OPEN') throw new ConflictError(`The job is already ${job.status}`);
      const now = new Date();
      await tx.getRepository(JobRecord).update({ id: job.id }, { status: 'CLOSED', closedAt: now });
      await this.applications.declineOpen(tx, job.id, 'JOB_CLOSED', now, traceparent);
      await publishJobClosed(this.events, tx, job, 'CLOSED', now, traceparent);
      return { ...job, status: 'CLOSED', closedAt: now };
    });
  }

  findById(id: string): Promise<JobRecord | null> {
    return isUuid(id) ? this.dataSource.getRepository(JobRecord).findOneBy({ id }) : Promise.resolve(null);
  }

  /** Jobs by id (lower-case UUIDs) in one query; unknown ids are absent. */
  async findByIds(ids: readonly string[]): Promise<Map<string, JobRecord>> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return new Map();
    const jobs = await this.dataSource.getRepository(JobRecord).findBy({ id: In(valid) });
    return new Map(jobs.map((j) => [j.id, j]));
  }

  async getById(id: string): Promise<JobRecord> {
    const job = await this.findById(id);
    if (!job) throw new NotFoundError('Job');
    return job;
  }

  /**
   * Jobs newest first (createdAt desc, id desc) with keyset pagination. Filters combine:
   * status; skills (jobs requiring ALL of them, GIN on skills); text (PostgreSQL full-text
   * search over title and description, GIN on the generated tsvector); clientId.
   */
  async list(filter: JobListFilter, first: number, after?: string | null): Promise<JobPage> {
    const conditions = this.conditions(filter);
    if (!conditions) return { edges: [], hasNextPage: false, totalCount: 0 };
    const query = () => {
      const qb = this.dataSource.getRepository(JobRecord).createQueryBuilder('j');
      for (const [where, params] of conditions) qb.andWhere(where, params);
      return qb;
    };
    const page = query()
      .orderBy('j.created_at', 'DESC')
      .addOrderBy('j.id', 'DESC')
      .limit(first + 1);
    if (after) {
      const [createdAt, id] = decodeCursor(after, 2);
      if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt)) || typeof id !== 'string' || !isUuid(id)) {
        throw new BadUserInputError('Invalid cursor', 'after');
      }
      page.andWhere('(j.created_at, j.id) < (:createdAt, :id)', { createdAt, id });
    }
    const [rows, totalCount] = await Promise.all([page.getMany(), query().getCount()]);
    const nodes = rows.slice(0, first);
    return {
      edges: nodes.map((node) => ({ cursor: encodeCursor([node.createdAt.toISOString(), node.id]), node })),
      hasNextPage: rows.length > first,
      totalCount,
    };
  }

  /** The WHERE clauses of a filter; null when the filter can match nothing. */
  private conditions(filter: JobListFilter): Array<[string, Record<string, unknown>]> | null {
    const conditions: Array<[string, Record<string, unknown>]> = [];
    if (filter.status) conditions.push(['j.status = :status', { status: filter.status }]);
    const skills = normalizeSkills(filter.skills ?? []).filter(Boolean);
    if (skills.length) conditions.push(['j.skills @> CAST(:skills AS text[])', { skills }]);
    const text = filter.text?.trim();
    if (text) {
      if (text.length > MAX_SEARCH_TEXT) throw new BadUserInputError(`filter.text must be at most ${MAX_SEARCH_TEXT} characters`, 'filter.text');
      conditions.push([`j.search @@ websearch_to_tsquery('english', :text)`, { text }]);
    }
    if (filter.clientId) {
      if (!isUuid(filter.clientId)) return null;
      conditions.push(['j.client_id = :clientId', { clientId: filter.clientId.toLowerCase() }]);
    }
    return conditions;
  }
}
