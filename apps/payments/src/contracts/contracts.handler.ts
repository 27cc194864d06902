import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ContractCompleted, ContractStarted, type EnvelopeOf } from '@talent/events';
import { OnEvent, systemContext } from '@talent/platform';
import { RecordContractCompleted } from './record-contract-completed';
import { RecordContractStarted } from './record-contract-started';

/** Consumes jobs.events.v1 into the `contracts` projection, in the inbox transaction (a redelivered event changes nothing). */
@Injectable()
export class ContractsHandler {
  constructor(
    private readonly recordContractStarted: RecordContractStarted,
    private readonly recordContractCompleted: RecordContractCompleted,
  ) {}

  @OnEvent(ContractStarted)
  async onContractStarted(event: EnvelopeOf<typeof ContractStarted>, tx: EntityManager): Promise<void> {
    await this.recordContractStarted.execute(systemContext({ tx, traceparent: event.traceparent }), event.payload);
  }

  @OnEvent(ContractCompleted)
  async onContractCompleted(event: EnvelopeOf<typeof ContractCompleted>, tx: EntityManager): Promise<void> {
    await this.recordContractCompleted.execute(systemContext({ tx, traceparent: event.traceparent }), event.payload);
  }
}
