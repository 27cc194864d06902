import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { KycApproved, type EnvelopeOf } from '@talent/events';
import { OnEvent } from '@talent/platform';
import { CodesService } from './codes.service';

/** Every member may be a connector: KYC approval gives them a referral code. */
@Injectable()
export class CodesHandler {
  constructor(private readonly codes: CodesService) {}

  @OnEvent(KycApproved)
  async onKycApproved(event: EnvelopeOf<typeof KycApproved>, tx: EntityManager): Promise<void> {
    await this.codes.issue(tx, event.payload.userId);
  }
}
