import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { BadUserInputError, decodeCursor, encodeCursor, isUuid, NotFoundError } from '@talent/platform';
import { JobRecord, type JobStatus } from './job.entity';
import { normalizeSkills } from './post-job';

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

/** Reads of jobs (the use cases that change them are jobs/<verb>-job.ts). */
@Injectable()
export class JobsService {
  constructor(private readonly dataSource: DataSource) {}

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
