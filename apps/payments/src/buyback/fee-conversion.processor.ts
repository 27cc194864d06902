import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, JobQueue, ProcessesJob, systemContext, type JobData } from '@talent/platform';
import type { PaymentsConfig } from '../config';
import { CONVERT_FEES_SCHEDULER_ID, ConvertFeesJob } from './buyback.jobs';
import { ConvertFees } from './fee-conversion';

/** Schedules the buyback at start (a repeatable BullMQ job) and runs it. */
@Injectable()
export class FeeConversionProcessor implements OnApplicationBootstrap {
  constructor(
    private readonly convertFees: ConvertFees,
    private readonly jobs: JobQueue,
    @Inject(APP_CONFIG) private readonly config: Pick<PaymentsConfig, 'FEE_CONVERSION_INTERVAL_MS'>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.repeat(CONVERT_FEES_SCHEDULER_ID, ConvertFeesJob, {}, { every: this.config.FEE_CONVERSION_INTERVAL_MS });
  }

  @ProcessesJob(ConvertFeesJob)
  async handle(data: JobData<typeof ConvertFeesJob>): Promise<void> {
    await this.convertFees.execute(systemContext(), data);
  }
}
