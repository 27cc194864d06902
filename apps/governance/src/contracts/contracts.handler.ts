import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ContractCompleted, ContractStarted, type EnvelopeOf } from '@talent/events';
import { OnEvent, systemContext } from '@talent/platform';
import { RecordContractCompletion } from './record-contract-completion';
import { RecordContractStart } from './record-contract-start';

/** The parties and status of each contract, from jobs' events, in the inbox transaction (idempotent: inbox, ON CONFLICT, status guard). */
@Injectable()
export class GovernanceContractsHandler {
  constructor(
    private readonly recordStart: RecordContractStart,
    private readonly recordCompletion: RecordContractCompletion,
  ) {}

  @OnEvent(ContractStarted)
  async onContractStarted(event: EnvelopeOf<typeof ContractStarted>, tx: EntityManager): Promise<void> {
    await this.recordStart.execute(systemContext({ tx, traceparent: event.traceparent }), event.payload);
  }

  @OnEvent(ContractCompleted)
  async onContractCompleted(event: EnvelopeOf<typeof ContractCompleted>, tx: EntityManager): Promise<void> {
    await this.recordCompletion.execute(systemContext({ tx, traceparent: event.traceparent }), event.payload);
  }
}
