import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ContractStarted, RewardGranted, type EnvelopeOf } from '@talent/events';
import { OnEvent, systemContext } from '@talent/platform';
import { QualifyContract } from './qualify-contract';
import { RecordReward } from './record-reward';

@Injectable()
export class QualificationHandler {
  constructor(
    private readonly qualifyContract: QualifyContract,
    private readonly recordReward: RecordReward,
  ) {}

  @OnEvent(ContractStarted)
  async onContractStarted(event: EnvelopeOf<typeof ContractStarted>, tx: EntityManager): Promise<void> {
    await this.qualifyContract.execute(systemContext({ tx, traceparent: event.traceparent }), event.payload);
  }

  @OnEvent(RewardGranted)
  async onRewardGranted(event: EnvelopeOf<typeof RewardGranted>, tx: EntityManager): Promise<void> {
    await this.recordReward.execute(systemContext({ tx, traceparent: event.traceparent }), event.payload);
  }
}
