import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { JobClosed, JobPosted, type EnvelopeOf } from '@talent/events';
import { OnEvent, systemContext } from '@talent/platform';
import { RecordJobClosed } from './record-job-closed';
import { RecordPostedJob } from './record-posted-job';

/** Consumes jobs.events.v1: the jobs projection ranking needs, in the inbox transaction. */
@Injectable()
export class JobsHandler {
  constructor(
    private readonly recordPostedJob: RecordPostedJob,
    private readonly recordJobClosed: RecordJobClosed,
  ) {}

  @OnEvent(JobPosted)
  async onJobPosted(event: EnvelopeOf<typeof JobPosted>, tx: EntityManager): Promise<void> {
    await this.recordPostedJob.execute(systemContext({ tx, traceparent: event.traceparent }), event.payload);
  }

  @OnEvent(JobClosed)
  async onJobClosed(event: EnvelopeOf<typeof JobClosed>, tx: EntityManager): Promise<void> {
    await this.recordJobClosed.execute(systemContext({ tx, traceparent: event.traceparent }), event.payload);
  }
}
