import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { KycApproved, type EnvelopeOf } from '@talent/events';
import { OnEvent, systemContext } from '@talent/platform';
import { IssueReferralCode } from './issue-referral-code';

/** Every member may be a connector: KYC approval gives them a referral code. */
@Injectable()
export class CodesHandler {
  constructor(private readonly issueReferralCode: IssueReferralCode) {}

  @OnEvent(KycApproved)
  async onKycApproved(event: EnvelopeOf<typeof KycApproved>, tx: EntityManager): Promise<void> {
    await this.issueReferralCode.execute(systemContext({ tx, traceparent: event.traceparent }), { userId: event.payload.userId });
  }
}
