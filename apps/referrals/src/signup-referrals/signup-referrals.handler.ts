import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UserRegistered, type EnvelopeOf } from '@talent/events';
import { OnEvent, systemContext } from '@talent/platform';
import { AttributeSignup } from './attribute-signup';

@Injectable()
export class SignupReferralsHandler {
  constructor(private readonly attributeSignup: AttributeSignup) {}

  @OnEvent(UserRegistered)
  async onUserRegistered(event: EnvelopeOf<typeof UserRegistered>, tx: EntityManager): Promise<void> {
    await this.attributeSignup.execute(systemContext({ tx, traceparent: event.traceparent }), event.payload);
  }
}
