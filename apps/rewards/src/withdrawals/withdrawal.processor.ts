import { Injectable } from '@nestjs/common';
import { ProcessesJob, systemContext, type JobData } from '@talent/platform';
import { RecheckWithdrawal } from './recheck-withdrawal';
import { SubmitWithdrawal } from './submit-withdrawal';
import { CheckWithdrawal, ProcessWithdrawal } from './withdrawal.jobs';

/** Thrown for a RETRY outcome: BullMQ retries a job that throws (with its attempts), never dead-letters it. */
class WithdrawalNotSentYet extends Error {}

/** The withdrawal jobs, one use case each: `withdrawal.process` -> SubmitWithdrawal, `withdrawal.check` -> RecheckWithdrawal. */
@Injectable()
export class WithdrawalProcessor {
  constructor(
    private readonly submit: SubmitWithdrawal,
    private readonly recheck: RecheckWithdrawal,
  ) {}

  @ProcessesJob(ProcessWithdrawal)
  async handle(data: JobData<typeof ProcessWithdrawal>, meta: { attemptsMade: number }): Promise<void> {
    if ((await this.submit.execute(systemContext(), { ...data, attemptsMade: meta.attemptsMade })) === 'RETRY') {
      throw new WithdrawalNotSentYet(`withdrawal ${data.withdrawalId} not sent yet; retrying`);
    }
  }

  @ProcessesJob(CheckWithdrawal)
  async handleCheck(data: JobData<typeof CheckWithdrawal>): Promise<void> {
    await this.recheck.execute(systemContext(), data);
  }
}
