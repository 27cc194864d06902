import { JobClosed, JobPosted, PublicJobClosed, PublicJobPosted } from '@talent/events';
import type { EventPublisher } from '@talent/platform';
import type { EntityManager } from 'typeorm';
import type { JobRecord } from './job.entity';

/**
 * A job's lifecycle events, each with its partner projection on public.jobs.v1 (no client,
 * organization or description: nothing that names a private person). One place, so the
 * internal and the public topic can never disagree.
 */
export async function publishJobPosted(events: EventPublisher, tx: EntityManager, job: JobRecord, postedAt: Date, traceparent?: string): Promise<void> {
  const budget = { min: job.budgetMin, max: job.budgetMax, currency: job.currency, unit: job.rateUnit };
  const common = {
    jobId: job.id,
    title: job.title,
    skills: job.skills,
    countries: job.countries,
    budget,
    hoursPerWeek: job.hoursPerWeek,
    durationWeeks: job.durationWeeks,
    postedAt: postedAt.toISOString(),
  };
  await events.publish(
    tx,
    JobPosted,
    { ...common, clientId: job.clientId, organizationId: job.organizationId, minYearsExperience: job.minYearsExperience },
    { traceparent },
  );
  await events.publish(tx, PublicJobPosted, common, { traceparent });
}

export async function publishJobClosed(
  events: EventPublisher,
  tx: EntityManager,
  job: Pick<JobRecord, 'id' | 'clientId'>,
  status: 'CLOSED' | 'FILLED',
  closedAt: Date,
  traceparent?: string,
): Promise<void> {
  await events.publish(tx, JobClosed, { jobId: job.id, clientId: job.clientId, status, closedAt: closedAt.toISOString() }, { traceparent });
  await events.publish(tx, PublicJobClosed, { jobId: job.id, status, closedAt: closedAt.toISOString() }, { traceparent });
}
